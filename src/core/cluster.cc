#include "core/cluster.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <span>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/minhash.h"
#include "core/parallel.h"
#include "core/stamped_set.h"
#include "core/stopwatch.h"

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

namespace {

// Four bits per value of a finalised signature, two values a byte. Equal
// values give equal nibbles, so the share of equal nibbles bounds the
// Jaccard estimate from above: most candidate pairs are rejected from an
// eighth of the signatures' memory, one cache line at 128 values (those
// that are not duplicates, which are nearly all when a site's pages share a
// template). Unequal values share a nibble one time in 16, which loosens
// the bound by a few values. The low bits of a one-permutation value are
// its bin: all bits are mixed in.
size_t VerificationStride(int num_perm) { return (static_cast<size_t>(num_perm) + 1) / 2; }
void VerificationNibbles(const uint32_t* sig, int num_perm, uint8_t* out) {
  auto nibble = [](uint32_t value) { return static_cast<uint8_t>((value * 0x9E3779B1u) >> 28); };
  for (int v = 0; v + 1 < num_perm; v += 2) out[v / 2] = static_cast<uint8_t>(nibble(sig[v]) | nibble(sig[v + 1]) << 4);
  if (num_perm % 2 == 1) out[num_perm / 2] = nibble(sig[num_perm - 1]);  // the high nibble: 0 in every document
}

// How many of num_perm values may be equal: the nibbles that are. A nibble
// of a ^ b is zero where they are equal. Sixteen bytes at a time with SSE2
// (a pair's count was most of the work left once its line is in the
// caches), then eight.
uint32_t CountEqualNibbles(const uint8_t* a, const uint8_t* b, int num_perm) {
  constexpr uint64_t kLow3 = 0x7777777777777777ULL;
  constexpr uint64_t kNibbleOnes = 0x1111111111111111ULL;
  constexpr uint64_t kByteOnes = 0x0101010101010101ULL;
  const size_t n = VerificationStride(num_perm);
  uint32_t differ = 0;
  size_t v = 0;
#if defined(__SSE2__)
  {
    const __m128i low = _mm_set1_epi8(0x0F), high = _mm_set1_epi8(static_cast<char>(0xF0));
    const __m128i zero = _mm_setzero_si128();
    // Per byte, its equal nibbles summed over the blocks: at most 2 a block
    // and 32 blocks (1,024 values), so no byte overflows.
    __m128i equal = zero;
    uint32_t nibbles = 0;
    for (; v + 16 <= n; v += 16, nibbles += 32) {
      const __m128i d = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + v)),
                                      _mm_loadu_si128(reinterpret_cast<const __m128i*>(b + v)));
      equal = _mm_sub_epi8(equal, _mm_cmpeq_epi8(_mm_and_si128(d, low), zero));   // -1 where equal
      equal = _mm_sub_epi8(equal, _mm_cmpeq_epi8(_mm_and_si128(d, high), zero));
    }
    const __m128i sums = _mm_sad_epu8(equal, zero);  // the bytes' sums, one per half
    differ += nibbles - static_cast<uint32_t>(_mm_cvtsi128_si32(sums) + _mm_extract_epi16(sums, 4));
  }
#endif
  for (; v + 8 <= n; v += 8) {
    uint64_t x, y;
    std::memcpy(&x, a + v, 8);
    std::memcpy(&y, b + v, 8);
    const uint64_t d = x ^ y;
    const uint64_t nonzero = ((((d & kLow3) + kLow3) | d) >> 3) & kNibbleOnes;  // 1 per differing nibble
    // Summed as two sets of eight, low nibbles and high, so that no sum passes 8.
    differ += static_cast<uint32_t>(((nonzero & kByteOnes) * kByteOnes) >> 56);
    differ += static_cast<uint32_t>((((nonzero >> 4) & kByteOnes) * kByteOnes) >> 56);
  }
  for (; v < n; ++v) {
    const uint32_t d = a[v] ^ b[v];
    differ += static_cast<uint32_t>((d & 0x0F) != 0) + static_cast<uint32_t>((d >> 4) != 0);
  }
  return static_cast<uint32_t>(num_perm) - differ;
}

// Whether a pair whose signatures agree in at most `equal` of num_perm
// values may pass MatchSimilarity: false only when even that bound,
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

// The best representative offered so far: the highest similarity, then the
// lowest index, so the order of the offers does not matter.
struct BestMatch {
  double similarity = -1.0;
  uint32_t rep = UINT32_MAX;
  void Offer(double s, uint32_t r) {
    if (s > similarity || (s == similarity && r < rep)) {
      similarity = s;
      rep = r;
    }
  }
  bool found() const { return rep != UINT32_MAX && similarity >= 0.0; }
};

