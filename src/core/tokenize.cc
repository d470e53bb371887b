#include "core/tokenize.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include "core/cpu_features.h"
#include "core/hash.h"
#include "core/normalize.h"
#include "core/utf8.h"

namespace dedup {
namespace {

// ASCII byte classes for the fast path. Bytes >= 0x80 start a UTF-8 sequence.
enum : uint8_t { kSep = 0, kLetter = 1, kDigitByte = 2, kNewline = 3, kMultiByte = 4 };

constexpr std::array<uint8_t, 256> MakeByteClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    if (c >= 0x80) t[c] = kMultiByte;
    else if (c >= '0' && c <= '9') t[c] = kDigitByte;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) t[c] = kLetter;
    else if (c == '\n') t[c] = kNewline;
    else t[c] = kSep;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kByteClass = MakeByteClasses();

// How much of the window at text[i] (len bytes of it valid) one step takes:
// up to the first non-ASCII byte, less a token that goes on past the window
// (or into a non-ASCII letter), which the next step starts at. Sets
// *byte_path when that next step goes byte by byte: at a non-ASCII byte, or
// at a token the window cannot hold.
size_t CutWindow(const ByteWindow& w, size_t i, size_t len, size_t n, bool* byte_path) {
  const int high = w.high != 0 ? std::countr_zero(w.high) : ByteWindow::kBytes + 1;
  const size_t limit = std::min<size_t>(high, len);
  *byte_path = limit < len;  // stopped at a non-ASCII byte
  if (limit == 0 || ((w.alnum >> (limit - 1)) & 1) == 0) return limit;
  const bool goes_on = (limit == ByteWindow::kBytes && i + ByteWindow::kBytes < n) || limit == size_t(high);
  if (!goes_on) return limit;
  const size_t cut = limit - std::countl_one(w.alnum << (ByteWindow::kBytes - limit));
  *byte_path = limit == size_t(high) || cut == 0;
  return cut;
}

// The bits of a window's first `cut` bytes.
uint64_t FirstBits(size_t cut) { return cut == 64 ? ~uint64_t{0} : (uint64_t{1} << cut) - 1; }

// Whether a token holds a digit that folding changes (1-9).
bool HasNonzeroDigit(const char* p, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (p[i] >= '1' && p[i] <= '9') return true;
  }
  return false;
}

}  // namespace

void Tokenizer::GrowLine(size_t size) {
  const size_t capacity = 2 * (line_size_ + size + 1 + 16);
  exact_line_.resize(capacity);
  folded_line_.resize(capacity);
}

void Tokenizer::FinishLine(LineSpan* line) {
  line->num_tokens = tokens_ - line->first_token;
  line->digit_tokens = line_digit_tokens_;
  if (line->num_tokens > 0) {
    constexpr uint64_t kSeed = 0x4c494e45ULL;
    line->exact_hash = HashBytes(exact_line_.data(), line_size_, kSeed);
    line->folded_hash = line_digit_tokens_ > 0 ? HashBytes(folded_line_.data(), line_size_, kSeed) : line->exact_hash;
  }
  line_size_ = 0;
  line_digit_tokens_ = 0;
}

template <Tokenizer::Output kOutput>
void Tokenizer::Flush(TokenStream* out) {
  if (token_.empty()) return;
  if constexpr (kOutput != Output::kLineText) out->hashes.push_back(HashToken(token_));
  if constexpr (kOutput == Output::kTokenHashes) {
    token_.clear();
    return;
  }
  const size_t size = token_.size();
  const bool nonzero_digit = HasNonzeroDigit(token_.data(), size);
  token_.append(16, '\0');  // AppendToLine reads 16 bytes
  const size_t at = line_size_;
  AppendToLine(token_.data(), token_.data(), size, nonzero_digit);
  if (nonzero_digit) {  // folded in the line's folded copy
    for (char* c = folded_line_.data() + at; c < folded_line_.data() + at + size; ++c) {
      if (*c >= '1' && *c <= '9') *c = '0';
    }
  }
  token_.clear();
}

template <Tokenizer::Output kOutput, typename CloseLine>
size_t Tokenizer::ByteStep(const unsigned char* p, size_t n, size_t i, TokenStream* out, CloseLine& close_line) {
  switch (kByteClass[p[i]]) {
    case kLetter:
    case kDigitByte: {
      // The whole run of ASCII letters and digits at once.
      size_t j = i;
      uint8_t cls;
      while (j < n && ((cls = kByteClass[p[j]]) == kLetter || cls == kDigitByte)) {
        token_.push_back(static_cast<char>(cls == kLetter ? (p[j] | 0x20) : p[j]));
        ++j;
      }
      return j;
    }
    case kNewline:
      close_line(i, i + 1);
      return i + 1;
    case kSep:
      Flush<kOutput>(out);
      return i + 1;
    default: {
      size_t len = 0;
      const char32_t cp = DecodeUtf8(p + i, n - i, &len);
      switch (ClassifyCodePoint(cp)) {
        case CharClass::kSeparator:
          Flush<kOutput>(out);
          break;
        case CharClass::kDigit:
        case CharClass::kWord: {
          char buf[4];
          token_.append(buf, EncodeUtf8(FoldCase(cp), buf));
          break;
        }
        case CharClass::kIdeograph: {
          Flush<kOutput>(out);
          char buf[4];
          token_.append(buf, EncodeUtf8(cp, buf));
          Flush<kOutput>(out);
          break;
        }
      }
      return i + len;
    }
  }
}

