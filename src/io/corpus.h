// File: io/corpus.h
// Inputs read into memory once (mapped files, or decompressed buffers) and
// framed into documents: views into those bytes plus ids and sources. Serves
// document text to the core through DocumentSource; JSONL text is decoded on
// demand rather than stored a second time.
#ifndef DEDUP_IO_CORPUS_H_
#define DEDUP_IO_CORPUS_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/pipeline.h"
#include "io/compression.h"
#include "io/file_io.h"
#include "io/jsonl.h"

namespace dedup {
namespace internal {
struct JsonlChunk;
}  // namespace internal

// kWet: WARC/WET records (detected by a leading "WARC/"); each conversion
// record is a document, its WARC-Target-URI the id and its host the source.
enum class InputFormat { kAuto, kJsonl, kText, kWet };

// How a text input is cut into documents.
enum class TextFraming {
  kWholeFile,      // a named plain file is one document
  kNul,            // documents end at NUL bytes
  kFormFeed,       // documents end at form feeds
  kSeparatorLine,  // a line equal to --doc-sep separates documents
  kParagraphs,     // unframed stream: each blank-line separated paragraph
};

struct CorpusOptions {
  InputFormat format = InputFormat::kAuto;
  std::string doc_sep;  // non-empty: kSeparatorLine
  JsonlFieldNames fields;
  bool skip_bad_records = false;                  // --on-error=skip
  uint64_t max_doc_bytes = uint64_t{256} << 20;   // 256 MiB: offsets are 32-bit in the core
  int threads = 1;  // JSONL framing; documents, ids and errors do not depend on it
  uint64_t jsonl_stretch_bytes = uint64_t{4} << 20;  // least bytes per thread's stretch (tests use tiny ones)
};

// A file's bytes as documents are framed from them: mapped, or, when gzip or
// zstd (by magic bytes), decompressed as a stream into an InputBuilder (a
// temporary file when large). *compression says which. Errors name path.
absl::StatusOr<InputBuffer> ReadDecompressed(const std::string& path, Compression* compression);

// One input file (or stdin) and the documents framed from it.
struct CorpusInput {
  std::string path;      // as given; "-" is stdin
  std::string rel_path;  // relative output path under -o DIR
  Compression compression = Compression::kNone;
  InputFormat format = InputFormat::kText;
  TextFraming framing = TextFraming::kWholeFile;
  InputBuffer buffer;       // the (decompressed) bytes
  uint64_t prefix_end = 0;  // bytes before the first document, copied as they are
  uint32_t first_doc = 0;
  uint32_t num_docs = 0;
  uint64_t bad_records = 0;  // skipped under --on-error=skip
};

// A document: [begin, end) of its input's bytes (the JSONL line, or the text
// itself), then the separator bytes [end, sep_end) written after it when kept.
// A WET record also has its header [header_begin, begin) and its record
// terminator [end, trailer_end); for other formats those ranges are empty.
struct CorpusDoc {
  uint32_t input = 0;
  // JSONL: the text field's string value, quotes included, is
  // [begin + text_offset, begin + text_offset + text_size), with a backslash
  // escape or not; recorded while framing so that Text() neither parses nor
  // validates the line again. Lines of 4 GiB and more are parsed again.
  uint32_t text_offset = 0;
  uint64_t header_begin = 0;
  uint64_t begin = 0;
  uint64_t end = 0;
  uint64_t trailer_end = 0;
  uint64_t sep_end = 0;
  uint64_t line = 0;  // 1-based line where the document starts
  uint32_t text_size = 0;
  bool text_has_escape = false;
};

class Corpus : public DocumentSource {
 public:
  explicit Corpus(CorpusOptions options) : options_(std::move(options)) {}

  // Reads, decompresses and frames one input. `rel_path` names it under -o;
  // `source_hint` is the source of documents without a source field (the
  // file's directory, or "" when unknown). Record errors either fail the call
  // (message "path:line: ...") or, when skipping, go to warnings().
  absl::Status AddInput(const std::string& path, const std::string& rel_path,
                        const std::string& source_hint);

  size_t size() const override { return docs_.size(); }
  // Plain text and unescaped JSONL text are views into the input; escaped
  // JSONL text is decoded into a prefix of *scratch, which only grows.
  std::string_view Text(size_t doc, std::string* scratch) const override;
  uint32_t SourceId(size_t doc) const override { return doc_source_[doc]; }
  void Release(size_t begin, size_t end) const override;
  uint64_t SizeHintBytes() const override {
    uint64_t total = 0;
    for (const CorpusInput& input : inputs_) total += input.buffer.size();
    return total;
  }

  std::string_view Id(size_t doc) const {
    return std::string_view(ids_).substr(id_begin_[doc], id_begin_[doc + 1] - id_begin_[doc]);
  }
  const CorpusDoc& doc(size_t d) const { return docs_[d]; }
  const std::vector<CorpusInput>& inputs() const { return inputs_; }
  const std::vector<std::string>& warnings() const { return warnings_; }
  uint64_t bad_records() const;
  const CorpusOptions& options() const { return options_; }

 private:
  absl::Status FrameJsonl(CorpusInput& input, uint32_t input_index, const std::string& source_hint);
  absl::Status FrameText(CorpusInput& input, uint32_t input_index, const std::string& source_hint);
  absl::Status FrameWet(CorpusInput& input, uint32_t input_index);
  void FrameJsonlChunk(const InputBuffer& buffer, const std::string& source_hint, std::atomic<size_t>* first_failed,
                       size_t index, internal::JsonlChunk* chunk) const;
  absl::Status AddDoc(CorpusInput& input, uint32_t input_index, CorpusDoc doc, std::string_view id,
                      uint32_t source_id);
  absl::Status RecordError(CorpusInput& input, uint64_t line, std::string_view message);

  CorpusOptions options_;
  std::vector<CorpusInput> inputs_;
  std::vector<CorpusDoc> docs_;
  std::vector<uint32_t> doc_source_;
  std::string ids_;
  std::vector<uint64_t> id_begin_{0};
  std::vector<std::string> warnings_;
};

}  // namespace dedup

#endif  // DEDUP_IO_CORPUS_H_
