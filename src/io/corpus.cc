#include "io/corpus.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/hash.h"
#include "core/parallel.h"
#include "core/status.h"
#include "core/string_view_compat.h"
#include "core/utf8.h"
#include "io/warc.h"

namespace dedup {
namespace internal {

// A stretch of whole lines of a JSONL input, framed on its own (possibly on
// another thread) with line numbers counted from its start; FrameJsonl
// merges the stretches in order.
struct JsonlChunk {
  static constexpr uint64_t kLineId = UINT64_MAX;  // id_ends: no id field, the line number is the id

  struct Error {
    uint64_t line;
    std::string message;
  };

  size_t begin = 0;
  size_t end = 0;
  size_t lead_end = 0;  // end of the blank lines the chunk starts with
  uint64_t lines = 0;
  std::vector<CorpusDoc> docs;  // line: within the chunk
  std::vector<uint32_t> sources;
  std::string ids;
  std::vector<uint64_t> id_ends;  // per document: end of its id in ids, or kLineId
  std::vector<Error> errors;      // only the first unless bad records are skipped
};

}  // namespace internal

namespace {

// Room for `size` elements, at least doubling the capacity when it grows,
// so that reserving before each of many appends stays amortised.
template <typename Container>
void ReserveGeometrically(Container& c, size_t size) {
  if (size > c.capacity()) c.reserve(std::max(size, 2 * c.capacity()));
}

using internal::JsonlChunk;

bool IsBlankLine(std::string_view line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// End of the line starting at pos: index of its '\n', or size.
size_t LineEnd(std::string_view bytes, size_t pos) {
  const void* nl = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
  return nl == nullptr ? bytes.size() : static_cast<const char*>(nl) - bytes.data();
}

// A source's id is a hash of its name, not its order of appearance, so that
// processes reading different shares of a corpus agree on it (src/dist).
uint32_t SourceIdOf(std::string_view source) {
  if (source.empty()) return 0;
  return std::max<uint32_t>(1, static_cast<uint32_t>(HashString(source) >> 32));
}

// 3 when bytes start with a UTF-8 byte order mark, else 0.
size_t Utf8BomSize(std::string_view bytes) { return bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0; }

// Splits bytes into about `pieces` stretches of whole lines.
std::vector<JsonlChunk> SplitAtLines(std::string_view bytes, size_t pieces) {
  std::vector<JsonlChunk> chunks;
  size_t begin = 0;
  for (size_t k = 1; k <= pieces && begin < bytes.size(); ++k) {
    size_t end = bytes.size();
    if (k < pieces) {
      const size_t target = std::max(begin, bytes.size() / pieces * k);
      end = std::min(bytes.size(), LineEnd(bytes, target) + 1);
    }
    JsonlChunk& chunk = chunks.emplace_back();
    chunk.begin = begin;
    chunk.end = end;
    begin = end;
  }
  return chunks;
}

}  // namespace

uint64_t Corpus::bad_records() const {
  uint64_t total = 0;
  for (const CorpusInput& in : inputs_) total += in.bad_records;
  return total;
}

absl::Status Corpus::RecordError(CorpusInput& input, uint64_t line, std::string_view message) {
  const std::string where = absl::StrCat(input.path, ":", line, ": ", AbslView(message));
  if (!options_.skip_bad_records) return absl::InvalidArgumentError(where);
  ++input.bad_records;
  warnings_.push_back(absl::StrCat(where, " (skipped)"));
  return absl::OkStatus();
}

absl::Status Corpus::AddDoc(CorpusInput& input, uint32_t input_index, CorpusDoc doc, std::string_view id,
                            uint32_t source_id) {
  doc.input = input_index;
  if (input.format != InputFormat::kWet) {
    doc.header_begin = doc.begin;
    doc.trailer_end = doc.end;
  }
  if (docs_.size() >= UINT32_MAX - 1) return absl::ResourceExhaustedError("more than 4 billion documents");
  docs_.push_back(doc);
  doc_source_.push_back(source_id);
  ids_.append(id);
  id_begin_.push_back(ids_.size());
  ++input.num_docs;
  return absl::OkStatus();
}

absl::StatusOr<InputBuffer> ReadDecompressed(const std::string& path, Compression* compression) {
  DEDUP_ASSIGN_OR_RETURN(InputBuffer buffer, ReadInput(path));
  *compression = DetectCompression(buffer.bytes().substr(0, 8));
  if (*compression == Compression::kNone) return buffer;
  // Decompressed as a stream: large ones go to a temporary file as they come.
  InputBuilder plain;
  const absl::Status status =
      DecompressTo(*compression, buffer.bytes(), [&](std::string_view chunk) { plain.Append(chunk); });
  if (!status.ok()) return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
  return plain.Finish();
}

absl::Status Corpus::AddInput(const std::string& path, const std::string& rel_path,
                              const std::string& source_hint) {
  CorpusInput input;
  input.path = path;
  input.rel_path = rel_path;
  DEDUP_ASSIGN_OR_RETURN(input.buffer, ReadDecompressed(path, &input.compression));
  const std::string_view bytes = input.buffer.bytes();
  input.format = options_.format;
  if (input.format == InputFormat::kAuto) {
    const size_t first = bytes.find_first_not_of(" \t\r\n", Utf8BomSize(bytes));
    if (bytes.substr(0, 5) == "WARC/") input.format = InputFormat::kWet;
    else if (first != std::string_view::npos && bytes[first] == '{') input.format = InputFormat::kJsonl;
    else input.format = InputFormat::kText;
  }
  input.first_doc = static_cast<uint32_t>(docs_.size());
  const uint32_t input_index = static_cast<uint32_t>(inputs_.size());
  absl::Status status;
  switch (input.format) {
    case InputFormat::kJsonl: status = FrameJsonl(input, input_index, source_hint); break;
    case InputFormat::kWet: status = FrameWet(input, input_index); break;
    default: status = FrameText(input, input_index, source_hint); break;
  }
  if (!status.ok()) {
    // Roll back the documents of this input.
    docs_.resize(input.first_doc);
    doc_source_.resize(input.first_doc);
    id_begin_.resize(input.first_doc + 1);
    ids_.resize(id_begin_.back());
    return status;
  }
  // Framing touched every byte; the passes read them again in order, so
  // until then they need no memory (JSONL framing released them already).
  if (input.format != InputFormat::kJsonl) input.buffer.ReleasePages(0, input.buffer.size());
  inputs_.push_back(std::move(input));
  return absl::OkStatus();
}

void Corpus::FrameJsonlChunk(const InputBuffer& buffer, const std::string& source_hint,
                             std::atomic<size_t>* first_failed, size_t index, JsonlChunk* chunk) const {
  const std::string_view bytes = buffer.bytes();
  // The passes read the bytes again in order, so until then they need no
  // memory: released behind the parser by each framing thread, instead of by
  // one thread for the whole input after framing (unmapping 1 GB of pages).
  PageReleaser releaser(buffer, /*step=*/size_t{4} << 20, chunk->begin);
  const uint32_t hint_id = SourceIdOf(source_hint);
  JsonlRecord record;
  const uint64_t max_line_bytes = std::max(options_.max_doc_bytes, options_.max_doc_bytes + 1);  // saturating + 1
  chunk->lead_end = chunk->begin;
  auto fail = [&](std::string message) {
    chunk->errors.push_back({chunk->lines, std::move(message)});
    if (options_.skip_bad_records) return false;
    size_t seen = first_failed->load(std::memory_order_relaxed);
    while (index < seen && !first_failed->compare_exchange_weak(seen, index, std::memory_order_relaxed)) {
    }
    return true;
  };
  for (size_t pos = chunk->begin; pos < chunk->end;) {
    // An earlier stretch failed: this one's documents will not be used.
    if (first_failed->load(std::memory_order_relaxed) < index) return;
    ++chunk->lines;
    size_t nl = pos;  // '\n' or end of the line
    while (nl < bytes.size() && (bytes[nl] == ' ' || bytes[nl] == '\t' || bytes[nl] == '\r')) ++nl;
    if (nl == bytes.size() || bytes[nl] == '\n') {
      // Whitespace lines are not documents; they stay with what precedes them.
      const size_t next = nl < bytes.size() ? nl + 1 : nl;
      if (!chunk->docs.empty()) {
        if (chunk->docs.back().sep_end == pos) chunk->docs.back().sep_end = next;
      } else if (chunk->lead_end == pos) {
        chunk->lead_end = next;
      }
      pos = next;
      continue;
    }
    // Parsed without searching for the '\n' first (one pass over the line),
    // reading at most one byte more than a line may have.
    size_t line_size = 0;
    const std::string_view rest = bytes.substr(pos, std::min<uint64_t>(bytes.size() - pos, max_line_bytes));
    const bool parsed = TryParseJsonlLineAt(rest, options_.fields, &record, &line_size) &&
                        (pos + line_size == bytes.size() || bytes[pos + line_size] == '\n');
    if (parsed) {
      nl = pos + line_size;
    } else {
      nl = LineEnd(bytes, pos);  // < chunk->end: stretches end after a '\n'
      line_size = nl - pos;
    }
    const size_t next = nl < bytes.size() ? nl + 1 : nl;
    if (line_size > options_.max_doc_bytes) {
      if (fail(absl::StrFormat("line of %d bytes exceeds --max-doc-bytes=%d", line_size, options_.max_doc_bytes))) {
        return;
      }
      pos = next;
      continue;
    }
    if (!parsed) {
      // Parsed again as the line found, for the error message.
      const absl::Status status = ParseJsonlLine(bytes.substr(pos, line_size), options_.fields, &record, nullptr);
      if (!status.ok()) {
        if (fail(std::string(StdView(status.message())))) return;
        pos = next;
        continue;
      }
    }
    CorpusDoc& doc = chunk->docs.emplace_back();
    doc.begin = pos;
    doc.end = nl;
    doc.sep_end = next;
    doc.line = chunk->lines;
    if (line_size <= UINT32_MAX) {
      doc.text_offset = static_cast<uint32_t>(record.text_value_begin);
      doc.text_size = static_cast<uint32_t>(record.text_value_end - record.text_value_begin);
      doc.text_has_escape = record.text_has_escape;
    }
    if (record.has_id) {
      chunk->ids.append(record.id);
      chunk->id_ends.push_back(chunk->ids.size());
    } else {
      chunk->id_ends.push_back(JsonlChunk::kLineId);
    }
    chunk->sources.push_back(record.has_source ? SourceIdOf(record.source) : hint_id);
    pos = next;
    releaser.ReadTo(pos);
  }
  releaser.ReleaseTo(chunk->end);
}

absl::Status Corpus::FrameJsonl(CorpusInput& input, uint32_t input_index, const std::string& source_hint) {
  const std::string_view bytes = input.buffer.bytes();
  // A few stretches per thread so that they even out, not too small.
  const size_t threads = std::max(options_.threads, 1);
  const size_t pieces =
      std::clamp<size_t>(bytes.size() / std::max<uint64_t>(options_.jsonl_stretch_bytes, 1), 1, threads * 4);
  std::vector<JsonlChunk> chunks = SplitAtLines(bytes, threads == 1 ? 1 : pieces);
  // A byte order mark (which RFC 8259 lets a parser ignore, and Windows tools
  // write) is kept in front of the first document, like leading blank lines.
  if (const size_t bom = Utf8BomSize(bytes); bom > 0 && !chunks.empty()) {
    input.prefix_end = bom;
    chunks[0].begin = bom;
  }
  std::atomic<size_t> first_failed{SIZE_MAX};
  ParallelForChunks(chunks.size(), 1, options_.threads, [&](size_t c, size_t, size_t, int) {
    FrameJsonlChunk(input.buffer, source_hint, &first_failed, c, &chunks[c]);
  });

  // Merged in order: same documents, ids and first error at any thread count.
  // One thread does it (~0.05 s at 1 GB, half of it growing the arrays):
  // room for every stretch's documents first, still growing geometrically
  // across inputs (a tree of many files frames one input at a time).
  size_t more_docs = 0, more_id_bytes = 0;
  for (const JsonlChunk& chunk : chunks) {
    more_docs += chunk.docs.size();
    more_id_bytes += chunk.ids.size();
  }
  ReserveGeometrically(docs_, docs_.size() + more_docs);
  ReserveGeometrically(doc_source_, doc_source_.size() + more_docs);
  ReserveGeometrically(id_begin_, id_begin_.size() + more_docs);
  ReserveGeometrically(ids_, ids_.size() + more_id_bytes);
  uint64_t line_base = 0;
  size_t last = SIZE_MAX;  // the input's last document in docs_
  for (JsonlChunk& chunk : chunks) {
    if (chunk.lead_end != chunk.begin) {
      if (last != SIZE_MAX && docs_[last].sep_end == chunk.begin) docs_[last].sep_end = chunk.lead_end;
      else if (last == SIZE_MAX && input.prefix_end == chunk.begin) input.prefix_end = chunk.lead_end;
    }
    // Errors and documents in line order, as one pass over the lines meets
    // them (AddDoc can fail too).
    size_t next_error = 0;
    auto record_errors_before = [&](uint64_t line) {
      for (; next_error < chunk.errors.size() && chunk.errors[next_error].line < line; ++next_error) {
        const JsonlChunk::Error& error = chunk.errors[next_error];
        DEDUP_RETURN_IF_ERROR(RecordError(input, line_base + error.line, error.message));
      }
      return absl::OkStatus();
    };
    uint64_t id_begin = 0;
    for (size_t i = 0; i < chunk.docs.size(); ++i) {
      CorpusDoc& doc = chunk.docs[i];
      DEDUP_RETURN_IF_ERROR(record_errors_before(doc.line));
      doc.line += line_base;
      const uint64_t id_end = chunk.id_ends[i];
      std::string line_id;
      std::string_view id;
      if (id_end == JsonlChunk::kLineId) {
        line_id = absl::StrCat(doc.line);
        id = line_id;
      } else {
        id = std::string_view(chunk.ids).substr(id_begin, id_end - id_begin);
        id_begin = id_end;
      }
      DEDUP_RETURN_IF_ERROR(AddDoc(input, input_index, doc, id, chunk.sources[i]));
      last = docs_.size() - 1;
    }
    DEDUP_RETURN_IF_ERROR(record_errors_before(UINT64_MAX));
    line_base += chunk.lines;
    std::vector<CorpusDoc>().swap(chunk.docs);  // free as we go
  }
  return absl::OkStatus();
}

absl::Status Corpus::FrameText(CorpusInput& input, uint32_t input_index, const std::string& source_hint) {
  const std::string_view bytes = input.buffer.bytes();
  const bool is_stream = input.path == "-";
  if (!options_.doc_sep.empty()) input.framing = TextFraming::kSeparatorLine;
  else if (std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) input.framing = TextFraming::kNul;
  else if (std::memchr(bytes.data(), '\f', bytes.size()) != nullptr) input.framing = TextFraming::kFormFeed;
  else if (is_stream) input.framing = TextFraming::kParagraphs;
  else input.framing = TextFraming::kWholeFile;

  const std::string& name = input.path == "-" ? input.path : input.rel_path;
  uint64_t line_no = 1;
  size_t counted_to = 0;  // line_no is the line of byte counted_to
  auto line_of = [&](size_t pos) {
    line_no += std::count(bytes.begin() + counted_to, bytes.begin() + pos, '\n');
    counted_to = pos;
    return line_no;
  };
  auto add = [&](size_t begin, size_t end, size_t sep_end) -> absl::Status {
    const uint64_t line = line_of(begin);
    const std::string_view text = bytes.substr(begin, end - begin);
    if (text.size() > options_.max_doc_bytes) {
      return RecordError(input, line,
                         absl::StrFormat("document of %d bytes exceeds --max-doc-bytes=%d", text.size(), options_.max_doc_bytes));
    }
    if (const size_t bad = FindInvalidUtf8(text.data(), text.size()); bad != text.size()) {
      return RecordError(input, line_of(begin + bad), absl::StrFormat("invalid UTF-8 at byte offset %d", begin + bad));
    }
    CorpusDoc doc;
    doc.begin = begin;
    doc.end = end;
    doc.sep_end = sep_end;
    doc.line = line;
    const std::string id =
        input.framing == TextFraming::kWholeFile ? name : absl::StrCat(name, ":", line);
    return AddDoc(input, input_index, doc, id, SourceIdOf(source_hint));
  };

  switch (input.framing) {
    case TextFraming::kWholeFile:
      if (!bytes.empty()) DEDUP_RETURN_IF_ERROR(add(0, bytes.size(), bytes.size()));
      break;
    case TextFraming::kNul:
    case TextFraming::kFormFeed: {
      const char sep = input.framing == TextFraming::kNul ? '\0' : '\f';
      for (size_t pos = 0; pos < bytes.size();) {
        const void* hit = std::memchr(bytes.data() + pos, sep, bytes.size() - pos);
        const size_t end = hit == nullptr ? bytes.size() : static_cast<const char*>(hit) - bytes.data();
        const size_t sep_end = hit == nullptr ? end : end + 1;
        DEDUP_RETURN_IF_ERROR(add(pos, end, sep_end));
        pos = sep_end;
      }
      break;
    }
    case TextFraming::kSeparatorLine: {
      size_t doc_begin = 0;
      for (size_t pos = 0; pos < bytes.size();) {
        const size_t nl = LineEnd(bytes, pos);
        const size_t next = nl < bytes.size() ? nl + 1 : nl;
        std::string_view line = bytes.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line == options_.doc_sep) {
          if (pos == doc_begin && input.num_docs == 0) {
            input.prefix_end = next;  // a leading separator line
          } else {
            DEDUP_RETURN_IF_ERROR(add(doc_begin, pos, next));
          }
          doc_begin = next;
        }
        pos = next;
      }
      if (doc_begin < bytes.size()) DEDUP_RETURN_IF_ERROR(add(doc_begin, bytes.size(), bytes.size()));
      break;
    }
    case TextFraming::kParagraphs: {
      // A paragraph is a run of non-blank lines, its last newline included;
      // the blank lines after it are its separator.
      size_t pos = 0;
      size_t para_begin = SIZE_MAX;
      while (pos < bytes.size()) {
        const size_t nl = LineEnd(bytes, pos);
        const size_t next = nl < bytes.size() ? nl + 1 : nl;
        const bool blank = IsBlankLine(bytes.substr(pos, nl - pos));
        if (!blank && para_begin == SIZE_MAX) para_begin = pos;
        if (blank && para_begin != SIZE_MAX) {
          size_t sep_end = next;
          size_t p = next;
          while (p < bytes.size()) {  // absorb further blank lines
            const size_t l = LineEnd(bytes, p);
            if (!IsBlankLine(bytes.substr(p, l - p))) break;
            p = sep_end = l < bytes.size() ? l + 1 : l;
          }
          DEDUP_RETURN_IF_ERROR(add(para_begin, pos, sep_end));
          para_begin = SIZE_MAX;
          pos = sep_end;
          continue;
        }
        if (blank && para_begin == SIZE_MAX && input.prefix_end == pos) input.prefix_end = next;
        pos = next;
      }
      if (para_begin != SIZE_MAX) DEDUP_RETURN_IF_ERROR(add(para_begin, bytes.size(), bytes.size()));
      break;
    }
  }
  return absl::OkStatus();
}

absl::Status Corpus::FrameWet(CorpusInput& input, uint32_t input_index) {
  const std::string_view bytes = input.buffer.bytes();
  CorpusDoc* last = nullptr;
  const absl::Status status = ParseWarc(bytes, [&](const WarcRecord& record) -> absl::Status {
    if (record.type != "conversion") {
      // warcinfo and other records are not documents; they stay in place.
      if (last == nullptr) input.prefix_end = record.record_end;
      else last->sep_end = record.record_end;
      return absl::OkStatus();
    }
    const std::string_view text = bytes.substr(record.payload_begin, record.payload_end - record.payload_begin);
    if (text.size() > options_.max_doc_bytes) {
      return RecordError(input, record.line,
                         absl::StrFormat("record of %d bytes exceeds --max-doc-bytes=%d", text.size(), options_.max_doc_bytes));
    }
    if (!IsValidUtf8(text.data(), text.size())) {
      return RecordError(input, record.line, "invalid UTF-8 in the record's payload");
    }
    CorpusDoc doc;
    doc.header_begin = record.record_begin;
    doc.begin = record.payload_begin;
    doc.end = record.payload_end;
    doc.trailer_end = record.record_end;
    doc.sep_end = record.record_end;
    doc.line = record.line;
    const std::string id = record.target_uri.empty() ? absl::StrCat(input.path, ":", record.line)
                                                     : std::string(record.target_uri);
    DEDUP_RETURN_IF_ERROR(AddDoc(input, input_index, doc, id, SourceIdOf(UriHostLowercase(record.target_uri))));
    last = &docs_.back();
    return absl::OkStatus();
  });
  if (!status.ok()) return absl::Status(status.code(), absl::StrCat(input.path, ": ", status.message()));
  return absl::OkStatus();
}

void Corpus::Release(size_t begin, size_t end) const {
  // One madvise per run of documents from the same input.
  while (begin < end) {
    const uint32_t input = docs_[begin].input;
    size_t last = begin;
    while (last + 1 < end && docs_[last + 1].input == input) ++last;
    inputs_[input].buffer.ReleasePages(docs_[begin].header_begin, docs_[last].sep_end);
    begin = last + 1;
  }
}

std::string_view Corpus::Text(size_t d, std::string* scratch) const {
  const CorpusDoc& doc = docs_[d];
  const CorpusInput& input = inputs_[doc.input];
  const std::string_view raw = input.buffer.bytes().substr(doc.begin, doc.end - doc.begin);
  if (input.format != InputFormat::kJsonl) return raw;
  if (ABSL_PREDICT_FALSE(raw.size() > UINT32_MAX)) {
    JsonlRecord record;
    // Parsed once already while framing, so this cannot fail.
    (void)ParseJsonlLine(raw, options_.fields, &record, scratch);
    return *scratch;
  }
  return DecodeJsonlText(raw.substr(doc.text_offset, doc.text_size), doc.text_has_escape, scratch);
}

}  // namespace dedup
