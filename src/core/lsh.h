// File: core/lsh.h
// Locality-sensitive hashing over MinHash signatures: the signature is cut
// into `bands` bands of `rows` values; two documents become candidates when
// any band matches. Candidates are always verified by the caller.
#ifndef DEDUP_CORE_LSH_H_
#define DEDUP_CORE_LSH_H_

#include <cstdint>
#include <memory>
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
//
// For signatures that arrive one at a time. The pipeline, which has them all
// up front, uses FixedLshIndex below; this one is its reference in the tests.
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

// An LshIndex over a fixed set of signatures known up front (n rows of
// num_perm values). The band keys are hashed and grouped once, in parallel:
// each (item, band) whose key another item shares in that band gets a bucket
// id, dense within its band, and a key held by one item alone, which can never
// match, gets none. The sequential pass that inserts and queries then follows
// bucket ids instead of hashing and probing a map, and only shared bands take
// memory.
//
// As every bucket's members are known, each bucket gets a contiguous run of
// slots (its member count, at most the cap) and inserts fill it in order: a
// query reads each bucket's items in one run instead of chasing a linked
// list, whose dependent loads dominated clustering when buckets are large.
//
// Query and Insert report what LshIndex would for the same calls, with the
// same bucket cap, except that buckets are per band (LshIndex keeps all bands
// in one map, so the two differ only if two bands' 64-bit keys collide).
class FixedLshIndex {
 public:
  FixedLshIndex(std::span<const uint32_t> sigs, int num_perm, LshParams params, int threads = 1,
                uint32_t max_bucket_items = LshIndex::kDefaultMaxBucketItems);

  void Insert(uint32_t item);

  // Calls fn(other) for every inserted item sharing a band with item, once
  // per shared band.
  template <typename Fn>
  void Query(uint32_t item, Fn&& fn) const {
    uint32_t buckets[LshIndex::kMaxBands];
    const int shared = SharedBuckets(item, buckets);
    // The bucket table is larger than the caches: start every load first.
    for (int j = 0; j < shared; ++j) __builtin_prefetch(&buckets_[buckets[j]]);
    for (int j = 0; j < shared; ++j) {
      const Bucket& bucket = buckets_[buckets[j]];
      const uint32_t* items = slots_.get() + bucket.start;
      for (uint32_t k = 0; k < bucket.size; ++k) fn(items[k]);
    }
  }

  // Starts loading what Query and Insert read first for item.
  void Prefetch(uint32_t item) const {
    for (int b = 0; b < params_.bands; ++b) __builtin_prefetch(&item_buckets_[b * num_items_ + item]);
  }

  size_t num_buckets() const { return buckets_.size(); }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Bucket {
    uint64_t start = 0;     // its first slot
    uint32_t size = 0;      // items inserted
    uint32_t capacity = 0;  // slots: members, at most the cap
  };
  // Writes the buckets_ indexes of item's buckets in band order to out (the
  // bands whose key another item shares); returns how many. Without a
  // branch: about half the bands have a bucket, in no predictable pattern.
  int SharedBuckets(uint32_t item, uint32_t* out) const {
    int shared = 0;
    for (int b = 0; b < params_.bands; ++b) {
      const uint32_t id = item_buckets_[b * num_items_ + item];
      out[shared] = band_base_[b] + id;
      shared += id != kNone;
    }
    return shared;
  }

  LshParams params_;
  uint32_t max_bucket_items_;
  size_t num_items_;
  std::unique_ptr<uint32_t[]> item_buckets_;  // per (band, item): id within the band, or kNone
  std::vector<uint32_t> band_base_;     // per band: buckets_ index of its id 0
  std::vector<Bucket> buckets_;
  std::unique_ptr<uint32_t[]> slots_;   // the buckets' runs: inserted items, oldest first
};

}  // namespace dedup

#endif  // DEDUP_CORE_LSH_H_
