#include "core/tokenize.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

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

Tokenizer::Tokenizer(bool fast_path) : classify_(fast_path ? BestClassifyWindow() : nullptr) {}

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
      // Room for every token of the window at once (at most 64 bytes and a
      // NUL after each of at most 32), instead of a check per token.
      if constexpr (kOutput != Output::kTokenHashes) {
        constexpr size_t kWindowRoom = ByteWindow::kBytes + ByteWindow::kBytes / 2 + 16;
        if (line_size_ + kWindowRoom > exact_line_.size()) GrowLine(kWindowRoom);
      }
      // The first non-ASCII byte ends what this window can do (65: none).
      const int high = w.high != 0 ? std::countr_zero(w.high) : ByteWindow::kBytes + 1;
      const size_t limit = std::min<size_t>(high, len);
      const uint64_t below = limit == 64 ? ~uint64_t{0} : (uint64_t{1} << limit) - 1;
      const uint64_t starts = w.alnum & ~(w.alnum << 1);
      uint64_t events = (starts | w.newline) & below;
      size_t resume = i + limit;
      byte_path = limit < len;  // stopped at a non-ASCII byte
      while (events != 0) {
        const int b = std::countr_zero(events);
        events &= events - 1;
        if ((w.newline >> b) & 1) {
          close_line(i + b, i + b + 1);
          continue;
        }
        const int e = b + std::countr_one(w.alnum >> b);
        const bool runs_past_window = e == ByteWindow::kBytes && i + ByteWindow::kBytes < n;
        if (runs_past_window || e == high) {
          // The token goes on where this window cannot see (or into a
          // non-ASCII letter): start again at it, byte by byte when the
          // window cannot hold it.
          resume = i + b;
          byte_path = e == high || b == 0;
          break;
        }
        const int size = e - b;
        if constexpr (kOutput != Output::kLineText) out->hashes.push_back(HashTokenPadded(w.lower + b, size));
        if constexpr (kOutput != Output::kTokenHashes) {
          // A digit 1-9 at b or after, and before the token's end.
          const uint64_t nonzero_ahead = w.nonzero_digit >> b;
          const bool nonzero_digit = nonzero_ahead != 0 && std::countr_zero(nonzero_ahead) < size;
          AppendToLineWithRoom(w.lower + b, w.folded + b, size, nonzero_digit);
        }
      }
      i = resume;
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
