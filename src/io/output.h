// File: io/output.h
// Writes what the pipeline decided: the cleaned documents of each input in
// their original framing, and the JSON Lines report. Writers go through a
// ByteSink so the same code feeds stdout, an atomic file or a string.
#ifndef DEDUP_IO_OUTPUT_H_
#define DEDUP_IO_OUTPUT_H_

#include <cstdio>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "core/pipeline.h"
#include "io/corpus.h"
#include "io/compression.h"
#include "io/file_io.h"

namespace dedup {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual absl::Status Append(std::string_view bytes) = 0;
  // Appends each part in order; a sink may write them without copying.
  virtual absl::Status AppendParts(std::span<const std::string> parts) {
    for (const std::string& part : parts) {
      if (absl::Status status = Append(part); !status.ok()) return status;
    }
    return absl::OkStatus();
  }
};

class StringSink : public ByteSink {
 public:
  absl::Status Append(std::string_view bytes) override {
    out_.append(bytes);
    return absl::OkStatus();
  }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

// Appends to an open AtomicFileWriter (which buffers small appends).
class FileSink : public ByteSink {
 public:
  explicit FileSink(AtomicFileWriter* writer) : writer_(writer) {}
  absl::Status Append(std::string_view bytes) override { return writer_->Append(bytes); }
  absl::Status AppendParts(std::span<const std::string> parts) override { return writer_->AppendParts(parts); }

 private:
  AtomicFileWriter* writer_;
};

// Compresses what it is given into another sink's input (a mirrored .gz or
// .zst output, written as it is rendered). Finish() ends the stream.
class CompressingSink : public ByteSink {
 public:
  explicit CompressingSink(StreamCompressor* compressor) : compressor_(compressor) {}
  absl::Status Append(std::string_view bytes) override { return compressor_->Add(bytes); }
  absl::Status Finish() { return compressor_->Finish(); }

 private:
  StreamCompressor* compressor_;
};

// Buffered writes to a stdio stream. A closed pipe (EPIPE) is reported as
// absl::CancelledError so the caller can stop quietly.
class StreamSink : public ByteSink {
 public:
  explicit StreamSink(std::FILE* stream) : stream_(stream) {}
  absl::Status Append(std::string_view bytes) override;
  absl::Status Flush();

 private:
  std::FILE* stream_;
};

// Appends the kept documents of input `input_index`, cleaned, with their
// separators, to sink. Kept documents without removals are copied byte for
// byte; JSONL lines get the cleaned text spliced into their text field.
// Rendering uses `threads` threads (and, when several, one more appends to
// sink meanwhile, so sink need not be thread-safe); the bytes do not depend
// on it.
absl::Status WriteCleanedInput(const Corpus& corpus, size_t input_index, const PipelineResult& result,
                               ByteSink& sink, int threads = 1);

// Appends one report line (with '\n') for document d; id_of(i) gives the id
// of document i (d itself, and the kept document it duplicates).
void AppendReportLine(const PipelineResult& result, size_t d, const std::function<std::string_view(size_t)>& id_of,
                      std::string* out);

// Appends the report lines of every document, in order, to sink; id_of
// must be safe to call from `threads` threads at once. Threads and bytes as
// for WriteCleanedInput.
absl::Status WriteReportLines(const PipelineResult& result, const std::function<std::string_view(size_t)>& id_of,
                              ByteSink& sink, int threads = 1);

}  // namespace dedup

#endif  // DEDUP_IO_OUTPUT_H_
