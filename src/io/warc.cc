// File: io/warc.cc
// WARC record framing. The parser walks the input once: header lines 8 bytes
// at a time (every byte must be checked for control bytes anyway), then jumps
// Content-Length bytes over the payload, counting its newlines (16 bytes at a
// time) only so that later records can name their line.
#include "io/warc.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/string_view_compat.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup {
namespace {

using Byte = unsigned char;

// Longest piece of input quoted in an error message (bytes), so one bad
// multi-megabyte line gives a one-line error.
constexpr size_t kMaxQuotedBytes = 40;

std::string Quote(std::string_view s) {
  const bool cut = s.size() > kMaxQuotedBytes;
  return absl::StrCat("'",
                      absl::CHexEscape(AbslView(s.substr(0, kMaxQuotedBytes))),
                      cut ? "...'" : "'");
}

// RFC 2616 "token" bytes (header names): visible ASCII other than the
// separators ()<>@,;:\"/[]?={}. A table, since every name byte is looked up.
constexpr std::array<bool, 256> kTokenByte = [] {
  std::array<bool, 256> t{};
  for (int c = 0x21; c < 0x7F; ++c) t[c] = true;
  for (const char c : std::string_view("()<>@,;:\\\"/[]?={}"))
    t[static_cast<Byte>(c)] = false;
  return t;
}();

bool IsTokenByte(Byte c) { return kTokenByte[c]; }

// PERF NOTES: header lines are about a fifth of a WET file, and every byte
// must be checked for control bytes. SWAR: 8 bytes per step, flagging bytes
// < 0x20 (which include '\r', '\n' and '\t') or == 0x7F; the byte loop only
// sees flagged bytes. Borrows can set false bits only above a true hit, so
// the lowest set bit is exact.
constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

uint64_t ControlMask(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  const uint64_t del = v ^ (kOnes * 0x7F);
  return (((v - kOnes * 0x20) & ~v) | ((del - kOnes) & ~del)) & kHighs;
}

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

bool IsAsciiAlpha(Byte c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiDigit(Byte c) { return c >= '0' && c <= '9'; }

// `s` equals `lower` (lowercase ASCII) ignoring ASCII case.
bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    Byte c = static_cast<Byte>(s[i]);
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c != static_cast<Byte>(lower[i])) return false;
  }
  return true;
}

// The header fields the parser reads; each may appear at most once.
enum class Field { kOther, kType, kTargetUri, kRecordId, kContentLength };
constexpr int kNumFields = 5;

Field ClassifyName(std::string_view name) {
  // Switch on length first: most names are rejected without a compare.
  switch (name.size()) {
    case 9:
      if (EqualsLower(name, "warc-type")) return Field::kType;
      break;
    case 14:
      if (EqualsLower(name, "content-length")) return Field::kContentLength;
      if (EqualsLower(name, "warc-record-id")) return Field::kRecordId;
      break;
    case 15:
      if (EqualsLower(name, "warc-target-uri")) return Field::kTargetUri;
      break;
    default:
      break;
  }
  return Field::kOther;
}

const char* FieldName(Field f) {
  switch (f) {
    case Field::kType:
      return "WARC-Type";
    case Field::kTargetUri:
      return "WARC-Target-URI";
    case Field::kRecordId:
      return "WARC-Record-ID";
    case Field::kContentLength:
      return "Content-Length";
    case Field::kOther:
      break;
  }
  return "field";
}

