// File: tests/unit/io/jsonl_test.cc
// ParseJsonlLine and AppendJsonString: decoding, splicing, every error class
// with its column, SIMD/SWAR block boundaries, and a seeded round trip.
#include "io/jsonl.h"

#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace dedup {
namespace {

struct Parsed {
  absl::Status status;
  JsonlRecord record;
  std::string text;
};

Parsed Parse(std::string_view line, const JsonlFieldNames& names = {}) {
  Parsed p;
  p.status = ParseJsonlLine(line, names, &p.record, &p.text);
  return p;
}

TEST(ParseJsonlLineTest, DecodesTextIdAndRange) {
  const std::string line = R"({"id":"doc-1","text":"hello world","n":3})";
  const Parsed p = Parse(line);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "hello world");
  EXPECT_TRUE(p.record.has_id);
  EXPECT_EQ(p.record.id, "doc-1");
  EXPECT_FALSE(p.record.has_source);
  EXPECT_EQ(line.substr(p.record.text_value_begin,
                        p.record.text_value_end - p.record.text_value_begin),
            "\"hello world\"");
}

TEST(ParseJsonlLineTest, DecodesAllSimpleEscapes) {
  const Parsed p = Parse(R"({"text":"q\" b\\ s\/ \b\f\n\r\t end"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "q\" b\\ s/ \b\f\n\r\t end");
}

TEST(ParseJsonlLineTest, DecodesUnicodeEscapesAndSurrogatePairs) {
  const Parsed p =
      Parse(R"({"text":"\u0041\u00e9\u20AC\ud83d\ude00\uD834\uDD1E"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9d\x84\x9e");
}

TEST(ParseJsonlLineTest, EscapedNulDecodesToNulByte) {
  const Parsed p = Parse(R"({"text":"a\u0000b"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, std::string("a\0b", 3));
}

TEST(ParseJsonlLineTest, RawUtf8IsKept) {
  const std::string line =
      "{\"text\":\"caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\"}";
  const Parsed p = Parse(line);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "caf\xc3\xa9 \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80");
}

