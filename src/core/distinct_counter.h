// File: core/distinct_counter.h
// Estimates the number of distinct 64-bit hashes in a stream by linear
// counting (Whang et al. 1990): set one bit per hash in a bitmap of about 4x
// the expected count, then n = -m ln(empty / m). Standard error ~1% at that
// load; exact enough for containment, and one bit test per shingle instead
// of a hash-set insert. Reusable: Reset() per document, no allocation after
// warm-up. Not thread-safe.
#ifndef DEDUP_CORE_DISTINCT_COUNTER_H_
#define DEDUP_CORE_DISTINCT_COUNTER_H_

#include <cstdint>
#include <vector>

namespace dedup {

class DistinctCounter {
 public:
  // Prepares for about max_items hashes.
  void Reset(uint64_t max_items);
  void Add(uint64_t hash) {
    const uint64_t bit = hash >> shift_;
    bits_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  // Estimated distinct count, rounded; exact 0 when nothing was added.
  uint64_t Estimate() const;

 private:
  std::vector<uint64_t> bits_;
  uint64_t num_bits_ = 0;
  int shift_ = 64;
};

}  // namespace dedup

#endif  // DEDUP_CORE_DISTINCT_COUNTER_H_
