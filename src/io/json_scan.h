// File: io/json_scan.h
// Byte-scanning primitives behind the JSONL parser, framing and writer:
// string-body scans (16 bytes per step with SSE2, 8 with SWAR, then bytes),
// UTF-8 sequence checks, and decoding of a string body that was already
// validated. Every fast scan has a byte-at-a-time *Scalar twin with the same
// result; the twins exist for the tests and for the tails.
#ifndef DEDUP_IO_JSON_SCAN_H_
#define DEDUP_IO_JSON_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "absl/base/optimization.h"
#include "core/utf8.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup::internal {

using Byte = unsigned char;

inline constexpr uint64_t kOnes = 0x0101010101010101ULL;
inline constexpr uint64_t kHighs = 0x8080808080808080ULL;
// SWAR needs byte 0 in the low bits.
inline constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

inline uint64_t Load64(const Byte* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// High bit set in each byte equal to c. Borrows can set false bits only above
// a true hit, so the lowest set bit is exact (the callers only use that one).
inline uint64_t ByteEqualMask(uint64_t v, Byte c) {
  const uint64_t x = v ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

// High bit set in each byte that is '"', '\\' or < 0x20 (what a JSON string
// must escape); lowest set bit exact as above.
inline uint64_t EscapeNeededMask(uint64_t v) {
  return ByteEqualMask(v, '"') | ByteEqualMask(v, '\\') | ((v - kOnes * 0x20) & ~v & kHighs);
}

// As EscapeNeededMask, plus bytes >= 0x80.
inline uint64_t StringSpecialMask(uint64_t v) { return EscapeNeededMask(v) | (v & kHighs); }

inline bool IsEscapeNeeded(Byte c) { return c == '"' || c == '\\' || c < 0x20; }
inline bool IsStringSpecial(Byte c) { return IsEscapeNeeded(c) || c >= 0x80; }

#if defined(__SSE2__)
// 16 bits, one per byte of p[0, 16): '"', '\\', < 0x20 or >= 0x80.
inline unsigned StringSpecialBits16(const Byte* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // The signed compare "< 0x20" also catches 0x80..0xFF.
  const __m128i hit =
      _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                   _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

#if defined(__SSE2__)
// 16 bits, one per byte of p[0, 16): '"', '\\' or < 0x20.
inline unsigned EscapeNeededBits16(const Byte* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Unsigned v <= 0x1F  <=>  min(v, 0x1F) == v.
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
  const __m128i hit = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))), control);
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

#if defined(__SSE2__)
// 16 bits, one per byte of p[0, 16): '\\'.
inline unsigned BackslashBits16(const Byte* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
}
#endif

// The byte classes the string scans look for, each as a byte test, an 8-byte
// SWAR mask and (with SSE2) a 16-byte bit mask that agree with each other.
struct StringSpecialClass {  // '"', '\\', < 0x20 or >= 0x80
  static bool Hit(Byte c) { return IsStringSpecial(c); }
  static uint64_t Mask8(uint64_t v) { return StringSpecialMask(v); }
#if defined(__SSE2__)
  static unsigned Bits16(const Byte* p) { return StringSpecialBits16(p); }
#endif
};
struct EscapeNeededClass {  // '"', '\\' or < 0x20
  static bool Hit(Byte c) { return IsEscapeNeeded(c); }
  static uint64_t Mask8(uint64_t v) { return EscapeNeededMask(v); }
#if defined(__SSE2__)
  static unsigned Bits16(const Byte* p) { return EscapeNeededBits16(p); }
#endif
};

struct BackslashClass {  // '\\': where an escape starts in a valid string body
  static bool Hit(Byte c) { return c == '\\'; }
  static uint64_t Mask8(uint64_t v) { return ByteEqualMask(v, '\\'); }
#if defined(__SSE2__)
  static unsigned Bits16(const Byte* p) { return BackslashBits16(p); }
#endif
};

template <typename Class>
inline const Byte* FindFirstScalar(const Byte* p, const Byte* end) {
  while (p < end && !Class::Hit(*p)) ++p;
  return p;
}