TEST(ParseJsonlLineTest, SplicingPreservesOtherFieldsInOrder) {
  const std::string line =
      R"({"url":"http://x/","text":"old \"body\"","meta":{"a":[1,2,{"b":null}]},"id":7})";
  const Parsed p = Parse(line);
  ASSERT_TRUE(p.status.ok()) << p.status;
  std::string out = line.substr(0, p.record.text_value_begin);
  AppendJsonString("new\nbody", &out);
  out.append(line.substr(p.record.text_value_end));
  EXPECT_EQ(
      out,
      R"({"url":"http://x/","text":"new\nbody","meta":{"a":[1,2,{"b":null}]},"id":7})");
  const Parsed again = Parse(out);
  ASSERT_TRUE(again.status.ok()) << again.status;
  EXPECT_EQ(again.text, "new\nbody");
  EXPECT_EQ(again.record.id, "7");
}

TEST(ParseJsonlLineTest, NumberIdsKeepTheirRawToken) {
  for (const std::string id : {"0", "17", "-3", "1.50", "-1.5e3", "2E+10",
                               "12345678901234567890123"}) {
    const Parsed p = Parse(R"({"text":"t","id":)" + id + "}");
    ASSERT_TRUE(p.status.ok()) << id << ": " << p.status;
    EXPECT_TRUE(p.record.has_id);
    EXPECT_EQ(p.record.id, id);
  }
}

TEST(ParseJsonlLineTest, StringIdIsDecoded) {
  const Parsed p = Parse(R"({"text":"t","id":"a\tb\u00e9"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.record.id, "a\tb\xc3\xa9");
}

TEST(ParseJsonlLineTest, MissingIdAndSource) {
  const Parsed p = Parse(R"({"text":"t"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_FALSE(p.record.has_id);
  EXPECT_TRUE(p.record.id.empty());
  EXPECT_FALSE(p.record.has_source);
}

TEST(ParseJsonlLineTest, SourceFieldIsDecoded) {
  const Parsed p = Parse(R"({"source":"cc\/2023","text":"t"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_TRUE(p.record.has_source);
  EXPECT_EQ(p.record.source, "cc/2023");
}

TEST(ParseJsonlLineTest, NonStringSourceIsValidatedAndIgnored) {
  const Parsed p = Parse(R"({"source":{"name":"cc"},"text":"t"})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_FALSE(p.record.has_source);
}

TEST(ParseJsonlLineTest, WhitespaceAndCrlf) {
  const std::string line = " \t{ \"text\" :\t\"a\" ,\r\n \"id\" : 1 }  \r";
  const Parsed p = Parse(line);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "a");
  EXPECT_EQ(p.record.id, "1");
  EXPECT_EQ(line.substr(p.record.text_value_begin, 3), "\"a\"");
  EXPECT_TRUE(Parse("{\"text\":\"x\"}\r").status.ok());
}

TEST(ParseJsonlLineTest, EmptyStringsAndEmptyContainers) {
  const Parsed p =
      Parse(R"({"a":{},"b":[],"c":"","text":"","d":[[]],"e":true,"f":false})");
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "");
  EXPECT_EQ(p.record.text_value_end - p.record.text_value_begin, 2u);
}

TEST(ParseJsonlLineTest, CustomFieldNamesAndEscapedKeys) {
  JsonlFieldNames names;
  names.text = "content";
  names.id = "doc_id";
  const Parsed p =
      Parse(R"({"text":1,"cont\u0065nt":"body","doc_id":"x"})", names);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "body");
  EXPECT_EQ(p.record.id, "x");
  const Parsed missing = Parse(R"({"text":"t"})", names);
  EXPECT_EQ(std::string(missing.status.message()),
            "column 1: missing field 'content'");
}

TEST(ParseJsonlLineTest, SameNameForTextAndId) {
  JsonlFieldNames names;
  names.id = "text";
  const Parsed p = Parse(R"({"text":"a\nb"})", names);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(p.text, "a\nb");
  EXPECT_EQ(p.record.id, "a\nb");
}

TEST(ParseJsonlLineTest, RecordIsResetBetweenCalls) {
  JsonlRecord record;
  std::string text;
  ASSERT_TRUE(ParseJsonlLine(R"({"text":"one","id":1,"source":"s"})", {},
                             &record, &text)
                  .ok());
  ASSERT_TRUE(ParseJsonlLine(R"({"text":"two"})", {}, &record, &text).ok());
  EXPECT_EQ(text, "two");
  EXPECT_FALSE(record.has_id);
  EXPECT_FALSE(record.has_source);
  EXPECT_TRUE(record.id.empty());
  EXPECT_TRUE(record.source.empty());
}

struct ErrorCase {
  std::string line;
  std::string message;  // the whole expected message
};

// The line with every byte outside printable ASCII as \xNN.
std::string Escaped(std::string_view line) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string shown;
  for (const unsigned char ch : line) {
    if (ch >= 0x20 && ch < 0x7f && ch != '\\') {
      shown.push_back(static_cast<char>(ch));
    } else {
      shown += {'\\', 'x', kHex[ch >> 4], kHex[ch & 15]};
    }
  }
  return shown;
}

// ctest's test discovery puts the printed parameter into the test name, and
// CMake lists break on ';', '[' and friends: print a short hash instead.
void PrintTo(const ErrorCase& c, std::ostream* os) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (const unsigned char ch : c.line) h = (h ^ ch) * 16777619u;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "line_";
  for (int shift = 28; shift >= 0; shift -= 4)
    name.push_back(kHex[(h >> shift) & 15]);
  *os << name;
}

class ParseJsonlErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseJsonlErrorTest, ReportsColumnAndReason) {
  const Parsed p = Parse(GetParam().line);
  EXPECT_EQ(p.status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(p.status.message()), GetParam().message)
      << "line: " << Escaped(GetParam().line);
}

