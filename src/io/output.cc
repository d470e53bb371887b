#include "io/output.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <span>
#include <thread>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/cleaner.h"
#include "core/parallel.h"
#include "core/status.h"
#include "io/json_scan.h"
#include "io/jsonl.h"
#include "io/warc.h"

namespace dedup {

absl::Status StreamSink::Append(std::string_view bytes) {
  if (bytes.empty()) return absl::OkStatus();
  if (std::fwrite(bytes.data(), 1, bytes.size(), stream_) != bytes.size()) {
    if (errno == EPIPE) return absl::CancelledError("broken pipe");
    return absl::InternalError(absl::StrCat("write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status StreamSink::Flush() {
  if (std::fflush(stream_) != 0) {
    if (errno == EPIPE) return absl::CancelledError("broken pipe");
    return absl::InternalError(absl::StrCat("write failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

namespace {

// Appends the JSON string `value` (quotes included, valid: framing parsed
// it) less the ranges of its decoded text in `removed`, copying the kept
// bytes as they are in the input, escapes and all: the kept text stays
// exactly as it was, and nothing is decoded or escaped again. Returns false,
// having appended nothing, if a range's edge falls inside the bytes one
// escape decodes to (never for ranges of whole lines).
bool AppendJsonStringWithout(std::string_view value, std::span<const RemovedRange> removed, std::string* out) {
  using internal::Byte;
  const Byte* const body = reinterpret_cast<const Byte*>(value.data()) + 1;
  const Byte* const end = body + value.size() - 2;
  const Byte* raw = body;  // the walk's place in the escaped bytes...
  size_t text = 0;         // ...and in the decoded text
  // Moves the walk to decoded offset `to` (or the end); false if that is
  // inside an escape's decoded bytes. Up to the next backslash a byte is a
  // byte of text, so only the bytes up to `to` are searched for one (with
  // the parser's scan: JSON text has an escape every few dozen bytes, too
  // close together for a memchr call each).
  auto walk_to = [&](size_t to) {
    while (text < to && raw < end) {
      const Byte* const plain_end = raw + std::min<size_t>(end - raw, to - text);
      const Byte* const backslash = internal::FindBackslash(raw, plain_end);
      text += backslash - raw;
      raw = backslash;
      if (backslash == plain_end) continue;  // at `to` or at the end: the loop stops
      Byte decoded[4];
      Byte* decoded_end = decoded;
      const Byte* after = raw;
      internal::DecodeValidEscape(&after, &decoded_end, end);
      if (text + static_cast<size_t>(decoded_end - decoded) > to) return false;
      text += decoded_end - decoded;
      raw = after;
    }
    return true;
  };
  const size_t size_before = out->size();
  out->push_back('"');
  const Byte* kept = body;
  for (const RemovedRange& r : removed) {
    const bool at_start = walk_to(r.start);
    if (at_start) out->append(reinterpret_cast<const char*>(kept), raw - kept);
    if (!at_start || !walk_to(std::max<size_t>(r.end, text))) {
      out->resize(size_before);
      return false;
    }
    kept = raw;
  }
  out->append(reinterpret_cast<const char*>(kept), end - kept);
  out->push_back('"');
  return true;
}

// Appends kept document d, cleaned, with its separator. text, clean_text
// and line are scratch buffers reused across documents.
void AppendCleanedDocument(const Corpus& corpus, size_t d, const PipelineResult& result, std::string* text,
                           std::string* clean_text, std::string* line, std::string* out) {
  const DocumentDecision& dec = result.docs[d];
  const CorpusDoc& doc = corpus.doc(d);
  const CorpusInput& input = corpus.inputs()[doc.input];
  const std::string_view bytes = input.buffer.bytes();
  if (dec.removed_count == 0) {
    out->append(bytes.substr(doc.header_begin, doc.sep_end - doc.header_begin));
    return;
  }
  const std::span<const RemovedRange> removed(result.removed.data() + dec.removed_begin, dec.removed_count);
  const std::string_view raw = bytes.substr(doc.begin, doc.end - doc.begin);
  clean_text->clear();
  if (input.format == InputFormat::kJsonl) {
    size_t value_begin = doc.text_offset;
    size_t value_end = value_begin + doc.text_size;
    if (ABSL_PREDICT_FALSE(raw.size() > UINT32_MAX)) {  // no recorded range (see CorpusDoc)
      JsonlRecord record;
      (void)ParseJsonlLine(raw, corpus.options().fields, &record, nullptr);  // parsed while framing: cannot fail
      value_begin = record.text_value_begin;
      value_end = record.text_value_end;
    }
    out->append(raw.substr(0, value_begin));
    if (!AppendJsonStringWithout(raw.substr(value_begin, value_end - value_begin), removed, out)) {
      AppendCleanedText(corpus.Text(d, text), removed, clean_text);
      AppendJsonString(*clean_text, out);
    }
    out->append(raw.substr(value_end));
  } else if (input.format == InputFormat::kWet) {
    // A new record with the original header, Content-Length rewritten and
    // the block digest left out (it no longer matches).
    AppendCleanedText(raw, removed, clean_text);
    line->clear();
    AppendWetRecord(bytes.substr(doc.header_begin, doc.begin - doc.header_begin), *clean_text, line,
                    WetDigest::kDrop);
    out->append(*line);
    out->append(bytes.substr(doc.trailer_end, doc.sep_end - doc.trailer_end));
    return;
  } else {
    AppendCleanedText(raw, removed, out);
  }
  out->append(bytes.substr(doc.end, doc.sep_end - doc.end));
}

// Copies a string literal (without its NUL) to p; returns its end.
template <size_t N>
char* AppendLiteral(char* p, const char (&literal)[N]) {
  std::memcpy(p, literal, N - 1);
  return p + N - 1;
}

// Writes v in decimal (at most 10 digits) at p; returns its end.
char* AppendDecimal(uint32_t v, char* p) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) *p++ = digits[--n];
  return p;
}

// Renders items [0, n) in chunks of chunk_items on `threads` threads, a
// window of chunks at a time, each chunk into its own string, and appends
// the chunks to sink in order: the bytes do not depend on the thread count.
// render(begin, end, thread, out) appends items [begin, end) to out;
// rendered(begin, end) is called once a window's items are rendered.
// With several threads, a window is appended on a background thread while
// the next one renders: the writes (the kernel's copy into the page cache)
// then overlap the rendering instead of leaving the other cores idle.
template <typename Render, typename Rendered>
absl::Status RenderInOrder(size_t n, size_t chunk_items, int threads, ByteSink& sink, Render&& render,
                           Rendered&& rendered) {
  constexpr size_t kWindowChunks = 64;
  const size_t window_items = chunk_items * kWindowChunks;
  const bool background = threads > 1;
  // Two windows of chunk strings: one being appended, one being rendered.
  // Reused, so their pages are faulted in once.
  std::vector<std::string> windows[2] = {std::vector<std::string>(kWindowChunks),
                                         std::vector<std::string>(background ? kWindowChunks : 0)};
  absl::Status append_status;
  std::thread appender;
  auto append_window = [&sink, &append_status](const std::vector<std::string>* parts, size_t chunks) {
    append_status = sink.AppendParts(std::span(parts->data(), chunks));
  };
  for (size_t window = 0, w = 0; window < n; window += window_items, ++w) {
    const size_t window_end = std::min(n, window + window_items);
    std::vector<std::string>& parts = windows[background ? w % 2 : 0];
    ParallelForChunks(window_end - window, chunk_items, threads, [&](size_t c, size_t begin, size_t end, int t) {
      parts[c].clear();
      render(window + begin, window + end, t, &parts[c]);
    });
    rendered(window, window_end);
    const size_t chunks = (window_end - window + chunk_items - 1) / chunk_items;
    if (!background) {
      append_window(&parts, chunks);
      DEDUP_RETURN_IF_ERROR(append_status);
      continue;
    }
    if (appender.joinable()) appender.join();
    if (!append_status.ok()) return append_status;
    appender = std::thread(append_window, &parts, chunks);
  }
  if (appender.joinable()) appender.join();
  return append_status;
}

}  // namespace

absl::Status WriteCleanedInput(const Corpus& corpus, size_t input_index, const PipelineResult& result,
                               ByteSink& sink, int threads) {
  const CorpusInput& input = corpus.inputs()[input_index];
  DEDUP_RETURN_IF_ERROR(sink.Append(input.buffer.bytes().substr(0, input.prefix_end)));
  struct ThreadScratch {
    std::string text, clean_text, line;
  };
  std::vector<ThreadScratch> scratch(std::max(threads, 1));
  const size_t first = input.first_doc;
  return RenderInOrder(
      input.num_docs, /*chunk_items=*/128, threads, sink,
      [&](size_t begin, size_t end, int t, std::string* out) {
        ThreadScratch& s = scratch[t];
        for (size_t d = first + begin; d < first + end; ++d) {
          if (result.docs[d].keep) AppendCleanedDocument(corpus, d, result, &s.text, &s.clean_text, &s.line, out);
        }
      },
      [&](size_t begin, size_t end) { corpus.Release(first + begin, first + end); });  // read for the last time
}

void AppendReportLine(const PipelineResult& result, size_t d, const std::function<std::string_view(size_t)>& id_of,
                      std::string* out) {
  const DocumentDecision& dec = result.docs[d];
  out->append("{\"id\": ");
  AppendJsonString(id_of(d), out);
  if (dec.keep) {
    out->append(", \"action\": \"keep\", \"dup_of\": null, \"similarity\": null");
  } else {
    out->append(", \"action\": \"drop\", \"dup_of\": ");
    AppendJsonString(id_of(dec.dup_of), out);
    absl::StrAppendFormat(out, ", \"similarity\": %.4f", dec.similarity);
  }
  out->append(", \"removed\": [");
  // Formatted by hand into a stack buffer: a report has millions of ranges,
  // and StrAppendFormat costs several times more per range.
  for (uint32_t i = 0; i < dec.removed_count; ++i) {
    const RemovedRange& r = result.removed[dec.removed_begin + i];
    char buf[160];
    char* p = buf;
    if (i != 0) p = AppendLiteral(p, ", ");
    p = AppendLiteral(p, "{\"start\": ");
    p = AppendDecimal(r.start, p);
    p = AppendLiteral(p, ", \"end\": ");
    p = AppendDecimal(r.end, p);
    p = AppendLiteral(p, ", \"reason\": \"boilerplate\", \"block\": ");
    p = AppendDecimal(r.block, p);
    p = AppendLiteral(p, ", \"stories\": ");
    p = AppendDecimal(r.stories, p);
    *p++ = '}';
    out->append(buf, p - buf);
  }
  out->append("]}\n");
}

absl::Status WriteReportLines(const PipelineResult& result, const std::function<std::string_view(size_t)>& id_of,
                              ByteSink& sink, int threads) {
  return RenderInOrder(
      result.docs.size(), /*chunk_items=*/512, threads, sink,
      [&](size_t begin, size_t end, int, std::string* out) {
        for (size_t d = begin; d < end; ++d) AppendReportLine(result, d, id_of, out);
      },
      [](size_t, size_t) {});
}

}  // namespace dedup
