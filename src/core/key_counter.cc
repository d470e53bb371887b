#include "core/key_counter.h"

#include <algorithm>
#include <bit>

namespace dedup {

KeyCounter::KeyCounter(uint64_t expected_keys) {
  constexpr uint64_t kMinCounters = 1 << 16;
  size_ = std::bit_ceil(std::max<uint64_t>(kMinCounters, expected_keys * 4));
  mask_ = size_ - 1;
  static_assert(sizeof(std::atomic<uint8_t>) == 1 && std::atomic<uint8_t>::is_always_lock_free);
  memory_ = LargeBuffer(size_);  // zeroed: every counter starts at 0
  counters_ = static_cast<std::atomic<uint8_t>*>(memory_.data());
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
