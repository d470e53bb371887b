#include "core/cluster.h"

#include <algorithm>
#include <span>

#include "core/minhash.h"

namespace dedup {

double MatchSimilarity(const uint32_t* a, const uint32_t* b, int num_perm, uint64_t size_a,
                       uint64_t size_b, const MatchOptions& options) {
  const double jaccard = EstimateJaccard(std::span(a, num_perm), std::span(b, num_perm));
  if (jaccard >= options.jaccard_threshold) return jaccard;
  if (options.containment > 1.0) return -1.0;
  const double ratio = static_cast<double>(std::min(size_a, size_b)) /
                       static_cast<double>(std::max<uint64_t>(1, std::max(size_a, size_b)));
  if (ratio < options.min_length_ratio) return -1.0;
  const double containment = ContainmentFromJaccard(jaccard, size_a, size_b);
  return containment >= options.containment ? containment : -1.0;
}

ClusterAssignment ClusterDocuments(std::span<const uint32_t> sigs, int num_perm,
                                   const std::vector<uint64_t>& sizes, LshParams lsh,
                                   const MatchOptions& options, int threads) {
  const size_t n = sizes.size();
  ClusterAssignment out;
  out.representative.resize(n);
  out.similarity.assign(n, 1.0f);
  FixedLshIndex index(sigs.first(n * num_perm), num_perm, lsh, threads);
  // visited[rep] == i marks a representative already verified for document i.
  std::vector<uint32_t> visited(n, UINT32_MAX);
  std::vector<uint32_t> candidates;
  for (size_t i = 0; i < n; ++i) {
    out.representative[i] = static_cast<uint32_t>(i);
    // Bucket ids lie in one stream per band, too many for the hardware to
    // follow: fetch a few documents ahead (once per half cache line).
    constexpr size_t kAhead = 32;
    if (i % 8 == 0 && i + kAhead < n) index.Prefetch(static_cast<uint32_t>(i + kAhead));
    if (sizes[i] == 0) continue;
    // The candidates' signatures lie anywhere: collect them all and start
    // their loads before comparing. The best match does not depend on the
    // order of comparison.
    candidates.clear();
    index.Query(static_cast<uint32_t>(i), [&](uint32_t rep) {
      if (visited[rep] == i) return;
      visited[rep] = static_cast<uint32_t>(i);
      candidates.push_back(rep);
      const uint32_t* rep_sig = sigs.data() + static_cast<size_t>(rep) * num_perm;
      for (int v = 0; v < num_perm; v += 16) __builtin_prefetch(rep_sig + v);
    });
    out.verified_pairs += candidates.size();
    const uint32_t* sig = sigs.data() + i * num_perm;
    double best = -1.0;
    uint32_t best_rep = UINT32_MAX;
    for (const uint32_t rep : candidates) {
      const double s = MatchSimilarity(sig, sigs.data() + static_cast<size_t>(rep) * num_perm,
                                       num_perm, sizes[i], sizes[rep], options);
      if (s > best || (s == best && rep < best_rep)) {
        best = s;
        best_rep = rep;
      }
    }
    if (best_rep != UINT32_MAX && best >= 0.0) {
      out.representative[i] = best_rep;
      out.similarity[i] = static_cast<float>(best);
    } else {
      index.Insert(static_cast<uint32_t>(i));
    }
  }
  return out;
}

}  // namespace dedup