Tokenizer::Tokenizer(TokenizerPath path)
    : classify_(path == TokenizerPath::kBytes ? nullptr : BestClassifyWindow()),
      vector_steps_(path == TokenizerPath::kBest && CpuHasAvx512Vbmi2()) {}

#ifdef DEDUP_X86_64
DEDUP_AVX512_INTRINSICS_BEGIN
namespace {

// splitmix64 (Mix64 in core/hash.h) on eight lanes.
__attribute__((target("avx512f,avx512dq"))) inline __m512i Mix64x8(__m512i x) {
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 30));
  x = _mm512_mullo_epi64(x, _mm512_set1_epi64(static_cast<long long>(0xbf58476d1ce4e5b9ULL)));
  x = _mm512_xor_si512(x, _mm512_srli_epi64(x, 27));
  x = _mm512_mullo_epi64(x, _mm512_set1_epi64(static_cast<long long>(0x94d049bb133111ebULL)));
  return _mm512_xor_si512(x, _mm512_srli_epi64(x, 31));
}

}  // namespace

// HashTokenPadded of every token of the window, eight tokens to a vector:
// their starts and sizes are packed by byte compress, and each token's two
// zero-padded words are gathered from the window register by byte permutes.
// Tokens of up to 8 bytes have a zero high word, which MixShortTokenWord's
// table stands for: Mix64(lo ^ Mix64(hi ^ salt)) is the hash of every size.
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vbmi,avx512vbmi2,popcnt,bmi"))) bool
Tokenizer::HashedTokenWindow(const ByteWindow& w, size_t cut, TokenStream* out) {
  const uint64_t alnum = w.alnum & FirstBits(cut);
  uint64_t run17 = alnum & (alnum >> 1);  // bit p: alnum at p .. p+1
  run17 &= run17 >> 2;                    // .. p+3
  run17 &= run17 >> 4;                    // .. p+7
  run17 &= run17 >> 8;                    // .. p+15
  run17 &= run17 >> 1;                    // .. p+16: a token of over 16 bytes
  if (run17 != 0) return false;
  const uint64_t starts = alnum & ~(alnum << 1);
  const uint64_t lasts = alnum & ~(alnum >> 1);
  const int count = std::popcount(starts);
  if (count == 0) return true;
  const __m512i byte_index = _mm512_set_epi8(
      63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36,
      35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8,
      7, 6, 5, 4, 3, 2, 1, 0);
  const __m512i first = _mm512_maskz_compress_epi8(starts, byte_index);
  const __m512i size = _mm512_sub_epi8(_mm512_add_epi8(_mm512_maskz_compress_epi8(lasts, byte_index),
                                                       _mm512_set1_epi8(1)),
                                       first);
  const __m512i text = _mm512_loadu_si512(w.lower);
  // Byte b of a lane: b % 8 (its place in a word), and b / 8 (its lane).
  const __m512i in_word = _mm512_and_si512(byte_index, _mm512_set1_epi8(7));
  const __m512i lane_of_byte = _mm512_srli_epi16(_mm512_andnot_si512(_mm512_set1_epi8(7), byte_index), 3);
  const __m512i salt_step = _mm512_set1_epi64(static_cast<long long>(0x9e3779b97f4a7c15ULL));
  const size_t at = out->hashes.size();
  out->hashes.resize(at + count);
  uint64_t* dst = out->hashes.data() + at;
  for (int group = 0; group < count; group += 8) {
    // Every byte of lane k holds token (group + k)'s start and size.
    const __m512i token_of_byte = _mm512_add_epi8(lane_of_byte, _mm512_set1_epi8(static_cast<char>(group)));
    const __m512i token_first = _mm512_permutexvar_epi8(token_of_byte, first);
    const __m512i token_size = _mm512_permutexvar_epi8(token_of_byte, size);
    const __m512i lo_at = _mm512_add_epi8(token_first, in_word);
    const __m512i hi_at = _mm512_add_epi8(lo_at, _mm512_set1_epi8(8));
    // Bytes past a token's end read whatever the index wraps to: masked.
    const __m512i lo = _mm512_maskz_permutexvar_epi8(_mm512_cmplt_epu8_mask(in_word, token_size), lo_at, text);
    const __m512i hi = _mm512_maskz_permutexvar_epi8(
        _mm512_cmplt_epu8_mask(_mm512_add_epi8(in_word, _mm512_set1_epi8(8)), token_size), hi_at, text);
    const __m512i size64 = _mm512_and_si512(token_size, _mm512_set1_epi64(0xFF));
    const __m512i salt = _mm512_mullo_epi64(salt_step, _mm512_add_epi64(size64, _mm512_set1_epi64(1)));
    const __m512i hash = Mix64x8(_mm512_xor_si512(lo, Mix64x8(_mm512_xor_si512(hi, salt))));
    const int lanes = std::min(8, count - group);
    _mm512_mask_storeu_epi64(dst + group, static_cast<__mmask8>((1u << lanes) - 1), hash);
  }
  return true;
}

