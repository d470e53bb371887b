// File: bench/floor.h
// The "floor": the least work any shingle-based deduplicator must do per input
// byte. Split the bytes into words (runs of ASCII letters and digits,
// lowercased), hash each word with XXH3, and hash every window of 5 word
// hashes with XXH3. No Unicode, no lines, no JSON decoding, no MinHash, no
// hash sets. dedup's MB/s divided by this pass's MB/s over the same bytes is
// the "ratio to floor" that bench/README.md quotes.
//
// Shared by the micro-benchmarks (bench/micro/bm_baseline.cc) and the
// end-to-end floor program (bench/floor_main.cc) so both time the same loop.
#ifndef DEDUP_BENCH_FLOOR_H_
#define DEDUP_BENCH_FLOOR_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/hash.h"

namespace dedup::bench {

inline constexpr int kFloorShingleWords = 5;

struct FloorResult {
  uint64_t words = 0;
  uint64_t shingles = 0;
  uint64_t checksum = 0;  // sum of shingle hashes: keeps the work observable
};

namespace floor_internal {
// 0: separator; else the lowercased byte.
constexpr std::array<uint8_t, 256> MakeLowerAlnum() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= '0' && c <= '9')
      t[c] = static_cast<uint8_t>(c);
    else if (c >= 'a' && c <= 'z')
      t[c] = static_cast<uint8_t>(c);
    else if (c >= 'A' && c <= 'Z')
      t[c] = static_cast<uint8_t>(c | 0x20);
  }
  return t;
}
inline constexpr std::array<uint8_t, 256> kLowerAlnum = MakeLowerAlnum();
}  // namespace floor_internal

// One pass over bytes. Words longer than 64 bytes are hashed by their first
// 64 bytes (rare; this is a lower bound, not a tokenizer).
inline FloorResult FloorPass(std::string_view bytes) {
  using floor_internal::kLowerAlnum;
  constexpr size_t kMaxWord = 64;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  uint64_t window[kFloorShingleWords] = {};
  FloorResult r;
  char word[kMaxWord];
  size_t i = 0;
  while (i < n) {
    while (i < n && kLowerAlnum[p[i]] == 0) ++i;  // skip separators
    if (i == n) break;
    size_t len = 0;
    for (; i < n && kLowerAlnum[p[i]] != 0; ++i) {
      if (len < kMaxWord) word[len++] = static_cast<char>(kLowerAlnum[p[i]]);
    }
    std::memmove(window, window + 1, (kFloorShingleWords - 1) * sizeof(uint64_t));
    window[kFloorShingleWords - 1] = HashBytes(word, len);
    if (++r.words >= static_cast<uint64_t>(kFloorShingleWords)) {
      r.checksum += HashBytes(window, sizeof(window), 0x5348494e474c45ULL);
      ++r.shingles;
    }
  }
  return r;
}

// Cut points that split bytes into `parts` pieces at newlines, so that no word
// straddles two pieces (the shingle window restarts at each cut). cuts must
// hold parts + 1 entries.
inline void SplitAtNewlines(std::string_view bytes, int parts, size_t* cuts) {
  cuts[0] = 0;
  for (int t = 1; t < parts; ++t) {
    size_t pos = std::max(cuts[t - 1], bytes.size() * t / parts);
    const void* nl = pos < bytes.size() ? std::memchr(bytes.data() + pos, '\n', bytes.size() - pos) : nullptr;
    cuts[t] = nl == nullptr ? bytes.size() : static_cast<size_t>(static_cast<const char*>(nl) - bytes.data()) + 1;
  }
  cuts[parts] = bytes.size();
}

}  // namespace dedup::bench

#endif  // DEDUP_BENCH_FLOOR_H_
