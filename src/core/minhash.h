// File: core/minhash.h
// Shingles and MinHash signatures. A signature is K 32-bit minima. Two
// schemes: one-permutation hashing (OPH: each shingle lands in one of K bins,
// O(1) per shingle) with optimal densification, the default; and classic
// MinHash (K hash functions, O(K) per shingle), kept as a reference.
//
// Signatures are built "raw" (empty bins = kEmptyBin) so that raw signatures
// of disjoint parts of a document can be merged with an element-wise minimum;
// Finalize() then densifies. Similarity is only defined between finalised
// signatures of the same scheme, K and seed.
#ifndef DEDUP_CORE_MINHASH_H_
#define DEDUP_CORE_MINHASH_H_

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/hash.h"

namespace dedup {

inline constexpr uint32_t kEmptyBin = 0xFFFFFFFFu;

enum class MinHashScheme { kOnePermutation, kClassic };

// Hash of the shingle of `width` (at most kMaxShingleWidth) consecutive token
// hashes starting at tokens: a sum of the token hashes, each times an odd
// constant of its position. Token hashes are already uniform, so this needs
// no mixing of its own: MinHasher::Add mixes the sum before taking bins and
// values, and the sum's top bits (which the distinct counter takes) are
// uniform as they are. Independent multiplies instead of XXH3 over 40 bytes:
// about a third of the cost per shingle.
inline constexpr uint32_t kMaxShingleWidth = 64;
inline uint64_t HashShingle(const uint64_t* tokens, uint32_t width) {
  static constexpr auto kPositionFactor = [] {
    std::array<uint64_t, kMaxShingleWidth> f{};
    for (uint32_t i = 0; i < kMaxShingleWidth; ++i) f[i] = Mix64(0x5348494e474c45ULL + i) | 1;
    return f;
  }();
  uint64_t h = 0x9e3779b97f4a7c15ULL * width;  // shingles of the short-document kind differ in width
  for (uint32_t i = 0; i < width; ++i) h += tokens[i] * kPositionFactor[i];
  return h;
}

class MinHasher {
 public:
  MinHasher(MinHashScheme scheme, int num_perm, uint64_t seed);

  int num_perm() const { return num_perm_; }
  MinHashScheme scheme() const { return scheme_; }

  // Sets every value of sig (num_perm entries) to kEmptyBin.
  void Reset(std::span<uint32_t> sig) const;
  // Lowers sig by one shingle hash. Thread-safe (const).
  void Add(uint64_t shingle_hash, std::span<uint32_t> sig) const { AddPremixed(Premix(shingle_hash), sig); }
  // The first step of Add, which depends on the hash alone: a store of
  // shingles that are added to many signatures (candidate lines' sketches)
  // keeps them premixed, and adds them with AddPremixed. A bijection, so
  // distinct hashes stay distinct.
  uint64_t Premix(uint64_t shingle_hash) const { return Mix64(shingle_hash ^ seed_); }
  void AddPremixed(uint64_t mixed, std::span<uint32_t> sig) const {
    if (scheme_ == MinHashScheme::kOnePermutation) {
      const uint32_t bin = static_cast<uint32_t>(((mixed >> 32) * static_cast<uint64_t>(num_perm_)) >> 32);
      uint32_t v = static_cast<uint32_t>(mixed);
      v -= (v == kEmptyBin);  // keep the sentinel free
      // Always stored: whether a shingle lowers its bin is a coin flip early
      // in a document, and a mispredicted branch costs more than the store.
      sig[bin] = v < sig[bin] ? v : sig[bin];
    } else {
      AddClassic(mixed, sig);
    }
  }
  // Fills empty bins (OPH optimal densification); no-op for classic or an
  // all-empty signature.
  void Finalize(std::span<uint32_t> sig) const;

 private:
  void AddClassic(uint64_t mixed, std::span<uint32_t> sig) const;

  MinHashScheme scheme_;
  int num_perm_;
  uint64_t seed_;
  std::vector<uint64_t> mul_;  // classic: odd multipliers, one per function
  std::vector<uint64_t> add_;
  // OPH densification: probe_order_[i * K + r] is the r-th distinct bin of
  // bin i's probe sequence, probe_rank_[i * K + j] the rank of bin j in it.
  std::vector<uint16_t> probe_order_;
  std::vector<uint16_t> probe_rank_;
};

// Elementwise minimum: dst = min(dst, src). Both raw (not finalised).
void MergeSignature(std::span<const uint32_t> src, std::span<uint32_t> dst);

// Share of positions where a and b agree: the Jaccard estimate. Positions
// empty in both (only possible for all-empty signatures) count as disagreeing.
double EstimateJaccard(std::span<const uint32_t> a, std::span<const uint32_t> b);

// Containment of the smaller set in the larger, from a Jaccard estimate and
// the two set sizes: |A n B| = J (|A| + |B|) / (1 + J).
double ContainmentFromJaccard(double jaccard, uint64_t size_a, uint64_t size_b);

}  // namespace dedup

#endif  // DEDUP_CORE_MINHASH_H_
