// File: tests/unit/io/json_scan_test.cc
// The scanning primitives of io/json_scan.h against their byte-at-a-time
// twins: every special byte at every position around the 8/16/32-byte steps,
// invalid UTF-8 at every position of short buffers, escapes straddling the
// SIMD blocks, and DecodeJsonlText / AppendJsonString against references.
#include "io/json_scan.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "io/jsonl.h"

namespace dedup::internal {
namespace {

const Byte* B(const std::string& s) { return reinterpret_cast<const Byte*>(s.data()); }

// Offsets of the scan results, fast and scalar, over s[from, size).
template <typename Fast, typename Scalar>
void ExpectSameScan(const std::string& s, size_t from, Fast fast, Scalar scalar) {
  const Byte* begin = B(s) + from;
  const Byte* end = B(s) + s.size();
  ASSERT_EQ(fast(begin, end) - B(s), scalar(begin, end) - B(s)) << "size " << s.size() << " from " << from;
}

TEST(JsonScanTest, FindStringSpecialEveryByteAtEveryPosition) {
  // Every byte value, at every position of buffers up to 70 bytes, scanned
  // from a few starting offsets (so the steps meet it at every phase).
  for (int c = 0; c < 256; ++c) {
    for (size_t size = 1; size <= 70; ++size) {
      for (size_t at = 0; at < size; ++at) {
        std::string s(size, 'a');
        s[at] = static_cast<char>(c);
        for (size_t from : {size_t{0}, size_t{1}, size_t{7}}) {
          if (from > size) continue;
          ExpectSameScan(s, from, FindStringSpecial, FindStringSpecialScalar);
          ExpectSameScan(s, from, FindEscapeNeeded, FindEscapeNeededScalar);
          ExpectSameScan(s, from, FindBackslash, FindBackslashScalar);
        }
      }
    }
  }
}

TEST(JsonScanTest, FindStringSpecialMasksDoNotLeakAcrossBytes) {
  // SWAR borrows: a hit followed by bytes one above the searched values.
  const std::string s = std::string("abc") + '\x01' + "]#!" + std::string(40, 'x') + "\"";
  for (size_t from = 0; from < s.size(); ++from) {
    ExpectSameScan(s, from, FindStringSpecial, FindStringSpecialScalar);
    ExpectSameScan(s, from, FindEscapeNeeded, FindEscapeNeededScalar);
    ExpectSameScan(s, from, FindBackslash, FindBackslashScalar);
  }
  // Nothing special: the end.
  const std::string plain(100, '~');
  EXPECT_EQ(FindStringSpecial(B(plain), B(plain) + plain.size()), B(plain) + plain.size());
  EXPECT_EQ(FindEscapeNeeded(B(plain), B(plain) + plain.size()), B(plain) + plain.size());
  EXPECT_EQ(FindBackslash(B(plain), B(plain) + plain.size()), B(plain) + plain.size());
}

TEST(JsonScanTest, ScanStringBodyStopsAtTheFirstInvalidUtf8Byte) {
  // Valid text of 1-4 byte characters, then each ill-formed pattern written
  // over every position: the fast scan agrees with the scalar one, which
  // itself agrees with Utf8SequenceLength walked byte by byte.
  const std::string unit = "a\xc3\xa9z\xe4\xb8\xad\xf0\x9f\x98\x80.";  // a é z 中 😀 .
  std::string valid;
  while (valid.size() < 72) valid += unit;
  const std::vector<std::string> bad = {"\x80", "\xbf",         "\xc0\xaf",     "\xc1",
                                        "\xc3", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                        "\xf5", "\xff",         "\xf0\x9f\x98"};
  for (const std::string& b : bad) {
    for (size_t at = 0; at + b.size() <= valid.size(); ++at) {
      std::string s = valid;
      s.replace(at, b.size(), b);
      ExpectSameScan(s, 0, ScanStringBody, ScanStringBodyScalar);
      // Reference: first position where a walk by sequences fails.
      const Byte* p = B(s);
      const Byte* end = p + s.size();
      while (p < end) {
        const int n = *p < 0x80 ? 1 : Utf8SequenceLength(p, end);
        if (n == 0) break;
        p += n;
      }
      EXPECT_EQ(ScanStringBody(B(s), end), p) << "pattern at " << at;
    }
  }
  // Truncated sequences at the very end of a buffer.
  for (const std::string tail : {"\xc3", "\xe4\xb8", "\xf0\x9f\x98"}) {
    for (size_t size = 0; size < 40; ++size) {
      const std::string s = std::string(size, 'q') + tail;
      EXPECT_EQ(ScanStringBody(B(s), B(s) + s.size()) - B(s), static_cast<ptrdiff_t>(size));
    }
  }
}

TEST(JsonScanTest, InvalidUtf8AtEveryPositionNamesItsColumn) {
  // Through the parser: the column is the first bad byte's, at any position.
  for (size_t size = 1; size <= 48; ++size) {
    for (size_t at = 0; at < size; ++at) {
      std::string body(size, 'x');
      body[at] = '\xfe';
      const std::string line = "{\"text\": \"" + body + "\"}";
      JsonlRecord record;
      std::string text;
      const absl::Status status = ParseJsonlLine(line, JsonlFieldNames{}, &record, &text);
      EXPECT_EQ(std::string(status.message()), "column " + std::to_string(11 + at) + ": invalid UTF-8");
    }
  }
}

TEST(JsonScanTest, SkipSimpleStringBlocksMatchesScalar) {
  // Random bodies over an alphabet of the bytes that matter, scanned from
  // every offset: same stop, same verdict, same escape flag.
  std::mt19937 rng(5);
  const std::string alphabet[] = {"a", "a", "a", "a", " ", "\"", "\\", "n", "u", "/", "t", "\x01", "\xc3\xa9", "\x7f"};
  for (int round = 0; round < 4000; ++round) {
    std::string s;
    const size_t size = rng() % 140;
    while (s.size() < size) s += alphabet[rng() % (sizeof(alphabet) / sizeof(alphabet[0]))];
    for (size_t from = 0; from < std::min<size_t>(s.size(), 33); ++from) {
      bool closed_fast = true, escaped_fast = false, closed_scalar = true, escaped_scalar = false;
      const Byte* begin = B(s) + from;
      const Byte* end = B(s) + s.size();
      const Byte* fast = SkipSimpleStringBlocks(begin, end, &closed_fast, &escaped_fast);
      const Byte* scalar = SkipSimpleStringBlocksScalar(begin, end, &closed_scalar, &escaped_scalar);
      ASSERT_EQ(fast - B(s), scalar - B(s)) << s << " from " << from;
      ASSERT_EQ(closed_fast, closed_scalar) << s << " from " << from;
      ASSERT_EQ(escaped_fast, escaped_scalar) << s << " from " << from;
    }
  }
}

TEST(JsonScanTest, SkipSimpleStringBlocksEdges) {
  bool closed = false, escaped = false;
  // An escape across the block end is left to the caller.
  std::string s = std::string(31, 'a') + "\\n" + std::string(40, 'b') + "\"";
  EXPECT_EQ(SkipSimpleStringBlocks(B(s), B(s) + s.size(), &closed, &escaped), B(s));
  EXPECT_FALSE(closed);
  // Escaped quotes do not close; the last quote does.
  s = "say \\\"hi\\\" \\/ \\n" + std::string(30, 'x') + "\" tail" + std::string(40, ' ');
  EXPECT_EQ(SkipSimpleStringBlocks(B(s), B(s) + s.size(), &closed, &escaped), B(s) + s.find("\" tail") + 1);
  EXPECT_TRUE(closed);
  EXPECT_TRUE(escaped);
  // Refused: "\\\\", \u, non-ASCII, control bytes (before the quote only).
  for (const std::string bad : {"\\\\", "\\u0041", "\xc3\xa9", "\x1f", "\\x"}) {
    s = "ab" + bad + std::string(40, 'c') + "\"";
    closed = escaped = false;
    EXPECT_EQ(SkipSimpleStringBlocks(B(s), B(s) + s.size(), &closed, &escaped), B(s)) << bad;
    EXPECT_FALSE(escaped);
    s = "ab\"" + bad + std::string(40, 'c');
    EXPECT_EQ(SkipSimpleStringBlocks(B(s), B(s) + s.size(), &closed, &escaped), B(s) + 3) << bad;
    EXPECT_TRUE(closed);
  }
}

// Decodes through the parser: the reference for DecodeValidStringBody.
std::string ParserDecode(const std::string& body) {
  const std::string line = "{\"text\":\"" + body + "\"}";
  JsonlRecord record;
  std::string text;
  const absl::Status status = ParseJsonlLine(line, JsonlFieldNames{}, &record, &text);
  EXPECT_TRUE(status.ok()) << status << " " << body;
  return text;
}

std::string FastDecode(const std::string& body) {
  std::string out(body.size(), '\0');
  out.resize(DecodeValidStringBody(B(body), body.size(), reinterpret_cast<Byte*>(out.data())));
  return out;
}

std::string ScalarDecode(const std::string& body) {
  std::string out(body.size(), '\0');
  out.resize(DecodeValidStringBodyScalar(B(body), body.size(), reinterpret_cast<Byte*>(out.data())));
  return out;
}

TEST(JsonScanTest, DecodeEscapesStraddlingEveryBlockBoundary) {
  const std::vector<std::string> escapes = {"\\n",     "\\\\",    "\\\"",           "\\/",     "\\t",    "\\b",
                                            "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\u0000", "\\\\\\n"};
  for (const std::string& esc : escapes) {
    // Past 130 bytes on either side: the 64-byte block loop, which stops
    // 128 bytes before the end, meets the escape at every offset too.
    for (size_t before = 0; before <= 200; ++before) {
      for (size_t after : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{33}, size_t{130}}) {
        const std::string body = std::string(before, 'p') + esc + std::string(after, 's');
        const std::string want = ParserDecode(body);
        EXPECT_EQ(FastDecode(body), want) << body;
        EXPECT_EQ(ScalarDecode(body), want) << body;
      }
    }
  }
}

TEST(JsonScanTest, DecodeRandomValidBodies) {
  std::mt19937 rng(7);
  const std::vector<std::string> pieces = {
      "a", "bc", "\\n", "\\\"", "\\\\", "\\u00e9", "\xc3\xa9", "\\ud834\\udd1e", " ", "\\r\\n", "0123456789abcdef"};
  for (int round = 0; round < 2000; ++round) {
    std::string body;
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) body += pieces[rng() % pieces.size()];
    const std::string want = ParserDecode(body);
    ASSERT_EQ(FastDecode(body), want) << body;
    ASSERT_EQ(ScalarDecode(body), want) << body;
  }
}

