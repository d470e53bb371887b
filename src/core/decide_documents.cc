// File: core/decide_documents.cc
// DecideDocuments (core/pipeline.h): every document's fingerprints in,
// keep/drop and removed ranges out. The steps, in order:
//   1. where each occurrence's line sketch keeps its shingles (looked up once)
//   2. story signatures, every candidate line in -> C1 clusters (stories)
//   3. block verdicts: distinct stories per candidate line (DecideBoilerplate)
//   4. which verdict, if any, removes each occurrence
//   5. final signatures, boilerplate lines out -> C2 clusters
//   6. which member of each C2 cluster is kept
//   7. block ids (in order of first occurrence) and removed ranges
#include <algorithm>
#include <memory>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/parallel.h"
#include "core/pipeline.h"
#include "core/stopwatch.h"

namespace dedup {
namespace {

constexpr size_t kChunkDocs = 64;  // documents per work item, as in the passes

// A document's full signature: its own part (the text outside candidate
// lines) plus the shingles of the distinct candidate lines it carries, less
// those a caller leaves out. Built for every document in parallel.
class SignatureBuilder {
 public:
  SignatureBuilder(const Fingerprints& fp, std::span<const uint32_t> noncand_sigs,
                   const std::vector<uint32_t>& occ_begin, const MinHasher& hasher, int num_perm, int threads)
      : fp_(fp),
        noncand_sigs_(noncand_sigs),
        occ_begin_(occ_begin),
        hasher_(hasher),
        k_(num_perm),
        threads_(threads),
        thread_lines_(threads) {}

  // Writes every document's finalised signature to sigs (which may be the
  // raw signatures themselves: each row is read before it is written) and
  // its shingle count to (*sizes)[d]. excluded(o): occurrence o stays out.
  template <typename Excluded>
  void Build(uint32_t* sigs, Excluded&& excluded, std::vector<uint64_t>* sizes) {
    const size_t n = fp_.size();
    sizes->resize(n);
    ParallelForChunks(n, kChunkDocs * 4, threads_, [&](size_t, size_t begin, size_t end, int t) {
      // The document's distinct candidate lines, by where their shingles
      // begin (one address per sketch key: its pass-2 thread's copy); the
      // count lies before them.
      std::vector<const uint64_t*>& lines = thread_lines_[t];
      // The sketches' shingles lie far apart: their loads are started a
      // document or two ahead.
      constexpr uint32_t kAhead = 16;  // occurrences
      const uint32_t occ_end = occ_begin_[end];
      const std::span<const BlockOccurrence> occurrences = fp_.occurrences;
      // Where each occurrence's shingles are, and how many (stored just
      // before them), pass 2 recorded: no sketch is looked up here.
      for (uint32_t o = occ_begin_[begin]; o < std::min(occ_begin_[begin] + kAhead, occ_end); ++o) {
        __builtin_prefetch(occurrences[o].sketch - 1);
      }
      for (size_t d = begin; d < end; ++d) {
        std::span<uint32_t> sig(sigs + d * k_, k_);
        if (sigs != noncand_sigs_.data()) std::copy_n(noncand_sigs_.data() + d * k_, k_, sig.begin());
        lines.clear();
        for (uint32_t o = occ_begin_[d]; o < occ_begin_[d + 1]; ++o) {
          if (o + kAhead < occ_end) __builtin_prefetch(occurrences[o + kAhead].sketch - 1);
          if (!excluded(o)) lines.push_back(occurrences[o].sketch);
        }
        std::sort(lines.begin(), lines.end());
        lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
        uint64_t size = fp_.noncand_sizes[d];
        for (const uint64_t* shingles : lines) {
          const uint32_t count = SketchCount(shingles);
          for (uint32_t j = 0; j < count; ++j) hasher_.AddPremixed(shingles[j], sig);
          size += count;
        }
        hasher_.Finalize(sig);
        (*sizes)[d] = size;
      }
    });
  }

