#include "core/key_counter.h"

#include <bit>

namespace dedup {

KeyCounter::KeyCounter(uint64_t expected_keys) {
  constexpr uint64_t kMinCounters = 1 << 16;
  size_ = std::bit_ceil(std::max<uint64_t>(kMinCounters, expected_keys * 4));
  mask_ = size_ - 1;
  shift_ = 64 - std::countr_zero(size_);
  counters_ = std::make_unique<std::atomic<uint8_t>[]>(size_);  // value-initialised to 0
}

}  // namespace dedup