// First byte in [p, end) of the class, or end: 32 bytes a step with SSE2
// (JSON text stops a scan every few dozen bytes, at an escaped newline or a
// quote: one well-predicted branch per 32 bytes), then 8 with SWAR, then one.
template <typename Class>
inline const Byte* FindFirst(const Byte* p, const Byte* end) {
#if defined(__SSE2__)
  while (end - p >= 32) {
    const unsigned mask = Class::Bits16(p) | (Class::Bits16(p + 16) << 16);
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 32;
  }
  if (end - p >= 16) {
    const unsigned mask = Class::Bits16(p);
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  if constexpr (kLittleEndian) {
    while (end - p >= 8) {
      const uint64_t mask = Class::Mask8(Load64(p));
      if (mask != 0) return p + (__builtin_ctzll(mask) >> 3);
      p += 8;
    }
  }
  return FindFirstScalar<Class>(p, end);
}

// First byte in [p, end) that is '"', '\\', < 0x20 or >= 0x80, or end.
inline const Byte* FindStringSpecial(const Byte* p, const Byte* end) { return FindFirst<StringSpecialClass>(p, end); }
inline const Byte* FindStringSpecialScalar(const Byte* p, const Byte* end) {
  return FindFirstScalar<StringSpecialClass>(p, end);
}
// First byte in [p, end) that a JSON string must escape, or end.
inline const Byte* FindEscapeNeeded(const Byte* p, const Byte* end) { return FindFirst<EscapeNeededClass>(p, end); }
inline const Byte* FindEscapeNeededScalar(const Byte* p, const Byte* end) {
  return FindFirstScalar<EscapeNeededClass>(p, end);
}
// First backslash in [p, end), or end.
inline const Byte* FindBackslash(const Byte* p, const Byte* end) { return FindFirst<BackslashClass>(p, end); }
inline const Byte* FindBackslashScalar(const Byte* p, const Byte* end) { return FindFirstScalar<BackslashClass>(p, end); }

// Length (2..4) of the well-formed UTF-8 sequence starting at the non-ASCII
// byte *p, or 0 if it is ill-formed (overlong, surrogate, > U+10FFFF,
// truncated, stray continuation byte). Table 3-7 of the Unicode standard.
inline int Utf8SequenceLength(const Byte* p, const Byte* end) {
  const Byte c = p[0];
  const ptrdiff_t avail = end - p;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return (avail >= 2 && (p[1] & 0xC0) == 0x80) ? 2 : 0;
  if (c < 0xF0) {
    if (avail < 3) return 0;
    const Byte lo = c == 0xE0 ? 0xA0 : 0x80;
    const Byte hi = c == 0xED ? 0x9F : 0xBF;
    if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80) return 0;
    return 3;
  }
  if (c < 0xF5) {
    if (avail < 4) return 0;
    const Byte lo = c == 0xF0 ? 0x90 : 0x80;
    const Byte hi = c == 0xF4 ? 0x8F : 0xBF;
    if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
    return 4;
  }
  return 0;
}

// Skips the well-formed UTF-8 sequences starting at the non-ASCII byte *p
// while the bytes stay non-ASCII (CJK text: 3 bytes per character); returns
// the first ASCII byte, end, or the start of an ill-formed sequence.
inline const Byte* SkipNonAsciiUtf8(const Byte* p, const Byte* end) {
  do {
    const int n = Utf8SequenceLength(p, end);
    if (n == 0) return p;
    p += n;
  } while (p < end && *p >= 0x80);
  return p;
}

// Scans a JSON string body from p: returns the first '"', '\\', byte < 0x20
// or start of an ill-formed UTF-8 sequence, or end. So *result >= 0x80 means
// invalid UTF-8 there.
inline const Byte* ScanStringBodyScalar(const Byte* p, const Byte* end) {
  for (;;) {
    p = FindStringSpecialScalar(p, end);
    if (p == end || *p < 0x80) return p;
    const Byte* next = SkipNonAsciiUtf8(p, end);
    if (next == p) return p;
    p = next;
  }
}

inline const Byte* ScanStringBody(const Byte* p, const Byte* end) {
  for (;;) {
    p = FindStringSpecial(p, end);
    if (p == end || *p < 0x80) return p;
    const Byte* next = SkipNonAsciiUtf8(p, end);
    if (next == p) return p;
    p = next;
  }
}

// The byte that a two-character escape "\\c" stands for, indexed by c; 0 for
// 'u' and for characters that cannot follow a backslash.
inline constexpr struct SimpleEscapeTable {
  Byte value[256] = {};
  constexpr SimpleEscapeTable() {
    value['"'] = '"';
    value['\\'] = '\\';
    value['/'] = '/';
    value['b'] = '\b';
    value['f'] = '\f';
    value['n'] = '\n';
    value['r'] = '\r';
    value['t'] = '\t';
  }
} kSimpleEscapes;

// The character after the backslash of the two-character escape that
// AppendJsonString writes for byte c; 0 where it writes "\\u00XX" or no
// escape. The inverse of kSimpleEscapes, but for '/', written as it is.
inline constexpr struct ShortEscapeTable {
  Byte value[256] = {};
  constexpr ShortEscapeTable() {
    for (int c = 0; c < 256; ++c) {
      const Byte decoded = kSimpleEscapes.value[c];
      if (decoded != 0 && c != '/') value[decoded] = static_cast<Byte>(c);
    }
  }
} kShortEscapes;

