// File: core/utf8.h
// Minimal UTF-8 decoding for the tokeniser: one code point at a time, never
// reading past the end and never splitting a sequence. Invalid bytes decode as
// U+FFFD with length 1 so the caller always makes progress.
#ifndef DEDUP_CORE_UTF8_H_
#define DEDUP_CORE_UTF8_H_

#include <cstddef>
#include <cstdint>

namespace dedup {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Decodes the code point at p[0..n) (n >= 1) and stores its byte length in *len.
inline char32_t DecodeUtf8(const unsigned char* p, size_t n, size_t* len) {
  const unsigned char c = p[0];
  if (c < 0x80) {
    *len = 1;
    return c;
  }
  auto cont = [&](size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF && cont(1)) {
    *len = 2;
    return (char32_t(c & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (c >= 0xE0 && c <= 0xEF && cont(1) && cont(2)) {
    const char32_t cp = (char32_t(c & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *len = 3;
      return cp;
    }
  }
  if (c >= 0xF0 && c <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    const char32_t cp = (char32_t(c & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) |
                        (char32_t(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    if (cp >= 0x10000 && cp <= 0x10FFFF) {
      *len = 4;
      return cp;
    }
  }
  *len = 1;
  return kReplacementChar;
}

// Appends the UTF-8 encoding of cp to out (which must have room for 4 bytes)
// and returns the number of bytes written.
inline size_t EncodeUtf8(char32_t cp, char* out) {
  if (cp < 0x80) {
    out[0] = static_cast<char>(cp);
    return 1;
  }
  if (cp < 0x800) {
    out[0] = static_cast<char>(0xC0 | (cp >> 6));
    out[1] = static_cast<char>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (cp >> 12));
    out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (cp >> 18));
  out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (cp & 0x3F));
  return 4;
}

// Offset of the first byte that starts no well-formed UTF-8 sequence in
// [p, p+n), or n when all of it is valid. One linear scan.
size_t FindInvalidUtf8(const char* p, size_t n);

inline bool IsValidUtf8(const char* p, size_t n) { return FindInvalidUtf8(p, n) == n; }

}  // namespace dedup

#endif  // DEDUP_CORE_UTF8_H_
