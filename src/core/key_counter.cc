#include "core/key_counter.h"

#include <algorithm>
#include <bit>

#include "core/parallel.h"

namespace dedup {

KeyCounter::KeyCounter(uint64_t expected_keys) {
  constexpr uint64_t kMinCounters = 1 << 16;
  size_ = std::bit_ceil(std::max<uint64_t>(kMinCounters, expected_keys * 4));
  mask_ = size_ - 1;
  static_assert(sizeof(std::atomic<uint8_t>) == 1 && std::atomic<uint8_t>::is_always_lock_free);
  memory_ = LargeBuffer(size_);  // zeroed: every counter starts at 0
  counters_ = static_cast<std::atomic<uint8_t>*>(memory_.data());
}

KeyFilter KeyCounter::KeysAtLeast(uint32_t threshold, int threads) const {
  static_assert(kLineBytes == 64, "a key's two counters must map to one 64-bit word");
  KeyFilter filter;
  filter.mask_ = mask_;
  const uint64_t num_words = size_ / 64;
  filter.memory_ = LargeBuffer(num_words * sizeof(uint64_t));
  filter.words_ = static_cast<uint64_t*>(filter.memory_.data());
  ParallelForChunks(num_words, 1 << 14, threads, [&](size_t, size_t begin, size_t end, int) {
    for (size_t w = begin; w < end; ++w) {
      uint64_t bits = 0;
      for (uint64_t i = 0; i < 64; ++i) {
        bits |= uint64_t{counters_[64 * w + i].load(std::memory_order_relaxed) >= threshold} << i;
      }
      filter.words_[w] = bits;
    }
  });
  return filter;
}

std::vector<uint8_t> KeyCounter::Export() const {
  std::vector<uint8_t> out(size_);
  for (uint64_t i = 0; i < size_; ++i) out[i] = counters_[i].load(std::memory_order_relaxed);
  return out;
}

void KeyCounter::Import(const std::vector<uint8_t>& counters) {
  for (uint64_t i = 0; i < size_ && i < counters.size(); ++i) counters_[i].store(counters[i], std::memory_order_relaxed);
}

}  // namespace dedup
