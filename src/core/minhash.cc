#include "core/minhash.h"

#include <algorithm>

namespace dedup {

MinHasher::MinHasher(MinHashScheme scheme, int num_perm, uint64_t seed)
    : scheme_(scheme), num_perm_(num_perm), seed_(Mix64(seed ^ 0x6d696e68617368ULL)) {
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
void MinHasher::AddClassic(uint64_t shingle_hash, std::span<uint32_t> sig) const {
  const uint64_t x = Mix64(shingle_hash ^ seed_);
  const int k = num_perm_;
  uint32_t* s = sig.data();
  const uint64_t* mul = mul_.data();
  const uint64_t* add = add_.data();
  for (int i = 0; i < k; ++i) {
    uint32_t v = static_cast<uint32_t>((x * mul[i] + add[i]) >> 32);
    v -= (v == kEmptyBin);
    s[i] = std::min(s[i], v);
  }
}

// Optimal densification (Shrivastava, ICML 2017): an empty bin i copies the
// value of the first non-empty bin along a probe sequence that depends only on
// (i, attempt, seed), so two documents fill the same empty bin from the same
// source bin and agreement stays an unbiased Jaccard estimate.
void MinHasher::Finalize(std::span<uint32_t> sig) const {
  if (scheme_ != MinHashScheme::kOnePermutation) return;
  const int k = num_perm_;
  bool any = false;
  bool all = true;
  for (int i = 0; i < k; ++i) {
    any |= sig[i] != kEmptyBin;
    all &= sig[i] != kEmptyBin;
  }
  if (!any || all) return;
  // Copy the raw bins so filled bins never serve as sources.
  uint32_t raw_stack[1024];
  std::vector<uint32_t> raw_heap;
  uint32_t* raw = raw_stack;
  if (k > 1024) {
    raw_heap.resize(k);
    raw = raw_heap.data();
  }
  std::copy(sig.begin(), sig.end(), raw);
  for (int i = 0; i < k; ++i) {
    if (raw[i] != kEmptyBin) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t h = Mix64(seed_ ^ (static_cast<uint64_t>(i) << 32) ^ attempt);
      const uint32_t j = static_cast<uint32_t>(((h >> 32) * static_cast<uint64_t>(k)) >> 32);
      if (raw[j] != kEmptyBin) {
        sig[i] = raw[j];
        break;
      }
    }
  }
}

void MergeSignature(std::span<const uint32_t> src, std::span<uint32_t> dst) {
  const size_t k = dst.size();
  for (size_t i = 0; i < k; ++i) dst[i] = std::min(dst[i], src[i]);
}

double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t k = a.size();
  size_t equal = 0;
  for (size_t i = 0; i < k; ++i) equal += (a[i] == b[i]) & (a[i] != kEmptyBin);
  return k == 0 ? 0.0 : static_cast<double>(equal) / static_cast<double>(k);
}

double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b) {
  const uint64_t smaller = std::min(size_a, size_b);
  if (smaller == 0) return 0.0;
  const double inter = jaccard * static_cast<double>(size_a + size_b) / (1.0 + jaccard);
  return std::min(1.0, inter / static_cast<double>(smaller));
}

}  // namespace dedup
