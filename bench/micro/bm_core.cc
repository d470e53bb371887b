// File: bench/micro/bm_core.cc
// Core stages, each over the shared input (bench_input.h) with the previous
// stage's output precomputed: tokenise -> hash 5-token shingles -> MinHash
// signature (OPH and classic, K = 128) -> LSH insert/query -> clustering ->
// boilerplate decision. Bytes are always the decoded text bytes the stage
// stands for, so MB/s compares with the "text" baselines in bm_baseline.cc.
// LSH and clustering report docs/s; equiv_MB/s converts that at the
// input's mean document size.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "bench_input.h"
#include "core/boilerplate.h"
#include "core/cluster.h"
#include "core/distinct_counter.h"
#include "core/hash.h"
#include "core/key_counter.h"
#include "core/key_groups.h"
#include "core/lsh.h"
#include "core/minhash.h"
#include "core/parallel.h"
#include "core/pipeline.h"
#include "core/tokenize.h"

namespace dedup::bench {
namespace {

constexpr int kNumPerm = 128;
constexpr uint32_t kWidth = 5;

int64_t TextBytes() { return static_cast<int64_t>(GetBenchInput().texts.size()); }

void SetEquivalentMBps(benchmark::State& state, double docs_per_iteration) {
  state.counters["equiv_MB/s"] = benchmark::Counter(docs_per_iteration * GetBenchInput().mean_doc_bytes / 1e6,
                                                    benchmark::Counter::kIsIterationInvariantRate);
}

// Shingle hashes of every document (the pipeline's 5-token windows over the
// unfolded token hashes) and the flat index of each document's first one.
struct Shingles {
  std::vector<uint64_t> hashes;
  std::vector<size_t> begin;  // size docs + 1
};

const Shingles& GetShingles() {
  static const Shingles* shingles = [] {
    auto* s = new Shingles;
    s->begin.push_back(0);
    for (const TokenStream& ts : GetBenchInput().tokens) {
      const uint32_t n = static_cast<uint32_t>(ts.hashes.size());
      if (n > 0 && n < kWidth) s->hashes.push_back(HashShingle(ts.hashes.data(), n));
      for (uint32_t j = 0; j + kWidth <= n; ++j) s->hashes.push_back(HashShingle(ts.hashes.data() + j, kWidth));
      s->begin.push_back(s->hashes.size());
    }
    return s;
  }();
  return *shingles;
}

// Finalised OPH signatures (docs x K) and distinct-shingle counts.
struct Signatures {
  std::vector<uint32_t> sigs;
  std::vector<uint64_t> sizes;
};

const Signatures& GetSignatures() {
  static const Signatures* signatures = [] {
    auto* out = new Signatures;
    const Shingles& sh = GetShingles();
    const size_t n = sh.begin.size() - 1;
    const MinHasher hasher(MinHashScheme::kOnePermutation, kNumPerm, PipelineOptions{}.seed);
    out->sigs.resize(n * kNumPerm);
    out->sizes.resize(n);
    absl::flat_hash_set<uint64_t> distinct;
    for (size_t d = 0; d < n; ++d) {
      std::span<uint32_t> sig(out->sigs.data() + d * kNumPerm, kNumPerm);
      hasher.Reset(sig);
      distinct.clear();
      for (size_t i = sh.begin[d]; i < sh.begin[d + 1]; ++i) {
        hasher.Add(sh.hashes[i], sig);
        distinct.insert(sh.hashes[i]);
      }
      hasher.Finalize(sig);
      out->sizes[d] = distinct.size();
    }
    return out;
  }();
  return *signatures;
}

LshParams DefaultLsh() { return PipelineOptions{}.EffectiveLsh(); }

// ---- Tokenise, shingle, sign ------------------------------------------------

// The tokeniser with reused output, items = tokens. /0: Tokenize (normalise,
// split, hash per token, line spans with their hashes), byte-at-a-time path
// only; /1: the same on 64-byte windows (AVX2 or SSE2 as the CPU allows), the
// default; /2: TokenizeLines, what pass 1 runs (lines and their hashes, no
// token hashes), 64-byte windows, each window's line text made by one
// byte compress where the CPU has AVX-512 VBMI2 (else as /4); /3:
// TokenizeHashesOnly, what pass 2 runs (token hashes, no lines), 64-byte
// windows, eight token hashes at a time on such CPUs; /4: TokenizeLines,
// 64-byte windows, a step per token.
void BM_Tokenize_bytes(benchmark::State& state) {
  const BenchInput& input = GetBenchInput();
  const int64_t mode = state.range(0);
  Tokenizer tokenizer(mode == 0   ? TokenizerPath::kBytes
                      : mode == 4 ? TokenizerPath::kWindows
                                  : TokenizerPath::kBest);
  TokenStream out;
  size_t tokens = 0;
  for (auto _ : state) {
    for (const std::string_view doc : input.docs) {
      if (mode == 2 || mode == 4) {
        tokenizer.TokenizeLines(doc, &out);
      } else if (mode == 3) {
        tokenizer.TokenizeHashesOnly(doc, &out);
        tokens += out.hashes.size();  // (no lines)
        continue;
      } else {
        tokenizer.Tokenize(doc, &out);
      }
      tokens += out.lines.back().first_token + out.lines.back().num_tokens;
    }
    benchmark::DoNotOptimize(out.lines.data());
  }
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.SetItemsProcessed(static_cast<int64_t>(tokens));
}
BENCHMARK(BM_Tokenize_bytes)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->Arg(4)->Unit(benchmark::kMillisecond);

// HashShingle over every 5-token window.
void BM_HashShingles5_bytes(benchmark::State& state) {
  const BenchInput& input = GetBenchInput();
  size_t shingles = 0;
  for (auto _ : state) {
    uint64_t acc = 0;
    for (const TokenStream& ts : input.tokens) {
      const uint32_t n = static_cast<uint32_t>(ts.hashes.size());
      for (uint32_t j = 0; j + kWidth <= n; ++j) acc += HashShingle(ts.hashes.data() + j, kWidth);
      shingles += n >= kWidth ? n - kWidth + 1 : 0;
    }
    benchmark::DoNotOptimize(acc);
  }
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.SetItemsProcessed(static_cast<int64_t>(shingles));
}
BENCHMARK(BM_HashShingles5_bytes)->Unit(benchmark::kMillisecond);

// Reset + Add every shingle hash + Finalize, one signature per document, K = 128.
void BM_SignatureK128_bytes(benchmark::State& state, MinHashScheme scheme) {
  const Shingles& sh = GetShingles();
  const MinHasher hasher(scheme, kNumPerm, PipelineOptions{}.seed);
  std::vector<uint32_t> sig(kNumPerm);
  const size_t n = sh.begin.size() - 1;
  for (auto _ : state) {
    for (size_t d = 0; d < n; ++d) {
      hasher.Reset(sig);
      for (size_t i = sh.begin[d]; i < sh.begin[d + 1]; ++i) hasher.Add(sh.hashes[i], sig);
      hasher.Finalize(sig);
      benchmark::DoNotOptimize(sig.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sh.hashes.size()));
}
BENCHMARK_CAPTURE(BM_SignatureK128_bytes, oph, MinHashScheme::kOnePermutation)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_SignatureK128_bytes, classic, MinHashScheme::kClassic)->Unit(benchmark::kMillisecond);

// OPH densification alone, K = 128, on raw signatures with `filled` bins
// holding a value (the rest empty), 1024 of them with different bins filled;
// items = signatures. Pass 2 leaves most documents' own signatures with
// 0-90 empty bins (measured at 100 MB of generated news), and every
// signature is finalised twice (stories, then final clusters).
void BM_FinalizeK128_sigs(benchmark::State& state) {
  const int filled = static_cast<int>(state.range(0));
  const MinHasher hasher(MinHashScheme::kOnePermutation, kNumPerm, PipelineOptions{}.seed);
  constexpr int kSigs = 1024;
  std::vector<uint32_t> raw(static_cast<size_t>(kSigs) * kNumPerm, kEmptyBin);
  uint64_t x = 1;
  for (int s = 0; s < kSigs; ++s) {
    std::vector<int> bins(kNumPerm);
    for (int b = 0; b < kNumPerm; ++b) bins[b] = b;
    for (int f = 0; f < filled; ++f) {  // a partial Fisher-Yates shuffle picks the bins
      x = Mix64(x);
      std::swap(bins[f], bins[f + static_cast<int>(x % static_cast<uint64_t>(kNumPerm - f))]);
      raw[static_cast<size_t>(s) * kNumPerm + bins[f]] = static_cast<uint32_t>(x >> 32) & 0x7fffffff;
    }
  }
  std::vector<uint32_t> sig(kNumPerm);
  for (auto _ : state) {
    for (int s = 0; s < kSigs; ++s) {
      std::copy_n(raw.begin() + static_cast<size_t>(s) * kNumPerm, kNumPerm, sig.begin());
      hasher.Finalize(sig);
      benchmark::DoNotOptimize(sig.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kSigs);
}
BENCHMARK(BM_FinalizeK128_sigs)->ArgName("filled")->Arg(1)->Arg(8)->Arg(16)->Arg(32)->Arg(64)->Arg(96)->Arg(120);

// The per-document distinct-shingle count kept beside the signature, exactly:
// an absl::flat_hash_set insert per shingle, cleared per document (what the
// pipeline did before ab13d8f).
void BM_DistinctShingleSet_bytes(benchmark::State& state) {
  const Shingles& sh = GetShingles();
  absl::flat_hash_set<uint64_t> distinct;
  const size_t n = sh.begin.size() - 1;
  for (auto _ : state) {
    for (size_t d = 0; d < n; ++d) {
      distinct.clear();
      for (size_t i = sh.begin[d]; i < sh.begin[d + 1]; ++i) distinct.insert(sh.hashes[i]);
      benchmark::DoNotOptimize(distinct.size());
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sh.hashes.size()));
}
BENCHMARK(BM_DistinctShingleSet_bytes)->Unit(benchmark::kMillisecond);

// The same count by linear counting (core/distinct_counter.h), as the
// pipeline does it now: Reset per document, one bit set per shingle.
void BM_DistinctShingleLinearCounting_bytes(benchmark::State& state) {
  const Shingles& sh = GetShingles();
  DistinctCounter distinct;
  const size_t n = sh.begin.size() - 1;
  for (auto _ : state) {
    for (size_t d = 0; d < n; ++d) {
      distinct.Reset(sh.begin[d + 1] - sh.begin[d]);
      for (size_t i = sh.begin[d]; i < sh.begin[d + 1]; ++i) distinct.Add(sh.hashes[i]);
      benchmark::DoNotOptimize(distinct.Estimate());
    }
  }
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * sh.hashes.size()));
}
BENCHMARK(BM_DistinctShingleLinearCounting_bytes)->Unit(benchmark::kMillisecond);

// ---- Line counting -------------------------------------------------------------

// Pass 1's counter updates at the 1 GB corpus's scale: a table sized as for
// 1 GB of input (LineCounterKeys), 10M keys a third of which repeat, added
// in batches of 16 prefetched first, as CountLines does per document.
// Arg: the largest count told apart (15: 4-bit counters, 255: 8-bit).
void BM_KeyCounterAdd_keys(benchmark::State& state) {
  constexpr size_t kKeys = 10'000'000, kBatch = 16;
  std::vector<uint64_t> keys(kKeys);
  for (size_t i = 0; i < kKeys; ++i) keys[i] = i % 3 == 0 ? Mix64(i % 100'000 + 1) : Mix64(kKeys + i);
  KeyCounter counter(LineCounterKeys(uint64_t{1'000'000'000}), static_cast<uint32_t>(state.range(0)));
  for (const uint64_t key : keys) counter.Add(key);  // every page faulted in before timing
  for (auto _ : state) {
    for (size_t b = 0; b < kKeys; b += kBatch) {
      for (size_t i = b; i < b + kBatch; ++i) counter.Prefetch(keys[i]);
      for (size_t i = b; i < b + kBatch; ++i) counter.Add(keys[i]);
    }
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kKeys));
  state.counters["table_MiB"] = static_cast<double>(counter.RawCounters().size()) / (1 << 20);
}
BENCHMARK(BM_KeyCounterAdd_keys)->ArgName("count_up_to")->Arg(15)->Arg(255)->Unit(benchmark::kMillisecond);

// ---- LSH ----------------------------------------------------------------------

// Every document into a fresh FixedLshIndex (default banding): band keys
// hashed and grouped, then one Insert per document.
void BM_LshInsert_docs(benchmark::State& state) {
  const Signatures& s = GetSignatures();
  const LshParams lsh = DefaultLsh();
  const size_t n = s.sizes.size();
  for (auto _ : state) {
    FixedLshIndex index(s.sigs, kNumPerm, lsh);  // band keys hashed and grouped
    for (size_t d = 0; d < n; ++d) index.Insert(static_cast<uint32_t>(d));
    benchmark::DoNotOptimize(&index);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  SetEquivalentMBps(state, static_cast<double>(n));
  state.counters["bands"] = lsh.bands;
  state.counters["rows"] = lsh.rows;
}
BENCHMARK(BM_LshInsert_docs)->Unit(benchmark::kMillisecond);

// One band's keys grouped, at the 1 GB and 4 GB corpora's document counts:
// half the keys shared by two or so documents (as near-duplicates' bands
// are), the rest held by one.
void BM_GroupEqualKeys_keys(benchmark::State& state) {
  const size_t kKeys = static_cast<size_t>(state.range(0));
  std::vector<uint64_t> keys(kKeys);
  for (size_t i = 0; i < kKeys; ++i) {
    const uint64_t r = Mix64(i + 1);
    keys[i] = r % 2 == 0 ? Mix64((r >> 1) % (kKeys / 4)) : Mix64(kKeys + i);
  }
  std::vector<uint32_t> groups(kKeys);
  KeyGroupScratch scratch;
  uint32_t ids = 0;
  for (auto _ : state) {
    ids = GroupEqualKeys(keys, groups.data(), &scratch);
    benchmark::DoNotOptimize(groups.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kKeys));
  state.counters["groups"] = ids;
}
BENCHMARK(BM_GroupEqualKeys_keys)->Arg(511132)->Arg(2044528)->Unit(benchmark::kMillisecond);

// Every document queried against an index holding all of them.
void BM_LshQuery_docs(benchmark::State& state) {
  const Signatures& s = GetSignatures();
  const LshParams lsh = DefaultLsh();
  const size_t n = s.sizes.size();
  FixedLshIndex index(s.sigs, kNumPerm, lsh);
  for (size_t d = 0; d < n; ++d) index.Insert(static_cast<uint32_t>(d));
  size_t reported = 0;
  for (auto _ : state) {
    for (size_t d = 0; d < n; ++d) index.Query(static_cast<uint32_t>(d), [&](uint32_t) { ++reported; });
    benchmark::DoNotOptimize(reported);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  SetEquivalentMBps(state, static_cast<double>(n));
  state.counters["reported_per_query"] = static_cast<double>(reported) / (state.iterations() * n);
}
BENCHMARK(BM_LshQuery_docs)->Unit(benchmark::kMillisecond);

// ---- Clustering ---------------------------------------------------------------

std::vector<uint32_t> RandomSignatures(size_t n, uint64_t seed) {
  std::vector<uint32_t> sigs(n * kNumPerm);
  uint64_t state = seed;
  for (uint32_t& v : sigs) {
    state += 0x9e3779b97f4a7c15ULL;
    v = static_cast<uint32_t>(Mix64(state)) & 0x7fffffffu;
  }
  return sigs;
}

// The index's construction alone (band keys hashed, then grouped) over the
// 1 GB corpus's document count, on 1 and 2 threads: every other signature
// is its predecessor with about a third of its values changed, so that
// about a third of the bands are shared, as near-duplicates' are.
void BM_FixedLshIndexBuild_docs(benchmark::State& state) {
  constexpr size_t kDocs = 511132;
  static const std::vector<uint32_t>* sigs = [] {
    auto* out = new std::vector<uint32_t>(RandomSignatures(kDocs, 11));
    for (size_t d = 1; d < kDocs; d += 2) {
      for (size_t v = 0; v < kNumPerm; ++v) {
        if (Mix64(d * kNumPerm + v) % 3 != 0) (*out)[d * kNumPerm + v] = (*out)[(d - 1) * kNumPerm + v];
      }
    }
    return out;
  }();
  const int threads = static_cast<int>(state.range(0));
  size_t buckets = 0;
  for (auto _ : state) {
    const FixedLshIndex index(*sigs, kNumPerm, DefaultLsh(), threads);
    buckets = index.num_buckets();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kDocs));
  state.counters["buckets"] = static_cast<double>(buckets);
}
BENCHMARK(BM_FixedLshIndexBuild_docs)->ArgName("threads")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void RunCluster(benchmark::State& state, const std::vector<uint32_t>& sigs, size_t n) {
  const std::vector<uint64_t> sizes(n, 300);
  const LshParams lsh = DefaultLsh();
  const MatchOptions match;
  size_t clusters = 0;
  for (auto _ : state) {
    const ClusterAssignment a = ClusterDocuments(sigs, kNumPerm, sizes, lsh, match);
    clusters = 0;
    for (size_t i = 0; i < n; ++i) clusters += a.representative[i] == i;
    benchmark::DoNotOptimize(a.representative.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  SetEquivalentMBps(state, static_cast<double>(n));
  state.counters["clusters"] = static_cast<double>(clusters);
  state.SetComplexityN(static_cast<int64_t>(n));
}

// N unrelated documents: every query misses, every document is inserted.
void BM_Cluster_RandomSigs_docs(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  RunCluster(state, RandomSignatures(n, 1), n);
}
BENCHMARK(BM_Cluster_RandomSigs_docs)->ArgName("docs")->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

// N identical documents: one representative, every query verifies one.
void BM_Cluster_AllDuplicates_docs(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint32_t> sigs = RandomSignatures(1, 2);
  sigs.resize(n * kNumPerm);
  for (size_t i = 1; i < n; ++i) std::copy_n(sigs.begin(), kNumPerm, sigs.begin() + i * kNumPerm);
  RunCluster(state, sigs, n);
}
BENCHMARK(BM_Cluster_AllDuplicates_docs)->ArgName("docs")->Arg(100000)->Unit(benchmark::kMillisecond);

// N documents that agree on the first band only (estimated Jaccard about
// rows/K, no match): each becomes a representative in the same bucket, so
// document i verifies i - 1 earlier ones. The adversarial case: quadratic.
void BM_Cluster_OneSharedBucket_docs(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<uint32_t> sigs = RandomSignatures(n, 3);
  const int rows = DefaultLsh().rows;
  for (size_t i = 1; i < n; ++i) std::copy_n(sigs.begin(), rows, sigs.begin() + i * kNumPerm);
  RunCluster(state, sigs, n);
}
BENCHMARK(BM_Cluster_OneSharedBucket_docs)
    ->ArgName("docs")
    ->RangeMultiplier(2)
    ->Range(1000, 8000)
    ->Complexity()
    ->Unit(benchmark::kMillisecond);

// The input's real signatures: news-like duplicate rates.
void BM_Cluster_NewsSigs_docs(benchmark::State& state) {
  const Signatures& s = GetSignatures();
  const size_t n = s.sizes.size();
  const LshParams lsh = DefaultLsh();
  const MatchOptions match;
  for (auto _ : state) {
    const ClusterAssignment a = ClusterDocuments(s.sigs, kNumPerm, s.sizes, lsh, match);
    benchmark::DoNotOptimize(a.representative.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  SetEquivalentMBps(state, static_cast<double>(n));
}
BENCHMARK(BM_Cluster_NewsSigs_docs)->Unit(benchmark::kMillisecond);

// 40,000 pages of one site, each a shared 30-shingle template and 70 of its
// own (every seventh repeats the one before): with the containment-aware
// banding nearly every pair shares a band (what --no-boilerplate meets on
// news), few match. Args: threads, and whether candidates are first
// compared on one byte per value (kAuto) or always on whole signatures.
void BM_Cluster_TemplatePages_docs(benchmark::State& state) {
  constexpr size_t kPages = 40000;
  static const auto* pages = [] {
    auto* p = new std::pair<std::vector<uint32_t>, std::vector<uint64_t>>;
    const MinHasher hasher(MinHashScheme::kOnePermutation, kNumPerm, PipelineOptions{}.seed);
    std::vector<uint32_t> sig(kNumPerm);
    for (size_t d = 0; d < kPages; ++d) {
      const uint64_t text = d % 7 == 3 ? d - 1 : d;
      hasher.Reset(sig);
      for (uint64_t x = 0; x < 30; ++x) hasher.Add(Mix64(x), sig);
      for (uint64_t x = 0; x < 70; ++x) hasher.Add(Mix64((text + 1) << 8 | x), sig);
      hasher.Finalize(sig);
      p->first.insert(p->first.end(), sig.begin(), sig.end());
      p->second.push_back(100);
    }
    return p;
  }();
  const int threads = static_cast<int>(state.range(0));
  const QuickRejection quick = state.range(1) != 0 ? QuickRejection::kAuto : QuickRejection::kNever;
  const LshParams lsh = PipelineOptions{}.EffectiveLsh();
  uint64_t pairs = 0;
  for (auto _ : state) {
    const ClusterAssignment a = ClusterDocuments(pages->first, kNumPerm, pages->second, lsh, MatchOptions{}, threads, quick);
    pairs = a.verified_pairs;
    benchmark::DoNotOptimize(a.representative.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kPages));
  state.counters["pairs_per_doc"] = static_cast<double>(pairs) / kPages;
}
BENCHMARK(BM_Cluster_TemplatePages_docs)
    ->ArgNames({"threads", "quick"})
    ->Args({1, 0})
    ->Args({1, 1})
    ->Args({2, 0})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond);

// What one parallel loop costs beyond its work: clustering runs two per 8192
// documents (130 at 1 GB, each on every thread), so on many cores starting
// the threads anew for each would add up. 32 chunks of nearly no work.
void BM_ParallelLoop_loops(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  std::vector<uint64_t> sums(32);
  for (auto _ : state) {
    ParallelForChunks(sums.size(), 1, threads, [&](size_t c, size_t, size_t, int) { sums[c] += Mix64(c); });
    benchmark::DoNotOptimize(sums.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParallelLoop_loops)->ArgName("threads")->Arg(2)->Arg(16)->UseRealTime()->Unit(benchmark::kMicrosecond);

// ---- Boilerplate decision -----------------------------------------------------

// Candidate-line occurrences much as pipeline pass 1/2 find them: lines whose
// folded-token key occurs in >= min_stories documents of their source. Exact
// keys only (template keys are left at 0, so this does not follow changes to
// their rules); stories come from clustering the real signatures.
struct BlockInput {
  std::vector<BlockOccurrence> occurrences;
  std::vector<uint32_t> occ_begin;  // OccurrenceOffsets
  std::vector<uint32_t> story;
  std::vector<uint32_t> source;
};

const BlockInput& GetBlockInput() {
  static const BlockInput* blocks = [] {
    const BenchInput& input = GetBenchInput();
    const BoilerplateOptions options;
    auto* out = new BlockInput;
    out->source = input.sources;
    auto line_key = [&](size_t d, const LineSpan& line) { return BlockKey(input.sources[d], line.folded_hash); };
    absl::flat_hash_map<uint64_t, uint32_t> counts;
    absl::flat_hash_set<uint64_t> seen;
    for (size_t d = 0; d < input.docs.size(); ++d) {
      seen.clear();
      for (const LineSpan& line : input.tokens[d].lines) {
        if (line.num_tokens > 0 && seen.insert(line_key(d, line)).second) ++counts[line_key(d, line)];
      }
    }
    for (size_t d = 0; d < input.docs.size(); ++d) {
      for (const LineSpan& line : input.tokens[d].lines) {
        if (line.num_tokens == 0) continue;
        const uint64_t key = line_key(d, line);
        if (static_cast<int>(counts[key]) < options.min_stories) continue;
        BlockOccurrence occ;
        occ.key = key;
        occ.doc = static_cast<uint32_t>(d);
        occ.begin = line.begin;
        occ.next = line.next;
        occ.num_tokens = static_cast<uint16_t>(line.num_tokens);
        out->occurrences.push_back(occ);
      }
    }
    const Signatures& s = GetSignatures();
    out->story = ClusterDocuments(s.sigs, kNumPerm, s.sizes, DefaultLsh(), MatchOptions{}).representative;
    out->occ_begin = OccurrenceOffsets(out->occurrences, input.docs.size());
    return out;
  }();
  return *blocks;
}

void BM_DecideBoilerplate_occurrences(benchmark::State& state) {
  const BlockInput& b = GetBlockInput();
  size_t boilerplate = 0;
  for (auto _ : state) {
    const auto verdicts = DecideBoilerplate(b.occurrences, b.occ_begin, b.story, b.source, BoilerplateOptions{});
    boilerplate = 0;
    for (const auto& [key, v] : verdicts) boilerplate += v.boilerplate;
    benchmark::DoNotOptimize(boilerplate);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * b.occurrences.size()));
  state.SetBytesProcessed(state.iterations() * TextBytes());
  state.counters["occurrences"] = static_cast<double>(b.occurrences.size());
  state.counters["boilerplate_keys"] = static_cast<double>(boilerplate);
}
BENCHMARK(BM_DecideBoilerplate_occurrences)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace dedup::bench
