#include "cli/verify.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "cli/diag.h"
#include "cli/inputs.h"
#include "cli/options.h"
#include "core/status.h"
#include "core/string_view_compat.h"
#include "io/compression.h"
#include "io/output.h"
#include "io/report_reader.h"

namespace dedup {
namespace {

// Verify reads the report and the written outputs once, in order: their
// pages go back to the kernel every this many bytes behind the reader.
constexpr size_t kReleaseStep = size_t{64} << 20;

namespace fs = std::filesystem;

// Turns the report back into decisions, checking it against the corpus.
absl::StatusOr<PipelineResult> ReadReport(const std::string& path, const Corpus& corpus) {
  DEDUP_ASSIGN_OR_RETURN(InputBuffer buffer, ReadInput(path));
  const std::string_view bytes = buffer.bytes();
  PipelineResult result;
  result.docs.resize(corpus.size());
  std::vector<ReportEntry> entries;
  size_t line_no = 0;
  PageReleaser releaser(buffer, kReleaseStep);  // parsed lines are not read again
  for (size_t pos = 0; pos < bytes.size();) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    ++line_no;
    auto entry = ParseReportLine(bytes.substr(pos, nl - pos));
    if (!entry.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ":", line_no, ": ", entry.status().message()));
    entries.push_back(*std::move(entry));
    pos = nl + 1;
    releaser.ReadTo(pos);
  }
  if (entries.size() != corpus.size()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", entries.size(), " entries for ", corpus.size(), " documents"));
  }
  absl::flat_hash_set<std::string> kept_ids;
  for (size_t d = 0; d < entries.size(); ++d) {
    if (entries[d].keep) kept_ids.insert(entries[d].id);
  }
  std::string scratch;
  for (size_t d = 0; d < entries.size(); ++d) {
    const ReportEntry& e = entries[d];
    const std::string where = absl::StrCat(path, ":", d + 1, ": ");
    if (e.id != corpus.Id(d)) {
      return absl::InvalidArgumentError(absl::StrCat(where, "id '", e.id, "' but document ", d + 1, " is '", AbslView(corpus.Id(d)), "'"));
    }
    if (e.keep == e.has_dup_of) return absl::InvalidArgumentError(absl::StrCat(where, "dup_of must be null exactly when kept"));
    if (!e.keep && !kept_ids.contains(e.dup_of)) {
      return absl::InvalidArgumentError(absl::StrCat(where, "dup_of '", e.dup_of, "' names no kept document"));
    }
    const uint64_t size = corpus.Text(d, &scratch).size();
    // Read again only when rendering: drop the pages behind (as the run does).
    constexpr size_t kReleaseDocs = 4096;
    if ((d + 1) % kReleaseDocs == 0) corpus.Release(d + 1 - kReleaseDocs, d + 1);
    DocumentDecision& dec = result.docs[d];
    dec.keep = e.keep;
    dec.removed_begin = static_cast<uint32_t>(result.removed.size());
    uint64_t last_end = 0;
    for (const auto& [start, end] : e.removed) {
      if (start < last_end || end < start || end > size) {
        return absl::InvalidArgumentError(absl::StrCat(where, "removed range [", start, ", ", end, ") out of order or out of bounds"));
      }
      last_end = end;
      result.removed.push_back({static_cast<uint32_t>(start), static_cast<uint32_t>(end), 0, 0});
      if (dec.keep) result.stats.boilerplate_bytes += end - start;
    }
    dec.removed_count = static_cast<uint32_t>(result.removed.size()) - dec.removed_begin;
    result.stats.dropped += !dec.keep;
  }
  return result;
}

// Compares the expected output, as it is rendered, with the file's bytes:
// neither is held whole (the file's pages are dropped behind the comparison).
class ComparingSink : public ByteSink {
 public:
  ComparingSink(std::string what, const InputBuffer* actual)
      : what_(std::move(what)), actual_(actual), releaser_(*actual, kReleaseStep) {}
  absl::Status Append(std::string_view bytes) override {
    const std::string_view actual = actual_->bytes();
    if (first_difference_ == kNone) {
      const std::string_view same_place = actual.substr(std::min(expected_size_, actual.size()), bytes.size());
      const auto [e, a] = std::mismatch(bytes.begin(), bytes.end(), same_place.begin(), same_place.end());
      if (e != bytes.end()) first_difference_ = expected_size_ + static_cast<size_t>(e - bytes.begin());
    }
    expected_size_ += bytes.size();
    releaser_.ReadTo(expected_size_);
    return absl::OkStatus();
  }
  // Whether the file held exactly what was appended.
  absl::Status Finish() const {
    const size_t actual_size = actual_->size();
    if (first_difference_ == kNone && expected_size_ == actual_size) return absl::OkStatus();
    const size_t at = first_difference_ != kNone ? first_difference_ : std::min(expected_size_, actual_size);
    return absl::DataLossError(absl::StrCat(what_, ": differs from input + report at byte ", at, " (expected ",
                                            expected_size_, " bytes, found ", actual_size, ")"));
  }

