// File: core/key_counter.h
// Approximate, thread-safe counting of 64-bit keys in fixed memory: a
// count-min sketch of saturating counters, two per key. Estimates never
// undercount (collisions only add), which is what a candidate filter needs:
// a key seen at least N times always passes, a few extra keys may too.
// A key's two counters share one 64-byte cache line: the table is far larger
// than the caches, so this halves the memory misses per line of text.
//
// Counters are 4 bits wide when they need to tell counts only up to 15 (the
// candidate threshold is --min-stories, 3 by default), else 8 bits. Both
// widths give the same answers below their ceiling, and 4 bits halve the
// table: fewer cache misses, and half the pages to fault in (on this
// project's VM, a fresh 2 MiB page costs milliseconds).
//
// Once counting is done, KeysAtLeast(n) turns the table into a KeyFilter: one
// bit per counter, a key's two bits in one 64-bit word. It answers
// "Estimate(key) >= n" exactly, from a quarter of the memory of 4-bit
// counters (an eighth of 8-bit ones).
#ifndef DEDUP_CORE_KEY_COUNTER_H_
#define DEDUP_CORE_KEY_COUNTER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "core/large_buffer.h"

namespace dedup {

class KeyFilter;

class KeyCounter {
 public:
  // Sized for about expected_keys distinct keys at a load of 1/4 per row
  // (4 counters per expected key). Counts up to count_up_to are told apart;
  // higher ones read as at least count_up_to.
  explicit KeyCounter(uint64_t expected_keys, uint32_t count_up_to = 255);

  void Add(uint64_t key) {
    Bump(Slot(key));
    Bump(Slot2(key));
  }
  // Starts loading the key's counters into the cache.
  void Prefetch(uint64_t key) const { __builtin_prefetch(&bytes_[Slot(key) >> byte_shift_]); }
  uint32_t Estimate(uint64_t key) const {
    const uint32_t a = Counter(Slot(key)), b = Counter(Slot2(key));
    return a < b ? a : b;
  }
  // The largest value a counter holds: 15 or 255.
  uint32_t max_count() const { return max_; }
  // Which keys have Estimate(key) >= threshold, computed over `threads`.
  // Exact for threshold <= max_count(); above, no key passes.
  KeyFilter KeysAtLeast(uint32_t threshold, int threads) const;
  // The counters as bytes, for processes that each counted part of a corpus
  // into equal tables: summed with MergeCounters (in place, by MPI), they
  // are the table of one process that counted it all. Only once every Add
  // is done.
  std::span<uint8_t> RawCounters() { return {reinterpret_cast<uint8_t*>(bytes_), memory_.size()}; }
  // The merge of two tables' raw counters, both of this max_count(): each
  // counter of into becomes min(max_count, into + from).
  static void MergeCounters(std::span<const uint8_t> from, std::span<uint8_t> into, uint32_t max_count);

 private:
  // The counter at slot: a byte, or a half byte (low half first).
  uint32_t Counter(uint64_t slot) const {
    const uint32_t byte = bytes_[slot >> byte_shift_].load(std::memory_order_relaxed);
    return (byte >> NibbleShift(slot)) & max_;
  }
  void Bump(uint64_t slot) {
    std::atomic<uint8_t>& byte = bytes_[slot >> byte_shift_];
    const int shift = NibbleShift(slot);
    uint8_t v = byte.load(std::memory_order_relaxed);
    while (((v >> shift) & max_) != max_ &&
           !byte.compare_exchange_weak(v, static_cast<uint8_t>(v + (1u << shift)), std::memory_order_relaxed)) {
    }
  }
  int NibbleShift(uint64_t slot) const { return static_cast<int>(slot & byte_shift_) * 4; }
  friend class KeyFilter;  // shares the slot layout
  static constexpr uint64_t kLineCounters = 64;  // a key's two counters lie among the same 64
  static uint64_t Slot(uint64_t key, uint64_t mask) { return key & mask; }
  static uint64_t Slot2(uint64_t key, uint64_t mask) {
    const uint64_t in_line = ((key >> 40) % (kLineCounters - 1)) + 1;  // never the same counter as Slot
    return (key & mask & ~(kLineCounters - 1)) | ((key + in_line) & (kLineCounters - 1));
  }
  uint64_t Slot(uint64_t key) const { return Slot(key, mask_); }
  uint64_t Slot2(uint64_t key) const { return Slot2(key, mask_); }

  uint64_t size_;  // counters
  uint64_t mask_;
  uint32_t max_;  // 15 or 255
  uint64_t byte_shift_;  // counter index >> byte_shift_ = byte index: 1 (4 bits) or 0 (8 bits)
  LargeBuffer memory_;
  std::atomic<uint8_t>* bytes_ = nullptr;  // the counters: memory_, size_ >> byte_shift_ bytes
};

// The keys a KeyCounter counted at least some number of times (see
// KeyCounter::KeysAtLeast). Read-only, so any number of threads may ask.
class KeyFilter {
 public:
  KeyFilter() = default;
  bool Contains(uint64_t key) const {
    const uint64_t word = words_[KeyCounter::Slot(key, mask_) / 64];
    const uint64_t both = (uint64_t{1} << (KeyCounter::Slot(key, mask_) % 64)) |
                          (uint64_t{1} << (KeyCounter::Slot2(key, mask_) % 64));
    return (word & both) == both;
  }
  void Prefetch(uint64_t key) const { __builtin_prefetch(&words_[KeyCounter::Slot(key, mask_) / 64]); }

 private:
  friend class KeyCounter;
  uint64_t mask_ = 0;
  LargeBuffer memory_;  // read at random, like the counters
  uint64_t* words_ = nullptr;  // in memory_: bit i of word w says counter 64 w + i passed
};

}  // namespace dedup

#endif  // DEDUP_CORE_KEY_COUNTER_H_