// Whether "\\c" is an escape that SkipSimpleStringBlocks accepts: all the
// two-character ones but "\\\\" (it would need the backslash-run logic).
inline bool IsSimpleEscapeChar(Byte c) { return kSimpleEscapes.value[c] != 0 && c != '\\'; }

// Validates a JSON string body from p (not inside an escape) in 32-byte
// blocks, as long as a block holds only printable ASCII and escapes of
// IsSimpleEscapeChar that end inside it, up to the closing quote. Returns
// the byte after the closing quote with *closed = true, or the start of the
// first block it cannot vouch for (or of the last < 32 bytes) with *closed
// = false; the caller scans on from there byte by byte. Sets *escaped when
// it passed a backslash. The point: one branch per 32 bytes instead of a
// stop at every escape (JSON text has an escaped newline every few dozen
// bytes).
inline const Byte* SkipSimpleStringBlocksScalar(const Byte* p, const Byte* end, bool* closed, bool* escaped) {
  *closed = false;
  while (end - p >= 32) {
    bool block_escaped = false;
    for (int i = 0; i < 32; ++i) {
      const Byte c = p[i];
      if (c == '"') {
        *escaped |= block_escaped;
        *closed = true;
        return p + i + 1;
      }
      if (c < 0x20 || c >= 0x80) return p;
      if (c == '\\') {
        if (i == 31 || !IsSimpleEscapeChar(p[i + 1])) return p;
        block_escaped = true;
        ++i;
      }
    }
    *escaped |= block_escaped;
    p += 32;
  }
  return p;
}

#if defined(__SSE2__)
// 16 bits, one per byte of p[0, 16) for which IsSimpleEscapeChar holds.
inline unsigned SimpleEscapeCharBits16(__m128i v) {
  const __m128i a = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('/')));
  const __m128i b = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('b')), _mm_cmpeq_epi8(v, _mm_set1_epi8('f')));
  const __m128i c = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('n')), _mm_cmpeq_epi8(v, _mm_set1_epi8('r')));
  const __m128i t = _mm_cmpeq_epi8(v, _mm_set1_epi8('t'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, t))));
}
#endif

inline const Byte* SkipSimpleStringBlocks(const Byte* p, const Byte* end, bool* closed, bool* escaped) {
#if defined(__SSE2__)
  *closed = false;
  while (end - p >= 32) {
    uint32_t quote = 0, backslash = 0, other = 0, escapable = 0;
    for (int half = 0; half < 2; ++half) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * half));
      const int shift = 16 * half;
      quote |= static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')))) << shift;
      backslash |= static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))) << shift;
      // The signed compare "< 0x20" also catches 0x80..0xFF.
      other |= static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)))) << shift;
      escapable |= SimpleEscapeCharBits16(v) << shift;
    }
    // Escaped bytes as if every backslash started an escape: wrong only
    // after two backslashes in a row, which are refused below anyway.
    const uint32_t escaped_bytes = backslash << 1;
    const uint32_t closing = quote & ~escaped_bytes;
    const uint32_t inside = closing != 0 ? (closing & (0 - closing)) - 1 : ~uint32_t{0};
    const uint32_t refused = (other | (backslash & escaped_bytes) | (escaped_bytes & ~escapable) |
                              (backslash & 0x80000000u)) &
                             inside;
    if (refused != 0) return p;
    *escaped |= (backslash & inside) != 0;
    if (closing != 0) {
      *closed = true;
      return p + __builtin_ctz(closing) + 1;
    }
    p += 32;
  }
  return p;
#else
  return SkipSimpleStringBlocksScalar(p, end, closed, escaped);
#endif
}

inline int HexValue(Byte c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at *src (a backslash) of a validated string body,
// writes its bytes at *dst and advances both. Never reads at or past end:
// a malformed escape (a broken precondition) decodes to its backslash alone.
// Never writes more bytes than it consumes.
inline void DecodeValidEscape(const Byte** src, Byte** dst, const Byte* end) {
  const Byte* s = *src;
  Byte* d = *dst;
  const Byte c = end - s >= 2 ? s[1] : 0;
  const Byte simple = kSimpleEscapes.value[c];
  if (simple != 0) {
    *d = simple;
    *dst = d + 1;
    *src = s + 2;
    return;
  }
  const Byte* q = s + 2;
  if (c != 'u' || end - q < 4) {
    *d = '\\';
    *dst = d + 1;
    *src = s + 1;
    return;
  }
  auto hex4 = [](const Byte* h) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = v * 16 + static_cast<uint32_t>(HexValue(h[i]));
    return v;
  };
  uint32_t cp = hex4(q);
  q += 4;
  // Validation paired every high surrogate with a low one.
  if (cp >= 0xD800 && cp <= 0xDBFF && end - q >= 6) {
    cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4(q + 2) - 0xDC00);
    q += 6;
  }
  *dst = d + EncodeUtf8(cp & 0x1FFFFF, reinterpret_cast<char*>(d));
  *src = q;
}