TEST(JsonScanTest, DecodeJsonlTextIsAViewWithoutEscapes) {
  const std::string value = "\"plain text, no escapes\"";
  std::string scratch = "untouched";
  const std::string_view text = DecodeJsonlText(value, /*has_escape=*/false, &scratch);
  EXPECT_EQ(text, "plain text, no escapes");
  EXPECT_EQ(text.data(), value.data() + 1);
  EXPECT_EQ(scratch, "untouched");
}

TEST(JsonScanTest, DecodeJsonlTextReusesScratch) {
  std::string scratch;
  EXPECT_EQ(DecodeJsonlText("\"a long line\\nwith an escape\"", true, &scratch), "a long line\nwith an escape");
  const size_t grown = scratch.size();
  // A shorter text: a prefix of the same scratch, which does not shrink.
  const std::string_view second = DecodeJsonlText("\"x\\ty\"", true, &scratch);
  EXPECT_EQ(second, "x\ty");
  EXPECT_EQ(second.data(), scratch.data());
  EXPECT_EQ(scratch.size(), grown);
}

TEST(JsonScanTest, TryParseJsonlLineAtStopsAtTheNewline) {
  JsonlRecord record;
  size_t size = 0;
  const std::string bytes = "{\"id\": 3, \"text\": \"a\\nb\"} \r\n{\"text\": \"next\"}\n";
  ASSERT_TRUE(TryParseJsonlLineAt(bytes, JsonlFieldNames{}, &record, &size));
  EXPECT_EQ(size, bytes.find('\n'));
  EXPECT_EQ(record.id, "3");
  EXPECT_TRUE(record.text_has_escape);
  EXPECT_EQ(bytes.substr(record.text_value_begin, record.text_value_end - record.text_value_begin), "\"a\\nb\"");
  // The last line, without a newline.
  ASSERT_TRUE(TryParseJsonlLineAt("{\"text\": \"x\"}", JsonlFieldNames{}, &record, &size));
  EXPECT_EQ(size, 13u);
  EXPECT_FALSE(record.text_has_escape);
  // A newline is not whitespace here, nor anything else inside the line.
  for (const std::string bad : {"{\"text\":\n\"x\"}", "{\n\"text\": \"x\"}", "{\"text\": \"x\n\"}",
                                "{\"text\": \"x\\\n\"}", "{\"text\": \"\\u00\n0\"}", "{\"text\": \"x\"} y\n"}) {
    EXPECT_FALSE(TryParseJsonlLineAt(bad, JsonlFieldNames{}, &record, &size) && bad[size] == '\n') << bad;
  }
}

