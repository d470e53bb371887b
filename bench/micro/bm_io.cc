// File: bench/micro/bm_io.cc
// Input and output stages: framing a JSONL file into documents (read + parse
// every line once), decoding one line's text field, and writing the cleaned
// output and the report for a finished pipeline result (to strings, and to
// files as the CLI does).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_input.h"
#include "core/pipeline.h"
#include "core/string_view_compat.h"
#include "io/corpus.h"
#include "io/file_io.h"
#include "io/jsonl.h"
#include "io/output.h"

namespace dedup::bench {
namespace {

// Corpus::AddInput on the 8 MB JSONL file (in the page cache): mmap, line
// split, full JSONL validation, ids and sources interned.
void BM_FrameJsonl_bytes(benchmark::State& state) {
  const BenchInput& input = GetBenchInput();
  for (auto _ : state) {
    Corpus corpus{CorpusOptions{}};
    const absl::Status status = corpus.AddInput(input.jsonl_path, "docs.jsonl", "");
    if (!status.ok()) {
      state.SkipWithError(std::string(StdView(status.message())).c_str());
      return;
    }
    benchmark::DoNotOptimize(corpus.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * input.jsonl.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * input.lines.size());
}
BENCHMARK(BM_FrameJsonl_bytes)->Unit(benchmark::kMillisecond);

// ParseJsonlLine over every line, decoding the text into reused scratch: the
// cost Corpus::Text pays per document per pass.
void BM_ParseJsonlLine_bytes(benchmark::State& state) {
  const BenchInput& input = GetBenchInput();
  const JsonlFieldNames names;
  JsonlRecord record;
  std::string text;
  for (auto _ : state) {
    for (const std::string_view line : input.lines) {
      const absl::Status status = ParseJsonlLine(line, names, &record, &text);
      benchmark::DoNotOptimize(status.ok());
      benchmark::DoNotOptimize(text.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * input.jsonl.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * input.lines.size());
}
BENCHMARK(BM_ParseJsonlLine_bytes)->Unit(benchmark::kMillisecond);

// Corpus::Text over every document of the framed 8 MB file: what each
// pipeline pass pays per document (the text range was recorded while framing;
// escaped text is decoded into reused scratch, unescaped text is a view).
void BM_CorpusText_bytes(benchmark::State& state) {
  static const Corpus* corpus = [] {
    auto* c = new Corpus(CorpusOptions{});
    const absl::Status status = c->AddInput(GetBenchInput().jsonl_path, "docs.jsonl", "");
    if (!status.ok()) {
      std::fprintf(stderr, "dedup_bench: %s\n", std::string(StdView(status.message())).c_str());
      std::exit(1);
    }
    return c;
  }();
  std::string scratch;
  for (auto _ : state) {
    for (size_t d = 0; d < corpus->size(); ++d) benchmark::DoNotOptimize(corpus->Text(d, &scratch).data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * GetBenchInput().jsonl.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * corpus->size());
}
BENCHMARK(BM_CorpusText_bytes)->Unit(benchmark::kMillisecond);

// AppendJsonString over the decoded text of every line (what the writer
// pays per kept document with removals), into a reused string.
void BM_AppendJsonString_bytes(benchmark::State& state) {
  const BenchInput& input = GetBenchInput();
  std::vector<std::string> texts;
  size_t bytes = 0;
  for (const std::string_view line : input.lines) {
    JsonlRecord record;
    std::string& text = texts.emplace_back();
    (void)ParseJsonlLine(line, JsonlFieldNames{}, &record, &text);
    bytes += text.size();
  }
  std::string out;
  for (auto _ : state) {
    for (const std::string& text : texts) {
      out.clear();
      AppendJsonString(text, &out);
      benchmark::DoNotOptimize(out.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_AppendJsonString_bytes)->Unit(benchmark::kMillisecond);

struct Decided {
  Corpus corpus{CorpusOptions{}};
  PipelineResult result;
};

// The framed corpus and its pipeline result, built once.
const Decided& GetDecided() {
  static const Decided* decided = [] {
    auto* d = new Decided;
    const absl::Status status = d->corpus.AddInput(GetBenchInput().jsonl_path, "docs.jsonl", "");
    if (!status.ok()) {
      std::fprintf(stderr, "dedup_bench: %s\n", std::string(StdView(status.message())).c_str());
      std::exit(1);
    }
    d->result = RunPipeline(d->corpus, PipelineOptions{});
    return d;
  }();
  return *decided;
}

// WriteCleanedInput into a StringSink: kept documents copied, those with
// boilerplate re-parsed, cleaned and re-escaped. Bytes are input bytes.
void BM_WriteCleanedInput_bytes(benchmark::State& state) {
  const Decided& d = GetDecided();
  size_t out_bytes = 0;
  for (auto _ : state) {
    StringSink sink;
    const absl::Status status = WriteCleanedInput(d.corpus, 0, d.result, sink);
    benchmark::DoNotOptimize(status.ok());
    out_bytes = sink.str().size();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * GetBenchInput().jsonl.size());
  state.counters["output_bytes"] = static_cast<double>(out_bytes);
  state.counters["dropped_docs"] = static_cast<double>(d.result.stats.dropped);
  state.counters["removed_ranges"] = static_cast<double>(d.result.removed.size());
}
BENCHMARK(BM_WriteCleanedInput_bytes)->Unit(benchmark::kMillisecond);

// One report line per document (--report). Bytes are input bytes.
void BM_AppendReportLines_bytes(benchmark::State& state) {
  const Decided& d = GetDecided();
  std::string out;
  for (auto _ : state) {
    out.clear();
    for (size_t doc = 0; doc < d.corpus.size(); ++doc) {
      AppendReportLine(
          d.result, doc, [&](size_t i) { return d.corpus.Id(i); }, &out);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * GetBenchInput().jsonl.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * d.corpus.size());
}
BENCHMARK(BM_AppendReportLines_bytes)->Unit(benchmark::kMillisecond);

// The write phase as the CLI runs it: the cleaned output and the report,
// each through an AtomicFileWriter into the benchmark's temporary directory
// (temporary + rename over the previous iteration's file), on `threads`
// threads. Real time: with several threads a background thread appends while
// the next window renders. Bytes are input bytes.
void BM_WriteFiles_bytes(benchmark::State& state) {
  const Decided& d = GetDecided();
  const int threads = static_cast<int>(state.range(0));
  const std::string dir = std::filesystem::path(GetBenchInput().jsonl_path).parent_path().string();
  for (auto _ : state) {
    for (const bool report : {false, true}) {
      AtomicFileWriter writer;
      absl::Status status = writer.Open(dir + (report ? "/report.jsonl" : "/out.jsonl"));
      FileSink sink(&writer);
      if (status.ok()) {
        status = report ? WriteReportLines(d.result, [&](size_t i) { return d.corpus.Id(i); }, sink, threads)
                        : WriteCleanedInput(d.corpus, 0, d.result, sink, threads);
      }
      if (status.ok()) status = writer.Commit();
      if (!status.ok()) {
        state.SkipWithError(std::string(StdView(status.message())).c_str());
        return;
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * GetBenchInput().jsonl.size());
}
BENCHMARK(BM_WriteFiles_bytes)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// The whole decision (RunPipeline) over the framed corpus; JSONL decoding on
// demand included, framing and writing not. Bytes are JSONL input bytes.
void BM_RunPipeline_bytes(benchmark::State& state) {
  const Decided& d = GetDecided();
  PipelineOptions options;
  options.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    PipelineResult result = RunPipeline(d.corpus, options);
    benchmark::DoNotOptimize(result.docs.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * GetBenchInput().jsonl.size());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * d.corpus.size());
}
BENCHMARK(BM_RunPipeline_bytes)->ArgName("threads")->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dedup::bench
