#include "core/minhash.h"

#include <algorithm>
#include <bit>

#include "core/cpu_features.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup {

namespace {
// Bit j set: bins[j] is empty, for the `count` <= 64 bins at bins.
uint64_t EmptyBinBits(const uint32_t* bins, uint32_t count) {
  uint64_t bits = 0;
  uint32_t j = 0;
#if defined(__SSE2__)
  // Four bins per compare: GCC does not vectorise the scalar loop below.
  const __m128i empty = _mm_set1_epi32(-1);
  for (; j + 4 <= count; j += 4) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bins + j));
    const int mask = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(v, empty)));
    bits |= static_cast<uint64_t>(mask) << j;
  }
#endif
  for (; j < count; ++j) bits |= static_cast<uint64_t>(bins[j] == kEmptyBin) << j;
  return bits;
}

#ifdef DEDUP_X86_64
DEDUP_AVX512_INTRINSICS_BEGIN
// Finalize's walk for signatures of at most 512 bins, where the empty-bin
// bits fit one register as 32 16-bit words: each empty bin tests 32 bins of
// its probe order at once (a word permute and a bit test) and takes the
// first filled one, with no branch per probe.
__attribute__((target("avx512f,avx512bw,bmi"))) void FillEmptyBinsAvx512(uint32_t* sig, const uint64_t* empty_bits,
                                                                         uint32_t k, const uint16_t* probe_order) {
  const uint32_t words = (k + 63) / 64;
  const __m512i empty_words = _mm512_maskz_loadu_epi64(static_cast<__mmask8>((1u << words) - 1), empty_bits);
  const __m512i one = _mm512_set1_epi16(1);
  const __m512i low4 = _mm512_set1_epi16(15);
  for (uint32_t w = 0; w < words; ++w) {
    for (uint64_t bits = empty_bits[w]; bits != 0; bits &= bits - 1) {
      const uint32_t i = w * 64 + static_cast<uint32_t>(std::countr_zero(bits));
      const uint16_t* order = probe_order + static_cast<size_t>(i) * k;
      // The order lists every bin and one is filled: the walk ends.
      for (uint32_t r = 0;; r += 32) {
        const __mmask32 valid = k - r >= 32 ? ~__mmask32{0} : static_cast<__mmask32>((1u << (k - r)) - 1);
        const __m512i bins = _mm512_maskz_loadu_epi16(valid, order + r);
        const __m512i word = _mm512_permutexvar_epi16(_mm512_srli_epi16(bins, 4), empty_words);
        const __m512i bit = _mm512_sllv_epi16(one, _mm512_and_si512(bins, low4));
        const __mmask32 filled = _mm512_mask_testn_epi16_mask(valid, word, bit);
        if (filled != 0) {
          sig[i] = sig[order[r + static_cast<uint32_t>(std::countr_zero(filled))]];
          break;
        }
      }
    }
  }
}
DEDUP_AVX512_INTRINSICS_END
#endif

// The bin that attempt `attempt` of empty bin i probes.
uint32_t ProbeBin(uint64_t seed, uint32_t i, uint64_t attempt, uint32_t k) {
  const uint64_t h = Mix64(seed ^ (static_cast<uint64_t>(i) << 32) ^ attempt);
  return static_cast<uint32_t>(((h >> 32) * static_cast<uint64_t>(k)) >> 32);
}
}  // namespace

MinHasher::MinHasher(MinHashScheme scheme, int num_perm, uint64_t seed)
    : scheme_(scheme), num_perm_(num_perm), seed_(Mix64(seed ^ 0x6d696e68617368ULL)) {
  if (scheme_ == MinHashScheme::kOnePermutation) {
    // Each bin's probe sequence, with repeats removed: the first non-empty bin
    // along it is the first non-empty bin in this order.
    const uint32_t k = static_cast<uint32_t>(num_perm_);
    probe_order_.resize(static_cast<size_t>(k) * k);
    probe_rank_.resize(static_cast<size_t>(k) * k);
    std::vector<bool> seen(k);
    for (uint32_t i = 0; i < k; ++i) {
      std::fill(seen.begin(), seen.end(), false);
      uint32_t found = 0;
      for (uint64_t attempt = 1; found < k; ++attempt) {
        const uint32_t j = ProbeBin(seed_, i, attempt, k);
        if (seen[j]) continue;
        seen[j] = true;
        probe_order_[i * k + found] = static_cast<uint16_t>(j);
        probe_rank_[i * k + j] = static_cast<uint16_t>(found);
        ++found;
      }
    }
  }
  if (scheme_ == MinHashScheme::kClassic) {
    mul_.resize(num_perm_);
    add_.resize(num_perm_);
    uint64_t state = seed_;
    for (int i = 0; i < num_perm_; ++i) {
      state = Mix64(state + 0x9e3779b97f4a7c15ULL);
      mul_[i] = state | 1;
      state = Mix64(state + 0x9e3779b97f4a7c15ULL);
      add_[i] = state;
    }
  }
}

void MinHasher::Reset(std::span<uint32_t> sig) const { std::fill(sig.begin(), sig.end(), kEmptyBin); }

