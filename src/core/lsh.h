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
// match, gets none. Inserts and queries then follow bucket ids instead of
// hashing and probing a map, and only shared bands take memory.
//
// Query and Insert report what LshIndex would for the same calls, with the
// same bucket cap, except that buckets are per band (LshIndex keeps all bands
// in one map, so the two differ only if two bands' 64-bit keys collide) and
// that items come oldest first. Since every bucket's members are known up
// front, each bucket has its room, min(members, cap) items, in one array:
// a query reads a bucket's items side by side instead of chasing a list
// whose every link is a cache miss (with many candidates per document, as
// --no-boilerplate has, that chase was 40% of clustering).
// The const calls may run on several threads while nothing inserts.
class FixedLshIndex {
 public:
  // Threads that build an index at most, whatever the caller offers: each
  // holds a block of band keys and a grouping table (see the constructor).
  static constexpr int kMaxBuildThreads = 8;

  FixedLshIndex(std::span<const uint32_t> sigs, int num_perm, LshParams params, int threads = 1,
                uint32_t max_bucket_items = LshIndex::kDefaultMaxBucketItems);

  using BucketId = uint32_t;

  // Writes the buckets item belongs to, in band order, to out (room for
  // one per band): those of its bands whose key another item shares. Returns
  // how many. The calls below take such a list, so that a caller that
  // queries and inserts one item looks them up once.
  int BucketsOf(uint32_t item, BucketId* out) const {
    int shared = 0;  // without a branch: about half the bands have a bucket, in no predictable pattern
    for (int b = 0; b < params_.bands; ++b) {
      const uint32_t id = item_buckets_[b * num_items_ + item];
      out[shared] = band_base_[b] + id;
      shared += id != kNone;
    }
    return shared;
  }

  // Inserts item into its buckets (from BucketsOf), except full ones. Items
  // must be inserted in increasing order.
  void Insert(uint32_t item, std::span<const BucketId> buckets);
  void Insert(uint32_t item) {
    BucketId buckets[LshIndex::kMaxBands];
    Insert(item, std::span(buckets, BucketsOf(item, buckets)));
  }

  // Calls fn(other) for every inserted item in the buckets (from BucketsOf),
  // once per bucket, oldest first.
  template <typename Fn>
  void Query(std::span<const BucketId> buckets, Fn&& fn) const {
    // The bucket table and the items are larger than the caches: start
    // every bucket's loads first, then every bucket's first items'.
    Prefetch(buckets);
    for (const BucketId id : buckets) {
      if (buckets_[id].size != 0) __builtin_prefetch(&items_[buckets_[id].start]);
    }
    for (const BucketId id : buckets) {
      const Bucket& bucket = buckets_[id];
      for (uint32_t slot = bucket.start; slot < bucket.start + bucket.size; ++slot) fn(items_[slot]);
    }
  }
  template <typename Fn>
  void Query(uint32_t item, Fn&& fn) const {
    BucketId buckets[LshIndex::kMaxBands];
    Query(std::span<const BucketId>(buckets, BucketsOf(item, buckets)), fn);
  }

  // From here on, QueryNew reports only the items inserted after this call.
  void StartNewInserts() { first_new_item_ = inserted_below_; }

  // Query reporting only the items inserted since StartNewInserts: the
  // newest of each bucket, so it walks back from the newest and stops at
  // the first older one (items go in in increasing order).
  template <typename Fn>
  void QueryNew(std::span<const BucketId> buckets, Fn&& fn) const {
    for (const BucketId id : buckets) {
      const Bucket& bucket = buckets_[id];
      for (uint32_t slot = bucket.start + bucket.size; slot > bucket.start;) {
        const uint32_t item = items_[--slot];
        if (item < first_new_item_) break;
        fn(item);
      }
    }
  }

  // Starts loading what BucketsOf reads for item.
  void PrefetchBucketsOf(uint32_t item) const {
    for (int b = 0; b < params_.bands; ++b) __builtin_prefetch(&item_buckets_[b * num_items_ + item]);
  }
  // Starts loading what Query, QueryNew and Insert read first for these
  // buckets.
  void Prefetch(std::span<const BucketId> buckets) const {
    for (const BucketId id : buckets) __builtin_prefetch(&buckets_[id]);
  }

  size_t num_buckets() const { return num_buckets_; }

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct Bucket {
    uint32_t start;  // its room: items_[start, the next bucket's start)
    uint32_t size;   // items inserted, at the start of its room
  };
  LshParams params_;
  uint32_t max_bucket_items_;
  size_t num_items_;
  std::unique_ptr<uint32_t[]> item_buckets_;  // per (band, item): id within the band, or kNone
  std::vector<uint32_t> band_base_;           // per band: buckets_ index of its id 0
  size_t num_buckets_ = 0;
  std::unique_ptr<Bucket[]> buckets_;  // num_buckets_ + 1: the last one only starts the end of the room
  std::unique_ptr<uint32_t[]> items_;  // the buckets' rooms
  uint32_t inserted_below_ = 0;        // 1 + the last item inserted (0: none)
  uint32_t first_new_item_ = 0;
};

}  // namespace dedup

#endif  // DEDUP_CORE_LSH_H_