 private:
  static constexpr size_t kNone = SIZE_MAX;
  std::string what_;
  const InputBuffer* actual_;
  size_t expected_size_ = 0;
  size_t first_difference_ = kNone;
  PageReleaser releaser_;
};

absl::Status Verify(const CliArgs& args, const std::string& report_path) {
  DEDUP_ASSIGN_OR_RETURN(CorpusOptions corpus_options, MakeCorpusOptions(args));
  Corpus corpus(std::move(corpus_options));
  bool any_error = false;
  DEDUP_RETURN_IF_ERROR(LoadInputs(args, corpus, &any_error));
  DEDUP_ASSIGN_OR_RETURN(const PipelineResult result, ReadReport(report_path, corpus));
  const bool to_dir = OutputIsDirectory(args);
  // One output file for all inputs, or one per input; compared decompressed.
  Compression compression = Compression::kNone;
  InputBuffer single_output;
  std::optional<ComparingSink> single;
  if (!to_dir) {
    DEDUP_ASSIGN_OR_RETURN(single_output, ReadDecompressed(args.output, &compression));
    single.emplace(args.output, &single_output);
  }
  for (size_t i = 0; i < corpus.inputs().size(); ++i) {
    const CorpusInput& input = corpus.inputs()[i];
    if (!to_dir) {
      DEDUP_RETURN_IF_ERROR(WriteCleanedInput(corpus, i, result, *single));
      continue;
    }
    const std::string path = (fs::path(args.output) / input.rel_path).string();
    bool any_kept = false;
    for (size_t d = input.first_doc; d < input.first_doc + input.num_docs; ++d) any_kept |= result.docs[d].keep;
    if (!fs::exists(path)) {
      // A plain file dropped whole leaves no output file (see run.cc).
      if (input.framing == TextFraming::kWholeFile && !any_kept && input.num_docs > 0) continue;
      return absl::NotFoundError(absl::StrCat(path, ": missing output file"));
    }
    DEDUP_ASSIGN_OR_RETURN(const InputBuffer actual, ReadDecompressed(path, &compression));
    ComparingSink sink(path, &actual);
    DEDUP_RETURN_IF_ERROR(WriteCleanedInput(corpus, i, result, sink));
    DEDUP_RETURN_IF_ERROR(sink.Finish());
  }
  if (single.has_value()) DEDUP_RETURN_IF_ERROR(single->Finish());
  std::fprintf(stderr, "dedup verify: ok: %zu documents, %llu dropped, %llu boilerplate bytes removed from kept documents; output = input - report\n",
               corpus.size(), static_cast<unsigned long long>(result.stats.dropped),
               static_cast<unsigned long long>(result.stats.boilerplate_bytes));
  return absl::OkStatus();
}

}  // namespace

int RunVerify(int argc, char** argv) {
  CliArgs args;
  std::string report;
  CLI::App app{"dedup verify: check that input + report reproduce the output byte for byte.\n"
               "Give the same inputs and framing flags as the run being checked.", "dedup verify"};
  app.add_option("inputs", args.inputs, "Input files or directories of the run");
  app.add_option("--report", report, "The run's --report file")->required();
  app.add_option("-o,--output", args.output, "The run's output file or directory (stdout captured to a file)")->required();
  app.add_option("--format", args.format)->check(CLI::IsMember({"auto", "jsonl", "text", "wet"}));
  app.add_option("--text-field", args.text_field);
  app.add_option("--id-field", args.id_field);
  app.add_option("--source-field", args.source_field);
  app.add_option("--doc-sep", args.doc_sep);
  app.add_option("--on-error", args.on_error)->check(CLI::IsMember({"stop", "skip"}));
  if (const std::optional<int> status = ParseOrExitStatus(app, argc, argv, "dedup verify")) return *status;
  if (const absl::Status s = Verify(args, report); !s.ok()) {
    std::fprintf(stderr, "dedup verify: %.*s\n", static_cast<int>(s.message().size()), s.message().data());
    return kExitRuntimeError;
  }
  return kExitOk;
}

}  // namespace dedup
