// File: tests/unit/io/warc_test.cc
// ParseWarc on a real Common Crawl WET sample and a generated one, every
// error class with its line and byte, UriHost, and AppendWetRecord round
// trips (unchanged payloads give back the input byte for byte).
#include "io/warc.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/string_view_compat.h"
#include "gtest/gtest.h"

namespace dedup {
namespace {

namespace fs = std::filesystem;

struct Parsed {
  absl::Status status;
  std::vector<WarcRecord> records;
};

Parsed Parse(std::string_view bytes) {
  Parsed p;
  p.status = ParseWarc(bytes, [&](const WarcRecord& r) {
    p.records.push_back(r);
    return absl::OkStatus();
  });
  return p;
}

std::string_view Payload(std::string_view bytes, const WarcRecord& r) {
  return bytes.substr(r.payload_begin, r.payload_end - r.payload_begin);
}

std::string_view Header(std::string_view bytes, const WarcRecord& r) {
  return bytes.substr(r.record_begin, r.payload_begin - r.record_begin);
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// Re-emits every record with its own payload.
std::string Rewrite(std::string_view bytes,
                    const std::vector<WarcRecord>& records) {
  std::string out;
  for (const WarcRecord& r : records)
    AppendWetRecord(Header(bytes, r), Payload(bytes, r), &out);
  return out;
}

// Checks the invariants every parse must hold: records tile the input, the
// ranges nest, and `line` matches a newline count.
void ExpectWellFormed(std::string_view bytes,
                      const std::vector<WarcRecord>& records) {
  uint64_t expected_begin = 0;
  for (const WarcRecord& r : records) {
    EXPECT_EQ(r.record_begin, expected_begin);
    EXPECT_LT(r.record_begin, r.payload_begin);
    EXPECT_LE(r.payload_begin, r.payload_end);
    EXPECT_LT(r.payload_end, r.record_end);
    EXPECT_EQ(r.line, 1 + std::count(bytes.begin(),
                                     bytes.begin() + r.record_begin, '\n'));
    EXPECT_EQ(bytes.substr(r.record_begin, 7), "WARC/1.");
    expected_begin = r.record_end;
  }
  EXPECT_EQ(expected_begin, bytes.size());
}

constexpr std::string_view kMinimal =
    "WARC/1.0\r\n"
    "WARC-Type: conversion\r\n"
    "WARC-Target-URI: https://Example.com/a\r\n"
    "WARC-Record-ID: <urn:uuid:1>\r\n"
    "Content-Length: 5\r\n"
    "\r\n"
    "hello"
    "\r\n\r\n";

TEST(ParseWarcTest, MinimalRecord) {
  const Parsed p = Parse(kMinimal);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 1u);
  const WarcRecord& r = p.records[0];
  EXPECT_EQ(r.type, "conversion");
  EXPECT_EQ(r.target_uri, "https://Example.com/a");
  EXPECT_EQ(r.record_id, "<urn:uuid:1>");
  EXPECT_EQ(r.record_begin, 0u);
  EXPECT_EQ(Payload(kMinimal, r), "hello");
  EXPECT_EQ(r.record_end, kMinimal.size());
  EXPECT_EQ(r.line, 1u);
  // Views point into the input.
  EXPECT_GE(r.type.data(), kMinimal.data());
  EXPECT_LE(r.type.data() + r.type.size(), kMinimal.data() + kMinimal.size());
}

TEST(ParseWarcTest, EmptyInputHasNoRecords) {
  const Parsed p = Parse("");
  EXPECT_TRUE(p.status.ok()) << p.status;
  EXPECT_TRUE(p.records.empty());
}

TEST(ParseWarcTest, BareLfEverywhereAndWarc11) {
  const std::string in =
      "WARC/1.1\nWARC-Type: resource\nContent-Length: 3\n\nabc\n\n"
      "WARC/1.0\nWARC-Type: x\nContent-Length: 0\n\n\n\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 2u);
  EXPECT_EQ(p.records[0].type, "resource");
  EXPECT_EQ(p.records[0].target_uri, "");
  EXPECT_EQ(Payload(in, p.records[0]), "abc");
  EXPECT_EQ(p.records[1].line, 7u);
  EXPECT_EQ(Payload(in, p.records[1]), "");
  ExpectWellFormed(in, p.records);
}

TEST(ParseWarcTest, MixedLineEndsPerLine) {
  const std::string in =
      "WARC/1.0\nWARC-Type: x\r\nContent-Length: 2\n\r\nab\r\n\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(Payload(in, p.records[0]), "ab");
  ExpectWellFormed(in, p.records);
}

TEST(ParseWarcTest, HeaderNamesAreCaseInsensitiveAndValuesTrimmed) {
  const std::string in =
      "WARC/1.0\r\nwarc-type:\t conversion \t\r\nWARC-TARGET-URI:http://h/\r\n"
      "content-LENGTH:   2  \r\nX-Other: a:b:c\r\n\r\nab\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(p.records[0].type, "conversion");
  EXPECT_EQ(p.records[0].target_uri, "http://h/");
  EXPECT_EQ(Payload(in, p.records[0]), "ab");
}

TEST(ParseWarcTest, FoldedOtherFieldIsAccepted) {
  const std::string in =
      "WARC/1.0\r\nWARC-Type: x\r\nX-Long: one\r\n two\r\n\tthree\r\n"
      "Content-Length: 1\r\n\r\na\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 1u);
}

TEST(ParseWarcTest, ContentLengthGovernsNotPayloadText) {
  // The payload holds what looks like a record end and a new record.
  const std::string payload = "x\r\n\r\nWARC/1.0\r\nContent-Length: 1\r\n\r\n";
  const std::string in = "WARC/1.0\r\nWARC-Type: x\r\nContent-Length: " +
                         std::to_string(payload.size()) + "\r\n\r\n" + payload +
                         "\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 1u);
  EXPECT_EQ(Payload(in, p.records[0]), payload);
}

TEST(ParseWarcTest, LineNumbersAfterLargePayloads) {
  // Payloads past the newline counter's 16 * 255-byte fold, with newlines
  // in every byte position mod 16.
  std::string in;
  for (const size_t size : {0, 15, 16, 4079, 4080, 4081, 12345, 70000}) {
    std::string payload;
    for (size_t i = 0; i < size; ++i) payload += (i * 7) % 17 == 3 ? '\n' : 'x';
    in +=
        "WARC/1.0\r\nWARC-Type: x\r\nContent-Length: " + std::to_string(size) +
        "\r\n\r\n" + payload + "\r\n\r\n";
  }
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 8u);
  ExpectWellFormed(in, p.records);
}

TEST(ParseWarcTest, PayloadMayHoldAnyBytes) {
  const std::string payload("\0\r\x01\xff\n", 5);
  const std::string in =
      "WARC/1.0\r\nWARC-Type: x\r\nContent-Length: 5\r\n\r\n" + payload +
      "\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  EXPECT_EQ(Payload(in, p.records.at(0)), payload);
}

TEST(ParseWarcTest, CallbackErrorStopsTheParse) {
  const std::string in = std::string(kMinimal) + std::string(kMinimal);
  int calls = 0;
  const absl::Status s = ParseWarc(in, [&](const WarcRecord&) {
    ++calls;
    return absl::CancelledError("stop");
  });
  EXPECT_EQ(s, absl::CancelledError("stop"));
  EXPECT_EQ(calls, 1);
}

struct ErrorCase {
  std::string input;
  absl::StatusCode code;
  std::string message;  // the whole message
};

// Prints cases with escapes so a failing one can be found.
void PrintTo(const ErrorCase& c, std::ostream* os) {
  *os << ::testing::PrintToString(c.input);
}

class ParseWarcErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParseWarcErrorTest, FailsWithMessage) {
  const ErrorCase& c = GetParam();
  const Parsed p = Parse(c.input);
  EXPECT_EQ(p.status.code(), c.code) << p.status;
  EXPECT_EQ(StdView(p.status.message()), c.message);
}