INSTANTIATE_TEST_SUITE_P(
    AllErrors, ParseJsonlErrorTest,
    ::testing::Values(
        // Not an object.
        ErrorCase{"",
                  "column 1: unexpected end of line, expected '{' (a "
                  "JSONL line must be one JSON object)"},
        ErrorCase{"  ",
                  "column 3: unexpected end of line, expected '{' (a "
                  "JSONL line must be one JSON object)"},
        ErrorCase{"[1]",
                  "column 1: unexpected '[', expected '{' (a JSONL "
                  "line must be one JSON object)"},
        ErrorCase{R"("text")",
                  "column 1: unexpected '\"', expected '{' (a "
                  "JSONL line must be one JSON object)"},
        // Trailing bytes.
        ErrorCase{R"({"text":"a"} x)",
                  "column 14: trailing 'x' after the JSON object"},
        ErrorCase{R"({"text":"a"}{})",
                  "column 13: trailing '{' after the JSON object"},
        ErrorCase{std::string("{\"text\":\"a\"}\0", 13),
                  "column 13: trailing NUL byte after the JSON object"},
        ErrorCase{"{\"text\":\"a\"}\xff", "column 13: invalid UTF-8"},
        // Malformed JSON.
        ErrorCase{R"({"text":"a",})",
                  "column 13: unexpected '}', expected '\"' (object key)"},
        ErrorCase{R"({"text" "a"})",
                  "column 9: unexpected '\"', expected ':' after object key"},
        ErrorCase{R"({"text":"a")",
                  "column 12: unexpected end of line, expected ',' or '}'"},
        ErrorCase{R"({"text":"a" "id":1})",
                  "column 13: unexpected '\"', expected ',' or '}'"},
        ErrorCase{R"({"text":"abc)", "column 9: unterminated string"},
        ErrorCase{R"({"text":"a","x":[1,2)",
                  "column 21: unexpected end of line, expected ',' or ']'"},
        ErrorCase{R"({"text":"a","x":[1,}])",
                  "column 20: unexpected '}', expected a JSON value"},
        ErrorCase{R"({"text":"a","x":01})",
                  "column 18: unexpected '1', expected ',' or '}'"},
        ErrorCase{R"({"text":"a","x":1.})",
                  "column 19: unexpected '}', expected a digit after '.'"},
        ErrorCase{R"({"text":"a","x":1e})",
                  "column 19: unexpected '}', expected a digit in the "
                  "exponent"},
        ErrorCase{R"({"text":"a","x":-})",
                  "column 18: unexpected '}', expected a digit"},
        ErrorCase{R"({"text":"a","x":+1})",
                  "column 17: unexpected '+', expected a JSON value"},
        ErrorCase{R"({"text":"a","x":tru})",
                  "column 17: unexpected 't', expected a JSON value"},
        ErrorCase{R"({"text":"a","x":nul)",
                  "column 17: unexpected 'n', expected a JSON value"},
        ErrorCase{R"({'text':"a"})",
                  "column 2: unexpected ''', expected '\"' (object key)"},
        ErrorCase{"{\"text\":\"a\",\x01\"x\":1}",
                  "column 13: unexpected byte 0x01, expected '\"' (object "
                  "key)"},
        // Raw NUL and control bytes inside strings.
        ErrorCase{std::string("{\"text\":\"a\0\"}", 13),
                  "column 11: raw NUL byte in string"},
        ErrorCase{"{\"text\":\"a\x01\"}",
                  "column 11: raw control character 0x01 in string (must be "
                  "escaped)"},
        ErrorCase{"{\"text\":\"a\tb\"}",
                  "column 11: raw control character 0x09 in string (must be "
                  "escaped)"},
        ErrorCase{"{\"x\":\"\x1f\",\"text\":\"a\"}",
                  "column 7: raw control character 0x1f in string (must be "
                  "escaped)"},
        // Invalid UTF-8, in the text field, in other fields and keys.
        ErrorCase{"{\"text\":\"a\xff\"}", "column 11: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xc3\x28\"}", "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xc0\xaf\"}", "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xe0\x80\xaf\"}", "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xed\xa0\x80\"}", "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xf4\x90\x80\x80\"}",
                  "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\xf0\x8f\xbf\xbf\"}",
                  "column 10: invalid UTF-8"},
        ErrorCase{"{\"text\":\"ab\xe2\x82\"}", "column 12: invalid UTF-8"},
        ErrorCase{"{\"text\":\"\x80\"}", "column 10: invalid UTF-8"},
        ErrorCase{"{\"x\":\"ok\xc3\",\"text\":\"a\"}",
                  "column 9: invalid UTF-8"},
        ErrorCase{"{\"k\xff\":1,\"text\":\"a\"}", "column 4: invalid UTF-8"},
        ErrorCase{"{\"text\":\"a\",\"x\":\xff}", "column 17: invalid UTF-8"},
        ErrorCase{"{\"text\":\"a\",\"x\":\xc3\xa9}",
                  "column 17: unexpected non-ASCII character, expected a "
                  "JSON value"},
        // Bad escapes and lone surrogates.
        ErrorCase{R"({"text":"a\q"})", "column 11: invalid escape '\\q'"},
        ErrorCase{R"({"text":"a\x41"})", "column 11: invalid escape '\\x'"},
        ErrorCase{R"({"text":"a\)",
                  "column 11: incomplete escape sequence "
                  "at end of line"},
        ErrorCase{R"({"text":"\u12g4"})",
                  "column 10: invalid \\u escape (need 4 hex digits)"},
        ErrorCase{R"({"text":"\u12"})",
                  "column 10: invalid \\u escape (need 4 hex digits)"},
        ErrorCase{R"({"text":"\ud800"})",
                  "column 10: lone surrogate \\uD800 (high surrogate not "
                  "followed by a low one)"},
        ErrorCase{R"({"text":"x\uDBFF\u0041"})",
                  "column 11: lone surrogate \\uDBFF (high surrogate not "
                  "followed by a low one)"},
        ErrorCase{R"({"text":"\ud800\ud800"})",
                  "column 10: lone surrogate \\uD800 (high surrogate not "
                  "followed by a low one)"},
        ErrorCase{R"({"text":"\udc00"})", "column 10: lone surrogate \\uDC00"},
        ErrorCase{R"({"x":"\udfff","text":"a"})",
                  "column 7: lone surrogate \\uDFFF"},
        // Field rules.
        ErrorCase{R"({"id":1})", "column 1: missing field 'text'"},
        ErrorCase{R"(  {})", "column 3: missing field 'text'"},
        ErrorCase{R"({"Text":"a"})", "column 1: missing field 'text'"},
        ErrorCase{R"({"text":1})", "column 9: field 'text' is not a string"},
        ErrorCase{R"({"text": null})",
                  "column 10: field 'text' is not a string"},
        ErrorCase{R"({"text":["a"]})",
                  "column 9: field 'text' is not a string"},
        ErrorCase{R"({"text":)",
                  "column 9: unexpected end of line, expected a JSON value"},
        ErrorCase{R"({"text":"a","id":null})",
                  "column 18: field 'id' is neither a string nor a number"},
        ErrorCase{R"({"text":"a","id":{"x":1}})",
                  "column 18: field 'id' is neither a string nor a number"},
        ErrorCase{R"({"text":"a","id":true})",
                  "column 18: field 'id' is neither a string nor a number"},
        ErrorCase{R"({"text":"a","text":"b"})",
                  "column 13: duplicate field 'text'"},
        ErrorCase{R"({"text":"a","te\u0078t":"b"})",
                  "column 13: duplicate field 'text'"},
        ErrorCase{R"({"id":1,"text":"a","id":2})",
                  "column 20: duplicate field 'id'"},
        ErrorCase{R"({"source":"a","text":"a","source":"b"})",
                  "column 26: duplicate field 'source'"}));

