#include "core/byte_window.h"

#include <cstring>

#include "core/cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DEDUP_X86 1
#endif

namespace dedup {

void ClassifyWindowScalar(const unsigned char* src, ByteWindow* w) {
  uint64_t alnum = 0, nonzero_digit = 0, newline = 0, high = 0;
  for (int i = 0; i < ByteWindow::kBytes; ++i) {
    const unsigned char c = src[i];
    const bool is_digit = c >= '0' && c <= '9';
    const bool is_letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    alnum |= uint64_t{is_digit || is_letter} << i;
    nonzero_digit |= uint64_t{is_digit && c != '0'} << i;
    newline |= uint64_t{c == '\n'} << i;
    high |= uint64_t{c >= 0x80} << i;
    w->lower[i] = static_cast<char>(is_letter ? (c | 0x20) : c);
    w->folded[i] = is_digit ? '0' : w->lower[i];
  }
  w->alnum = alnum;
  w->nonzero_digit = nonzero_digit;
  w->newline = newline;
  w->high = high;
  std::memset(w->lower + ByteWindow::kBytes, 0, ByteWindow::kPadding);
  std::memset(w->folded + ByteWindow::kBytes, 0, ByteWindow::kPadding);
}

#ifdef DEDUP_X86
namespace {

// Range tests by signed compare: (c + bias) wraps [lo, lo + n) onto [-128, -128 + n).
__attribute__((target("sse2"))) void ClassifySse2(const unsigned char* src, ByteWindow* w) {
  const __m128i digit_bias = _mm_set1_epi8(static_cast<char>(0x80 - '0'));
  const __m128i digit_limit = _mm_set1_epi8(static_cast<char>(-128 + 10));
  const __m128i letter_bias = _mm_set1_epi8(static_cast<char>(0x80 - 'a'));
  const __m128i letter_limit = _mm_set1_epi8(static_cast<char>(-128 + 26));
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i zero_char = _mm_set1_epi8('0');
  const __m128i newline_char = _mm_set1_epi8('\n');
  uint64_t alnum = 0, nonzero_digit = 0, newline = 0, high = 0;
  for (int k = 0; k < ByteWindow::kBytes; k += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
    const __m128i is_digit = _mm_cmplt_epi8(_mm_add_epi8(x, digit_bias), digit_limit);
    const __m128i is_letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(x, case_bit), letter_bias), letter_limit);
    const __m128i lower = _mm_or_si128(x, _mm_and_si128(is_letter, case_bit));
    const __m128i folded = _mm_or_si128(_mm_andnot_si128(is_digit, lower), _mm_and_si128(is_digit, zero_char));
    _mm_store_si128(reinterpret_cast<__m128i*>(w->lower + k), lower);
    _mm_store_si128(reinterpret_cast<__m128i*>(w->folded + k), folded);
    alnum |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_or_si128(is_digit, is_letter)))) << k;
    const __m128i is_nonzero_digit = _mm_andnot_si128(_mm_cmpeq_epi8(x, zero_char), is_digit);
    nonzero_digit |= uint64_t(uint32_t(_mm_movemask_epi8(is_nonzero_digit))) << k;
    newline |= uint64_t(uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(x, newline_char)))) << k;
    high |= uint64_t(uint32_t(_mm_movemask_epi8(x))) << k;
  }
  w->alnum = alnum;
  w->nonzero_digit = nonzero_digit;
  w->newline = newline;
  w->high = high;
  _mm_store_si128(reinterpret_cast<__m128i*>(w->lower + ByteWindow::kBytes), _mm_setzero_si128());
  _mm_store_si128(reinterpret_cast<__m128i*>(w->folded + ByteWindow::kBytes), _mm_setzero_si128());
}

