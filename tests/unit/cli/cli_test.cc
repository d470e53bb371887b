// End-to-end tests through the real binary: framings, outputs, exit codes,
// messages, thread determinism and the report's accounting.
#include <gtest/gtest.h>

#include "binary_fixture.h"
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace dedup_test;  // NOLINT: test helpers

class CliTest : public BinaryTest {
 protected:
  // Runs dedup with a report, then `dedup verify` over the same input, report
  // and output (stdout kept in a file), and expects verify to pass.
  Result RunVerified(const std::string& inputs_and_flags, const std::string& stdin_data = "",
                     const std::string& framing_flags = "") {
    Result r = Run(inputs_and_flags + " " + framing_flags + " --report verify_report.jsonl", stdin_data);
    if (r.exit_code != 0) return r;
    WriteFile(dir_ / "verify_output", r.out);
    std::string inputs;
    std::istringstream words(inputs_and_flags);
    for (std::string w; words >> w;) {
      if (w[0] == '-') break;  // inputs come first in these tests
      inputs += " '" + w + "'";
    }
    const Result v = Run("verify" + inputs + " " + framing_flags + " --report verify_report.jsonl -o verify_output",
                         stdin_data);
    EXPECT_EQ(v.exit_code, 0) << v.err;
    EXPECT_NE(v.err.find("dedup verify: ok"), std::string::npos) << v.err;
    return r;
  }
};

std::string Story(int seed, int paragraphs) {
  static const char* kWords[] = {"market", "river",  "council", "engine", "harvest", "orbit",  "ledger", "violin",
                                 "summit", "glacier", "tariff", "pepper", "lantern", "canyon", "ballot", "copper",
                                 "meadow", "quartz",  "harbor", "falcon", "thunder", "saddle", "ember",  "nectar"};
  std::string s;
  unsigned x = 2654435761u * (seed + 1);
  for (int p = 0; p < paragraphs; ++p) {
    for (int w = 0; w < 40; ++w) {
      x = x * 1103515245u + 12345u;
      s += kWords[(x >> 16) % 24];
      s += (w % 13 == 12) ? ". " : " ";
    }
    s += "\n\n";
  }
  return s;
}

std::string JsonEscape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '\n') o += "\\n";
    else if (c == '"') o += "\\\"";
    else o += c;
  }
  return o;
}

TEST_F(CliTest, HelpListsContractFlagsAndExitsZero) {
  const Result r = Run("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* flag : {"--output", "--format", "--text-field", "--id-field", "--doc-sep", "--report", "--stats",
                           "--threads", "--no-dedup", "--no-boilerplate", "--keep", "--on-error", "--quiet",
                           "--version", "--threshold", "--containment", "--shingle", "--num-perm", "--seed",
                           "Exit status"}) {
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
  }
}

TEST_F(CliTest, BadFlagIsAUsageError) {
  const Result r = Run("--no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("dedup:"), std::string::npos);
}

TEST_F(CliTest, MissingFileNamesTheFileAndExitsOne) {
  const Result r = Run("no_such_file.txt");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_file.txt"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, JsonlDropsTheDuplicateAndPassesOtherFieldsThrough) {
  const std::string a = Story(1, 4), b = Story(2, 4);
  const std::string in = "{\"id\": \"a\", \"text\": \"" + JsonEscape(a) + "\", \"meta\": {\"k\": [1, 2]}}\n" +
                         "{\"id\": \"b\", \"text\": \"" + JsonEscape(b) + "\"}\n" +
                         "{\"text\": \"" + JsonEscape(a) + "\", \"id\": \"a2\"}\n";
  const Result r = Run("--report report.jsonl", in);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  RunVerified("", in);
  const std::string first_two = in.substr(0, in.find("{\"text\""));
  EXPECT_EQ(r.out, first_two);  // byte for byte
  const std::string report = ReadFile(dir_ / "report.jsonl");
  EXPECT_NE(report.find("{\"id\": \"a2\", \"action\": \"drop\", \"dup_of\": \"a\", \"similarity\": 1.0000"),
            std::string::npos)
      << report;
}

// --stats names each phase and each clustering's steps (scripts/bench_*
// read these lines).
TEST_F(CliTest, StatsGivePhasesAndClusteringSteps) {
  const std::string in =
      "{\"text\": \"" + JsonEscape(Story(1, 4)) + "\"}\n{\"text\": \"" + JsonEscape(Story(2, 4)) + "\"}\n";
  const Result r = Run("--stats", in);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part : {"s total: read ", "count lines ", "fingerprint ", "cluster ", "blocks ", "write ",
                           "cluster steps        stories: signatures ", "; final: signatures ", "compare ",
                           "in order "}) {
    EXPECT_NE(r.err.find(part), std::string::npos) << part << " in " << r.err;
  }
}

