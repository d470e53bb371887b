// File: io/jsonl.cc
// Hand-written recursive-descent JSONL line parser and JSON string escaper.
// Strings are scanned in runs (io/json_scan.h): a 16-byte SSE2 (or 8-byte
// SWAR) probe skips plain ASCII, and only quotes, backslashes, control bytes
// and non-ASCII bytes leave the fast loop.
#include "io/jsonl.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/status.h"
#include "io/json_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup {
namespace {

using internal::Byte;
using internal::HexValue;
using internal::Utf8SequenceLength;

void AppendUtf8(uint32_t cp, std::string* out) {
  char buf[4];
  out->append(buf, EncodeUtf8(cp, buf));
}

// One parse of one line. Positions are raw pointers into the line; every
// error names the 1-based byte column of the byte it blames.
class LineParser {
 public:
  // stop_at_newline: `line` runs on past the line, which ends at its first
  // '\n' (not whitespace then); errors may then blame other bytes.
  LineParser(std::string_view line, const JsonlFieldNames& names,
             JsonlRecord* record, std::string* text,
             bool stop_at_newline = false)
      : begin_(reinterpret_cast<const Byte*>(line.data())),
        end_(begin_ + line.size()),
        p_(begin_),
        names_(names),
        record_(record),
        text_(text),
        stop_at_newline_(stop_at_newline) {}

  // Bytes consumed: the line's length after a successful Parse().
  size_t parsed_size() const { return p_ - begin_; }

