// Issue #6's bad-input matrix, each case through the real binary with its
// documented answer (message naming file and line, exit status, output).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "binary_fixture.h"
#include "core/pipeline.h"

namespace {

using namespace dedup_test;  // NOLINT: test helpers

class BadInputTest : public BinaryTest {};

TEST_F(BadInputTest, WhitespaceOnlyInputPassesThroughUnchanged) {
  const Result r = Run("", "  \n\n\t\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "  \n\n\t\n");
}

TEST_F(BadInputTest, NulByteInJsonlNamesLineAndColumn) {
  const Result r = Run("", std::string("{\"text\": \"fine\"}\n{\"text\": \"bad\0byte\"}\n", 38));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("-:2: column "), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(BadInputTest, InvalidUtf8InJsonlNamesLine) {
  const Result r = Run("", "{\"text\": \"ok\"}\n{\"text\": \"caf\xe9\"}\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("-:2: column "), std::string::npos) << r.err;
}

TEST_F(BadInputTest, MissingOrNonStringTextField) {
  Result r = Run("", "{\"id\": 1, \"body\": \"x\"}\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("-:1: "), std::string::npos);
  EXPECT_NE(r.err.find("missing field 'text'"), std::string::npos) << r.err;
  r = Run("", "{\"id\": 1, \"text\": 42}\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("field 'text' is not a string"), std::string::npos) << r.err;
  r = Run("--text-field body", "{\"id\": 1, \"body\": \"x\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(BadInputTest, SkipModeLeavesBadLinesOutCountsThemAndExitsOne) {
  const Result r = Run("--on-error=skip --stats", "{\"text\": \"one\"}\n{\"text\": \n{\"text\": \"three\"}\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "{\"text\": \"one\"}\n{\"text\": \"three\"}\n");
  EXPECT_NE(r.err.find("-:2: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1 bad records skipped"), std::string::npos) << r.err;
}

TEST_F(BadInputTest, ConcatenatedGzipMembersAreAllRead) {
  WriteFile(dir_ / "a.jsonl", "{\"id\": \"a\", \"text\": \"first member\"}\n");
  WriteFile(dir_ / "b.jsonl", "{\"id\": \"b\", \"text\": \"second member\"}\n");
  ASSERT_EQ(Sh("gzip -c a.jsonl > in.jsonl.gz && gzip -c b.jsonl >> in.jsonl.gz").exit_code, 0);
  const Result r = Run("in.jsonl.gz");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(dir_ / "a.jsonl") + ReadFile(dir_ / "b.jsonl"));
}

TEST_F(BadInputTest, TruncatedZstdNamesTheFileAndWritesNothing) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "{\"text\": \"line " + std::to_string(i * 7919 % 10007) + "\"}\n";
  WriteFile(dir_ / "big.jsonl", big);
  ASSERT_EQ(Sh("zstd -q -c big.jsonl | head -c 3000 > t.jsonl.zst").exit_code, 0);
  const Result r = Run("t.jsonl.zst -o out.jsonl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("t.jsonl.zst"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl"));
}

TEST_F(BadInputTest, OneGibLineIsRefusedWithItsLine) {
  // Generated here, not committed: {"text": "aaaa...(1 GiB)"}
  ASSERT_EQ(Sh("{ printf '{\"text\": \"ok\"}\\n{\"text\": \"'; head -c 1073741824 /dev/zero | tr '\\0' a; "
               "printf '\"}\\n'; } > huge.jsonl").exit_code, 0);
  const Result r = Run("huge.jsonl -o out.jsonl");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("huge.jsonl:2: line of 1073741836 bytes exceeds --max-doc-bytes"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl"));
  fs::remove(dir_ / "huge.jsonl");
}

TEST_F(BadInputTest, DuplicateIdsAreKeptAndReported) {
  const Result r = Run("--report r.jsonl", "{\"id\": \"x\", \"text\": \"alpha beta gamma delta epsilon zeta\"}\n"
                                           "{\"id\": \"x\", \"text\": \"one two three four five six seven\"}\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string report = ReadFile(dir_ / "r.jsonl");
  EXPECT_EQ(std::count(report.begin(), report.end(), '\n'), 2);
}

TEST_F(BadInputTest, OutputDirectoryInsideInputDirectoryIsAUsageError) {
  WriteFile(dir_ / "in/a.txt", "some text here\n");
  Result r = Run("-o in/clean in");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("inside input directory"), std::string::npos) << r.err;
  r = Run("-o in in");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_ / "in/clean"));
}

TEST_F(BadInputTest, MemoryLimitStopsEarlyWithAClearMessage) {
  std::string in;
  for (int i = 0; i < 2000; ++i) in += "{\"id\": " + std::to_string(i) + ", \"text\": \"document number " + std::to_string(i) + "\"}\n";
  WriteFile(dir_ / "in.jsonl", in);
  Result r = Run("in.jsonl -o out.jsonl --memory-limit 1");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("exceeds --memory-limit=1 MiB"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl"));
  r = Run("in.jsonl -o out.jsonl --memory-limit 1000");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = Run("in.jsonl -o out.jsonl --memory-limit 17592186044416");  // 2^44 MiB: 2^64 bytes
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// An output or report that would replace an input loses the documents the
// run removes from it; outputs that would replace each other lose one of
// them. Each is a usage error before anything is read or written.
TEST_F(BadInputTest, OutputsThatWouldReplaceInputsOrEachOtherAreUsageErrors) {
  const std::string doc = "{\"text\": \"one story\"}\n{\"text\": \"one story\"}\n";
  WriteFile(dir_ / "a.jsonl", doc);
  WriteFile(dir_ / "b.jsonl", doc);
  WriteFile(dir_ / "x/c.jsonl", doc);
  WriteFile(dir_ / "y/c.jsonl", doc);
  fs::create_symlink("a.jsonl", dir_ / "link.jsonl");
  const struct {
    const char* command;
    const char* message;
  } cases[] = {
      {"a.jsonl -o a.jsonl", "output a.jsonl would replace input a.jsonl"},
      {"a.jsonl -o link.jsonl", "output link.jsonl would replace input a.jsonl"},
      {"a.jsonl b.jsonl -o .", "would replace input a.jsonl"},
      {"a.jsonl b.jsonl -o out/ --report b.jsonl", "--report b.jsonl would replace input b.jsonl"},
      {"-o a.jsonl < a.jsonl", "would replace input the file on standard input"},
      {"a.jsonl -o same.jsonl --report same.jsonl", "-o and --report both name same.jsonl"},
      {"a.jsonl b.jsonl -o out/ --report out/b.jsonl", "-o and --report both name out/b.jsonl"},
      {"x/c.jsonl y/c.jsonl -o out/", "inputs x/c.jsonl and y/c.jsonl would both be written to out/c.jsonl"},
  };
  for (const auto& c : cases) {
    const Result r = Sh("'" + std::string(DEDUP_BINARY) + "' " + c.command);
    EXPECT_EQ(r.exit_code, 2) << c.command;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.command << ": " << r.err;
  }
  for (const char* input : {"a.jsonl", "b.jsonl", "x/c.jsonl", "y/c.jsonl"}) EXPECT_EQ(ReadFile(dir_ / input), doc) << input;
  EXPECT_FALSE(fs::exists(dir_ / "out"));
  EXPECT_FALSE(fs::exists(dir_ / "same.jsonl"));
  // The same names elsewhere are fine.
  const Result r = Run("a.jsonl b.jsonl -o out/ --report report.jsonl");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// "--report -" is stdout, as "-" is for inputs and -o: beside output files
// only (before, it wrote a file named "-").
TEST_F(BadInputTest, ReportDashIsStdout) {
  WriteFile(dir_ / "in.jsonl", "{\"id\": \"a\", \"text\": \"one story\"}\n{\"id\": \"b\", \"text\": \"one story\"}\n");
  Result r = Run("in.jsonl -o out.jsonl --report -");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "-"));
  const Result file = Run("in.jsonl -o out2.jsonl --report report.jsonl");
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(r.out, ReadFile(dir_ / "report.jsonl"));
  EXPECT_EQ(ReadFile(dir_ / "out.jsonl"), ReadFile(dir_ / "out2.jsonl"));
  r = Run("in.jsonl --report -");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--report - writes the report to stdout"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

// A typo's thread count is refused before any input is read: each thread
// keeps scratch of its own.
TEST_F(BadInputTest, AbsurdThreadCountsAreRefused) {
  WriteFile(dir_ / "in.jsonl", "{\"text\": \"one story\"}\n");
  const Result r = Run("in.jsonl -o out.jsonl --threads 100000");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--threads must be in [1, 4096]"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl"));
}

// Threads that build the LSH index hold memory of their own: a limit that
// fits one thread's estimate can refuse four.
TEST_F(BadInputTest, MemoryLimitCountsThreads) {
  std::string in;
  for (int i = 0; i < 20000; ++i) in += "{\"text\": \"d " + std::to_string(i) + "\"}\n";
  WriteFile(dir_ / "in.jsonl", in);
  const uint64_t one = dedup::EstimatePeakMemoryBytes(0, 20000, 1) >> 20;
  const uint64_t four = dedup::EstimatePeakMemoryBytes(0, 20000, 4) >> 20;
  ASSERT_LT(one + 1, four);
  const std::string limit = " --memory-limit " + std::to_string(one + 1);
  Result r = Run("in.jsonl -o out.jsonl --threads 4" + limit);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("4 threads"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out.jsonl"));
  r = Run("in.jsonl -o out.jsonl --threads 1" + limit);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Output or report on a device is written in place: renaming a temporary
// over /dev/null would replace the device with a regular file.
TEST_F(BadInputTest, DeviceOutputsAreWrittenInPlace) {
  WriteFile(dir_ / "in.jsonl", "{\"text\": \"one story\"}\n");
  const Result r = Run("in.jsonl -o /dev/null --report /dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
}

TEST_F(BadInputTest, ClosedPipeStopsQuietlyWithExitZero) {
  std::string in;
  for (int i = 0; i < 200000; ++i) in += "{\"id\": " + std::to_string(i) + ", \"text\": \"doc " + std::to_string(i) + " words here\"}\n";
  WriteFile(dir_ / "in.jsonl", in);
  const Result r = Sh("bash -c \"'" + std::string(DEDUP_BINARY) +
                      "' in.jsonl | head -c 10 > /dev/null; echo status=\\${PIPESTATUS[0]} >&2\"");
  EXPECT_NE(r.err.find("status=0\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("dedup:"), std::string::npos) << r.err;
}

// SIGTERM midway leaves the old output file or none, and no temporaries.
TEST_F(BadInputTest, KilledRunLeavesOldOutputAndNoTemporaries) {
  std::string in;
  for (int i = 0; i < 300000; ++i) {
    in += "{\"id\": " + std::to_string(i) + ", \"text\": \"story " + std::to_string(i) +
          " about the harbour council and the river market in town number " + std::to_string(i * 31) + "\"}\n";
  }
  WriteFile(dir_ / "in.jsonl", in);
  for (int delay_ms : {50, 300, 700}) {
    WriteFile(dir_ / "out/in.jsonl", "old output\n");
    const Result r = Sh("'" + std::string(DEDUP_BINARY) + "' in.jsonl -o out/ & pid=$!; sleep " +
                        std::to_string(delay_ms / 1000.0) + "; kill -TERM $pid; wait $pid; true");
    const std::string out = ReadFile(dir_ / "out/in.jsonl");
    EXPECT_TRUE(out == "old output\n" || out == in) << "partial output after " << delay_ms << " ms";
    for (const auto& e : fs::directory_iterator(dir_ / "out")) {
      EXPECT_EQ(e.path().filename(), "in.jsonl") << "left behind: " << e.path();
    }
  }
}

}  // namespace
