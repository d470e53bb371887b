// File: core/lsh.h
// Locality-sensitive hashing over MinHash signatures: the signature is cut
// into `bands` bands of `rows` values; two documents become candidates when
// any band matches. Candidates are always verified by the caller.
#ifndef DEDUP_CORE_LSH_H_
#define DEDUP_CORE_LSH_H_

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace dedup {

struct LshParams {
  int bands = 0;
  int rows = 0;
};

// Probability that two signatures with Jaccard s share at least one band:
// 1 - (1 - s^rows)^bands.
double CandidateProbability(double jaccard, LshParams params);

// Chooses bands * rows <= num_perm minimising the weighted area of false
// positives below `threshold` and false negatives above it (the S-curve
// integrals). Misses cost more than candidates because every candidate is
// verified, so fn_weight defaults higher.
LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight = 0.2,
                          double fn_weight = 0.8);

// Key of one band: a hash of its `rows` values and the band number.
uint64_t BandKey(std::span<const uint32_t> sig, int band, int rows);

// Band buckets as intrusive singly linked lists: one hash map from band key to
// the newest item, and a next-pointer per (item, band). Items are dense
// indexes inserted once each. Not thread-safe.
//
// A bucket holds at most max_bucket_items items; later items skip that band
// (they stay in their other bands). This keeps a query linear in the number
// of bands even when one band value is shared by half the corpus, at the cost
// of missing a duplicate whose only shared band is a full bucket.
class LshIndex {
 public:
  static constexpr uint32_t kDefaultMaxBucketItems = 512;
  static constexpr int kMaxBands = 1024;  // num_perm is at most 1024
  explicit LshIndex(LshParams params, size_t expected_items = 0,
                    uint32_t max_bucket_items = kDefaultMaxBucketItems);

  void Insert(uint32_t item, std::span<const uint32_t> sig);

  // Calls fn(item) for every inserted item sharing a band with sig. An item
  // sharing several bands is reported several times.
  template <typename Fn>
  void Query(std::span<const uint32_t> sig, Fn&& fn) const {
    // The table is larger than the caches: start every band's load first.
    uint64_t keys[kMaxBands];
    for (int b = 0; b < params_.bands; ++b) {
      keys[b] = BandKey(sig, b, params_.rows);
      heads_.prefetch(keys[b]);
    }
    for (int b = 0; b < params_.bands; ++b) {
      const auto it = heads_.find(keys[b]);
      if (it == heads_.end()) continue;
      for (uint32_t slot = it->second.head; slot != kNone; slot = next_[slot]) fn(items_[slot / params_.bands]);
    }
  }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Bucket {
    uint32_t head;
    uint32_t size;
  };
  LshParams params_;
  uint32_t max_bucket_items_;
  absl::flat_hash_map<uint64_t, Bucket> heads_;
  std::vector<uint32_t> next_;   // per (item slot, band)
  std::vector<uint32_t> items_;  // slot -> item
};

}  // namespace dedup

#endif  // DEDUP_CORE_LSH_H_