// Decodes the body [src, src + n) of a JSON string that the parser accepted
// (quotes excluded) into dst, which must hold n bytes (decoding never grows
// a string); returns the decoded length. Does not validate.
inline size_t DecodeValidStringBodyScalar(const Byte* src, size_t n, Byte* dst) {
  const Byte* const end = src + n;
  Byte* d = dst;
  while (src < end) {
    const Byte* bs = static_cast<const Byte*>(std::memchr(src, '\\', end - src));
    if (bs == nullptr) bs = end;
    std::memcpy(d, src, bs - src);
    d += bs - src;
    src = bs;
    if (src < end) DecodeValidEscape(&src, &d, end);
  }
  return d - dst;
}

#if defined(__SSE2__)
// 64 bits, one per byte of p[0, 64), set at each backslash.
inline uint64_t BackslashBits64(const Byte* p) {
  uint64_t bits = 0;
  for (int i = 0; i < 4; ++i) bits |= static_cast<uint64_t>(BackslashBits16(p + 16 * i)) << (16 * i);
  return bits;
}

// Copies p[0, 64) to d, whatever part of it the caller keeps.
inline void Copy64(const Byte* p, Byte* d) {
  for (int i = 0; i < 4; ++i) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 16 * i),
                     _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i)));
  }
}

// Bits of `bits` (one per byte of a 64-byte block) from byte `from` on.
inline uint64_t BitsFrom(uint64_t bits, size_t from) { return from >= 64 ? 0 : bits & (~uint64_t{0} << from); }
#endif

// How far ahead the decoder asks for its input: the passes read each
// document's bytes cold (released behind the previous pass), and the hardware
// prefetcher stops at 4 KiB page boundaries.
inline constexpr size_t kDecodePrefetchBytes = 2048;

inline size_t DecodeValidStringBody(const Byte* src, size_t n, Byte* dst) {
  const Byte* const end = src + n;
  Byte* d = dst;
#if defined(__SSE2__)
  // 64-byte blocks, their backslashes found at once: then each escape costs
  // a blind 64-byte copy of the text before it and one table lookup, with no
  // branch to mispredict but the loop's (JSON text has an escaped newline
  // every few dozen bytes). Reads stay below block + 128 <= end; writes stay
  // below d + 64 <= dst + (src position) + 64 <= dst + n.
  for (const Byte* block = src; end - block >= 128; block += 64) {
    __builtin_prefetch(block + kDecodePrefetchBytes);
    // Backslashes before src were inside an escape that straddled blocks.
    uint64_t escapes = BitsFrom(BackslashBits64(block), src - block);
    while (escapes != 0) {
      const Byte* const backslash = block + __builtin_ctzll(escapes);
      Copy64(src, d);
      d += backslash - src;
      src = backslash;
      const Byte c = src[1];
      const Byte simple = kSimpleEscapes.value[c];
      if (ABSL_PREDICT_TRUE(simple != 0 && c != '\\')) {
        *d++ = simple;
        src += 2;
        escapes &= escapes - 1;
      } else {  // \u, or "\\\\" (whose second backslash is no escape)
        DecodeValidEscape(&src, &d, end);
        escapes = BitsFrom(escapes, src - block);
      }
    }
    if (src < block + 64) {
      Copy64(src, d);
      d += block + 64 - src;
      src = block + 64;
    }
  }
  // Copy 32 (then 16) bytes blindly, then keep those before the first
  // backslash: d - dst <= src - begin, so the stores stay inside dst's n bytes.
  const __m128i backslash = _mm_set1_epi8('\\');
  while (end - src >= 32) {
    const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
    const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), v0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 16), v1);
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v0, backslash))) |
                          (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v1, backslash))) << 16);
    if (mask == 0) {
      src += 32;
      d += 32;
      continue;
    }
    const int k = __builtin_ctz(mask);
    src += k;
    d += k;
    DecodeValidEscape(&src, &d, end);
  }
  while (end - src >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(d), v);
    const int mask = _mm_movemask_epi8(_mm_cmpeq_epi8(v, backslash));
    if (mask == 0) {
      src += 16;
      d += 16;
      continue;
    }
    const int k = __builtin_ctz(static_cast<unsigned>(mask));
    src += k;
    d += k;
    DecodeValidEscape(&src, &d, end);
  }
#endif
  return (d - dst) + DecodeValidStringBodyScalar(src, end - src, d);
}

}  // namespace dedup::internal

#endif  // DEDUP_IO_JSON_SCAN_H_
