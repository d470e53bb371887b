#include "io/output.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <span>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/cleaner.h"
#include "core/parallel.h"
#include "core/status.h"
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
    AppendCleanedText(corpus.Text(d, text), removed, clean_text);
    size_t value_begin = doc.text_offset;
    size_t value_end = value_begin + doc.text_size;
    if (ABSL_PREDICT_FALSE(raw.size() > UINT32_MAX)) {  // no recorded range (see CorpusDoc)
      JsonlRecord record;
      (void)ParseJsonlLine(raw, corpus.options().fields, &record, nullptr);  // parsed while framing: cannot fail
      value_begin = record.text_value_begin;
      value_end = record.text_value_end;
    }
    out->append(raw.substr(0, value_begin));
    AppendJsonString(*clean_text, out);
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

}  // namespace

absl::Status WriteCleanedInput(const Corpus& corpus, size_t input_index, const PipelineResult& result,
                               ByteSink& sink, int threads) {
  const CorpusInput& input = corpus.inputs()[input_index];
  DEDUP_RETURN_IF_ERROR(sink.Append(input.buffer.bytes().substr(0, input.prefix_end)));
  // Documents are rendered in parallel, a window at a time, into one string
  // per chunk, then appended in order: same bytes at any thread count.
  constexpr size_t kChunkDocs = 128, kWindowChunks = 64;
  struct ChunkScratch {
    std::string text, clean_text, line;
  };
  std::vector<ChunkScratch> scratch(std::max(threads, 1));
  std::vector<std::string> parts(kWindowChunks);
  const size_t end = input.first_doc + input.num_docs;
  for (size_t window = input.first_doc; window < end; window += kChunkDocs * kWindowChunks) {
    const size_t window_end = std::min(end, window + kChunkDocs * kWindowChunks);
    ParallelForChunks(window_end - window, kChunkDocs, threads, [&](size_t c, size_t begin, size_t stop, int t) {
      parts[c].clear();
      for (size_t d = window + begin; d < window + stop; ++d) {
        if (!result.docs[d].keep) continue;
        ChunkScratch& s = scratch[t];
        AppendCleanedDocument(corpus, d, result, &s.text, &s.clean_text, &s.line, &parts[c]);
      }
    });
    const size_t chunks = (window_end - window + kChunkDocs - 1) / kChunkDocs;
    for (size_t c = 0; c < chunks; ++c) DEDUP_RETURN_IF_ERROR(sink.Append(parts[c]));
    corpus.Release(window, window_end);  // read for the last time
  }
  return absl::OkStatus();
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
  // As WriteCleanedInput: chunks rendered in parallel, appended in order.
  constexpr size_t kChunkDocs = 512, kWindowChunks = 64;
  std::vector<std::string> parts(kWindowChunks);
  const size_t end = result.docs.size();
  for (size_t window = 0; window < end; window += kChunkDocs * kWindowChunks) {
    const size_t window_end = std::min(end, window + kChunkDocs * kWindowChunks);
    ParallelForChunks(window_end - window, kChunkDocs, threads, [&](size_t c, size_t begin, size_t stop, int) {
      parts[c].clear();
      for (size_t d = window + begin; d < window + stop; ++d) AppendReportLine(result, d, id_of, &parts[c]);
    });
    const size_t chunks = (window_end - window + kChunkDocs - 1) / kChunkDocs;
    for (size_t c = 0; c < chunks; ++c) DEDUP_RETURN_IF_ERROR(sink.Append(parts[c]));
  }
  return absl::OkStatus();
}

}  // namespace dedup