 private:
  const Fingerprints& fp_;
  std::span<const uint32_t> noncand_sigs_;
  const std::vector<uint32_t>& occ_begin_;
  const MinHasher& hasher_;
  const size_t k_;
  const int threads_;
  std::vector<std::vector<const uint64_t*>> thread_lines_;
};

// Which boilerplate verdict removes each occurrence: the verdicts numbered
// (in no set order: block ids come from first occurrences later), the number
// per occurrence (kKept: none), and how many each document loses.
struct Removals {
  static constexpr uint32_t kKept = UINT32_MAX;
  std::vector<BlockVerdict> verdicts;
  std::vector<uint32_t> verdict_of;  // per occurrence
  std::vector<uint32_t> per_doc;
  bool removes(uint32_t o) const { return verdict_of[o] != kKept; }
};

// Template keys win over exact keys; links are removed only below the head
// lines, where a story's own headline never is. A line near the top of at
// least min_stories stories is a header; near the top of fewer, it is a
// title (listed under "Related stories" elsewhere) and stays.
Removals DecideRemovals(absl::flat_hash_map<uint64_t, BlockVerdict> verdicts,
                        std::span<const BlockOccurrence> occurrences, const std::vector<uint32_t>& occ_begin,
                        const BoilerplateOptions& options, int threads) {
  constexpr uint32_t kKept = Removals::kKept;
  const size_t n = occ_begin.size() - 1;
  Removals out;
  absl::flat_hash_map<uint64_t, uint32_t> verdict_index;
  verdict_index.reserve(verdicts.size());
  out.verdicts.reserve(verdicts.size());
  for (const auto& [key, verdict] : verdicts) {  // boilerplate keys only
    verdict_index.emplace(key, static_cast<uint32_t>(out.verdicts.size()));
    out.verdicts.push_back(verdict);
  }
  verdicts = {};
  out.verdict_of.assign(occurrences.size(), kKept);
  out.per_doc.assign(n, 0);
  if (out.verdicts.empty()) return out;
  auto boilerplate_verdict = [&](uint64_t key) -> uint32_t {
    if (key == 0) return kKept;
    const auto it = verdict_index.find(key);
    return it != verdict_index.end() ? it->second : kKept;
  };
  auto removing_verdict = [&](uint64_t key, const BlockOccurrence& occ) -> uint32_t {
    const uint32_t v = boilerplate_verdict(key);
    if (v == kKept) return kKept;
    return !occ.is_title || static_cast<int>(out.verdicts[v].title_stories) >= options.min_stories ? v : kKept;
  };
  ParallelForChunks(n, kChunkDocs * 16, threads, [&](size_t, size_t begin, size_t end, int) {
    constexpr size_t kAhead = 8;  // the verdicts are larger than the caches
    const uint32_t occ_end = occ_begin[end];
    for (size_t d = begin; d < end; ++d) {
      for (uint32_t o = occ_begin[d]; o < occ_begin[d + 1]; ++o) {
        if (o + kAhead < occ_end) {
          verdict_index.prefetch(occurrences[o + kAhead].key);
          verdict_index.prefetch(occurrences[o + kAhead].template_key);
        }
        const BlockOccurrence& occ = occurrences[o];
        uint32_t v = kKept;
        if (occ.template_kind == TemplateKind::kLink) {
          if (!occ.is_title) v = boilerplate_verdict(occ.template_key);
        } else {
          v = removing_verdict(occ.template_key, occ);
        }
        if (v == kKept) v = removing_verdict(occ.key, occ);
        out.verdict_of[o] = v;
        out.per_doc[d] += v != kKept;
      }
    }
  });
  return out;
}

// Fills result->docs' keep, dup_of and similarity, and the duplicate stats.
void ChooseKept(const ClusterAssignment& clusters, std::span<const uint32_t> sigs, int k,
                const std::vector<uint64_t>& sizes, const std::vector<uint64_t>& doc_bytes,
                const PipelineOptions& options, PipelineResult* result) {
  const size_t n = doc_bytes.size();
  std::vector<uint32_t> kept_of_rep(n);
  for (size_t d = 0; d < n; ++d) kept_of_rep[d] = static_cast<uint32_t>(d);
  if (options.keep == KeepPolicy::kLongest) {
    for (size_t d = 0; d < n; ++d) {
      const uint32_t rep = clusters.representative[d];
      if (doc_bytes[d] > doc_bytes[kept_of_rep[rep]]) kept_of_rep[rep] = static_cast<uint32_t>(d);
    }
  }
  result->docs.resize(n);
  std::vector<uint32_t> cluster_size(n, 0);
  for (size_t d = 0; d < n; ++d) {
    const uint32_t rep = clusters.representative[d];
    const uint32_t kept = kept_of_rep[rep];
    ++cluster_size[rep];
    DocumentDecision& dec = result->docs[d];
    dec.keep = kept == d;
    dec.dup_of = kept;
    if (dec.keep) {
      dec.similarity = 1.0f;
    } else if (kept == rep) {
      dec.similarity = clusters.similarity[d];
    } else {
      // keep=longest moved the keeper: report the estimate against it.
      const double j = EstimateJaccard(sigs.subspan(d * k, k), sigs.subspan(static_cast<size_t>(kept) * k, k));
      dec.similarity = static_cast<float>(
          j >= options.match.jaccard_threshold ? j : ContainmentFromJaccard(j, sizes[d], sizes[kept]));
    }
    if (!dec.keep) {
      ++result->stats.dropped;
      result->stats.duplicate_bytes += doc_bytes[d];
    }
  }
  for (size_t d = 0; d < n; ++d) result->stats.clusters_with_duplicates += cluster_size[d] > 1;
}

// Block ids in order of first occurrence, with their counts (one read of the
// removals), then each document's removed ranges, filled in parallel at
// offsets from the per-document counts.
void ListBlocksAndRanges(const Removals& removals, std::span<const BlockOccurrence> occurrences,
                         const std::vector<uint32_t>& occ_begin, int threads, PipelineResult* result) {
  constexpr uint32_t kKept = Removals::kKept;
  const size_t n = occ_begin.size() - 1;
  const size_t num_verdicts = removals.verdicts.size();
  // Each verdict's first removed occurrence and count, per thread over its
  // chunks (one thread's pass over every occurrence was a serial step of
  // ~0.05 s at 1 GB), then the earliest and the sum.
  const int workers = std::max(threads, 1);
  std::vector<std::vector<uint32_t>> thread_first(workers), thread_count(workers);
  ParallelForChunks(removals.verdict_of.size(), size_t{1} << 16, threads, [&](size_t, size_t begin, size_t end, int t) {
    std::vector<uint32_t>& first = thread_first[t];
    std::vector<uint32_t>& count = thread_count[t];
    if (first.empty()) {
      first.assign(num_verdicts, kKept);
      count.assign(num_verdicts, 0);
    }
    for (size_t o = begin; o < end; ++o) {
      const uint32_t v = removals.verdict_of[o];
      if (v == kKept) continue;
      first[v] = std::min(first[v], static_cast<uint32_t>(o));
      ++count[v];
    }
  });
  std::vector<uint32_t> first_removed(num_verdicts, kKept), removed_count(num_verdicts, 0);
  for (int t = 0; t < workers; ++t) {
    if (thread_first[t].empty()) continue;  // ran no chunk
    for (size_t v = 0; v < num_verdicts; ++v) {
      first_removed[v] = std::min(first_removed[v], thread_first[t][v]);
      removed_count[v] += thread_count[t][v];
    }
  }
  std::vector<uint32_t> by_first;
  for (uint32_t v = 0; v < num_verdicts; ++v) {
    if (first_removed[v] != kKept) by_first.push_back(v);
  }
  std::sort(by_first.begin(), by_first.end(),
            [&](uint32_t a, uint32_t b) { return first_removed[a] < first_removed[b]; });
  std::vector<uint32_t> block_of(num_verdicts, kKept);
  result->blocks.resize(by_first.size());
  for (uint32_t id = 0; id < by_first.size(); ++id) {
    const uint32_t v = by_first[id];
    const BlockOccurrence& first = occurrences[first_removed[v]];
    block_of[v] = id;
    BlockSummary& summary = result->blocks[id];
    summary.id = id;
    summary.stories = removals.verdicts[v].stories;
    summary.occurrences = removed_count[v];
    summary.first_doc = first.doc;
    summary.first_begin = first.begin;
    summary.first_end = first.next;
  }
  uint32_t removed_total = 0;
  for (size_t d = 0; d < n; ++d) {
    result->docs[d].removed_begin = removed_total;
    result->docs[d].removed_count = removals.per_doc[d];
    removed_total += removals.per_doc[d];
  }
  result->removed.resize(removed_total);
  std::vector<uint64_t> thread_boilerplate_bytes(std::max(threads, 1), 0);  // of kept documents
  ParallelForChunks(n, kChunkDocs * 16, threads, [&](size_t, size_t begin, size_t end, int t) {
    for (size_t d = begin; d < end; ++d) {
      const DocumentDecision& dec = result->docs[d];
      RemovedRange* out = result->removed.data() + dec.removed_begin;
      for (uint32_t o = occ_begin[d]; o < occ_begin[d + 1]; ++o) {
        const uint32_t v = removals.verdict_of[o];
        if (v == kKept) continue;
        const BlockOccurrence& occ = occurrences[o];
        *out++ = {occ.begin, occ.next, block_of[v], removals.verdicts[v].stories};
        if (dec.keep) thread_boilerplate_bytes[t] += occ.next - occ.begin;
      }
    }
  });
  for (const uint64_t bytes : thread_boilerplate_bytes) result->stats.boilerplate_bytes += bytes;
  result->stats.boilerplate_blocks = result->blocks.size();
}

}  // namespace

PipelineResult DecideDocuments(Fingerprints fp, const PipelineOptions& options, PipelineProgress* progress) {
  const size_t n = fp.size();
  const int k = options.num_perm;
  const int threads = options.threads;
  PipelineResult result;
  result.stats.documents = n;
  result.stats.candidate_lines = fp.sketches.size();
  for (size_t d = 0; d < n; ++d) result.stats.input_bytes += fp.doc_bytes[d];
  if (progress != nullptr) progress->phase = 3;
  Stopwatch cluster;
  const std::span<const BlockOccurrence> occurrences = fp.occurrences;
  const std::vector<uint32_t> occ_begin = OccurrenceOffsets(occurrences, n);
  // The raw signatures of the text outside candidate lines become the final
  // signatures, in place, once nothing else needs them.
  uint32_t* const sigs = fp.noncand_sigs.data();
  const MinHasher hasher(options.scheme, k, options.seed);
  Stopwatch step;
  SignatureBuilder signatures(fp, fp.noncand_sigs, occ_begin, hasher, k, threads);
  std::vector<uint64_t> sizes;
  const LshParams lsh = options.EffectiveLsh();
  result.stats.lsh = lsh;

  absl::flat_hash_map<uint64_t, BlockVerdict> verdicts;
  if (!occurrences.empty()) {
    // Every value is written by Build: no zero fill.
    auto story_sigs = std::make_unique_for_overwrite<uint32_t[]>(n * k);
    signatures.Build(story_sigs.get(), [](uint32_t) { return false; }, &sizes);
    result.stats.story_clustering.signatures = step.Seconds();
    // Stories only feed the block counts: banding at the Jaccard threshold
    // (a third of the bands of the containment-aware banding) is enough.
    const LshParams story_lsh =
        options.lsh.bands > 0 ? lsh : ChooseLshParams(options.match.jaccard_threshold, options.num_perm);
    const ClusterAssignment stories =
        ClusterDocuments(std::span(story_sigs.get(), n * k), k, sizes, story_lsh, options.match, threads,
                         QuickRejection::kAuto, fp.source);
    story_sigs.reset();
    result.stats.story_clustering.steps = stories.seconds;
    result.stats.story_clustering.verified_pairs = stories.verified_pairs;
    result.stats.seconds_cluster += cluster.Seconds();
    const Stopwatch blocks;
    verdicts = DecideBoilerplate(occurrences, occ_begin, stories.representative, fp.source, options.blocks, threads);
    result.stats.seconds_blocks = blocks.Seconds();
    cluster.Restart();
  }
  const Removals removals = DecideRemovals(std::move(verdicts), occurrences, occ_begin, options.blocks, threads);

  ClusterAssignment clusters;
  if (options.dedup) {
    step.Restart();
    signatures.Build(sigs, [&](uint32_t o) { return removals.removes(o); }, &sizes);
    result.stats.final_clustering.signatures = step.Seconds();
    clusters = ClusterDocuments(std::span<const uint32_t>(sigs, n * k), k, sizes, lsh, options.match, threads,
                                QuickRejection::kAuto, fp.source);
    result.stats.final_clustering.steps = clusters.seconds;
    result.stats.final_clustering.verified_pairs = clusters.verified_pairs;
  } else {
    clusters.representative.resize(n);
    for (size_t d = 0; d < n; ++d) clusters.representative[d] = static_cast<uint32_t>(d);
    clusters.similarity.assign(n, 1.0f);
  }
  result.stats.seconds_cluster += cluster.Seconds();

  ChooseKept(clusters, std::span<const uint32_t>(sigs, n * k), k, sizes, fp.doc_bytes, options, &result);
  ListBlocksAndRanges(removals, occurrences, occ_begin, threads, &result);
  return result;
}

}  // namespace dedup
