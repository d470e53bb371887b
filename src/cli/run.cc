#include "cli/run.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "cli/diag.h"
#include "cli/inputs.h"
#include "core/pipeline.h"
#include "core/status.h"
#include "core/stopwatch.h"
#include "core/string_view_compat.h"
#include "io/compression.h"
#include "io/corpus.h"
#include "io/file_io.h"
#include "io/output.h"

namespace dedup {

namespace fs = std::filesystem;

absl::Status CheckMemoryLimit(const CliArgs& args, const Corpus& corpus) {
  if (args.memory_limit_mib == 0) return absl::OkStatus();
  const uint64_t input = corpus.SizeHintBytes();
  const uint64_t estimate_mib = EstimatePeakMemoryMiB(input, corpus.size(), args.threads);
  if (estimate_mib <= args.memory_limit_mib) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrFormat(
      "estimated peak memory %d MiB (input %d MiB, %d documents, %d thread%s; ~2.5 KB a document) exceeds "
      "--memory-limit=%d MiB; split the input, use fewer threads, or spread it over machines with dedup_mpi",
      estimate_mib, input >> 20, corpus.size(), args.threads, args.threads == 1 ? "" : "s", args.memory_limit_mib));
}

absl::Status WriteOutputs(const CliArgs& args, const Corpus& corpus, const PipelineResult& result) {
  if (args.output.empty() || args.output == "-") {
    StreamSink sink(stdout);
    for (size_t i = 0; i < corpus.inputs().size(); ++i) {
      DEDUP_RETURN_IF_ERROR(WriteCleanedInput(corpus, i, result, sink, args.threads));
    }
    return sink.Flush();
  }
  const bool to_dir = OutputIsDirectory(args);
  for (size_t i = 0; i < corpus.inputs().size(); ++i) {
    const CorpusInput& input = corpus.inputs()[i];
    bool any_kept = false;
    for (size_t d = input.first_doc; d < input.first_doc + input.num_docs; ++d) any_kept |= result.docs[d].keep;
    const std::string path = to_dir ? (fs::path(args.output) / input.rel_path).string() : args.output;
    // A plain file is one document: a dropped one leaves no output file, and
    // none from an earlier run either (the tree mirrors this run).
    if (to_dir && input.framing == TextFraming::kWholeFile && input.format == InputFormat::kText && !any_kept &&
        input.num_docs > 0) {
      DEDUP_RETURN_IF_ERROR(RemoveRegularFile(path));
      continue;
    }
    // Streamed into the temporary (through a 1 MiB buffer, compressed on
    // the way when the input was), then renamed: never held whole.
    AtomicFileWriter writer;
    DEDUP_RETURN_IF_ERROR(writer.Open(path));
    FileSink file(&writer);
    if (input.compression == Compression::kNone) {
      DEDUP_RETURN_IF_ERROR(WriteCleanedInput(corpus, i, result, file, args.threads));
    } else {
      DEDUP_ASSIGN_OR_RETURN(const std::unique_ptr<StreamCompressor> compressor,
                             StreamCompressor::Create(input.compression, /*level=*/0,
                                                      [&](std::string_view bytes) { return file.Append(bytes); }));
      CompressingSink sink(compressor.get());
      DEDUP_RETURN_IF_ERROR(WriteCleanedInput(corpus, i, result, sink, args.threads));
      DEDUP_RETURN_IF_ERROR(sink.Finish());
    }
    DEDUP_RETURN_IF_ERROR(writer.Commit());
    if (!to_dir) break;
  }
  return absl::OkStatus();
}

namespace {

// The report's lines into writer, opened on path; the caller commits.
absl::Status WriteUncommittedReport(AtomicFileWriter* writer, const std::string& path, const PipelineResult& result,
                                    const std::function<std::string_view(size_t)>& id_of, int threads) {
  DEDUP_RETURN_IF_ERROR(writer->Open(path));
  FileSink sink(writer);
  return WriteReportLines(result, id_of, sink, threads);
}

absl::Status WriteReportToStdout(const PipelineResult& result, const std::function<std::string_view(size_t)>& id_of,
                                 int threads) {
  StreamSink sink(stdout);
  DEDUP_RETURN_IF_ERROR(WriteReportLines(result, id_of, sink, threads));
  return sink.Flush();
}

}  // namespace

absl::Status WriteReport(const std::string& path, const PipelineResult& result,
                         const std::function<std::string_view(size_t)>& id_of, int threads) {
  if (path == "-") return WriteReportToStdout(result, id_of, threads);
  AtomicFileWriter writer;
  DEDUP_RETURN_IF_ERROR(WriteUncommittedReport(&writer, path, result, id_of, threads));
  return writer.Commit();
}