// Count of '\n' in [p, p + n): the only pass over payload bytes. SSE2 is
// baseline x86-64: compare 16 bytes, subtract the 0xFF hits into byte
// counters, and fold them with psadbw every 255 steps (before a counter can
// wrap). Auto-vectorized scalar code widens every hit to 64 bits and ran at
// about a third of this speed.
uint64_t CountNewlines(const char* p, size_t n) {
  uint64_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i newline = _mm_set1_epi8('\n');
  while (n - i >= 16) {
    const size_t steps = std::min<size_t>((n - i) / 16, 255);
    __m128i counters = _mm_setzero_si128();
    for (size_t k = 0; k < steps; ++k, i += 16) {
      const __m128i v =
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      counters = _mm_sub_epi8(counters, _mm_cmpeq_epi8(v, newline));
    }
    const __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    count += static_cast<uint64_t>(_mm_cvtsi128_si64(sums)) +
             static_cast<uint64_t>(
                 _mm_cvtsi128_si64(_mm_unpackhi_epi64(sums, sums)));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

// Decimal digits only (no sign, no spaces inside); saturates at
// UINT64_MAX, which no input can hold.
bool ParseLength(std::string_view s, uint64_t* out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  *out = v;
  return true;
}

class WarcParser {
 public:
  WarcParser(std::string_view in,
             const std::function<absl::Status(const WarcRecord&)>& on_record)
      : in_(in), on_record_(on_record) {}

  absl::Status Run() {
    while (pos_ < in_.size()) {
      const absl::Status status = ParseRecord();
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

 private:
  // One line of the header block: content [begin, end) without its line
  // end; `next` is the offset after the line end.
  struct Line {
    size_t begin = 0;
    size_t end = 0;
    size_t next = 0;
  };

  absl::Status Error(absl::StatusCode code, uint64_t line, uint64_t byte,
                     std::string_view what) const {
    return absl::Status(code, absl::StrCat("line ", line, " (byte ", byte,
                                           "): ", AbslView(what)));
  }

  // Reads the line at pos_ into *line, checking every byte: tabs are the
  // only control bytes allowed before the line end (LF or CRLF). Does not
  // advance pos_.
  absl::Status ReadLine(Line* line) const {
    const char* const data = in_.data();
    const size_t size = in_.size();
    size_t i = pos_;
    while (true) {
      if constexpr (kLittleEndian) {
        while (size - i >= 8) {
          const uint64_t mask = ControlMask(data + i);
          if (mask != 0) {
            i += static_cast<size_t>(__builtin_ctzll(mask)) >> 3;
            break;
          }
          i += 8;
        }
      }
      if (i == size) {
        return Error(absl::StatusCode::kDataLoss, line_, pos_,
                     "truncated record: headers do not end");
      }
      const Byte c = static_cast<Byte>(data[i]);
      if (c >= 0x20 && c != 0x7F) {
        ++i;
        continue;
      }
      if (c == '\n') {
        *line = {pos_, i, i + 1};
        return absl::OkStatus();
      }
      if (c == '\r' && i + 1 < size && data[i + 1] == '\n') {
        *line = {pos_, i, i + 2};
        return absl::OkStatus();
      }
      if (c == '\r' && i + 1 == size) {
        return Error(absl::StatusCode::kDataLoss, line_, pos_,
                     "truncated record: headers do not end");
      }
      if (c != '\t') {
        return Error(absl::StatusCode::kInvalidArgument, line_, i,
                     absl::StrFormat("control byte 0x%02X in header line", c));
      }
      ++i;
    }
  }

  absl::Status ParseRecord() {
    WarcRecord record;
    record.record_begin = pos_;
    record.line = line_;

    // Version line.
    Line line;
    if (absl::Status s = ReadLine(&line); !s.ok()) {
      if (s.code() == absl::StatusCode::kInvalidArgument ||
          !StartsWithWarc(in_.substr(pos_))) {
        std::string_view bad = in_.substr(pos_, kMaxQuotedBytes + 1);
        bad = bad.substr(0, bad.find('\n'));
        if (!bad.empty() && bad.back() == '\r') bad.remove_suffix(1);
        return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                     absl::StrCat("bad version line ", Quote(bad)));
      }
      return s;
    }
    const std::string_view version =
        in_.substr(line.begin, line.end - line.begin);
    if (version != "WARC/1.0" && version != "WARC/1.1") {
      if (StartsWithWarc(version)) {
        return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                     absl::StrCat("unsupported WARC version ", Quote(version)));
      }
      return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                   absl::StrCat("bad version line ", Quote(version)));
    }
    Advance(line);

    // Header lines up to the first empty line.
    bool seen[kNumFields] = {};
    Field last = Field::kOther;
    bool have_last = false;
    uint64_t content_length = 0;
    std::string_view content_length_text;
    uint64_t content_length_line = 0;
    size_t content_length_byte = 0;
    while (true) {
      if (absl::Status s = ReadLine(&line); !s.ok()) return s;
      if (line.begin == line.end) {
        Advance(line);
        break;
      }
      const char* const data = in_.data();
      if (IsBlank(data[line.begin])) {
        // A folded continuation of the previous field's value.
        if (!have_last) {
          return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                       "bad header line: continuation before any field");
        }
        if (last != Field::kOther) {
          return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                       absl::StrCat("folded ", FieldName(last)));
        }
        Advance(line);
        continue;
      }
      size_t colon = line.begin;
      while (colon < line.end && IsTokenByte(static_cast<Byte>(data[colon]))) {
        ++colon;
      }
      if (colon == line.begin || colon == line.end || data[colon] != ':') {
        return Error(
            absl::StatusCode::kInvalidArgument, line_, pos_,
            absl::StrCat("bad header line ",
                         Quote(in_.substr(line.begin, line.end - line.begin))));
      }
      size_t value_begin = colon + 1;
      size_t value_end = line.end;
      while (value_begin < value_end && IsBlank(data[value_begin]))
        ++value_begin;
      while (value_end > value_begin && IsBlank(data[value_end - 1]))
        --value_end;
      const std::string_view value =
          in_.substr(value_begin, value_end - value_begin);

      const Field field =
          ClassifyName(in_.substr(line.begin, colon - line.begin));
      have_last = true;
      last = field;
      if (field != Field::kOther) {
        if (seen[static_cast<int>(field)]) {
          return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                       absl::StrCat("duplicate ", FieldName(field)));
        }
        seen[static_cast<int>(field)] = true;
      }
      switch (field) {
        case Field::kType:
          if (value.empty()) {
            return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                         "empty WARC-Type");
          }
          record.type = value;
          break;
        case Field::kTargetUri:
          record.target_uri = value;
          break;
        case Field::kRecordId:
          record.record_id = value;
          break;
        case Field::kContentLength:
          if (!ParseLength(value, &content_length)) {
            return Error(absl::StatusCode::kInvalidArgument, line_, pos_,
                         absl::StrCat("bad Content-Length ", Quote(value)));
          }
          content_length_text = value;
          content_length_line = line_;
          content_length_byte = pos_;
          break;
        case Field::kOther:
          break;
      }
      Advance(line);
    }
    if (!seen[static_cast<int>(Field::kContentLength)]) {
      return Error(absl::StatusCode::kInvalidArgument, record.line,
                   record.record_begin, "missing Content-Length");
    }
    if (!seen[static_cast<int>(Field::kType)]) {
      return Error(absl::StatusCode::kInvalidArgument, record.line,
                   record.record_begin, "missing WARC-Type");
    }

    // Payload.
    record.payload_begin = pos_;
    const size_t left = in_.size() - pos_;
    if (content_length > left) {
      return Error(absl::StatusCode::kDataLoss, content_length_line,
                   content_length_byte,
                   absl::StrCat("truncated record: Content-Length ",
                                AbslView(content_length_text),
                                " runs past the end of the input (", left,
                                " bytes left)"));
    }
    line_ += CountNewlines(in_.data() + pos_, content_length);
    pos_ += content_length;
    record.payload_end = pos_;

    // Terminator: two line ends, each CRLF or LF.
    for (int k = 0; k < 2; ++k) {
      const size_t rest = in_.size() - pos_;
      if (rest >= 1 && in_[pos_] == '\n') {
        pos_ += 1;
      } else if (rest >= 2 && in_[pos_] == '\r' && in_[pos_ + 1] == '\n') {
        pos_ += 2;
      } else if (rest == 0 || (rest == 1 && in_[pos_] == '\r')) {
        return Error(absl::StatusCode::kDataLoss, line_, pos_,
                     "truncated record: missing record terminator");
      } else {
        return Error(
            absl::StatusCode::kInvalidArgument, line_, pos_,
            absl::StrCat("missing record terminator after payload, found ",
                         Quote(in_.substr(pos_, 8))));
      }
      ++line_;
    }
    record.record_end = pos_;
    return on_record_(record);
  }

  static bool StartsWithWarc(std::string_view s) {
    return s.substr(0, 5) == "WARC/";
  }

  void Advance(const Line& line) {
    pos_ = line.next;
    ++line_;
  }

  const std::string_view in_;
  const std::function<absl::Status(const WarcRecord&)>& on_record_;
  size_t pos_ = 0;
  uint64_t line_ = 1;
};