TEST(ParseJsonlLineTest, OtherDuplicateKeysAreAccepted) {
  EXPECT_TRUE(Parse(R"({"a":1,"a":2,"text":"t"})").status.ok());
}

std::string Nested(int depth) {
  // `depth` levels in total, counting the line's object.
  std::string line = R"({"text":"t","x":)";
  for (int i = 1; i < depth; ++i) line += "[";
  for (int i = 1; i < depth; ++i) line += "]";
  return line + "}";
}

TEST(ParseJsonlLineTest, NestingLimit) {
  EXPECT_TRUE(Parse(Nested(kJsonlMaxDepth)).status.ok());
  const Parsed p = Parse(Nested(kJsonlMaxDepth + 1));
  // The 65th level opens at column 17 + 63.
  EXPECT_EQ(std::string(p.status.message()),
            "column 80: nesting deeper than 64 levels");
  const std::string deep_objects = std::string(R"({"text":"t","x":)") + [] {
    std::string s;
    for (int i = 1; i < 100; ++i) s += R"({"k":)";
    s += "1";
    for (int i = 1; i < 100; ++i) s += "}";
    return s;
  }() + "}";
  EXPECT_EQ(Parse(deep_objects).status.code(),
            absl::StatusCode::kInvalidArgument);
}

// The string scanner works in 16- and 8-byte blocks: put each kind of special
// byte at every offset across two blocks and check decoding and columns.
TEST(ParseJsonlLineTest, SpecialBytesAtEveryBlockOffset) {
  const std::string prefix = R"({"text":")";
  for (size_t pos = 0; pos < 40; ++pos) {
    const std::string filler(pos, 'a');
    const std::string tail(37, 'z');
    {  // escape
      const Parsed p = Parse(prefix + filler + "\\n" + tail + "\"}");
      ASSERT_TRUE(p.status.ok()) << pos << p.status;
      EXPECT_EQ(p.text, filler + "\n" + tail);
    }
    {  // two-byte UTF-8
      const Parsed p = Parse(prefix + filler + "\xc3\xa9" + tail + "\"}");
      ASSERT_TRUE(p.status.ok()) << pos << p.status;
      EXPECT_EQ(p.text, filler + "\xc3\xa9" + tail);
    }
    {  // closing quote
      const Parsed p = Parse(prefix + filler + "\"}");
      ASSERT_TRUE(p.status.ok()) << pos << p.status;
      EXPECT_EQ(p.text, filler);
    }
    {  // control byte
      const Parsed p = Parse(prefix + filler + "\x1f" + tail + "\"}");
      EXPECT_EQ(std::string(p.status.message()),
                "column " + std::to_string(prefix.size() + pos + 1) +
                    ": raw control character 0x1f in string (must be "
                    "escaped)");
    }
    {  // invalid UTF-8
      const Parsed p = Parse(prefix + filler + "\xfe" + tail + "\"}");
      EXPECT_EQ(std::string(p.status.message()),
                "column " + std::to_string(prefix.size() + pos + 1) +
                    ": invalid UTF-8");
    }
  }
}

