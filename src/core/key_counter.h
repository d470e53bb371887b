// File: core/key_counter.h
// Approximate, thread-safe counting of 64-bit keys in fixed memory: a
// count-min sketch of 8-bit saturating counters, two per key. Estimates never
// undercount (collisions only add), which is what a candidate filter needs:
// a key seen at least N times always passes, a few extra keys may too.
// A key's two counters share one 64-byte cache line: the table is far larger
// than the caches, so this halves the memory misses per line of text.
//
// Once counting is done, KeysAtLeast(n) turns the table into a KeyFilter: one
// bit per counter, a key's two bits in one 64-bit word. It answers
// "Estimate(key) >= n" exactly, from an eighth of the memory.
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
  // (2 bytes per counter pair, so ~8 bytes per expected key).
  explicit KeyCounter(uint64_t expected_keys);

  void Add(uint64_t key) {
    Bump(counters_[Slot(key)]);
    Bump(counters_[Slot2(key)]);
  }
  // Starts loading the key's counters into the cache.
  void Prefetch(uint64_t key) const { __builtin_prefetch(&counters_[Slot(key)]); }
  uint32_t Estimate(uint64_t key) const {
    const uint32_t a = counters_[Slot(key)].load(std::memory_order_relaxed);
    const uint32_t b = counters_[Slot2(key)].load(std::memory_order_relaxed);
    return a < b ? a : b;
  }
  // Which keys have Estimate(key) >= threshold, computed over `threads`.
  KeyFilter KeysAtLeast(uint32_t threshold, int threads) const;
  // The counters as bytes, for processes that each counted part of a corpus
  // into equal-sized tables: summed with MergeCounters (in place, by MPI),
  // they are the table of one process that counted it all. Only once every
  // Add is done.
  std::span<uint8_t> RawCounters() { return {static_cast<uint8_t*>(memory_.data()), size_}; }
  // into[i] = min(255, into[i] + from[i]): the merge of two tables' raw counters.
  static void MergeCounters(std::span<const uint8_t> from, std::span<uint8_t> into);

 private:
  static void Bump(std::atomic<uint8_t>& c) {
    uint8_t v = c.load(std::memory_order_relaxed);
    while (v != 255 && !c.compare_exchange_weak(v, v + 1, std::memory_order_relaxed)) {
    }
  }
  friend class KeyFilter;  // shares the slot layout
  static constexpr uint64_t kLineBytes = 64;
  static uint64_t Slot(uint64_t key, uint64_t mask) { return key & mask; }
  static uint64_t Slot2(uint64_t key, uint64_t mask) {
    const uint64_t in_line = ((key >> 40) % (kLineBytes - 1)) + 1;  // never the same counter as Slot
    return (key & mask & ~(kLineBytes - 1)) | ((key + in_line) & (kLineBytes - 1));
  }
  uint64_t Slot(uint64_t key) const { return Slot(key, mask_); }
  uint64_t Slot2(uint64_t key) const { return Slot2(key, mask_); }

  uint64_t size_;
  uint64_t mask_;
  LargeBuffer memory_;
  std::atomic<uint8_t>* counters_ = nullptr;  // size_ counters in memory_
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