// The report is written to its temporary while the outputs are written (on
// its own thread when there are several: one file's rendering, writes and
// rename then overlap the other's), and renamed into place only once the
// outputs are: a failed output leaves the old report, as it leaves the old
// output.
absl::Status WriteOutputsAndReport(const CliArgs& args, const Corpus& corpus, const PipelineResult& result) {
  if (args.report.empty()) return WriteOutputs(args, corpus, result);
  if (args.report == "-") {  // on stdout (the outputs are files: CheckOutputPaths), after them
    DEDUP_RETURN_IF_ERROR(WriteOutputs(args, corpus, result));
    return WriteReport(args.report, result, [&](size_t i) { return corpus.Id(i); }, args.threads);
  }
  AtomicFileWriter report;
  auto write_report = [&] {
    return WriteUncommittedReport(&report, args.report, result, [&](size_t i) { return corpus.Id(i); },
                                  args.threads);
  };
  absl::Status report_status;
  if (args.threads <= 1) {
    DEDUP_RETURN_IF_ERROR(WriteOutputs(args, corpus, result));
    report_status = write_report();
  } else {
    std::thread report_thread([&] { report_status = write_report(); });
    const absl::Status output_status = WriteOutputs(args, corpus, result);
    report_thread.join();
    DEDUP_RETURN_IF_ERROR(output_status);  // the report's temporary goes with `report`
  }
  DEDUP_RETURN_IF_ERROR(report_status);
  return report.Commit();
}

int Run(const CliArgs& args) {
  const Stopwatch total;
  SetVerbosity(2 - args.quiet);
  auto pipeline_options = MakePipelineOptions(args);
  auto corpus_options = MakeCorpusOptions(args);
  for (const absl::Status& s : {pipeline_options.status(), corpus_options.status()}) {
    if (!s.ok()) {
      PrintError(StdView(s.message()));
      return kExitUsage;
    }
  }
  if (args.inputs.empty() && isatty(STDIN_FILENO)) {
    PrintError("stdin is a terminal; give FILEs or pipe input in (see dedup --help)");
    return kExitUsage;
  }
  const absl::StatusOr<std::vector<InputFile>> files = ListInputFiles(args);
  if (!files.ok()) {
    PrintError(StdView(files.status().message()));
    return kExitRuntimeError;
  }
  if (const absl::Status s = CheckOutputPaths(args, *files); !s.ok()) {
    PrintError(StdView(s.message()));
    return kExitUsage;
  }

  bool any_error = false;
  Corpus corpus(*std::move(corpus_options));
  if (const absl::Status s = LoadInputFiles(*files, corpus, &any_error); !s.ok()) {
    PrintError(StdView(s.message()));
    return kExitRuntimeError;
  }
  for (const std::string& w : corpus.warnings()) PrintWarning(w);
  any_error |= corpus.bad_records() > 0;
  for (const CorpusInput& input : corpus.inputs()) {
    if (input.format == InputFormat::kText && input.framing == TextFraming::kParagraphs && input.num_docs > 0) {
      PrintWarning(absl::StrCat(input.path == "-" ? "stdin" : input.path,
                                ": no document separator found; working on paragraphs "
                                "(use --doc-sep LINE, NUL or form feeds, or JSONL for document framing)"));
      break;
    }
  }
  if (const absl::Status s = CheckMemoryLimit(args, corpus); !s.ok()) {
    PrintError(StdView(s.message()));
    return kExitRuntimeError;
  }
  RunTimes times;
  times.read_seconds = total.Seconds();

  PipelineProgress progress;
  PipelineResult result;
  {
    const bool show = args.progress.value_or(isatty(STDERR_FILENO) != 0) && args.quiet == 0;
    ProgressLine line(&progress, corpus.SizeHintBytes(), show);
    result = RunPipeline(corpus, *pipeline_options, &progress);
  }

  const Stopwatch write;
  const absl::Status status = WriteOutputsAndReport(args, corpus, result);
  times.write_seconds = write.Seconds();
  times.total_seconds = total.Seconds();
  if (absl::IsCancelled(status)) return any_error ? kExitRuntimeError : kExitOk;  // closed pipe: stop quietly
  if (!status.ok()) {
    PrintError(StdView(status.message()));
    return kExitRuntimeError;
  }
  if (args.stats) PrintStats(corpus, result, times, args.top_blocks);
  return any_error ? kExitRuntimeError : kExitOk;
}

}  // namespace dedup