// Compares documents with the candidate representatives the index reports;
// one per thread.
class CandidateVerifier {
 public:
  CandidateVerifier(std::span<const uint32_t> sigs, int num_perm, const std::vector<uint64_t>& sizes,
                    const MatchOptions& options)
      : sigs_(sigs), num_perm_(num_perm), sizes_(sizes), options_(options) {}

  // Each document's VerificationNibbles, from now on (null: none).
  void UseNibbles(const uint8_t* sig_nibbles) { sig_nibbles_ = sig_nibbles; }

  // Offers document i each distinct representative that query(fn) reports
  // and that matches it; returns how many it compared.
  template <typename Query>
  uint64_t Verify(uint32_t i, Query&& query, BestMatch* best) {
    // The candidates lie anywhere: collect them all and start their loads
    // before comparing (hundreds in flight at once beat a few started
    // ahead of the comparing: 5.8 against 8.8 s with --no-boilerplate at
    // 1 GB).
    candidates_.Start();
    query([&](uint32_t rep) {
      if (!candidates_.Add(rep)) return;
      if (sig_nibbles_ != nullptr) {
        for (size_t b = 0; b < stride_; b += 64) __builtin_prefetch(Nibbles(rep) + b);
      } else {
        for (int v = 0; v < num_perm_; v += 16) __builtin_prefetch(Signature(rep) + v);
      }
      __builtin_prefetch(&sizes_[rep]);
    });
    const uint32_t* sig = Signature(i);
    for (const uint32_t rep : candidates_.keys()) {
      if (sig_nibbles_ != nullptr &&
          !MayMatch(CountEqualNibbles(Nibbles(i), Nibbles(rep), num_perm_), num_perm_, sizes_[i], sizes_[rep],
                    options_))
        continue;
      best->Offer(MatchSimilarity(sig, Signature(rep), num_perm_, sizes_[i], sizes_[rep], options_), rep);
    }
    return candidates_.keys().size();
  }

 private:
  const uint32_t* Signature(uint32_t doc) const { return sigs_.data() + static_cast<size_t>(doc) * num_perm_; }
  const uint8_t* Nibbles(uint32_t doc) const { return sig_nibbles_ + static_cast<size_t>(doc) * stride_; }

  std::span<const uint32_t> sigs_;
  int num_perm_;
  const std::vector<uint64_t>& sizes_;
  const MatchOptions& options_;
  const size_t stride_ = VerificationStride(num_perm_);
  const uint8_t* sig_nibbles_ = nullptr;
  StampedSet<uint32_t> candidates_;  // the document's, each once
};

}  // namespace

