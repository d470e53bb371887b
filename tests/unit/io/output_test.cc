// File: tests/unit/io/output_test.cc
// Writing cleaned JSONL: the kept part of a text field is copied as it was
// in the input, escapes and all (a "\u00e9" stays six bytes, "\/" stays
// two), and what it decodes to is exactly the text less the removed ranges,
// whatever the ranges (ones that cut an escape's decoded bytes take the
// decode-and-escape path).
#include "io/output.h"

#include <random>
#include <string>
#include <vector>

#include "core/cleaner.h"
#include "gtest/gtest.h"
#include "io/corpus.h"
#include "io/jsonl.h"
#include "temp_file.h"

namespace dedup {
namespace {

// Writes input 0 of corpus with document 0 keeping all but `removed`.
std::string WriteWithRemoved(const Corpus& corpus, const std::vector<RemovedRange>& removed) {
  PipelineResult result;
  result.docs.resize(corpus.size());
  result.removed = removed;
  result.docs[0].removed_begin = 0;
  result.docs[0].removed_count = static_cast<uint32_t>(removed.size());
  StringSink sink;
  EXPECT_TRUE(WriteCleanedInput(corpus, 0, result, sink).ok());
  return sink.str();
}

TEST(CleanedJsonlTest, KeptTextKeepsItsEscapesAsTheyWere) {
  // Lines (decoded): "Caf\u00e9 \/ 1\n", "Footer\n", "tab\there \"q\" \ud83d\ude00".
  const std::string line = R"({"id": 7, "text": "Caf\u00e9 \/ 1\nFooter\ntab\there \"q\" \ud83d\ude00", "x": [1]})";
  const std::string path = WriteTempFile("output_test_escapes.jsonl", line + "\n");
  Corpus corpus(CorpusOptions{});
  ASSERT_TRUE(corpus.AddInput(path, "in.jsonl", "").ok());
  std::string scratch;
  const std::string text(corpus.Text(0, &scratch));
  const uint32_t footer = static_cast<uint32_t>(text.find("Footer"));
  const uint32_t after_footer = footer + 7;  // "Footer\n"
  EXPECT_EQ(WriteWithRemoved(corpus, {{footer, after_footer, 0, 3}}),
            R"({"id": 7, "text": "Caf\u00e9 \/ 1\ntab\there \"q\" \ud83d\ude00", "x": [1]})"
            "\n");
  // The first line and the last.
  EXPECT_EQ(WriteWithRemoved(corpus, {{0, footer, 0, 3}, {after_footer, static_cast<uint32_t>(text.size()), 1, 3}}),
            R"({"id": 7, "text": "Footer\n", "x": [1]})"
            "\n");
}

// Random removed ranges, at line edges or at any character's edge: the
// written line parses, its other fields are as they were, and its text is
// the decoded text less the ranges. Every third text is long, with runs
// longer than the 64 bytes the walk searches at a time, so that escapes
// fall at every place of its blocks.
TEST(CleanedJsonlTest, WrittenTextIsTheTextLessTheRanges) {
  const std::vector<std::string> pieces = {"word ", "\\n", "\\u00e9", "\\ud83d\\ude00", "\\/", "\\\"", "\\\\",
                                           "\\t",   "x",   "\xc3\xa9", "\\u0041",
                                           "a run of plain text as long as a line, and longer than one block\\n"};
  std::mt19937 rng(3);
  for (int round = 0; round < 300; ++round) {
    std::string value;
    const int n = 1 + static_cast<int>(rng() % (round % 3 == 0 ? 160 : 40));
    for (int i = 0; i < n; ++i) value += pieces[rng() % pieces.size()];
    const std::string line = R"({"a": 1, "text": ")" + value + R"(", "b": "z"})";
    const std::string path = WriteTempFile("output_test_random.jsonl", line + "\n");
    Corpus corpus(CorpusOptions{});
    ASSERT_TRUE(corpus.AddInput(path, "in.jsonl", "").ok()) << line;
    std::string scratch;
    const std::string text(corpus.Text(0, &scratch));
    // Sorted, non-overlapping ranges; every other round at line edges only.
    std::vector<uint32_t> edges;
    for (uint32_t i = 0; i <= text.size(); ++i) {
      const bool line_edge = i == 0 || i == text.size() || text[i - 1] == '\n';
      const bool char_edge = i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
      if ((round % 2 == 0 ? line_edge : char_edge) && rng() % 3 == 0) edges.push_back(i);
    }
    if (edges.size() % 2 == 1) edges.pop_back();
    std::vector<RemovedRange> removed;
    for (size_t i = 0; i + 1 < edges.size(); i += 2) removed.push_back({edges[i], edges[i + 1], 0, 3});
    if (removed.empty()) continue;  // (a document without ranges is copied whole elsewhere)
    const std::string written = WriteWithRemoved(corpus, removed);
    std::string want;
    AppendCleanedText(text, removed, &want);
    JsonlRecord record;
    std::string got;
    ASSERT_TRUE(ParseJsonlLine(std::string_view(written).substr(0, written.size() - 1), JsonlFieldNames{},
                               &record, &got)
                    .ok())
        << written;
    EXPECT_EQ(got, want) << line << " -> " << written;
    EXPECT_EQ(written.substr(0, 17), R"({"a": 1, "text": )");
    EXPECT_EQ(written.substr(written.size() - 12), R"(, "b": "z"})"
                                                   "\n");
  }
}

// A range that cuts the bytes one escape decodes to (here the second byte
// of "\u00e9"'s two) cannot keep the escapes: the text is decoded, cut and
// escaped again, as for any other text.
TEST(CleanedJsonlTest, RangeInsideAnEscapesBytesEscapesTheCleanText) {
  const std::string path = WriteTempFile("output_test_cut.jsonl", R"({"text": "a\u00e9b\/"})"
                                                  "\n");
  Corpus corpus(CorpusOptions{});
  ASSERT_TRUE(corpus.AddInput(path, "in.jsonl", "").ok());
  std::string escaped = R"({"text": )";
  AppendJsonString(std::string("a\xc3") + "b/", &escaped);
  EXPECT_EQ(WriteWithRemoved(corpus, {{2, 3, 0, 3}}), escaped + "}\n");
}

}  // namespace
}  // namespace dedup
