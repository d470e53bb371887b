#include "core/key_counter.h"

#include <algorithm>
#include <bit>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/parallel.h"

namespace dedup {

KeyCounter::KeyCounter(uint64_t expected_keys, uint32_t count_up_to) {
  constexpr uint64_t kMinCounters = 1 << 16;
  size_ = std::bit_ceil(std::max<uint64_t>(kMinCounters, expected_keys * 4));
  mask_ = size_ - 1;
  const bool nibbles = count_up_to <= 15;
  max_ = nibbles ? 15 : 255;
  byte_shift_ = nibbles ? 1 : 0;
  static_assert(sizeof(std::atomic<uint8_t>) == 1 && std::atomic<uint8_t>::is_always_lock_free);
  memory_ = LargeBuffer(size_ >> byte_shift_);  // zeroed: every counter starts at 0
  bytes_ = static_cast<std::atomic<uint8_t>*>(memory_.data());
}

namespace {

// Bit i set where the i-th of 64 counters is >= threshold (at most the
// counters' maximum): 64 byte counters, or 32 bytes of two 4-bit ones.
uint64_t ByteCountersAtLeast(const uint8_t* counters, uint8_t threshold) {
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

uint64_t NibbleCountersAtLeast(const uint8_t* counters, uint8_t threshold) {
#if defined(__SSE2__)
  const __m128i t = _mm_set1_epi8(static_cast<char>(threshold));
  const __m128i low4 = _mm_set1_epi8(0x0F);
  uint64_t bits = 0;
  for (int part = 0; part < 2; ++part) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(counters + 16 * part));
    const __m128i lo = _mm_and_si128(v, low4);
    const __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
    const __m128i lo_ok = _mm_cmpeq_epi8(_mm_max_epu8(lo, t), lo);
    const __m128i hi_ok = _mm_cmpeq_epi8(_mm_max_epu8(hi, t), hi);
    // Interleaved, the flags are in counter order: byte i's low half is
    // counter 2i, its high half counter 2i + 1.
    const uint32_t first = static_cast<uint32_t>(_mm_movemask_epi8(_mm_unpacklo_epi8(lo_ok, hi_ok)));
    const uint32_t second = static_cast<uint32_t>(_mm_movemask_epi8(_mm_unpackhi_epi8(lo_ok, hi_ok)));
    bits |= (uint64_t{first} | uint64_t{second} << 16) << (32 * part);
  }
  return bits;
#else
  uint64_t bits = 0;
  for (int i = 0; i < 64; ++i) bits |= uint64_t{((counters[i / 2] >> (i % 2 * 4)) & 15) >= threshold} << i;
  return bits;
#endif
}

}  // namespace

KeyFilter KeyCounter::KeysAtLeast(uint32_t threshold, int threads) const {
  static_assert(kLineCounters == 64, "a key's two counters must map to one 64-bit word");
  KeyFilter filter;
  filter.mask_ = mask_;
  const uint64_t num_words = size_ / 64;
  filter.memory_ = LargeBuffer(num_words * sizeof(uint64_t));
  filter.words_ = static_cast<uint64_t*>(filter.memory_.data());
  // Counting is over: the counters are read as plain bytes, 64 at a time.
  const uint8_t* counters = reinterpret_cast<const uint8_t*>(bytes_);
  const uint64_t bytes_per_word = 64 >> byte_shift_;
  const bool none = threshold > max_;
  const uint8_t at_least = static_cast<uint8_t>(std::min(threshold, max_));
  ParallelForChunks(num_words, 1 << 14, threads, [&](size_t, size_t begin, size_t end, int) {
    for (size_t w = begin; w < end; ++w) {
      const uint8_t* c = counters + bytes_per_word * w;
      filter.words_[w] = none              ? 0
                         : byte_shift_ == 1 ? NibbleCountersAtLeast(c, at_least)
                                            : ByteCountersAtLeast(c, at_least);
    }
  });
  return filter;
}

void KeyCounter::MergeCounters(std::span<const uint8_t> from, std::span<uint8_t> into, uint32_t max_count) {
  const size_t n = std::min(from.size(), into.size());
  if (max_count == 15) {
    for (size_t i = 0; i < n; ++i) {
      const unsigned lo = (from[i] & 15u) + (into[i] & 15u), hi = (from[i] >> 4) + (into[i] >> 4);
      into[i] = static_cast<uint8_t>(std::min(lo, 15u) | std::min(hi, 15u) << 4);
    }
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const unsigned sum = unsigned{from[i]} + into[i];
    into[i] = static_cast<uint8_t>(sum > 255 ? 255 : sum);
  }
}

}  // namespace dedup
