// File: tests/fuzz/fuzz_framing.cc
// Corpus framing (JSONL, WET, NUL / form feed / paragraphs) on arbitrary
// bytes: never crashes; when framing succeeds, document ranges are ordered and
// in bounds, and writing every document back with nothing removed reproduces
// the input byte for byte (nothing is lost or invented by the framing).
// JSONL framed in parallel stretches gives the same outcome, and each
// document's text equals a full parse of its line; JSONL written with every
// other line of each text removed parses to the texts less those lines.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

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
  if (input.format != dedup::InputFormat::kJsonl) return 0;
  // Every other line of every text removed: each written line parses, and
  // its text is the text less those lines (kept bytes are copied as they
  // were, escapes and all, so this checks the walk over the escapes).
  dedup::PipelineResult odd_lines;
  odd_lines.docs.resize(corpus.size());
  std::vector<std::string> want(corpus.size());
  for (size_t d = 0; d < corpus.size(); ++d) {
    const std::string_view text = corpus.Text(d, &scratch);
    odd_lines.docs[d].removed_begin = static_cast<uint32_t>(odd_lines.removed.size());
    size_t line = 0;
    for (size_t begin = 0; begin < text.size(); ++line) {
      const size_t newline = text.find('\n', begin);
      const size_t next = newline == std::string_view::npos ? text.size() : newline + 1;
      if (line % 2 == 1) {
        odd_lines.removed.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(next), 0, 3});
      } else {
        want[d].append(text.substr(begin, next - begin));
      }
      begin = next;
    }
    odd_lines.docs[d].removed_count =
        static_cast<uint32_t>(odd_lines.removed.size() - odd_lines.docs[d].removed_begin);
  }
  dedup::StringSink cleaned;
  Check(dedup::WriteCleanedInput(corpus, 0, odd_lines, cleaned).ok());
  const std::string& written = cleaned.str();
  size_t at = input.prefix_end;  // the blank lines before the first document, as they were
  dedup::JsonlRecord record;
  for (size_t d = 0; d < corpus.size(); ++d) {
    // Each document is one line, then its separator as it was (the line's
    // "\r\n" or "\n" and any blank lines after it).
    const dedup::CorpusDoc& doc = corpus.doc(d);
    const std::string_view separator = bytes.substr(doc.end, doc.sep_end - doc.end);
    size_t content_end = written.size();
    if (!separator.empty()) {
      content_end = written.find('\n', at);
      Check(content_end != std::string::npos);
      if (separator[0] == '\r') --content_end;
    }
    Check(dedup::ParseJsonlLine(std::string_view(written).substr(at, content_end - at), corpus.options().fields,
                                &record, &decoded)
              .ok());
    Check(decoded == want[d]);
    Check(std::string_view(written).substr(content_end, separator.size()) == separator);
    at = content_end + separator.size();
  }
  Check(at == written.size());
  return 0;
}