const std::string kHead =
    "WARC/1.0\r\nWARC-Type: x\r\n";  // lines 1-2, 24 bytes
const std::string kRecord =
    kHead + "Content-Length: 1\r\n\r\na\r\n\r\n";  // 50 bytes, 6 lines

using absl::StatusCode;

INSTANTIATE_TEST_SUITE_P(
    Errors, ParseWarcErrorTest,
    ::testing::Values(
        ErrorCase{"HTTP/1.1 200 OK\r\n", StatusCode::kInvalidArgument,
                  "line 1 (byte 0): bad version line 'HTTP/1.1 200 OK'"},
        ErrorCase{
            "\xef\xbb\xbfWARC/1.0\r\n", StatusCode::kInvalidArgument,
            "line 1 (byte 0): bad version line '\\xef\\xbb\\xbfWARC/1.0'"},
        ErrorCase{"WARC/0.9\r\n", StatusCode::kInvalidArgument,
                  "line 1 (byte 0): unsupported WARC version 'WARC/0.9'"},
        ErrorCase{"WARC/1.0 \r\n", StatusCode::kInvalidArgument,
                  "line 1 (byte 0): unsupported WARC version 'WARC/1.0 '"},
        ErrorCase{"WARC/1.0\x01\r\n", StatusCode::kInvalidArgument,
                  "line 1 (byte 0): bad version line 'WARC/1.0\\x01'"},
        ErrorCase{"WAR", StatusCode::kInvalidArgument,
                  "line 1 (byte 0): bad version line 'WAR'"},
        ErrorCase{"WARC/1.0", StatusCode::kDataLoss,
                  "line 1 (byte 0): truncated record: headers do not end"},
        ErrorCase{"WARC/1.0\r", StatusCode::kDataLoss,
                  "line 1 (byte 0): truncated record: headers do not end"},
        ErrorCase{kHead, StatusCode::kDataLoss,
                  "line 3 (byte 24): truncated record: headers do not end"},
        ErrorCase{kHead + "Content-Length: 1\r\n", StatusCode::kDataLoss,
                  "line 4 (byte 43): truncated record: headers do not end"},
        ErrorCase{"WARC/1.0\r\nWARC-Type: x\r\n\r\n",
                  StatusCode::kInvalidArgument,
                  "line 1 (byte 0): missing Content-Length"},
        ErrorCase{"WARC/1.0\r\nContent-Length: 0\r\n\r\n\r\n\r\n",
                  StatusCode::kInvalidArgument,
                  "line 1 (byte 0): missing WARC-Type"},
        ErrorCase{"WARC/1.0\r\nWARC-Type:  \r\n", StatusCode::kInvalidArgument,
                  "line 2 (byte 10): empty WARC-Type"},
        ErrorCase{kHead + "Content-Length: 12a\r\n",
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad Content-Length '12a'"},
        ErrorCase{kHead + "Content-Length: -1\r\n",
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad Content-Length '-1'"},
        ErrorCase{kHead + "Content-Length: +1\r\n",
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad Content-Length '+1'"},
        ErrorCase{kHead + "Content-Length: 1 2\r\n",
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad Content-Length '1 2'"},
        ErrorCase{kHead + "Content-Length:\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad Content-Length ''"},
        ErrorCase{kHead + "Content-Length: 1\r\ncontent-length: 1\r\n",
                  StatusCode::kInvalidArgument,
                  "line 4 (byte 43): duplicate Content-Length"},
        ErrorCase{kHead + "WARC-TYPE: y\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 24): duplicate WARC-Type"},
        ErrorCase{kHead + "WARC-Target-URI: a\r\nWARC-Target-URI: b\r\n",
                  StatusCode::kInvalidArgument,
                  "line 4 (byte 44): duplicate WARC-Target-URI"},
        ErrorCase{kHead + "WARC-Record-ID: a\r\nWARC-Record-ID: b\r\n",
                  StatusCode::kInvalidArgument,
                  "line 4 (byte 43): duplicate WARC-Record-ID"},
        ErrorCase{kHead + "NoColon\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad header line 'NoColon'"},
        ErrorCase{kHead + ": value\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad header line ': value'"},
        ErrorCase{kHead + "Bad Name: v\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 24): bad header line 'Bad Name: v'"},
        ErrorCase{kHead + "X-A: a\x01"
                          "b\r\n",
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 30): control byte 0x01 in header line"},
        ErrorCase{kHead + "X-A: a\rb\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 30): control byte 0x0D in header line"},
        ErrorCase{kHead + std::string("X-A: \0\r\n", 8),
                  StatusCode::kInvalidArgument,
                  "line 3 (byte 29): control byte 0x00 in header line"},
        ErrorCase{kHead + "X-A: \x7f\r\n", StatusCode::kInvalidArgument,
                  "line 3 (byte 29): control byte 0x7F in header line"},
        ErrorCase{
            "WARC/1.0\r\n continued\r\n", StatusCode::kInvalidArgument,
            "line 2 (byte 10): bad header line: continuation before any field"},
        ErrorCase{kHead + "Content-Length: 1\r\n 2\r\n",
                  StatusCode::kInvalidArgument,
                  "line 4 (byte 43): folded Content-Length"},
        ErrorCase{kHead + "Content-Length: 5000\r\n\r\nabc",
                  StatusCode::kDataLoss,
                  "line 3 (byte 24): truncated record: Content-Length 5000 "
                  "runs past the end "
                  "of the input (3 bytes left)"},
        ErrorCase{kHead + "Content-Length: 99999999999999999999999\r\n\r\n",
                  StatusCode::kDataLoss,
                  "line 3 (byte 24): truncated record: Content-Length "
                  "99999999999999999999999 "
                  "runs past the end of the input (0 bytes left)"},
        ErrorCase{
            kHead + "Content-Length: 1\r\n\r\na", StatusCode::kDataLoss,
            "line 5 (byte 46): truncated record: missing record terminator"},
        ErrorCase{
            kHead + "Content-Length: 1\r\n\r\na\r\n", StatusCode::kDataLoss,
            "line 6 (byte 48): truncated record: missing record terminator"},
        ErrorCase{
            kHead + "Content-Length: 1\r\n\r\na\r", StatusCode::kDataLoss,
            "line 5 (byte 46): truncated record: missing record terminator"},
        ErrorCase{
            kHead + "Content-Length: 1\r\n\r\nab\r\n\r\n",
            StatusCode::kInvalidArgument,
            "line 5 (byte 46): missing record terminator after payload, found "
            "'b\\r\\n\\r\\n'"},
        ErrorCase{kHead + "Content-Length: 3\r\n\r\na\nb\r\nX",
                  StatusCode::kInvalidArgument,
                  "line 7 (byte 50): missing record terminator after payload, "
                  "found 'X'"},
        // What follows a record must be the next record: an extra blank line
        // is not skipped.
        ErrorCase{kRecord + "\r\n", StatusCode::kInvalidArgument,
                  "line 7 (byte 50): bad version line ''"},
        ErrorCase{kRecord + kRecord + "WARC/1.0\r\nWARC-Type: x\r\n\r\n",
                  StatusCode::kInvalidArgument,
                  "line 13 (byte 100): missing Content-Length"}));

TEST(ParseWarcTest, LongBadLineIsQuotedShort) {
  const Parsed p = Parse(std::string(100000, 'x') + "\n");
  EXPECT_EQ(StdView(p.status.message()), "line 1 (byte 0): bad version line '" +
                                             std::string(40, 'x') + "...'");
}

fs::path SharedSample() {
  return fs::path(DEDUP_SOURCE_DIR) /
         "../shared/corpora/cc_wet_sample/whirlwind.warc.wet";
}

TEST(WarcSampleTest, CommonCrawlWetSample) {
  const fs::path path = SharedSample();
  if (!fs::exists(path)) GTEST_SKIP() << "no " << path;
  const std::string bytes = ReadFile(path);
  const Parsed p = Parse(bytes);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 2u);
  ExpectWellFormed(bytes, p.records);
  EXPECT_EQ(p.records[0].type, "warcinfo");
  EXPECT_EQ(p.records[0].target_uri, "");
  EXPECT_EQ(p.records[0].payload_end - p.records[0].payload_begin, 368u);
  EXPECT_EQ(p.records[1].type, "conversion");
  EXPECT_EQ(p.records[1].target_uri, "https://an.wikipedia.org/wiki/Escopete");
  EXPECT_EQ(p.records[1].record_id,
            "<urn:uuid:ba729a40-ff84-4085-8d48-0a5b2ee0c42d>");
  EXPECT_EQ(p.records[1].payload_end - p.records[1].payload_begin, 4456u);
  EXPECT_EQ(p.records[1].line, 19u);
  EXPECT_TRUE(
      Payload(bytes, p.records[1]).starts_with("Escopete - Biquipedia"));
  EXPECT_EQ(UriHost(p.records[1].target_uri), "an.wikipedia.org");
  EXPECT_EQ(Rewrite(bytes, p.records), bytes);
}

TEST(WarcSampleTest, GeneratedWetFixture) {
  // python3 scripts/gen_corpus.py --seed 1 --size-mb 0.01 --base bundled
  // --format wet
  const std::string bytes =
      ReadFile(fs::path(DEDUP_SOURCE_DIR) / "tests/data/gen_seed1.warc.wet");
  ASSERT_FALSE(bytes.empty());
  const Parsed p = Parse(bytes);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), 10u);
  ExpectWellFormed(bytes, p.records);
  EXPECT_EQ(p.records[0].type, "warcinfo");
  for (size_t i = 1; i < p.records.size(); ++i) {
    EXPECT_EQ(p.records[i].type, "conversion");
    EXPECT_TRUE(UriHost(p.records[i].target_uri).ends_with(".example"))
        << p.records[i].target_uri;
  }
  EXPECT_EQ(p.records[1].target_uri,
            "https://islandtribune-00.example/d000000");
  EXPECT_TRUE(
      Payload(bytes, p.records[1]).starts_with("Welcome to Island Tribune\n"));
  EXPECT_EQ(Rewrite(bytes, p.records), bytes);
}

TEST(WarcSampleTest, GeneratedWetAsLfOnly) {
  // The same fixture with every header CRLF turned into LF (payloads have no
  // CR) still parses to the same payloads and round trips.
  std::string bytes =
      ReadFile(fs::path(DEDUP_SOURCE_DIR) / "tests/data/gen_seed1.warc.wet");
  const Parsed crlf = Parse(bytes);
  ASSERT_TRUE(crlf.status.ok());
  std::string lf;
  for (const WarcRecord& r : crlf.records) {
    std::string header(Header(bytes, r));
    header.erase(std::remove(header.begin(), header.end(), '\r'), header.end());
    lf += header;
    lf += Payload(bytes, r);
    lf += "\n\n";
  }
  const Parsed p = Parse(lf);
  ASSERT_TRUE(p.status.ok()) << p.status;
  ASSERT_EQ(p.records.size(), crlf.records.size());
  for (size_t i = 0; i < p.records.size(); ++i) {
    EXPECT_EQ(Payload(lf, p.records[i]), Payload(bytes, crlf.records[i]));
    EXPECT_EQ(p.records[i].target_uri, crlf.records[i].target_uri);
  }
  ExpectWellFormed(lf, p.records);
  EXPECT_EQ(Rewrite(lf, p.records), lf);
}

TEST(UriHostTest, Cases) {
  EXPECT_EQ(UriHost("https://Example.com:8080/a"), "Example.com");
  EXPECT_EQ(UriHostLowercase("https://Example.com:8080/a"), "example.com");
  EXPECT_EQ(UriHostLowercase("HTTP://WWW.Example.COM./x"), "www.example.com");
  EXPECT_EQ(UriHost("http://example.com"), "example.com");
  EXPECT_EQ(UriHost("http://example.com?q=1"), "example.com");
  EXPECT_EQ(UriHost("http://example.com#frag"), "example.com");
  EXPECT_EQ(UriHost("http://user:pw@host.org:80/p@q"), "host.org");
  EXPECT_EQ(UriHost("http://[::1]:8080/"), "[::1]");
  EXPECT_EQ(UriHost("http://[::1"), "");
  EXPECT_EQ(UriHost("ftp://10.0.0.1/file"), "10.0.0.1");
  EXPECT_EQ(UriHost("svn+ssh://h.net/r"), "h.net");
  EXPECT_EQ(UriHost("file:///etc/passwd"), "");
  EXPECT_EQ(UriHost("urn:uuid:1234"), "");
  EXPECT_EQ(UriHost("mailto:a@b.com"), "");
  EXPECT_EQ(UriHost("//example.com/a"), "");
  EXPECT_EQ(UriHost("/relative/path"), "");
  EXPECT_EQ(UriHost("1http://x/"), "");
  EXPECT_EQ(UriHost(""), "");
  EXPECT_EQ(UriHostLowercase(""), "");
  const std::string_view uri = "https://h.example/x";
  const std::string_view host = UriHost(uri);
  EXPECT_EQ(host.data(), uri.data() + 8);
}

TEST(AppendWetRecordTest, RewritesContentLengthOnly) {
  const std::string in =
      "WARC/1.0\r\nWARC-Type: conversion\r\ncontent-length:  5 \r\nX: "
      "y\r\n\r\nhello\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok());
  std::string out = "prefix";
  AppendWetRecord(Header(in, p.records[0]), "hi", &out);
  EXPECT_EQ(out,
            "prefixWARC/1.0\r\nWARC-Type: conversion\r\ncontent-length:  2 "
            "\r\nX: y\r\n\r\n"
            "hi\r\n\r\n");
  out.clear();
  AppendWetRecord(Header(in, p.records[0]), "hello", &out);
  EXPECT_EQ(out, in);
}

TEST(AppendWetRecordTest, KeepsLeadingZerosWhenLengthIsUnchanged) {
  // Found by fuzz_warc: "05" must not become "5" for an unchanged payload.
  const std::string in =
      "WARC/1.0\r\nWARC-Type: x\r\nContent-Length:05\r\n\r\nhello\r\n\r\n";
  const Parsed p = Parse(in);
  ASSERT_TRUE(p.status.ok()) << p.status;
  std::string out;
  AppendWetRecord(Header(in, p.records[0]), "hello", &out);
  EXPECT_EQ(out, in);
  out.clear();
  AppendWetRecord(Header(in, p.records[0]), "hi", &out);
  EXPECT_EQ(out,
            "WARC/1.0\r\nWARC-Type: x\r\nContent-Length:2\r\n\r\nhi\r\n\r\n");
}

TEST(AppendWetRecordTest, ChangedPayloadsReparse) {
  const std::string bytes =
      ReadFile(fs::path(DEDUP_SOURCE_DIR) / "tests/data/gen_seed1.warc.wet");
  const Parsed p = Parse(bytes);
  ASSERT_TRUE(p.status.ok());
  std::string out;
  std::vector<std::string> payloads;
  for (const WarcRecord& r : p.records) {
    std::string_view payload = Payload(bytes, r);
    payloads.emplace_back(payload.substr(0, payload.size() / 2));
    AppendWetRecord(Header(bytes, r), payloads.back(), &out, WetDigest::kDrop);
  }
  const Parsed q = Parse(out);
  ASSERT_TRUE(q.status.ok()) << q.status;
  ASSERT_EQ(q.records.size(), p.records.size());
  for (size_t i = 0; i < q.records.size(); ++i) {
    EXPECT_EQ(Payload(out, q.records[i]), payloads[i]);
    EXPECT_EQ(q.records[i].record_id, p.records[i].record_id);
    EXPECT_EQ(Header(out, q.records[i]).find("WARC-Block-Digest"),
              std::string_view::npos);
  }
  EXPECT_NE(Header(bytes, p.records[1]).find("WARC-Block-Digest"),
            std::string_view::npos);
}

TEST(AppendWetRecordTest, DropsFoldedDigestLines) {
  const std::string header =
      "WARC/1.0\nWARC-Type: x\nWARC-Block-Digest: sha1:A\n B\nX: 1\n "
      "2\nContent-Length: 9\n\n";
  std::string out;
  AppendWetRecord(header, "p", &out, WetDigest::kDrop);
  EXPECT_EQ(out,
            "WARC/1.0\nWARC-Type: x\nX: 1\n 2\nContent-Length: 1\n\np\n\n");
}

TEST(AppendWetRecordTest, ToleratesHeadersParseWarcWouldReject) {
  std::string out;
  AppendWetRecord(
      "WARC/1.0\nContent-Length\nContent-Length: 1\ncontent-length: 2\n\n",
      "ab", &out);
  EXPECT_EQ(out, "WARC/1.0\nContent-Length\nContent-Length: 2\n\nab\n\n");
  out.clear();
  AppendWetRecord("", "ab", &out);
  EXPECT_EQ(out, "WARC/1.0\r\nContent-Length: 2\r\n\r\nab\r\n\r\n");
}

TEST(AppendWetRecordTest, AddsMissingContentLength) {
  std::string out;
  AppendWetRecord("WARC/1.0\r\nWARC-Type: x\r\n\r\n", "abc", &out);
  EXPECT_EQ(out,
            "WARC/1.0\r\nWARC-Type: x\r\nContent-Length: 3\r\n\r\nabc\r\n\r\n");
  const Parsed p = Parse(out);
  EXPECT_TRUE(p.status.ok()) << p.status;
}

}  // namespace
}  // namespace dedup