// Scheme per RFC 3986: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
size_t SchemeLength(std::string_view uri) {
  if (uri.empty() || !IsAsciiAlpha(static_cast<Byte>(uri[0]))) return 0;
  for (size_t i = 1; i < uri.size(); ++i) {
    const Byte c = static_cast<Byte>(uri[i]);
    if (c == ':') return i;
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' &&
        c != '.')
      return 0;
  }
  return 0;
}

}  // namespace

absl::Status ParseWarc(
    std::string_view bytes,
    const std::function<absl::Status(const WarcRecord&)>& on_record) {
  return WarcParser(bytes, on_record).Run();
}

std::string_view UriHost(std::string_view uri) {
  const size_t scheme = SchemeLength(uri);
  if (scheme == 0 || uri.substr(scheme + 1, 2) != "//") return {};
  std::string_view authority = uri.substr(scheme + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    return close == std::string_view::npos ? std::string_view()
                                           : authority.substr(0, close + 1);
  }
  return authority.substr(0, authority.find(':'));
}

std::string UriHostLowercase(std::string_view uri) {
  std::string_view host = UriHost(uri);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::string out(host);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  }
  return out;
}

void AppendWetRecord(std::string_view original_header, std::string_view payload,
                     std::string* out, WetDigest digest) {
  const std::string length = absl::StrCat(payload.size());
  bool have_length = false;
  bool drop_continuation = false;
  std::string_view eol = "\r\n";  // of the blank line, when there is one
  size_t pos = 0;
  bool first = true;
  while (pos < original_header.size()) {
    size_t nl = original_header.find('\n', pos);
    nl = nl == std::string_view::npos ? original_header.size() : nl + 1;
    const std::string_view line = original_header.substr(pos, nl - pos);
    pos = nl;
    size_t content_end = line.size();
    if (content_end > 0 && line[content_end - 1] == '\n') --content_end;
    if (content_end > 0 && line[content_end - 1] == '\r') --content_end;
    const std::string_view content = line.substr(0, content_end);
    if (first) {
      first = false;
      out->append(line);
      continue;
    }
    if (content.empty()) {
      if (line.size() > 0) eol = line.substr(content_end);
      break;
    }
    if (IsBlank(content[0])) {
      if (!drop_continuation) out->append(line);
      continue;
    }
    drop_continuation = false;
    const size_t colon = content.find(':');
    const std::string_view name =
        colon == std::string_view::npos ? content : content.substr(0, colon);
    const bool is_length =
        colon != std::string_view::npos && EqualsLower(name, "content-length");
    if (is_length && have_length) {  // not from ParseWarc: keep the first
      drop_continuation = true;
      continue;
    }
    if (is_length) {
      size_t value_begin = colon + 1;
      while (value_begin < content.size() && IsBlank(content[value_begin]))
        ++value_begin;
      size_t value_end = content.size();
      while (value_end > value_begin && IsBlank(content[value_end - 1]))
        --value_end;
      // A value already equal to the length ("05" for 5 too) stays as it
      // was, so an unchanged record comes back byte for byte.
      uint64_t old_length = 0;
      if (ParseLength(content.substr(value_begin, value_end - value_begin),
                      &old_length) &&
          old_length == payload.size()) {
        out->append(line);
      } else {
        out->append(line.substr(0, value_begin));
        out->append(length);
        out->append(line.substr(value_end));
      }
      have_length = true;
      drop_continuation = true;
      continue;
    }
    if (digest == WetDigest::kDrop && EqualsLower(name, "warc-block-digest")) {
      drop_continuation = true;
      continue;
    }
    out->append(line);
  }
  if (first) out->append("WARC/1.0\r\n");
  if (!out->empty() && out->back() != '\n') out->append(eol);
  if (!have_length)
    absl::StrAppend(out, "Content-Length: ", length, AbslView(eol));
  out->append(eol);
  out->append(payload);
  out->append(eol);
  out->append(eol);
}

}  // namespace dedup