// K multiply-add hash functions; the high half of the 64-bit product is the
// permuted value. The loop has no branches and vectorises at -O3.
void MinHasher::AddClassic(uint64_t mixed, std::span<uint32_t> sig) const {
  const int k = num_perm_;
  uint32_t* s = sig.data();
  const uint64_t* mul = mul_.data();
  const uint64_t* add = add_.data();
  for (int i = 0; i < k; ++i) {
    uint32_t v = static_cast<uint32_t>((mixed * mul[i] + add[i]) >> 32);
    v -= (v == kEmptyBin);
    s[i] = std::min(s[i], v);
  }
}

// Optimal densification (Shrivastava, ICML 2017): an empty bin i copies the
// value of the first non-empty bin along a probe sequence that depends only on
// (i, attempt, seed), so two documents fill the same empty bin from the same
// source bin and agreement stays an unbiased Jaccard estimate. Walking the
// sequence costs K/m probes for m non-empty bins (K^2 for a one-shingle
// document), so with few non-empty bins we instead take the non-empty bin of
// lowest rank in the precomputed order: the same bin, in O(m).
//
// Which bins were empty is kept as bits, taken before any bin is filled: only
// raw bins serve as sources, so the bins can be filled in place, and a
// signature with no empty bin (most documents) costs one branch-free pass.
void MinHasher::Finalize(std::span<uint32_t> sig) const {
  if (scheme_ != MinHashScheme::kOnePermutation) return;
  const uint32_t k = static_cast<uint32_t>(num_perm_);
  const uint32_t words = (k + 63) / 64;
  uint64_t empty_bits[1024 / 64];
  uint32_t empty = 0;
  for (uint32_t w = 0; w < words; ++w) {
    const uint64_t bits = EmptyBinBits(sig.data() + w * 64, std::min<uint32_t>(64, k - w * 64));
    empty_bits[w] = bits;
    empty += static_cast<uint32_t>(std::popcount(bits));
  }
  if (empty == 0 || empty == k) return;
  auto is_empty = [&](uint32_t bin) { return (empty_bits[bin / 64] >> (bin % 64)) & 1; };
  const uint32_t filled = k - empty;
  uint16_t filled_stack[1024];
  const bool few_filled = static_cast<uint64_t>(filled) * filled < k;
#ifdef DEDUP_X86_64
  if (!few_filled && k <= 512 && CpuHasAvx512Bw()) {
    FillEmptyBinsAvx512(sig.data(), empty_bits, k, probe_order_.data());
    return;
  }
#endif
  if (few_filled) {
    uint32_t f = 0;
    for (uint32_t i = 0; i < k; ++i) {
      if (!is_empty(i)) filled_stack[f++] = static_cast<uint16_t>(i);
    }
  }
  for (uint32_t w = 0; w < words; ++w) {
    for (uint64_t bits = empty_bits[w]; bits != 0; bits &= bits - 1) {
      const uint32_t i = w * 64 + static_cast<uint32_t>(std::countr_zero(bits));
      uint32_t source = 0;
      if (few_filled) {
        const uint16_t* rank = probe_rank_.data() + static_cast<size_t>(i) * k;
        uint32_t best = UINT32_MAX;
        for (uint32_t f = 0; f < filled; ++f) {
          if (rank[filled_stack[f]] < best) {
            best = rank[filled_stack[f]];
            source = filled_stack[f];
          }
        }
      } else {
        const uint16_t* order = probe_order_.data() + static_cast<size_t>(i) * k;
        uint32_t r = 0;
        if (k >= 4) {
          // The first probes mostly find a filled bin, each with a branch that
          // goes either way: test four without branching instead.
          const uint32_t missed = static_cast<uint32_t>(is_empty(order[0]) | is_empty(order[1]) << 1 |
                                                        is_empty(order[2]) << 2 | is_empty(order[3]) << 3);
          r = static_cast<uint32_t>(std::countr_one(missed));
        }
        while (is_empty(order[r])) ++r;
        source = order[r];
      }
      sig[i] = sig[source];  // a raw bin: filled bins were never empty
    }
  }
}

void MergeSignature(std::span<const uint32_t> src, std::span<uint32_t> dst) {
  const size_t k = dst.size();
  for (size_t i = 0; i < k; ++i) dst[i] = std::min(dst[i], src[i]);
}

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t k = a.size();
  // 32-bit lanes and no branch: GCC vectorises this (k < 2^32).
  uint32_t equal = 0;
  for (size_t i = 0; i < k; ++i) {
    equal += static_cast<uint32_t>(a[i] == b[i]) & static_cast<uint32_t>(a[i] != kEmptyBin);
  }
  return k == 0 ? 0.0 : static_cast<double>(equal) / static_cast<double>(k);
}

double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b) {
  const uint64_t smaller = std::min(size_a, size_b);
  if (smaller == 0) return 0.0;
  const double inter = jaccard * static_cast<double>(size_a + size_b) / (1.0 + jaccard);
  return std::min(1.0, inter / static_cast<double>(smaller));
}

}  // namespace dedup
