#include "core/cluster.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>

#include "core/minhash.h"

namespace dedup {

namespace {

// The similarity MatchSimilarity gives for a Jaccard estimate.
double SimilarityFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b, const MatchOptions& options) {
  if (jaccard >= options.jaccard_threshold) return jaccard;
  if (options.containment > 1.0) return -1.0;
  const double ratio = static_cast<double>(std::min(size_a, size_b)) /
                       static_cast<double>(std::max<uint64_t>(1, std::max(size_a, size_b)));
  if (ratio < options.min_length_ratio) return -1.0;
  const double containment = ContainmentFromJaccard(jaccard, size_a, size_b);
  return containment >= options.containment ? containment : -1.0;
}

// One byte per signature value, from all of its bits (the low bits of a
// one-permutation value are its bin). Equal values give equal bytes, so the
// share of equal bytes bounds the Jaccard estimate from above, and a quarter
// of the signature's cache lines decide most candidate pairs: those that are
// not duplicates, which are nearly all when a site's pages share a template.
uint8_t ValueByte(uint32_t value) { return static_cast<uint8_t>((value * 0x9E3779B1u) >> 24); }

void SignatureBytes(const uint32_t* sig, int num_perm, uint8_t* out) {
  for (int v = 0; v < num_perm; ++v) out[v] = ValueByte(sig[v]);
}

// Eight bytes at a time: a byte of a ^ b is zero where they are equal.
uint32_t CountEqualBytes(const uint8_t* a, const uint8_t* b, int n) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  uint32_t differ = 0;
  int v = 0;
  for (; v + 8 <= n; v += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + v, 8);
    std::memcpy(&y, b + v, 8);
    const uint64_t d = x ^ y;
    const uint64_t nonzero = ((((d & kLow7) + kLow7) | d) >> 7) & kOnes;  // 1 per differing byte
    differ += static_cast<uint32_t>((nonzero * kOnes) >> 56);            // their sum, at most 8
  }
  for (; v < n; ++v) differ += a[v] != b[v];
  return static_cast<uint32_t>(n) - differ;
}

// Whether a pair whose signatures agree in at most `equal` of num_perm
// values may pass SimilarityFromJaccard: false only when even that bound,
// plus half a value, fails. The half value dwarfs rounding, so the answer
// never contradicts the exact test; written without division, as it runs
// for every candidate pair.
bool MayMatch(uint32_t equal, int num_perm, uint64_t size_a, uint64_t size_b, const MatchOptions& options) {
  const double bound = static_cast<double>(equal) + 0.5;  // Jaccard bound, times num_perm
  if (bound >= options.jaccard_threshold * num_perm) return true;
  if (options.containment > 1.0) return false;
  const double smaller = static_cast<double>(std::min(size_a, size_b));
  const double larger = static_cast<double>(std::max<uint64_t>(1, std::max(size_a, size_b)));
  if (smaller < options.min_length_ratio * larger * (1.0 - 1e-9)) return false;
  // containment = J (a + b) / ((1 + J) smaller) >= c  <=>  J (a + b - c smaller) >= c smaller
  const double c_smaller = options.containment * smaller;
  const double sum = static_cast<double>(size_a) + static_cast<double>(size_b);
  return bound * (sum - c_smaller) >= c_smaller * num_perm;
}

}  // namespace

double MatchSimilarity(const uint32_t* a, const uint32_t* b, int num_perm, uint64_t size_a,
                       uint64_t size_b, const MatchOptions& options) {
  return SimilarityFromJaccard(EstimateJaccard(std::span(a, num_perm), std::span(b, num_perm)), size_a, size_b,
                               options);
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
  // Representatives' signature bytes (rows written as they enter the index).
  const auto rep_bytes = std::make_unique_for_overwrite<uint8_t[]>(n * num_perm);
  std::vector<uint8_t> bytes(num_perm);
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
      const uint8_t* rep_row = rep_bytes.get() + static_cast<size_t>(rep) * num_perm;
      for (int v = 0; v < num_perm; v += 64) __builtin_prefetch(rep_row + v);
      __builtin_prefetch(&sizes[rep]);
    });
    out.verified_pairs += candidates.size();
    const uint32_t* sig = sigs.data() + i * num_perm;
    SignatureBytes(sig, num_perm, bytes.data());
    double best = -1.0;
    uint32_t best_rep = UINT32_MAX;
    for (const uint32_t rep : candidates) {
      const uint8_t* rep_row = rep_bytes.get() + static_cast<size_t>(rep) * num_perm;
      const uint32_t equal_bytes = CountEqualBytes(bytes.data(), rep_row, num_perm);
      if (!MayMatch(equal_bytes, num_perm, sizes[i], sizes[rep], options)) continue;
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
      std::copy(bytes.begin(), bytes.end(), rep_bytes.get() + i * num_perm);
    }
  }
  return out;
}

}  // namespace dedup
