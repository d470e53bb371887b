#include "io/output.h"

#include <cerrno>
#include <cstring>
#include <span>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/cleaner.h"
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

absl::Status WriteCleanedInput(const Corpus& corpus, size_t input_index, const PipelineResult& result,
                               ByteSink& sink) {
  const CorpusInput& input = corpus.inputs()[input_index];
  const std::string_view bytes = input.buffer.bytes();
  DEDUP_RETURN_IF_ERROR(sink.Append(bytes.substr(0, input.prefix_end)));
  std::string text_scratch, cleaned, line;
  JsonlRecord record;
  for (size_t d = input.first_doc; d < input.first_doc + input.num_docs; ++d) {
    const DocumentDecision& dec = result.docs[d];
    if (!dec.keep) continue;
    const CorpusDoc& doc = corpus.doc(d);
    if (dec.removed_count == 0) {
      DEDUP_RETURN_IF_ERROR(sink.Append(bytes.substr(doc.header_begin, doc.sep_end - doc.header_begin)));
      continue;
    }
    const std::span<const RemovedRange> removed(result.removed.data() + dec.removed_begin, dec.removed_count);
    cleaned.clear();
    if (input.format == InputFormat::kJsonl) {
      const std::string_view raw = bytes.substr(doc.begin, doc.end - doc.begin);
      (void)ParseJsonlLine(raw, corpus.options().fields, &record, &text_scratch);
      std::string clean_text;
      AppendCleanedText(text_scratch, removed, &clean_text);
      line.assign(raw.substr(0, record.text_value_begin));
      AppendJsonString(clean_text, &line);
      line.append(raw.substr(record.text_value_end));
      DEDUP_RETURN_IF_ERROR(sink.Append(line));
    } else if (input.format == InputFormat::kWet) {
      // A new record with the original header, Content-Length rewritten and
      // the block digest left out (it no longer matches).
      std::string clean_text;
      AppendCleanedText(bytes.substr(doc.begin, doc.end - doc.begin), removed, &clean_text);
      AppendWetRecord(bytes.substr(doc.header_begin, doc.begin - doc.header_begin), clean_text, &cleaned,
                      WetDigest::kDrop);
      DEDUP_RETURN_IF_ERROR(sink.Append(cleaned));
      DEDUP_RETURN_IF_ERROR(sink.Append(bytes.substr(doc.trailer_end, doc.sep_end - doc.trailer_end)));
      continue;
    } else {
      AppendCleanedText(bytes.substr(doc.begin, doc.end - doc.begin), removed, &cleaned);
      DEDUP_RETURN_IF_ERROR(sink.Append(cleaned));
    }
    DEDUP_RETURN_IF_ERROR(sink.Append(bytes.substr(doc.end, doc.sep_end - doc.end)));
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
  for (uint32_t i = 0; i < dec.removed_count; ++i) {
    const RemovedRange& r = result.removed[dec.removed_begin + i];
    absl::StrAppendFormat(out, "%s{\"start\": %d, \"end\": %d, \"reason\": \"boilerplate\", \"block\": %d, \"stories\": %d}",
                          i == 0 ? "" : ", ", r.start, r.end, r.block, r.stories);
  }
  out->append("]}\n");
}

}  // namespace dedup
