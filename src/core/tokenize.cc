#include "core/tokenize.h"

#include <array>

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

}  // namespace

void Tokenizer::Flush(TokenStream* out) {
  if (token_.empty()) return;
  const uint64_t h = HashToken(token_);
  out->hashes.push_back(h);
  if (token_has_digit_) {
    for (char& c : token_) {
      if (c >= '1' && c <= '9') c = '0';
    }
    out->folded.push_back(HashToken(token_));
  } else {
    out->folded.push_back(h);
  }
  token_.clear();
  token_has_digit_ = false;
}

void Tokenizer::Tokenize(std::string_view text, TokenStream* out) {
  out->clear();
  token_.clear();
  token_has_digit_ = false;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  LineSpan line;
  auto close_line = [&](size_t end, size_t next) {
    Flush(out);
    line.end = static_cast<uint32_t>(end > line.begin && p[end - 1] == '\r' ? end - 1 : end);
    line.next = static_cast<uint32_t>(next);
    line.num_tokens = static_cast<uint32_t>(out->hashes.size()) - line.first_token;
    out->lines.push_back(line);
    line = LineSpan{};
    line.begin = static_cast<uint32_t>(next);
    line.first_token = static_cast<uint32_t>(out->hashes.size());
  };
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    switch (kByteClass[c]) {
      case kLetter:
      case kDigitByte: {
        // ASCII fast path: the whole run of letters and digits at once.
        size_t j = i;
        uint8_t cls;
        while (j < n && ((cls = kByteClass[p[j]]) == kLetter || cls == kDigitByte)) {
          token_has_digit_ |= cls == kDigitByte;
          token_.push_back(static_cast<char>(cls == kLetter ? (p[j] | 0x20) : p[j]));
          ++j;
        }
        i = j;
        break;
      }
      case kNewline:
        close_line(i, i + 1);
        ++i;
        break;
      case kSep:
        Flush(out);
        ++i;
        break;
      default: {
        size_t len = 0;
        const char32_t cp = DecodeUtf8(p + i, n - i, &len);
        switch (ClassifyCodePoint(cp)) {
          case CharClass::kSeparator:
            Flush(out);
            break;
          case CharClass::kDigit:
            token_has_digit_ = true;
            [[fallthrough]];
          case CharClass::kWord: {
            char buf[4];
            token_.append(buf, EncodeUtf8(FoldCase(cp), buf));
            break;
          }
          case CharClass::kIdeograph: {
            Flush(out);
            char buf[4];
            token_.append(buf, EncodeUtf8(cp, buf));
            Flush(out);
            break;
          }
        }
        i += len;
      }
    }
  }
  if (line.begin < n || out->lines.empty() || !token_.empty()) close_line(n, n);
}

}  // namespace dedup