// A line's text is its tokens, lower-cased, each followed by a NUL. In a
// window that is every letter or digit byte, plus the byte after each token
// (a separator, read as NUL): one compress of the window keeps exactly
// those. Token and digit-token counts come from the same masks.
template <typename CloseLine>
__attribute__((target("avx512f,avx512bw,avx512vbmi2,popcnt,bmi"))) void Tokenizer::CompressedLineWindow(
    const ByteWindow& w, size_t i, size_t cut, CloseLine& close_line) {
  const uint64_t taken = FirstBits(cut);
  const uint64_t alnum = w.alnum & taken;
  const uint64_t starts = alnum & ~(alnum << 1);
  const uint64_t keep = alnum | ((alnum << 1) & ~w.alnum & taken);
  // Starts of the tokens holding a digit 1-9, one per token.
  uint64_t digit_starts = 0;
  for (uint64_t digits = w.nonzero_digit & alnum; digits != 0;) {
    const int at = std::countr_zero(digits);
    const uint64_t up_to = at == 63 ? ~uint64_t{0} : (uint64_t{2} << at) - 1;
    digit_starts |= uint64_t{1} << (63 - std::countl_zero(starts & up_to));
    const int end = at + std::countr_one(alnum >> at);
    digits = end >= 64 ? 0 : digits & (~uint64_t{0} << end);
  }
  const uint64_t newlines = w.newline & taken;
  const uint64_t first_line = newlines == 0 ? ~uint64_t{0} : (newlines ^ (newlines - 1));
  // The line's first digit token is in this window: its folded text starts
  // here (the window's own bytes are written below either way).
  if (line_digit_tokens_ == 0 && (digit_starts & first_line) != 0) StartFoldedLine();
  const __m512i lower = _mm512_loadu_si512(w.lower);
  const __m512i folded = _mm512_loadu_si512(w.folded);
  char* const exact_text = exact_line_.data();
  char* const folded_text = folded_line_.data();
  _mm512_storeu_si512(exact_text + line_size_, _mm512_maskz_compress_epi8(keep, _mm512_maskz_mov_epi8(alnum, lower)));
  _mm512_storeu_si512(folded_text + line_size_,
                      _mm512_maskz_compress_epi8(keep, _mm512_maskz_mov_epi8(alnum, folded)));
  size_t kept = std::popcount(keep);
  if (cut > 0 && ((alnum >> (cut - 1)) & 1) != 0) {
    // The text ends inside a token: its NUL has no separator byte to be.
    exact_text[line_size_ + kept] = '\0';
    folded_text[line_size_ + kept] = '\0';
    ++kept;
  }
  // This window's kept byte j lies at base + j in the line texts.
  ptrdiff_t base = static_cast<ptrdiff_t>(line_size_);
  const uint32_t tokens_before = tokens_;
  uint64_t closed = 0;  // bits of lines already closed
  for (uint64_t rest = newlines; rest != 0; rest &= rest - 1) {
    const int b = std::countr_zero(rest);
    const uint64_t up_to = b == 63 ? ~uint64_t{0} : (uint64_t{2} << b) - 1;
    const size_t line_end = static_cast<size_t>(base + std::popcount(keep & up_to));
    line_size_ = line_end;
    tokens_ = tokens_before + std::popcount(starts & up_to);
    line_digit_tokens_ += std::popcount(digit_starts & up_to & ~closed);
    close_line(i + b, i + b + 1);
    // The next line's text, already written after this one's, moves to the
    // start (at most a window's bytes; room for 64 past it is kept).
    const __m512i exact_next = _mm512_loadu_si512(exact_text + line_end);
    const __m512i folded_next = _mm512_loadu_si512(folded_text + line_end);
    _mm512_storeu_si512(exact_text, exact_next);
    _mm512_storeu_si512(folded_text, folded_next);
    base -= static_cast<ptrdiff_t>(line_end);
    closed |= up_to;
  }
  line_size_ = static_cast<size_t>(base + static_cast<ptrdiff_t>(kept));
  tokens_ = tokens_before + std::popcount(starts);
  line_digit_tokens_ += std::popcount(digit_starts & ~closed);
}
DEDUP_AVX512_INTRINSICS_END
#endif