__attribute__((target("avx2"))) void ClassifyAvx2(const unsigned char* src, ByteWindow* w) {
  const __m256i digit_bias = _mm256_set1_epi8(static_cast<char>(0x80 - '0'));
  const __m256i digit_limit = _mm256_set1_epi8(static_cast<char>(-128 + 10));
  const __m256i letter_bias = _mm256_set1_epi8(static_cast<char>(0x80 - 'a'));
  const __m256i letter_limit = _mm256_set1_epi8(static_cast<char>(-128 + 26));
  const __m256i case_bit = _mm256_set1_epi8(0x20);
  const __m256i zero_char = _mm256_set1_epi8('0');
  const __m256i newline_char = _mm256_set1_epi8('\n');
  uint64_t alnum = 0, nonzero_digit = 0, newline = 0, high = 0;
  for (int k = 0; k < ByteWindow::kBytes; k += 32) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + k));
    // cmpgt(limit, v) is v < limit.
    const __m256i is_digit = _mm256_cmpgt_epi8(digit_limit, _mm256_add_epi8(x, digit_bias));
    const __m256i is_letter =
        _mm256_cmpgt_epi8(letter_limit, _mm256_add_epi8(_mm256_or_si256(x, case_bit), letter_bias));
    const __m256i lower = _mm256_or_si256(x, _mm256_and_si256(is_letter, case_bit));
    const __m256i folded = _mm256_blendv_epi8(lower, zero_char, is_digit);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w->lower + k), lower);
    _mm256_store_si256(reinterpret_cast<__m256i*>(w->folded + k), folded);
    alnum |= uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_or_si256(is_digit, is_letter)))) << k;
    const __m256i is_nonzero_digit = _mm256_andnot_si256(_mm256_cmpeq_epi8(x, zero_char), is_digit);
    nonzero_digit |= uint64_t(uint32_t(_mm256_movemask_epi8(is_nonzero_digit))) << k;
    newline |= uint64_t(uint32_t(_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, newline_char)))) << k;
    high |= uint64_t(uint32_t(_mm256_movemask_epi8(x))) << k;
  }
  w->alnum = alnum;
  w->nonzero_digit = nonzero_digit;
  w->newline = newline;
  w->high = high;
  _mm_store_si128(reinterpret_cast<__m128i*>(w->lower + ByteWindow::kBytes), _mm_setzero_si128());
  _mm_store_si128(reinterpret_cast<__m128i*>(w->folded + ByteWindow::kBytes), _mm_setzero_si128());
}

// The window in one register: range tests give masks directly, with no
// movemask per 32 bytes.
__attribute__((target("avx512f,avx512bw"))) void ClassifyAvx512(const unsigned char* src, ByteWindow* w) {
  const __m512i x = _mm512_loadu_si512(src);
  const __mmask64 is_digit = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(x, _mm512_set1_epi8('0')), _mm512_set1_epi8(10));
  const __m512i with_case_bit = _mm512_or_si512(x, _mm512_set1_epi8(0x20));
  const __mmask64 is_letter =
      _mm512_cmplt_epu8_mask(_mm512_sub_epi8(with_case_bit, _mm512_set1_epi8('a')), _mm512_set1_epi8(26));
  const __m512i lower = _mm512_mask_mov_epi8(x, is_letter, with_case_bit);
  _mm512_storeu_si512(w->lower, lower);
  _mm512_storeu_si512(w->folded, _mm512_mask_mov_epi8(lower, is_digit, _mm512_set1_epi8('0')));
  w->alnum = is_digit | is_letter;
  w->nonzero_digit = is_digit & ~_mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('0'));
  w->newline = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
  w->high = _mm512_movepi8_mask(x);
  _mm_store_si128(reinterpret_cast<__m128i*>(w->lower + ByteWindow::kBytes), _mm_setzero_si128());
  _mm_store_si128(reinterpret_cast<__m128i*>(w->folded + ByteWindow::kBytes), _mm_setzero_si128());
}

}  // namespace

ClassifyWindowFn ClassifyWindowSse2() { return CpuHasSse2() ? &ClassifySse2 : nullptr; }
ClassifyWindowFn ClassifyWindowAvx2() { return CpuHasAvx2() ? &ClassifyAvx2 : nullptr; }
ClassifyWindowFn ClassifyWindowAvx512() { return CpuHasAvx512Bw() ? &ClassifyAvx512 : nullptr; }
#else
ClassifyWindowFn ClassifyWindowSse2() { return nullptr; }
ClassifyWindowFn ClassifyWindowAvx2() { return nullptr; }
ClassifyWindowFn ClassifyWindowAvx512() { return nullptr; }
#endif

ClassifyWindowFn BestClassifyWindow() {
  static const ClassifyWindowFn best = [] {
    if (ClassifyWindowFn f = ClassifyWindowAvx512()) return f;
    if (ClassifyWindowFn f = ClassifyWindowAvx2()) return f;
    if (ClassifyWindowFn f = ClassifyWindowSse2()) return f;
    return &ClassifyWindowScalar;
  }();
  return best;
}

}  // namespace dedup
