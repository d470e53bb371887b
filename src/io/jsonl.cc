// File: io/jsonl.cc
// Hand-written recursive-descent JSONL line parser and JSON string escaper.
// Strings are scanned in runs: a 16-byte SSE2 (or 8-byte SWAR) probe skips
// plain ASCII, and only quotes, backslashes, control bytes and non-ASCII
// bytes leave the fast loop.
#include "io/jsonl.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup {
namespace {

using Byte = unsigned char;

// PERF NOTES: FindStringSpecial() is the whole cost of a text field without
// escapes. SSE2 is part of baseline x86-64, so no dispatch is needed: three
// compares + movemask per 16 bytes (the signed compare "< 0x20" also catches
// 0x80..0xFF). The SWAR probe covers 8..15-byte tails and non-x86 targets.
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t Load64(const Byte* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// High bit set in each byte that is '"', '\\', < 0x20 or >= 0x80. Borrows
// can set false bits only above a true hit, so the lowest set bit is exact.
inline uint64_t StringSpecialMask(uint64_t v) {
  const uint64_t q = v ^ (kOnes * '"');
  const uint64_t b = v ^ (kOnes * '\\');
  return (((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((v - kOnes * 0x20) & ~v) |
          v) &
         kHighs;
}

// As StringSpecialMask, without the >= 0x80 class (what AppendJsonString
// must escape).
inline uint64_t EscapeNeededMask(uint64_t v) {
  const uint64_t q = v ^ (kOnes * '"');
  const uint64_t b = v ^ (kOnes * '\\');
  return (((q - kOnes) & ~q) | ((b - kOnes) & ~b) | ((v - kOnes * 0x20) & ~v)) &
         kHighs;
}

constexpr bool kLittleEndian =
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;  // SWAR needs byte 0 = low bits

inline bool IsStringSpecial(Byte c) {
  return c == '"' || c == '\\' || c < 0x20 || c >= 0x80;
}
inline bool IsEscapeNeeded(Byte c) { return c == '"' || c == '\\' || c < 0x20; }

// Returns the first byte in [p, end) that is '"', '\\', < 0x20 or >= 0x80,
// or end.
inline const Byte* FindStringSpecial(const Byte* p, const Byte* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        _mm_cmplt_epi8(v, space));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  if constexpr (kLittleEndian) {
    while (end - p >= 8) {
      const uint64_t mask = StringSpecialMask(Load64(p));
      if (mask != 0) return p + (__builtin_ctzll(mask) >> 3);
      p += 8;
    }
  }
  while (p < end && !IsStringSpecial(*p)) ++p;
  return p;
}

// Returns the first byte in [p, end) that AppendJsonString must escape.
inline const Byte* FindEscapeNeeded(const Byte* p, const Byte* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i max_control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Unsigned v <= 0x1F  <=>  min(v, 0x1F) == v.
    const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, max_control), v);
    const __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
        control);
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  if constexpr (kLittleEndian) {
    while (end - p >= 8) {
      const uint64_t mask = EscapeNeededMask(Load64(p));
      if (mask != 0) return p + (__builtin_ctzll(mask) >> 3);
      p += 8;
    }
  }
  while (p < end && !IsEscapeNeeded(*p)) ++p;
  return p;
}

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
    if (p[1] < lo || p[1] > hi || (p[2] & 0xC0) != 0x80 ||
        (p[3] & 0xC0) != 0x80) {
      return 0;
    }
    return 4;
  }
  return 0;
}

inline int HexValue(Byte c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  char buf[4];
  size_t n;
  if (cp < 0x80) {
    buf[0] = static_cast<char>(cp);
    n = 1;
  } else if (cp < 0x800) {
    buf[0] = static_cast<char>(0xC0 | (cp >> 6));
    buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    buf[0] = static_cast<char>(0xE0 | (cp >> 12));
    buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    buf[0] = static_cast<char>(0xF0 | (cp >> 18));
    buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
    n = 4;
  }
  out->append(buf, n);
}

// One parse of one line. Positions are raw pointers into the line; every
// error names the 1-based byte column of the byte it blames.
class LineParser {
 public:
  LineParser(std::string_view line, const JsonlFieldNames& names,
             JsonlRecord* record, std::string* text)
      : begin_(reinterpret_cast<const Byte*>(line.data())),
        end_(begin_ + line.size()),
        p_(begin_),
        names_(names),
        record_(record),
        text_(text) {}

