// File: tests/fuzz/fuzz_framing.cc
// Corpus framing (JSONL, WET, NUL / form feed / paragraphs) on arbitrary
// bytes: never crashes; when framing succeeds, document ranges are ordered and
// in bounds, and writing every document back with nothing removed reproduces
// the input byte for byte (nothing is lost or invented by the framing).
// JSONL framed in parallel stretches gives the same outcome, and each
// document's text equals a full parse of its line.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "io/corpus.h"
#include "io/jsonl.h"
#include "io/output.h"

namespace {
void Check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/dedup_fuzz_framing_" + std::to_string(::getpid());
  if (size > 0 && data[0] == 0x1f) return 0;  // compressed inputs: fuzz_decompress covers them
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  dedup::Corpus corpus(dedup::CorpusOptions{});
  // "-" is stdin; a named file whose text has no separator is one document.
  const absl::Status status = corpus.AddInput(path, "in", "");
  // JSONL framed in tiny stretches on 3 threads: the same outcome.
  dedup::CorpusOptions stretched_options;
  stretched_options.threads = 3;
  stretched_options.jsonl_stretch_bytes = 1;
  dedup::Corpus stretched(stretched_options);
  const absl::Status stretched_status = stretched.AddInput(path, "in", "");
  Check(status == stretched_status && corpus.size() == stretched.size());
  if (!status.ok()) return 0;
  const dedup::CorpusInput& input = corpus.inputs()[0];
  const std::string_view bytes = input.buffer.bytes();
  Check(input.prefix_end == stretched.inputs()[0].prefix_end);
  uint64_t last = input.prefix_end;
  std::string scratch, other_scratch, decoded;
  for (size_t d = 0; d < corpus.size(); ++d) {
    const dedup::CorpusDoc& doc = corpus.doc(d);
    Check(doc.header_begin >= last && doc.header_begin <= doc.begin && doc.begin <= doc.end &&
          doc.end <= doc.trailer_end && doc.trailer_end <= doc.sep_end && doc.sep_end <= bytes.size());
    last = doc.sep_end;
    const std::string_view text = corpus.Text(d, &scratch);
    const dedup::CorpusDoc& other = stretched.doc(d);
    Check(doc.begin == other.begin && doc.end == other.end && doc.sep_end == other.sep_end &&
          doc.line == other.line && corpus.Id(d) == stretched.Id(d) &&
          corpus.SourceId(d) == stretched.SourceId(d) && text == stretched.Text(d, &other_scratch));
    if (input.format == dedup::InputFormat::kJsonl) {
      // The recorded text range decodes as a full parse of the line does.
      dedup::JsonlRecord record;
      Check(dedup::ParseJsonlLine(bytes.substr(doc.begin, doc.end - doc.begin), corpus.options().fields, &record,
                                  &decoded)
                .ok());
      Check(text == decoded);
    }
  }
  dedup::PipelineResult keep_all;
  keep_all.docs.resize(corpus.size());
  dedup::StringSink sink;
  Check(dedup::WriteCleanedInput(corpus, 0, keep_all, sink).ok());
  Check(sink.str() == bytes);
  return 0;
}