TEST(AppendJsonStringTest, EscapesQuotesBackslashesAndControls) {
  std::string out = "x=";
  AppendJsonString(std::string("a\"b\\c/\n\t\r\b\f\x01\x1f\x7f\0e", 16), &out);
  EXPECT_EQ(out, "x=\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\\u0000e\"");
}

TEST(AppendJsonStringTest, LeavesUtf8AndLongAsciiAlone) {
  const std::string s = std::string(100, 'a') + "\xe4\xb8\xad" + "\"";
  std::string out;
  AppendJsonString(s, &out);
  EXPECT_EQ(out, "\"" + std::string(100, 'a') + "\xe4\xb8\xad\\\"\"");
}

void AppendUtf8ForTest(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

TEST(AppendJsonStringTest, RoundTripsRandomUtf8ThroughParser) {
  std::mt19937_64 rng(20240601);  // fixed seed: never flakes
  std::uniform_int_distribution<int> length(0, 80);
  std::uniform_int_distribution<int> kind(0, 5);
  JsonlRecord record;
  std::string text;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string s;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) {
      uint32_t cp;
      switch (kind(rng)) {
        case 0:
          cp = rng() % 0x20;
          break;  // controls, NUL
        case 1:
          cp = "\"\\/"[rng() % 3];
          break;  // escaped ASCII
        case 2:
          cp = 0x20 + rng() % 0x60;
          break;  // printable ASCII
        case 3:
          cp = 0x80 + rng() % (0x800 - 0x80);
          break;
        case 4:
          cp = 0x800 + rng() % (0x10000 - 0x800);
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          break;
        default:
          cp = 0x10000 + rng() % (0x110000 - 0x10000);
          break;
      }
      AppendUtf8ForTest(cp, &s);
    }
    std::string line = R"({"id":)" + std::to_string(iter) + R"(,"text":)";
    AppendJsonString(s, &line);
    line += "}";
    const absl::Status status = ParseJsonlLine(line, {}, &record, &text);
    ASSERT_TRUE(status.ok()) << "iteration " << iter << ": " << status;
    ASSERT_EQ(text, s) << "iteration " << iter;
    ASSERT_EQ(record.id, std::to_string(iter));
  }
}

}  // namespace
}  // namespace dedup
