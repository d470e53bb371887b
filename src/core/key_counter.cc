#include "core/key_counter.h"

#include <algorithm>
#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

namespace {

// Bit i set where counters[i] >= threshold, for 64 counters.
uint64_t CountersAtLeast(const uint8_t* counters, uint8_t threshold) {
#if defined(__SSE2__)
  // max(v, t) == v exactly where v >= t (unsigned bytes).
  const __m128i t = _mm_set1_epi8(static_cast<char>(threshold));
  uint64_t bits = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(counters + 16 * part));
    const uint32_t mask = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, t), v)));
    bits |= uint64_t{mask} << (16 * part);
  }
  return bits;
#else
  uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) bits |= uint64_t{counters[i] >= threshold} << i;
  return bits;
#endif
}

}  // namespace

KeyFilter KeyCounter::KeysAtLeast(uint32_t threshold, int threads) const {
  static_assert(kLineBytes == 64, "a key's two counters must map to one 64-bit word");
  KeyFilter filter;
  filter.mask_ = mask_;
  const uint64_t num_words = size_ / 64;
  filter.memory_ = LargeBuffer(num_words * sizeof(uint64_t));
  filter.words_ = static_cast<uint64_t*>(filter.memory_.data());
  // Counting is over: the counters are read as plain bytes, 64 at a time.
  const uint8_t* counters = static_cast<const uint8_t*>(memory_.data());
  const bool none = threshold > 255;  // counters saturate at 255
  const uint8_t at_least = static_cast<uint8_t>(std::min<uint32_t>(threshold, 255));
  ParallelForChunks(num_words, 1 << 14, threads, [&](size_t, size_t begin, size_t end, int) {
    for (size_t w = begin; w < end; ++w) filter.words_[w] = none ? 0 : CountersAtLeast(counters + 64 * w, at_least);
  });
  return filter;
}

void KeyCounter::MergeCounters(std::span<const uint8_t> from, std::span<uint8_t> into) {
  const size_t n = std::min(from.size(), into.size());
  for (size_t i = 0; i < n; ++i) {
    const unsigned sum = unsigned{from[i]} + into[i];
    into[i] = static_cast<uint8_t>(sum > 255 ? 255 : sum);
  }
}

}  // namespace dedup