TEST_F(CliTest, MalformedJsonlStopsWithFileAndLine) {
  WriteFile(dir_ / "in.jsonl", "{\"text\": \"ok\"}\n{\"text\": oops}\n");
  const Result bad = Run("in.jsonl");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("in.jsonl:2:"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.out, "");
  const Result skip = Run("--on-error=skip in.jsonl");
  EXPECT_EQ(skip.exit_code, 1);
  EXPECT_EQ(skip.out, "{\"text\": \"ok\"}\n");
  EXPECT_NE(skip.err.find("in.jsonl:2:"), std::string::npos) << skip.err;
}

TEST_F(CliTest, NulAndFormFeedFramingKeepSeparators) {
  const std::string a = Story(3, 3), b = Story(4, 3);
  for (const char sep : {'\0', '\f'}) {
    const std::string in = a + sep + b + sep + a + sep;
    const Result r = RunVerified("", in);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, a + sep + b + sep);
  }
}

TEST_F(CliTest, DocSepFraming) {
  const std::string a = Story(5, 3), b = Story(6, 3);
  const std::string in = a + "---\n" + b + "---\n" + a;
  const Result r = RunVerified("", in, "--doc-sep=---");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, a + "---\n" + b + "---\n");
}

TEST_F(CliTest, UnframedStreamWorksOnParagraphsAndSaysSo) {
  const std::string p1 = Story(7, 1), p2 = Story(8, 1);
  const Result r = RunVerified("", p1 + p2 + p1);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, p1 + p2);
  EXPECT_NE(r.err.find("--doc-sep"), std::string::npos) << r.err;
  EXPECT_EQ(Run("-q", p1 + p2 + p1).err, "");
}

