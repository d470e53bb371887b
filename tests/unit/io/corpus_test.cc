// File: tests/unit/io/corpus_test.cc
// JSONL framing in stretches: any thread count (and tiny stretches, so that
// every kind of line meets a stretch boundary) gives the same documents, ids,
// sources, separators, text and first error or warnings as one thread.
#include "io/corpus.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "io/jsonl.h"
#include "temp_file.h"

namespace dedup {
namespace {

// Everything framing decides, as one comparable string.
std::string Describe(const Corpus& corpus, const absl::Status& status) {
  std::string out = "status: " + status.ToString() + "\n";
  for (const std::string& w : corpus.warnings()) out += "warning: " + w + "\n";
  for (const CorpusInput& input : corpus.inputs()) {
    out += "input: prefix_end " + std::to_string(input.prefix_end) + " docs " + std::to_string(input.num_docs) +
           " bad " + std::to_string(input.bad_records) + "\n";
  }
  std::string scratch;
  for (size_t d = 0; d < corpus.size(); ++d) {
    const CorpusDoc& doc = corpus.doc(d);
    out += "doc " + std::to_string(doc.begin) + "-" + std::to_string(doc.end) + "-" + std::to_string(doc.sep_end) +
           " line " + std::to_string(doc.line) + " id [" + std::string(corpus.Id(d)) + "] source " +
           std::to_string(corpus.SourceId(d)) + " text [" + std::string(corpus.Text(d, &scratch)) + "]\n";
  }
  return out;
}

std::string Frame(const std::string& path, int threads, bool skip) {
  CorpusOptions options;
  options.threads = threads;
  options.jsonl_stretch_bytes = 1;  // as many stretches as the threads allow
  options.skip_bad_records = skip;
  options.max_doc_bytes = 200;
  Corpus corpus(options);
  const absl::Status status = corpus.AddInput(path, "in.jsonl", "hint");
  return Describe(corpus, status);
}

std::string MixedInput(bool with_bad_lines) {
  std::string s = "\n  \n";  // a blank prefix
  for (int i = 0; i < 60; ++i) {
    if (i % 7 == 0)
      s += "{\"text\": \"no id, line " + std::to_string(i) + "\\nescaped\"}\n";
    else if (i % 7 == 1)
      s += "{\"id\": " + std::to_string(i) + ", \"text\": \"plain " + std::to_string(i) + "\"}\r\n";
    else if (i % 7 == 2)
      s += "\t\n\n";  // blank lines stay with the document before them
    else if (i % 7 == 3 && with_bad_lines)
      s += "{\"text\": \"bad \xff byte\"}\n";
    else if (i % 7 == 4 && with_bad_lines)
      s += "{\"text\": \"" + std::string(250, 'L') + "\"}\n";
    else
      s += "{\"id\": \"d" + std::to_string(i) + "\", \"source\": \"s" + std::to_string(i % 3) +
           "\", \"text\": \"caf\xc3\xa9 \\u00e9 " + std::to_string(i) + "\"}\n";
  }
  return s + "{\"text\": \"last line, no newline\"}";
}

TEST(CorpusFramingTest, StretchesGiveTheSameDocumentsAsOneThread) {
  const std::string path = WriteTempFile("corpus_test_good.jsonl", MixedInput(false));
  const std::string want = Frame(path, 1, false);
  EXPECT_NE(want.find("status: OK"), std::string::npos) << want;
  for (int threads : {2, 3, 4, 8, 16}) EXPECT_EQ(Frame(path, threads, false), want) << threads << " threads";
}

TEST(CorpusFramingTest, StretchesSkipTheSameBadLinesInOrder) {
  const std::string path = WriteTempFile("corpus_test_bad.jsonl", MixedInput(true));
  const std::string want = Frame(path, 1, true);
  EXPECT_NE(want.find("warning: "), std::string::npos) << want;
  for (int threads : {2, 3, 4, 8, 16}) EXPECT_EQ(Frame(path, threads, true), want) << threads << " threads";
}

TEST(CorpusFramingTest, StretchesReportTheFirstBadLine) {
  const std::string path = WriteTempFile("corpus_test_first_bad.jsonl", MixedInput(true));
  const std::string want = Frame(path, 1, false);
  EXPECT_NE(want.find(":7: column 15: invalid UTF-8"), std::string::npos) << want;
  for (int threads : {2, 3, 4, 8, 16}) EXPECT_EQ(Frame(path, threads, false), want) << threads << " threads";
  // A bad line only near the end: earlier stretches succeed, the error is
  // still the one of its line.
  std::string late = MixedInput(false);
  late.insert(late.rfind('\n') + 1, "{\"text\": 7}\n");
  const std::string late_path = WriteTempFile("corpus_test_late_bad.jsonl", late);
  const std::string late_want = Frame(late_path, 1, false);
  EXPECT_NE(late_want.find("field 'text' is not a string"), std::string::npos) << late_want;
  for (int threads : {2, 3, 8}) EXPECT_EQ(Frame(late_path, threads, false), late_want) << threads << " threads";
}

TEST(CorpusFramingTest, BlankOnlyStretchesExtendTheSeparator) {
  std::string s = "{\"text\": \"a\"}\n";
  for (int i = 0; i < 50; ++i) s += "   \n";
  s += "{\"text\": \"b\"}\n\n\n";
  const std::string path = WriteTempFile("corpus_test_blank.jsonl", s);
  const std::string want = Frame(path, 1, false);
  EXPECT_NE(want.find("doc 0-13-214"), std::string::npos) << want;
  for (int threads : {2, 4, 16}) EXPECT_EQ(Frame(path, threads, false), want) << threads << " threads";
}

// A UTF-8 byte order mark (Windows tools write one) does not hide JSONL:
// the same documents as without it, the mark kept in the prefix before the
// first one (with the blank lines that follow it), at any thread count.
TEST(CorpusFramingTest, AByteOrderMarkIsKeptBeforeTheFirstDocument) {
  const std::string plain = MixedInput(false);
  const std::string with_bom = "\xEF\xBB\xBF" + plain;
  const std::string want = Frame(WriteTempFile("corpus_test_bom.jsonl", with_bom), 1, false);
  const std::string without = Frame(WriteTempFile("corpus_test_no_bom.jsonl", plain), 1, false);
  EXPECT_NE(want.find("status: OK"), std::string::npos) << want;
  EXPECT_NE(without.find("input: prefix_end 4 docs "), std::string::npos) << without;
  const std::string docs = without.substr(without.find(" docs "), 10);
  EXPECT_NE(want.find("input: prefix_end 7" + docs), std::string::npos) << want;
  for (int threads : {2, 3, 8, 16}) {
    EXPECT_EQ(Frame(WriteTempFile("corpus_test_bom.jsonl", with_bom), threads, false), want) << threads;
  }
}

}  // namespace
}  // namespace dedup
