#include "core/key_counter.h"

#include <algorithm>
#include <bit>

namespace dedup {

KeyCounter::KeyCounter(uint64_t expected_keys) {
  constexpr uint64_t kMinCounters = 1 << 16;
  size_ = std::bit_ceil(std::max<uint64_t>(kMinCounters, expected_keys * 4));
  mask_ = size_ - 1;
  counters_ = std::make_unique<std::atomic<uint8_t>[]>(size_);  // value-initialised to 0
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