ClusterAssignment ClusterDocuments(std::span<const uint32_t> sigs, int num_perm,
                                   const std::vector<uint64_t>& sizes, LshParams lsh,
                                   const MatchOptions& options, int threads, QuickRejection quick,
                                   std::span<const uint32_t> groups) {
  const size_t n = sizes.size();
  const size_t k = num_perm;
  threads = std::max(threads, 1);
  ClusterAssignment out;
  out.representative.resize(n);
  out.similarity.assign(n, 1.0f);
  Stopwatch step;
  FixedLshIndex index(sigs.first(n * k), num_perm, lsh, threads);
  out.seconds.index = step.Seconds();
  std::vector<CandidateVerifier> verifiers;
  for (int t = 0; t < threads; ++t) verifiers.emplace_back(sigs, num_perm, sizes, options);
  // VerificationNibbles pay for their pass over the signatures (and n *
  // num_perm / 2 bytes) only when documents have many candidates: kAuto
  // makes them once the blocks so far compared more than this many per
  // document. Aligned to cache lines, so that 128 values' take one.
  constexpr uint64_t kNibblesAfterCandidatesPerDoc = 4;
  constexpr size_t kLine = 64;
  const size_t stride = VerificationStride(num_perm);
  std::unique_ptr<uint8_t[]> nibbles_memory;
  uint8_t* sig_nibbles = nullptr;
  const auto make_nibbles = [&] {
    nibbles_memory = std::make_unique_for_overwrite<uint8_t[]>(n * stride + kLine);
    sig_nibbles = nibbles_memory.get() + (kLine - reinterpret_cast<uintptr_t>(nibbles_memory.get()) % kLine) % kLine;
    ParallelForChunks(n, 4096, threads, [&](size_t, size_t first, size_t last, int) {
      for (size_t i = first; i < last; ++i) {
        VerificationNibbles(sigs.data() + i * k, num_perm, sig_nibbles + i * stride);
      }
    });
    for (CandidateVerifier& verifier : verifiers) verifier.UseNibbles(sig_nibbles);
  };
  if (quick == QuickRejection::kAlways) make_nibbles();
  std::vector<uint64_t> compared(threads, 0);
  // Documents go in blocks. First, on every thread, each is compared with
  // the representatives of earlier blocks (the index does not change
  // meanwhile); then, in order, with those its own block added before it,
  // and it enters the index when nothing matched. Together these are the
  // representatives a one-at-a-time greedy pass compares it with, so the
  // result does not depend on threads; and the second step, the only one
  // in order, compares few and reuses the first's bucket lists.
  constexpr size_t kBlockDocs = 8192;
  constexpr size_t kChunkDocs = 256;
  // Bucket ids lie in one stream per band, too many for the hardware to
  // follow: fetch a few documents ahead (once per half cache line).
  constexpr size_t kAheadDocs = 32;
  const size_t bands = static_cast<size_t>(lsh.bands);
  std::vector<BestMatch> block_best(kBlockDocs);
  const auto block_buckets = std::make_unique_for_overwrite<FixedLshIndex::BucketId[]>(kBlockDocs * bands);
  std::vector<uint32_t> block_bucket_count(kBlockDocs);
  const auto buckets_of = [&](size_t j) {
    return std::span<const FixedLshIndex::BucketId>(block_buckets.get() + j * bands, block_bucket_count[j]);
  };
  std::vector<uint32_t> order;  // with groups, the block's documents in the order the first step takes them
  for (size_t begin = 0; begin < n; begin += kBlockDocs) {
    step.Restart();
    const size_t end = std::min(n, begin + kBlockDocs);
    // Group by group only with many candidates per document (when the
    // quick rejection is on): with few, the documents' own signatures and
    // bucket lists, read in order, matter more than the candidates'.
    const bool by_group = !groups.empty() && sig_nibbles != nullptr;
    if (by_group) {
      order.resize(end - begin);
      for (size_t j = 0; j < order.size(); ++j) order[j] = static_cast<uint32_t>(j);
      std::stable_sort(order.begin(), order.end(),
                       [&](uint32_t a, uint32_t b) { return groups[begin + a] < groups[begin + b]; });
    }
    ParallelForChunks(end - begin, kChunkDocs, threads, [&](size_t, size_t chunk_begin, size_t chunk_end, int t) {
      for (size_t p = chunk_begin; p < chunk_end; ++p) {
        const size_t j = by_group ? order[p] : p;  // the p-th document the step takes
        const uint32_t i = static_cast<uint32_t>(begin + j);
        if (!by_group) {
          if (p % 8 == 0 && i + kAheadDocs < n) index.PrefetchBucketsOf(static_cast<uint32_t>(i + kAheadDocs));
        } else if (p + kAheadDocs < order.size()) {
          index.PrefetchBucketsOf(static_cast<uint32_t>(begin + order[p + kAheadDocs]));
        }
        block_best[j] = BestMatch{};
        block_bucket_count[j] = 0;
        if (sizes[i] == 0) continue;
        block_bucket_count[j] = index.BucketsOf(i, block_buckets.get() + j * bands);
        if (block_bucket_count[j] == 0) continue;  // no candidates, and no one's
        compared[t] += verifiers[t].Verify(i, [&](auto&& fn) { index.Query(buckets_of(j), fn); }, &block_best[j]);
      }
    });
    out.seconds.compare += step.Seconds();
    step.Restart();
    index.StartNewInserts();
    for (size_t j = 0; j < end - begin; ++j) {
      constexpr size_t kAheadInserts = 4;  // the buckets lie anywhere in a table larger than the caches
      if (j + kAheadInserts < end - begin) index.Prefetch(buckets_of(j + kAheadInserts));
      const uint32_t i = static_cast<uint32_t>(begin + j);
      out.representative[i] = i;
      if (sizes[i] == 0) continue;
      BestMatch& best = block_best[j];
      // QueryNew never reports the earlier blocks' representatives, which
      // the first step compared: no pair is compared twice.
      compared[0] += verifiers[0].Verify(i, [&](auto&& fn) { index.QueryNew(buckets_of(j), fn); }, &best);
      if (best.found()) {
        out.representative[i] = best.rep;
        out.similarity[i] = static_cast<float>(best.similarity);
      } else {
        index.Insert(i, buckets_of(j));
      }
    }
    out.seconds.in_order += step.Seconds();
    step.Restart();
    uint64_t compared_so_far = 0;
    for (const uint64_t c : compared) compared_so_far += c;
    if (quick == QuickRejection::kAuto && sig_nibbles == nullptr &&
        compared_so_far > kNibblesAfterCandidatesPerDoc * end) {
      make_nibbles();
    }
    out.seconds.compare += step.Seconds();
  }
  for (const uint64_t c : compared) out.verified_pairs += c;
  return out;
}

}  // namespace dedup