TEST_F(CliTest, DirectoryIsMirroredWithCompressionKept) {
  const std::string a = Story(9, 4), b = Story(10, 4);
  WriteFile(dir_ / "in/site1/a.txt", a);
  WriteFile(dir_ / "in/site1/b.txt", b);
  WriteFile(dir_ / "in/site2/a_copy.txt", a);
  WriteFile(dir_ / "plain.txt", b);
  ASSERT_EQ(std::system(("gzip -c '" + (dir_ / "plain.txt").string() + "' > '" + (dir_ / "in/site2/c.txt.gz").string() + "'").c_str()), 0);
  const Result r = Run("-o out/ in --report report.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result v = Run("verify in -o out/ --report report.jsonl");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(ReadFile(dir_ / "out/site1/a.txt"), a);
  EXPECT_EQ(ReadFile(dir_ / "out/site1/b.txt"), b);
  EXPECT_FALSE(fs::exists(dir_ / "out/site2/a_copy.txt"));  // dropped duplicate
  // c.txt.gz duplicates b: dropped too; nothing half-written is left behind.
  EXPECT_FALSE(fs::exists(dir_ / "out/site2/c.txt.gz"));
  for (const auto& e : fs::recursive_directory_iterator(dir_ / "out")) {
    EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << e.path();
  }
  const std::string report = ReadFile(dir_ / "report.jsonl");
  EXPECT_NE(report.find("\"id\": \"site2/a_copy.txt\", \"action\": \"drop\", \"dup_of\": \"site1/a.txt\""), std::string::npos)
      << report;
}

// The tree mirrors this run: a plain file dropped now takes away the output
// an earlier run left at its place.
TEST_F(CliTest, ADroppedPlainFileLeavesNoOutputFromAnEarlierRun) {
  const std::string a = Story(11, 4), b = Story(12, 4);
  WriteFile(dir_ / "in/a.txt", a);
  WriteFile(dir_ / "in/b.txt", b);
  ASSERT_EQ(Run("-o out/ in").exit_code, 0);
  ASSERT_EQ(ReadFile(dir_ / "out/b.txt"), b);
  WriteFile(dir_ / "in/b.txt", a);  // now a duplicate of a.txt
  const Result r = Run("-o out/ in --report report.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_ / "out/b.txt"));
  EXPECT_EQ(ReadFile(dir_ / "out/a.txt"), a);
  EXPECT_EQ(Run("verify in -o out/ --report report.jsonl").exit_code, 0);
}

TEST_F(CliTest, GzipInputIsMirroredAsGzip) {
  WriteFile(dir_ / "plain.jsonl", "{\"id\": 1, \"text\": \"" + JsonEscape(Story(11, 2)) + "\"}\n");
  ASSERT_EQ(std::system(("mkdir -p '" + (dir_ / "in").string() + "' && gzip -c '" + (dir_ / "plain.jsonl").string() +
                         "' > '" + (dir_ / "in/x.jsonl.gz").string() + "'").c_str()), 0);
  const Result r = Run("-o out in --report r.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Result v = Run("verify in -o out --report r.jsonl");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  const std::string out = ReadFile(dir_ / "out/x.jsonl.gz");
  ASSERT_GE(out.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(out[1]), 0x8b);
}

TEST_F(CliTest, TruncatedGzipIsAnErrorNamingTheFile) {
  WriteFile(dir_ / "plain.txt", Story(12, 20));
  ASSERT_EQ(std::system(("gzip -c '" + (dir_ / "plain.txt").string() + "' | head -c 200 > '" + (dir_ / "t.txt.gz").string() + "'").c_str()), 0);
  const Result r = Run("t.txt.gz");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("t.txt.gz"), std::string::npos) << r.err;
}

TEST_F(CliTest, OutputIsByteIdenticalAtOneTwoAndFourThreads) {
  std::string in;
  for (int i = 0; i < 400; ++i) {
    const std::string text = Story(i % 150, 3) + "Topics: " + std::to_string(i) + " things\nSite footer " +
                             std::to_string(i % 3) + " all rights reserved by the site\n";
    in += "{\"id\": \"d" + std::to_string(i) + "\", \"source\": \"s" + std::to_string(i % 3) + "\", \"text\": \"" +
          JsonEscape(text) + "\"}\n";
  }
  const Result one = Run("--threads 1 --report r1.jsonl", in);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  RunVerified("--threads 1", in);
  for (const char* t : {"2", "4"}) {
    const Result many = Run(std::string("--threads ") + t + " --report r" + t + ".jsonl", in);
    EXPECT_EQ(many.out, one.out) << t;
    EXPECT_EQ(ReadFile(dir_ / (std::string("r") + t + ".jsonl")), ReadFile(dir_ / "r1.jsonl")) << t;
  }
}

TEST_F(CliTest, VerifyCatchesATamperedOutputOrReport) {
  const std::string a = Story(20, 3), b = Story(21, 3);
  WriteFile(dir_ / "in.txt", a + '\0' + b + '\0' + a);
  ASSERT_EQ(Run("in.txt -o out.txt --report r.jsonl").exit_code, 0);
  EXPECT_EQ(Run("verify in.txt -o out.txt --report r.jsonl").exit_code, 0);
  WriteFile(dir_ / "out.txt", ReadFile(dir_ / "out.txt") + "x");
  const Result bad_output = Run("verify in.txt -o out.txt --report r.jsonl");
  EXPECT_EQ(bad_output.exit_code, 1);
  EXPECT_NE(bad_output.err.find("differs from input + report at byte"), std::string::npos) << bad_output.err;
  // A byte changed inside, and a byte missing at the end: each named where it is.
  ASSERT_EQ(Run("in.txt -o out.txt --report r.jsonl").exit_code, 0);
  std::string changed = ReadFile(dir_ / "out.txt");
  ASSERT_GT(changed.size(), 10u);
  changed[10] = changed[10] == 'q' ? 'z' : 'q';
  WriteFile(dir_ / "out.txt", changed);
  const Result bad_byte = Run("verify in.txt -o out.txt --report r.jsonl");
  EXPECT_EQ(bad_byte.exit_code, 1);
  EXPECT_NE(bad_byte.err.find("differs from input + report at byte 10 (expected " + std::to_string(changed.size()) +
                              " bytes, found " + std::to_string(changed.size()) + ")"),
            std::string::npos)
      << bad_byte.err;
  ASSERT_EQ(Run("in.txt -o out.txt --report r.jsonl").exit_code, 0);
  const std::string whole = ReadFile(dir_ / "out.txt");
  WriteFile(dir_ / "out.txt", whole.substr(0, whole.size() - 1));
  const Result short_output = Run("verify in.txt -o out.txt --report r.jsonl");
  EXPECT_EQ(short_output.exit_code, 1);
  EXPECT_NE(short_output.err.find("at byte " + std::to_string(whole.size() - 1)), std::string::npos) << short_output.err;
  ASSERT_EQ(Run("in.txt -o out.txt --report r.jsonl").exit_code, 0);
  std::string report = ReadFile(dir_ / "r.jsonl");
  report = report.substr(0, report.rfind('{'));  // lose the last entry
  WriteFile(dir_ / "r.jsonl", report);
  EXPECT_EQ(Run("verify in.txt -o out.txt --report r.jsonl").exit_code, 1);
}

// Issue #7: WET in, WET out; the site (host) boilerplate goes, records of
// dropped documents go, warcinfo stays, and verify accounts for every byte.
TEST_F(CliTest, WetInputIsCleanedIntoWetOutput) {
  const std::string fixture = std::string(DEDUP_SOURCE_DIR) + "/tests/data/gen_seed1.warc.wet";
  const Result r = Run("'" + fixture + "' -o out.warc.wet --report r.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = ReadFile(dir_ / "out.warc.wet");
  EXPECT_EQ(out.rfind("WARC/1.0\r\nWARC-Type: warcinfo", 0), 0u) << out.substr(0, 80);
  const std::string report = ReadFile(dir_ / "r.jsonl");
  EXPECT_NE(report.find("\"id\": \"https://"), std::string::npos);
  EXPECT_NE(report.find("\"reason\": \"boilerplate\""), std::string::npos);
  const Result v = Run("verify '" + fixture + "' -o out.warc.wet --report r.jsonl");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  // The output is valid WET again: a second pass with nothing to do keeps it byte for byte.
  const Result again = Run("out.warc.wet --no-dedup --no-boilerplate -o again.warc.wet");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(ReadFile(dir_ / "again.warc.wet"), out);
}

TEST_F(CliTest, RealCommonCrawlWetRecordPassesThroughUnchanged) {
  const std::string sample = std::string(DEDUP_SOURCE_DIR) + "/../shared/corpora/cc_wet_sample/whirlwind.warc.wet";
  if (!fs::exists(sample)) GTEST_SKIP() << "no " << sample;
  const Result r = Run("'" + sample + "' --report r.jsonl");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, ReadFile(sample));
  EXPECT_NE(ReadFile(dir_ / "r.jsonl").find("\"id\": \"https://an.wikipedia.org/wiki/Escopete\""), std::string::npos);
}

TEST_F(CliTest, EmptyInputGivesEmptyOutput) {
  const Result r = Run("", "");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(CliTest, InvalidUtf8InTextNamesTheLine) {
  const Result r = Run("", std::string("good line\n\nbad \xff byte\n"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("-:3: invalid UTF-8"), std::string::npos) << r.err;
}

}  // namespace
