// File: bench/micro/bench_main.cc
// main() of dedup_bench: builds the shared input before any benchmark runs so
// that its size appears in the context header, then runs what the flags pick
// (--benchmark_filter, --benchmark_repetitions, --benchmark_format=json ...).
#include <benchmark/benchmark.h>

#include <string>

#include "absl/strings/str_format.h"
#include "bench_input.h"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const dedup::bench::BenchInput& input = dedup::bench::GetBenchInput();
  benchmark::AddCustomContext("input", "corpora/news_small/docs.jsonl repeated, letters ciphered per repetition");
  benchmark::AddCustomContext("input_jsonl_bytes", std::to_string(input.jsonl.size()));
  benchmark::AddCustomContext("input_text_bytes", std::to_string(input.texts.size()));
  benchmark::AddCustomContext("input_docs", std::to_string(input.docs.size()));
  benchmark::AddCustomContext("mean_doc_bytes", absl::StrFormat("%.0f", input.mean_doc_bytes));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  dedup::bench::RemoveBenchInputFiles();
  return 0;
}
