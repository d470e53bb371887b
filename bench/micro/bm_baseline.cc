// File: bench/micro/bm_baseline.cc
// Baselines over the same bytes as the stage benchmarks: how fast the machine
// reads (XXH3 over the whole buffer), finds lines (memchr '\n') and does the
// floor work (bench/floor.h: ASCII words, XXH3 per word and per 5-word
// shingle). "jsonl" is the raw file; "text" the decoded text fields.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string_view>

#include "bench_input.h"
#include "core/hash.h"
#include "floor.h"

namespace dedup::bench {
namespace {

enum class Bytes { kJsonl, kText };

std::string_view Select(Bytes which) {
  const BenchInput& input = GetBenchInput();
  return which == Bytes::kJsonl ? std::string_view(input.jsonl) : std::string_view(input.texts);
}

// XXH3_64bits over the whole buffer: the "RAM sequential read" row.
void BM_Baseline_Xxh3_bytes(benchmark::State& state, Bytes which) {
  const std::string_view bytes = Select(which);
  for (auto _ : state) {
    uint64_t h = XXH3_64bits(bytes.data(), bytes.size());
    benchmark::DoNotOptimize(h);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes.size());
}
BENCHMARK_CAPTURE(BM_Baseline_Xxh3_bytes, jsonl, Bytes::kJsonl);
BENCHMARK_CAPTURE(BM_Baseline_Xxh3_bytes, text, Bytes::kText);

// Counts lines with memchr: what line framing costs at the least.
void BM_Baseline_MemchrNewline_bytes(benchmark::State& state, Bytes which) {
  const std::string_view bytes = Select(which);
  for (auto _ : state) {
    size_t lines = 0;
    const char* p = bytes.data();
    const char* end = p + bytes.size();
    while (const void* nl = std::memchr(p, '\n', end - p)) {
      ++lines;
      p = static_cast<const char*>(nl) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes.size());
}
BENCHMARK_CAPTURE(BM_Baseline_MemchrNewline_bytes, jsonl, Bytes::kJsonl);
BENCHMARK_CAPTURE(BM_Baseline_MemchrNewline_bytes, text, Bytes::kText);

// The floor: words + XXH3 per word + XXH3 per 5-word shingle, one thread.
void BM_Floor_Words5ShingleXxh3_bytes(benchmark::State& state, Bytes which) {
  const std::string_view bytes = Select(which);
  uint64_t shingles = 0;
  for (auto _ : state) {
    FloorResult r = FloorPass(bytes);
    benchmark::DoNotOptimize(r);
    shingles += r.shingles;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes.size());
  state.SetItemsProcessed(static_cast<int64_t>(shingles));
}
BENCHMARK_CAPTURE(BM_Floor_Words5ShingleXxh3_bytes, jsonl, Bytes::kJsonl);
BENCHMARK_CAPTURE(BM_Floor_Words5ShingleXxh3_bytes, text, Bytes::kText);

}  // namespace
}  // namespace dedup::bench
