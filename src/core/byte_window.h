// File: core/byte_window.h
// The tokeniser's fast path looks at text 64 bytes at a time: one bit per byte
// for ASCII letters/digits, digits 1-9, newlines and non-ASCII bytes, plus the
// bytes lower-cased (and with digits folded to '0') so that a token's hash can
// be taken straight from the window. Four implementations (scalar, SSE2,
// AVX2, AVX-512BW) give identical bits; the widest the CPU supports is
// picked once at run time.
#ifndef DEDUP_CORE_BYTE_WINDOW_H_
#define DEDUP_CORE_BYTE_WINDOW_H_

#include <cstdint>

namespace dedup {

struct ByteWindow {
  static constexpr int kBytes = 64;
  static constexpr int kPadding = 16;  // readable bytes past the window, for word loads
  uint64_t alnum = 0;    // ASCII letter or digit
  uint64_t nonzero_digit = 0;  // ASCII digit 1-9 (what digit folding changes)
  uint64_t newline = 0;  // '\n'
  uint64_t high = 0;     // byte >= 0x80 (part of a UTF-8 sequence)
  // ASCII letters lower-cased, every other byte unchanged.
  alignas(32) char lower[kBytes + kPadding];
  // `lower` with every ASCII digit replaced by '0'.
  alignas(32) char folded[kBytes + kPadding];
};

// Classifies src[0, 64). Reads exactly 64 bytes; the padding of *w is zeroed.
using ClassifyWindowFn = void (*)(const unsigned char* src, ByteWindow* w);

void ClassifyWindowScalar(const unsigned char* src, ByteWindow* w);
// nullptr where the CPU (or the build) lacks the instructions.
ClassifyWindowFn ClassifyWindowSse2();
ClassifyWindowFn ClassifyWindowAvx2();
ClassifyWindowFn ClassifyWindowAvx512();

// The fastest of the above on this CPU, chosen on first use.
ClassifyWindowFn BestClassifyWindow();

}  // namespace dedup

#endif  // DEDUP_CORE_BYTE_WINDOW_H_