  absl::Status Parse() {
    SkipWhitespace();
    if (p_ == end_ || *p_ != '{') {
      return Unexpected(p_, "'{' (a JSONL line must be one JSON object)");
    }
    const Byte* object_begin = p_;
    DEDUP_RETURN_IF_ERROR(ParseTopObject());
    SkipWhitespace();
    if (ABSL_PREDICT_FALSE(p_ != end_) && !(stop_at_newline_ && *p_ == '\n')) {
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
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' ||
                         (*p_ == '\n' && !stop_at_newline_))) {
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
      if constexpr (!kDecode) {
        // Whole 32-byte blocks of plain text and simple escapes at once.
        bool closed = false;
        bool escaped = false;
        p = internal::SkipSimpleStringBlocks(p, end_, &closed, &escaped);
        if (escaped && has_escape != nullptr) *has_escape = true;
        if (closed) {
          p_ = p;
          return absl::OkStatus();
        }
      }
      p = internal::ScanStringBody(p, end_);
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
      if (c == '\\') {
        if (has_escape != nullptr) *has_escape = true;
        if constexpr (kDecode) {
          out->append(reinterpret_cast<const char*>(run), p - run);
        }
        // The common escapes inline; \u and errors in ParseEscape.
        const Byte simple =
            end_ - p >= 2 ? internal::kSimpleEscapes.value[p[1]] : 0;
        if (ABSL_PREDICT_TRUE(simple != 0)) {
          if constexpr (kDecode) out->push_back(static_cast<char>(simple));
          p += 2;
        } else {
          DEDUP_RETURN_IF_ERROR(ParseEscape<kDecode>(&p, out));
        }
        run = p;
        continue;
      }
      if (c >= 0x80) return Error(p, "invalid UTF-8");
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
      bool has_escape = false;
      if (target == nullptr && !is_id && !is_source) {
        // Text not wanted (framing): validate only.
        DEDUP_RETURN_IF_ERROR(ParseString<false>(nullptr, &has_escape));
      } else {
        if (target == nullptr) target = &value_scratch_;
        target->clear();
        DEDUP_RETURN_IF_ERROR(ParseString<true>(target, &has_escape));
      }
      if (is_text) {
        has_text_ = true;
        record_->text_value_begin = value_at - begin_;
        record_->text_value_end = p_ - begin_;
        record_->text_has_escape = has_escape;
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
  const bool stop_at_newline_;
  bool has_text_ = false;
  std::string key_scratch_;
  std::string value_scratch_;  // text that is also the id or source
};

void ResetRecord(JsonlRecord* record) {
  record->text_value_begin = 0;
  record->text_value_end = 0;
  record->text_has_escape = false;
  record->id.clear();
  record->has_id = false;
  record->source.clear();
  record->has_source = false;
}

}  // namespace

absl::Status ParseJsonlLine(std::string_view line, const JsonlFieldNames& names,
                            JsonlRecord* record, std::string* text) {
  if (text != nullptr) text->clear();
  ResetRecord(record);
  LineParser parser(line, names, record, text);
  return parser.Parse();
}

bool TryParseJsonlLineAt(std::string_view bytes, const JsonlFieldNames& names,
                         JsonlRecord* record, size_t* line_size) {
  ResetRecord(record);
  LineParser parser(bytes, names, record, nullptr, /*stop_at_newline=*/true);
  if (!parser.Parse().ok()) return false;
  *line_size = parser.parsed_size();
  return true;
}

std::string_view DecodeJsonlText(std::string_view value, bool has_escape,
                                 std::string* scratch) {
  const std::string_view body = value.substr(1, value.size() - 2);
  if (!has_escape) return body;
  if (scratch->size() < body.size()) scratch->resize(body.size());
  const size_t n = internal::DecodeValidStringBody(
      reinterpret_cast<const Byte*>(body.data()), body.size(),
      reinterpret_cast<Byte*>(scratch->data()));
  return std::string_view(scratch->data(), n);
}

void AppendJsonString(std::string_view utf8, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Written through a pointer into *out, grown ahead: room for the rest of
  // the input as it is, the closing quote and kSlack bytes, so that the SIMD
  // loop may store 32 bytes blindly; an escape adds at most 5 bytes. Growth
  // is sized by the input, not by *out (which may hold many documents).
  constexpr size_t kSlack = 32 + 6;
  const Byte* p = reinterpret_cast<const Byte*>(utf8.data());
  const Byte* const end = p + utf8.size();
  size_t at = out->size();
  out->resize(at + 1 + utf8.size() + utf8.size() / 8 + 1 + kSlack);
  Byte* d = reinterpret_cast<Byte*>(out->data()) + at;
  *d++ = '"';
  for (;;) {
    bool at_escape = false;
#if defined(__SSE2__)
    while (end - p >= 32) {
      const __m128i v0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      const __m128i v1 =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d), v0);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(d + 16), v1);
      const unsigned mask = internal::EscapeNeededBits16(p) |
                            (internal::EscapeNeededBits16(p + 16) << 16);
      if (mask != 0) {
        const int k = __builtin_ctz(mask);
        p += k;
        d += k;
        at_escape = true;
        break;
      }
      p += 32;
      d += 32;
    }
#endif
    if (!at_escape) {
      const Byte* const run = p;
      p = internal::FindEscapeNeeded(p, end);
      std::memcpy(d, run, p - run);
      d += p - run;
      if (p == end) break;
    }
    // Room for this escape and what follows.
    at = d - reinterpret_cast<Byte*>(out->data());
    const size_t need = at + 6 + (end - p) + 1 + kSlack;
    if (need > out->size()) {
      out->resize(need + (end - p) / 2 + 64);
      d = reinterpret_cast<Byte*>(out->data()) + at;
    }
    const Byte c = *p++;
    const Byte simple = internal::kShortEscapes.value[c];
    if (simple != 0) {
      d[0] = '\\';
      d[1] = simple;
      d += 2;
    } else {
      const Byte esc[6] = {'\\', 'u', '0', '0', static_cast<Byte>(kHex[c >> 4]),
                           static_cast<Byte>(kHex[c & 15])};
      std::memcpy(d, esc, sizeof(esc));
      d += sizeof(esc);
    }
  }
  *d++ = '"';
  out->resize(d - reinterpret_cast<Byte*>(out->data()));
}

}  // namespace dedup
