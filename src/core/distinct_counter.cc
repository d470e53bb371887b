#include "core/distinct_counter.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace dedup {

void DistinctCounter::Reset(uint64_t max_items) {
  constexpr uint64_t kMinBits = 256;
  num_bits_ = std::bit_ceil(std::max(kMinBits, 4 * max_items));
  shift_ = 64 - std::countr_zero(num_bits_);
  bits_.assign(num_bits_ / 64, 0);
}

// Built twice and chosen when loaded: the baseline x86-64 target has no
// popcount instruction, and its library call was 0.5% of a whole run. GCC
// only: clang 14 names the clones' resolver so that calls from other files
// do not link.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("popcnt", "default")))
#endif
uint64_t DistinctCounter::Estimate() const {
  uint64_t set = 0;
  for (const uint64_t w : bits_) set += std::popcount(w);
  if (set == 0) return 0;
  const double m = static_cast<double>(num_bits_);
  const double empty = std::max(1.0, m - static_cast<double>(set));
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(-m * std::log(empty / m))));
}

}  // namespace dedup