void Tokenizer::Tokenize(std::string_view text, TokenStream* out) { Run<Output::kAll>(text, out); }
void Tokenizer::TokenizeLines(std::string_view text, TokenStream* out) { Run<Output::kLineText>(text, out); }
void Tokenizer::TokenizeHashesOnly(std::string_view text, TokenStream* out) {
  Run<Output::kTokenHashes>(text, out);
}

template <Tokenizer::Output kOutput>
void Tokenizer::Run(std::string_view text, TokenStream* out) {
  out->clear();
  token_.clear();
  line_size_ = 0;
  tokens_ = 0;
  line_digit_tokens_ = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  LineSpan line;
  auto close_line = [&](size_t end, size_t next) {
    Flush<kOutput>(out);
    if constexpr (kOutput == Output::kTokenHashes) return;
    line.end = static_cast<uint32_t>(end > line.begin && p[end - 1] == '\r' ? end - 1 : end);
    line.next = static_cast<uint32_t>(next);
    FinishLine(&line);
    out->lines.push_back(line);
    line = LineSpan{};
    line.begin = static_cast<uint32_t>(next);
    line.first_token = tokens_;
  };
  alignas(32) unsigned char tail[ByteWindow::kBytes];
  bool byte_path = classify_ == nullptr;
  size_t i = 0;
  while (i < n) {
    if (!byte_path) {
      // One window at i; no token is open here, so a letter at i starts one.
      const unsigned char* src = p + i;
      size_t len = ByteWindow::kBytes;
      if (n - i < len) {
        len = n - i;
        std::memset(tail, 0, sizeof(tail));
        std::memcpy(tail, src, len);
        src = tail;
      }
      classify_(src, &window_);
      const ByteWindow& w = window_;
      const size_t cut = CutWindow(w, i, len, n, &byte_path);
#ifdef DEDUP_X86_64
      if constexpr (kOutput == Output::kTokenHashes) {
        if (vector_steps_ && HashedTokenWindow(w, cut, out)) {
          i += cut;
          continue;
        }
      }
      if constexpr (kOutput == Output::kLineText) {
        if (vector_steps_) {
          // A window's stores (64 bytes) and the move after a line (64 read
          // past the line's end, itself up to 65 bytes on).
          constexpr size_t kCompressRoom = 2 * ByteWindow::kBytes + 16;
          if (line_size_ + kCompressRoom > exact_line_.size()) GrowLine(kCompressRoom);
          CompressedLineWindow(w, i, cut, close_line);
          i += cut;
          continue;
        }
      }
#endif
      // Room for every token of the window at once (at most 64 bytes and a
      // NUL after each of at most 32), instead of a check per token.
      if constexpr (kOutput != Output::kTokenHashes) {
        constexpr size_t kWindowRoom = ByteWindow::kBytes + ByteWindow::kBytes / 2 + 16;
        if (line_size_ + kWindowRoom > exact_line_.size()) GrowLine(kWindowRoom);
      }
      // One step per token start and newline in the cut.
      const uint64_t alnum = w.alnum & FirstBits(cut);
      for (uint64_t events = (alnum & ~(alnum << 1)) | (w.newline & FirstBits(cut)); events != 0;
           events &= events - 1) {
        const int b = std::countr_zero(events);
        if ((w.newline >> b) & 1) {
          close_line(i + b, i + b + 1);
          continue;
        }
        const int size = std::countr_one(alnum >> b);
        if constexpr (kOutput != Output::kLineText) out->hashes.push_back(HashTokenPadded(w.lower + b, size));
        if constexpr (kOutput != Output::kTokenHashes) {
          // A digit 1-9 at b or after, and before the token's end.
          const uint64_t nonzero_ahead = w.nonzero_digit >> b;
          const bool nonzero_digit = nonzero_ahead != 0 && std::countr_zero(nonzero_ahead) < size;
          AppendToLineWithRoom(w.lower + b, w.folded + b, size, nonzero_digit);
        }
      }
      i += cut;
      continue;
    }
    // Byte path: at least one character, then on until no token is open and
    // the next byte is ASCII.
    do {
      i = ByteStep<kOutput>(p, n, i, out, close_line);
    } while (i < n && (!token_.empty() || p[i] >= 0x80));
    byte_path = classify_ == nullptr;
  }
  if constexpr (kOutput == Output::kTokenHashes) {
    Flush<kOutput>(out);
  } else if (line.begin < n || out->lines.empty() || !token_.empty()) {
    close_line(n, n);
  }
}

}  // namespace dedup