  absl::Status Parse() {
    SkipWhitespace();
    if (p_ == end_ || *p_ != '{') {
      return Unexpected(p_, "'{' (a JSONL line must be one JSON object)");
    }
    const Byte* object_begin = p_;
    DEDUP_RETURN_IF_ERROR(ParseTopObject());
    SkipWhitespace();
    if (ABSL_PREDICT_FALSE(p_ != end_)) {
      if (*p_ >= 0x80 && Utf8SequenceLength(p_, end_) == 0) {
        return Error(p_, "invalid UTF-8");
      }
      return Error(p_, absl::StrCat("trailing ", Describe(p_),
                                    " after the JSON object"));
    }
    if (ABSL_PREDICT_FALSE(!has_text_)) {
      return Error(object_begin,
                   absl::StrCat("missing field '", names_.text, "'"));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status Error(const Byte* at, absl::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat("column ", at - begin_ + 1, ": ", message));
  }

  std::string Describe(const Byte* at) const {
    if (at == end_) return "end of line";
    const Byte c = *at;
    if (c == 0) return "NUL byte";
    if (c < 0x20 || c == 0x7F) return absl::StrFormat("byte 0x%02x", c);
    if (c >= 0x80) return "non-ASCII character";
    return absl::StrCat("'", std::string(1, static_cast<char>(c)), "'");
  }

  // "unexpected X, expected <expected>", or "invalid UTF-8" when the
  // offending byte starts an ill-formed sequence.
  absl::Status Unexpected(const Byte* at, absl::string_view expected) const {
    if (at < end_ && *at >= 0x80 && Utf8SequenceLength(at, end_) == 0) {
      return Error(at, "invalid UTF-8");
    }
    return Error(
        at, absl::StrCat("unexpected ", Describe(at), ", expected ", expected));
  }

  void SkipWhitespace() {
    while (p_ < end_ &&
           (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n')) {
      ++p_;
    }
  }

  // Parses the escape at *p (a backslash), appends its decoding to *out when
  // kDecode, and returns the position after it through *p.
  template <bool kDecode>
  absl::Status ParseEscape(const Byte** p, std::string* out) const {
    const Byte* at = *p;
    if (ABSL_PREDICT_FALSE(end_ - at < 2)) {
      return Error(at, "incomplete escape sequence at end of line");
    }
    char decoded;
    switch (at[1]) {
      case '"':
        decoded = '"';
        break;
      case '\\':
        decoded = '\\';
        break;
      case '/':
        decoded = '/';
        break;
      case 'b':
        decoded = '\b';
        break;
      case 'f':
        decoded = '\f';
        break;
      case 'n':
        decoded = '\n';
        break;
      case 'r':
        decoded = '\r';
        break;
      case 't':
        decoded = '\t';
        break;
      case 'u': {
        const int unit = ParseHex4(at + 2);
        if (unit < 0) {
          return Error(at, "invalid \\u escape (need 4 hex digits)");
        }
        uint32_t cp = static_cast<uint32_t>(unit);
        const Byte* next = at + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          const int low =
              (end_ - next >= 6 && next[0] == '\\' && next[1] == 'u')
                  ? ParseHex4(next + 2)
                  : -1;
          if (low < 0xDC00 || low > 0xDFFF) {
            return Error(
                at, absl::StrFormat("lone surrogate \\u%04X (high surrogate "
                                    "not followed by a low one)",
                                    cp));
          }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          next += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return Error(at, absl::StrFormat("lone surrogate \\u%04X", cp));
        }
        if constexpr (kDecode) AppendUtf8(cp, out);
        *p = next;
        return absl::OkStatus();
      }
      default:
        if (at[1] >= 0x20 && at[1] < 0x7F) {
          return Error(
              at, absl::StrCat("invalid escape '\\",
                               std::string(1, static_cast<char>(at[1])), "'"));
        }
        return Error(at, "invalid escape");
    }
    if constexpr (kDecode) out->push_back(decoded);
    *p = at + 2;
    return absl::OkStatus();
  }

  // Value of 4 hex digits at p, or -1.
  int ParseHex4(const Byte* p) const {
    if (end_ - p < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      const int h = HexValue(p[i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    return v;
  }

  // p_ is at an opening quote. Validates the string, appends its decoding to
  // *out when kDecode, leaves p_ after the closing quote. *has_escape (when
  // given) tells whether a backslash occurred.
  template <bool kDecode>
  absl::Status ParseString(std::string* out, bool* has_escape = nullptr) {
    const Byte* const open = p_;
    const Byte* p = p_ + 1;
    const Byte* run = p;
    for (;;) {
      p = FindStringSpecial(p, end_);
      if (ABSL_PREDICT_FALSE(p == end_)) {
        return Error(open, "unterminated string");
      }
      const Byte c = *p;
      if (c == '"') {
        if constexpr (kDecode) {
          out->append(reinterpret_cast<const char*>(run), p - run);
        }
        p_ = p + 1;
        return absl::OkStatus();
      }
      if (c >= 0x80) {
        // Stay here while the text is non-ASCII (CJK: 3 bytes per char).
        do {
          const int n = Utf8SequenceLength(p, end_);
          if (ABSL_PREDICT_FALSE(n == 0)) return Error(p, "invalid UTF-8");
          p += n;
        } while (p < end_ && *p >= 0x80);
        continue;
      }
      if (c == '\\') {
        if (has_escape != nullptr) *has_escape = true;
        if constexpr (kDecode) {
          out->append(reinterpret_cast<const char*>(run), p - run);
        }
        DEDUP_RETURN_IF_ERROR(ParseEscape<kDecode>(&p, out));
        run = p;
        continue;
      }
      if (c == 0) return Error(p, "raw NUL byte in string");
      return Error(
          p, absl::StrFormat("raw control character 0x%02x in string (must be "
                             "escaped)",
                             c));
    }
  }

  absl::Status ParseNumber() {
    auto is_digit = [this](const Byte* q) {
      return q < end_ && *q >= '0' && *q <= '9';
    };
    if (*p_ == '-') ++p_;
    if (!is_digit(p_)) return Unexpected(p_, "a digit");
    if (*p_ == '0') {
      ++p_;
    } else {
      while (is_digit(p_)) ++p_;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!is_digit(p_)) return Unexpected(p_, "a digit after '.'");
      while (is_digit(p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!is_digit(p_)) return Unexpected(p_, "a digit in the exponent");
      while (is_digit(p_)) ++p_;
    }
    return absl::OkStatus();
  }

  absl::Status ParseLiteral(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return Unexpected(p_, "a JSON value");
    }
    p_ += word.size();
    return absl::OkStatus();
  }

  // Validates any value at p_ (whitespace already skipped). `depth` is the
  // nesting depth an object or array starting here would have.
  absl::Status ParseValue(int depth) {
    if (p_ == end_) return Unexpected(p_, "a JSON value");
    switch (*p_) {
      case '"':
        return ParseString<false>(nullptr);
      case '{':
      case '[':
        return ParseContainer(depth);
      case 't':
        return ParseLiteral("true");
      case 'f':
        return ParseLiteral("false");
      case 'n':
        return ParseLiteral("null");
      default:
        if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return ParseNumber();
        return Unexpected(p_, "a JSON value");
    }
  }

  // A nested object or array, validated only.
  absl::Status ParseContainer(int depth) {
    if (ABSL_PREDICT_FALSE(depth > kJsonlMaxDepth)) {
      return Error(
          p_, absl::StrCat("nesting deeper than ", kJsonlMaxDepth, " levels"));
    }
    const bool is_object = *p_ == '{';
    const Byte close = is_object ? '}' : ']';
    ++p_;
    SkipWhitespace();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return absl::OkStatus();
    }
    for (;;) {
      if (is_object) {
        if (p_ == end_ || *p_ != '"')
          return Unexpected(p_, "'\"' (object key)");
        DEDUP_RETURN_IF_ERROR(ParseString<false>(nullptr));
        DEDUP_RETURN_IF_ERROR(ExpectColon());
      }
      DEDUP_RETURN_IF_ERROR(ParseValue(depth + 1));
      SkipWhitespace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (p_ < end_ && *p_ == close) {
        ++p_;
        return absl::OkStatus();
      }
      return Unexpected(p_, is_object ? "',' or '}'" : "',' or ']'");
    }
  }

  absl::Status ExpectColon() {
    SkipWhitespace();
    if (p_ == end_ || *p_ != ':') return Unexpected(p_, "':' after object key");
    ++p_;
    SkipWhitespace();
    return absl::OkStatus();
  }

  absl::Status DuplicateField(const Byte* key_at, const std::string& name) {
    return Error(key_at, absl::StrCat("duplicate field '", name, "'"));
  }

  // The line's object: like ParseContainer, but matches keys against the
  // field names and decodes their values.
  absl::Status ParseTopObject() {
    ++p_;
    SkipWhitespace();
    if (p_ < end_ && *p_ == '}') {
      ++p_;
      return absl::OkStatus();
    }
    for (;;) {
      if (p_ == end_ || *p_ != '"') return Unexpected(p_, "'\"' (object key)");
      const Byte* const key_at = p_;
      bool key_has_escape = false;
      DEDUP_RETURN_IF_ERROR(ParseString<false>(nullptr, &key_has_escape));
      std::string_view key(reinterpret_cast<const char*>(key_at + 1),
                           p_ - key_at - 2);
      if (ABSL_PREDICT_FALSE(key_has_escape)) {
        // Rare: decode the key so "te\u0078t" still names the text field.
        const Byte* after = p_;
        p_ = key_at;
        key_scratch_.clear();
        DEDUP_RETURN_IF_ERROR(ParseString<true>(&key_scratch_));
        p_ = after;
        key = key_scratch_;
      }
      DEDUP_RETURN_IF_ERROR(ExpectColon());
      const bool is_text = key == names_.text;
      const bool is_id = key == names_.id;
      const bool is_source = key == names_.source;
      if (!is_text && !is_id && !is_source) {
        DEDUP_RETURN_IF_ERROR(ParseValue(2));
      } else {
        DEDUP_RETURN_IF_ERROR(
            ParseKnownField(key_at, is_text, is_id, is_source));
      }
      SkipWhitespace();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        SkipWhitespace();
        continue;
      }
      if (p_ < end_ && *p_ == '}') {
        ++p_;
        return absl::OkStatus();
      }
      return Unexpected(p_, "',' or '}'");
    }
  }

  // The value of a key that names the text, id and/or source field (one key
  // may name several when the caller configures equal names).
  absl::Status ParseKnownField(const Byte* key_at, bool is_text, bool is_id,
                               bool is_source) {
    if (is_text && has_text_) return DuplicateField(key_at, names_.text);
    if (is_id && record_->has_id) return DuplicateField(key_at, names_.id);
    if (is_source && record_->has_source) {
      return DuplicateField(key_at, names_.source);
    }
    const Byte* const value_at = p_;
    if (p_ < end_ && *p_ == '"') {
      std::string* target = is_text ? text_
                            : is_id ? &record_->id
                                    : &record_->source;
      target->clear();
      DEDUP_RETURN_IF_ERROR(ParseString<true>(target));
      if (is_text) {
        has_text_ = true;
        record_->text_value_begin = value_at - begin_;
        record_->text_value_end = p_ - begin_;
      }
      if (is_id) {
        if (target != &record_->id) record_->id = *target;
        record_->has_id = true;
      }
      if (is_source) {
        if (target != &record_->source) record_->source = *target;
        record_->has_source = true;
      }
      return absl::OkStatus();
    }
    if (is_text) {
      if (p_ == end_) return Unexpected(p_, "a JSON value");
      return Error(value_at,
                   absl::StrCat("field '", names_.text, "' is not a string"));
    }
    if (is_id) {
      if (p_ < end_ && (*p_ == '-' || (*p_ >= '0' && *p_ <= '9'))) {
        DEDUP_RETURN_IF_ERROR(ParseNumber());
        record_->id.assign(reinterpret_cast<const char*>(value_at),
                           p_ - value_at);
        record_->has_id = true;
        return absl::OkStatus();
      }
      if (p_ == end_) return Unexpected(p_, "a JSON value");
      if (*p_ >= 0x80 && Utf8SequenceLength(p_, end_) == 0) {
        return Error(p_, "invalid UTF-8");
      }
      return Error(value_at,
                   absl::StrCat("field '", names_.id,
                                "' is neither a string nor a number"));
    }
    // A non-string source (null, object, ...) is validated and ignored.
    return ParseValue(2);
  }

  const Byte* const begin_;
  const Byte* const end_;
  const Byte* p_;
  const JsonlFieldNames& names_;
  JsonlRecord* const record_;
  std::string* const text_;
  bool has_text_ = false;
  std::string key_scratch_;
};

}  // namespace

absl::Status ParseJsonlLine(std::string_view line, const JsonlFieldNames& names,
                            JsonlRecord* record, std::string* text) {
  text->clear();
  record->text_value_begin = 0;
  record->text_value_end = 0;
  record->id.clear();
  record->has_id = false;
  record->source.clear();
  record->has_source = false;
  LineParser parser(line, names, record, text);
  return parser.Parse();
}

void AppendJsonString(std::string_view utf8, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const Byte* p = reinterpret_cast<const Byte*>(utf8.data());
  const Byte* const end = p + utf8.size();
  out->reserve(out->size() + utf8.size() + 2);
  out->push_back('"');
  for (;;) {
    const Byte* const run = p;
    p = FindEscapeNeeded(p, end);
    out->append(reinterpret_cast<const char*>(run), p - run);
    if (p == end) break;
    const Byte c = *p++;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(esc, sizeof(esc));
      }
    }
  }
  out->push_back('"');
}

}  // namespace dedup