// Deliberately plain reference escaper.
std::string ReferenceEscape(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

TEST(JsonScanTest, AppendJsonStringMatchesReferenceAroundBlockBoundaries) {
  for (int c = 0; c < 256; ++c) {
    for (size_t size = 1; size <= 70; ++size) {
      for (size_t at = 0; at < size; at += (size > 40 ? 3 : 1)) {
        std::string s(size, 'k');
        s[at] = static_cast<char>(c);
        std::string out = "prefix";
        AppendJsonString(s, &out);
        ASSERT_EQ(out, "prefix" + ReferenceEscape(s)) << "byte " << c << " size " << size << " at " << at;
      }
    }
  }
}

TEST(JsonScanTest, AppendJsonStringAllEscapesGrowsPastItsEstimate) {
  // Every byte escaped as \u00XX: six times the input, grown on the way.
  for (size_t size : {size_t{1}, size_t{31}, size_t{32}, size_t{33}, size_t{1000}}) {
    const std::string s(size, '\x01');
    std::string out;
    AppendJsonString(s, &out);
    EXPECT_EQ(out, ReferenceEscape(s));
  }
  std::mt19937 rng(11);
  for (int round = 0; round < 500; ++round) {
    std::string s(rng() % 200, '\0');
    for (char& ch : s) ch = static_cast<char>(rng() % 3 == 0 ? rng() % 0x22 : 0x20 + rng() % 0xE0);
    std::string out;
    AppendJsonString(s, &out);
    ASSERT_EQ(out, ReferenceEscape(s));
  }
}

}  // namespace
}  // namespace dedup::internal
