// File: core/hash.h
// The only includer of xxhash.h: XXH3 inlined for short inputs (tokens,
// shingles), plus the cheap 64-bit mixers derived from it.
#ifndef DEDUP_CORE_HASH_H_
#define DEDUP_CORE_HASH_H_

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace dedup {

inline uint64_t HashBytes(const void* data, size_t size, uint64_t seed = 0) {
  return XXH3_64bits_withSeed(data, size, seed);
}
inline uint64_t HashString(std::string_view s, uint64_t seed = 0) {
  return HashBytes(s.data(), s.size(), seed);
}

// A bijective 64-bit finaliser (splitmix64): spreads a seed or combines keys.
inline constexpr uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Hash of a short token (words are mostly under 16 bytes): the bytes loaded
// into two zero-padded words and mixed with the length. A few multiplies
// instead of XXH3's setup; longer tokens go to XXH3.
inline constexpr uint64_t TokenLengthSalt(size_t size) { return 0x9e3779b97f4a7c15ULL * (size + 1); }
inline uint64_t MixTokenWords(uint64_t lo, uint64_t hi, size_t size) {
  return Mix64(lo ^ Mix64(hi ^ TokenLengthSalt(size)));
}
// MixTokenWords(lo, 0, size) for tokens of up to 8 bytes (most words): the
// inner mix of an empty high word depends on the length alone, so it comes
// from a table, and the hash costs one Mix64 instead of two.
inline uint64_t MixShortTokenWord(uint64_t lo, size_t size) {
  static constexpr auto kInner = [] {
    std::array<uint64_t, 9> t{};
    for (size_t s = 0; s < t.size(); ++s) t[s] = Mix64(TokenLengthSalt(s));
    return t;
  }();
  return Mix64(lo ^ kInner[size]);
}
inline uint64_t HashToken(std::string_view s) {
  if (s.size() > 16) return HashString(s, 0x544f4b454eULL);
  uint64_t lo = 0, hi = 0;
  std::memcpy(&lo, s.data(), s.size() < 8 ? s.size() : 8);
  if (s.size() <= 8) return MixShortTokenWord(lo, s.size());
  std::memcpy(&hi, s.data() + 8, s.size() - 8);
  return MixTokenWords(lo, hi, s.size());
}

// HashToken(string_view(p, size)) for a p with 16 readable bytes: two word
// loads and masks instead of variable-length copies.
inline uint64_t HashTokenPadded(const char* p, size_t size) {
  if (size > 16 || std::endian::native != std::endian::little) return HashToken(std::string_view(p, size));
  uint64_t lo, hi;
  std::memcpy(&lo, p, 8);
  std::memcpy(&hi, p + 8, 8);
  lo &= size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * size)) - 1;
  if (size <= 8) return MixShortTokenWord(lo, size);
  hi &= size == 16 ? ~uint64_t{0} : (uint64_t{1} << (8 * (size - 8))) - 1;
  return MixTokenWords(lo, hi, size);
}

}  // namespace dedup

#endif  // DEDUP_CORE_HASH_H_
