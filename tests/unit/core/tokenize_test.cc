#include "core/tokenize.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/byte_window.h"
#include "core/hash.h"
#include "core/utf8.h"

namespace dedup {
namespace {

TokenStream Tok(std::string_view text) {
  Tokenizer t;
  TokenStream ts;
  t.Tokenize(text, &ts);
  return ts;
}

TEST(TokenizerTest, CaseQuotesDashesAndWhitespaceDoNotChangeHashes) {
  const TokenStream a = Tok("He said: \"Don't stop\" -- now.");
  const TokenStream b = Tok("he  SAID \xE2\x80\x9C" "don\xE2\x80\x99t stop\xE2\x80\x9D \xE2\x80\x94 now");
  EXPECT_EQ(a.hashes, b.hashes);
  EXPECT_EQ(a.hashes.size(), 6u);  // he said don t stop now
}

TEST(TokenizerTest, DigitsAreKeptInExactLineHashesAndFoldedInFoldedOnes) {
  const TokenStream a = Tok("Advertisement 3 on 2024-05-01");
  const TokenStream b = Tok("Advertisement 7 on 2025-11-30");
  EXPECT_NE(a.hashes, b.hashes);
  EXPECT_NE(a.lines[0].exact_hash, b.lines[0].exact_hash);
  EXPECT_EQ(a.lines[0].folded_hash, b.lines[0].folded_hash);
  EXPECT_EQ(a.lines[0].digit_tokens, 4u);  // 3 2024 05 01
  // "0" and "00" are what folding makes of digits already: not counted.
  const TokenStream c = Tok("page 0 of 00 x1");
  EXPECT_EQ(c.lines[0].digit_tokens, 1u);
  EXPECT_EQ(Tok("no digits here").lines[0].folded_hash, Tok("no digits here").lines[0].exact_hash);
}

// A line's hashes are of its normalised tokens in order: case, punctuation
// and spacing do not matter, token boundaries and order do.
TEST(TokenizerTest, LineHashesFollowTheTokens) {
  auto exact = [](std::string_view line) { return Tok(line).lines[0].exact_hash; };
  EXPECT_EQ(exact("Home | News  -- Sport"), exact("home news sport"));
  EXPECT_EQ(exact("caf\xC3\xA9 \xC3\x89T\xC3\x89"), exact("CAF\xC3\x89 \xC3\xA9t\xC3\xA9"));
  EXPECT_NE(exact("ab c"), exact("abc"));
  EXPECT_NE(exact("ab c"), exact("a bc"));
  EXPECT_NE(exact("news sport"), exact("sport news"));
  EXPECT_NE(exact(std::string(40, 'w') + " x"), exact(std::string(40, 'w') + " y"));  // long tokens too
  EXPECT_EQ(Tok("\n\n").lines[0].exact_hash, 0u);  // no tokens
  // Each line on its own, wherever it stands.
  const TokenStream ts = Tok("Most read\nhome news sport\nMost read");
  EXPECT_EQ(ts.lines[0].exact_hash, ts.lines[2].exact_hash);
  EXPECT_EQ(ts.lines[1].exact_hash, exact("Home | News -- Sport"));
}

TEST(TokenizerTest, LatinGreekCyrillicFoldCase) {
  EXPECT_EQ(Tok("\xC3\x89T\xC3\x89").hashes, Tok("\xC3\xA9t\xC3\xA9").hashes);          // ETE with acute
  EXPECT_EQ(Tok("\xCE\x91\xCE\x92\xCE\x93").hashes, Tok("\xCE\xB1\xCE\xB2\xCE\xB3").hashes);  // Greek
  EXPECT_EQ(Tok("\xD0\x9C\xD0\x98\xD0\xA0").hashes, Tok("\xD0\xBC\xD0\xB8\xD1\x80").hashes);  // Cyrillic
}

TEST(TokenizerTest, UnspacedScriptsGiveOneTokenPerCharacter) {
  // "Tokyo station" in Japanese (5 characters, no spaces) and Thai "sawasdee".
  EXPECT_EQ(Tok("\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAE\xE9\xA7\x85\xE3\x81\xA7").hashes.size(), 5u);
  EXPECT_EQ(Tok("\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1\xE0\xB8\xAA").hashes.size(), 4u);
  // Mixed: a Latin word, then two ideographs.
  EXPECT_EQ(Tok("AI\xE4\xBA\xBA\xE5\xB7\xA5").hashes.size(), 3u);
}

TEST(TokenizerTest, InvalidUtf8IsASeparatorAndNeverSplitsASequence) {
  // A truncated 3-byte sequence at the end, and a lone continuation byte.
  const TokenStream ts = Tok("ab\x80" "cd \xE4\xBA");
  EXPECT_EQ(ts.hashes.size(), 2u);
}

TEST(TokenizerTest, LinesCarryByteRangesAndTokenRanges) {
  const std::string text = "Title line\r\n\nBody one two\nlast";
  const TokenStream ts = Tok(text);
  ASSERT_EQ(ts.lines.size(), 4u);
  EXPECT_EQ(text.substr(ts.lines[0].begin, ts.lines[0].end - ts.lines[0].begin), "Title line");
  EXPECT_EQ(ts.lines[0].next, 12u);  // after "\r\n"
  EXPECT_EQ(ts.lines[1].num_tokens, 0u);
  EXPECT_EQ(ts.lines[2].first_token, 2u);
  EXPECT_EQ(ts.lines[2].num_tokens, 3u);
  EXPECT_EQ(text.substr(ts.lines[3].begin, ts.lines[3].end - ts.lines[3].begin), "last");
  EXPECT_EQ(ts.lines[3].next, text.size());
}

// The 64-byte paths must give exactly the byte path's tokens and lines:
// random mixes of ASCII words, digits, newlines, CR, punctuation, accented
// and CJK letters, invalid bytes and long tokens, at every length around the
// window size, and long lines of plain words (many windows to a line, tokens
// across window edges, a digit token first met late in a line). kBest
// differs from kWindows only on CPUs with AVX-512 VBMI2.
TEST(TokenizerTest, FastPathsEqualBytePath) {
  const std::vector<std::string> pieces = {
      "a", "Word", "the", "ABCdef", "2024", "x9", " ", "  ", "\n", "\r\n", ",", ".", "--", "\t",
      "caf\xC3\xA9", "\xC3\x89T\xC3\x89", "\xE6\x9D\xB1\xE4\xBA\xAC", "\xE2\x80\x9C", "\xE2\x80\x94",
      "\xFF", "\x80", "\xE4\xBA", "\xD0\x9C\xD0\x98", std::string(17, 'q'), std::string(63, 'z'),
      std::string(64, 'Y'), std::string(70, '7'), std::string(1, '\0'), "\xC2\xA0"};
  const std::vector<std::string> plain = {"word ", "The ", "of ", "x0 ", "10 ", "a1b ", "07, ", "news. "};
  std::mt19937 rng(7);
  Tokenizer fast(TokenizerPath::kBest), per_token(TokenizerPath::kWindows), slow(TokenizerPath::kBytes);
  TokenStream a, b, lines_only;
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    if (round % 2 == 0) {
      const size_t target = rng() % 300;
      while (text.size() < target) text += pieces[rng() % pieces.size()];
      if (round % 3 == 0) text.resize(target);  // cut anywhere, even inside a UTF-8 sequence
    } else {
      const size_t target = rng() % 2000;
      while (text.size() < target) {
        const uint32_t r = rng() % 100;
        text += r < 3 ? "\n" : r < 4 ? pieces[rng() % pieces.size()] : plain[rng() % plain.size()];
      }
    }
    fast.Tokenize(text, &a);
    slow.Tokenize(text, &b);
    ASSERT_EQ(a.hashes, b.hashes) << "round " << round;
    ASSERT_EQ(a.lines.size(), b.lines.size()) << "round " << round;
    for (size_t l = 0; l < a.lines.size(); ++l) ASSERT_EQ(a.lines[l], b.lines[l]) << "round " << round << " line " << l;
    // Lines only, every path: the same lines.
    for (Tokenizer* t : {&fast, &per_token, &slow}) {
      t->TokenizeLines(text, &lines_only);
      ASSERT_TRUE(lines_only.hashes.empty());
      ASSERT_EQ(lines_only.lines.size(), a.lines.size()) << "round " << round;
      for (size_t l = 0; l < a.lines.size(); ++l)
        ASSERT_EQ(lines_only.lines[l], a.lines[l]) << "round " << round << " line " << l;
    }
    // Token hashes only, every path: the same tokens, no lines.
    for (Tokenizer* t : {&fast, &per_token, &slow}) {
      t->TokenizeHashesOnly(text, &b);
      ASSERT_EQ(b.hashes, a.hashes) << "round " << round;
      ASSERT_TRUE(b.lines.empty()) << "round " << round;
    }
    // Folded line hashes are the exact hashes of the digit-folded text.
    std::string folded = text;
    for (char& c : folded) {
      if (c >= '1' && c <= '9') c = '0';
    }
    fast.Tokenize(folded, &b);
    for (size_t l = 0; l < a.lines.size(); ++l) ASSERT_EQ(b.lines[l].exact_hash, a.lines[l].folded_hash);
  }
}

TEST(ByteWindowTest, EveryImplementationGivesTheScalarBits) {
  std::vector<ClassifyWindowFn> impls = {ClassifyWindowSse2(), ClassifyWindowAvx2(), ClassifyWindowAvx512()};
  std::mt19937 rng(11);
  alignas(32) unsigned char src[64];
  for (int round = 0; round < 2000; ++round) {
    for (unsigned char& c : src) c = static_cast<unsigned char>(round < 4 ? round * 64 + (&c - src) : rng());
    ByteWindow want, got;
    ClassifyWindowScalar(src, &want);
    for (ClassifyWindowFn f : impls) {
      if (f == nullptr) continue;
      f(src, &got);
      ASSERT_EQ(got.alnum, want.alnum);
      ASSERT_EQ(got.nonzero_digit, want.nonzero_digit);
      ASSERT_EQ(got.newline, want.newline);
      ASSERT_EQ(got.high, want.high);
      ASSERT_EQ(std::memcmp(got.lower, want.lower, sizeof(want.lower)), 0);
      ASSERT_EQ(std::memcmp(got.folded, want.folded, sizeof(want.folded)), 0);
    }
  }
}

TEST(HashTest, HashTokenPaddedEqualsHashToken) {
  char buf[48];
  for (int i = 0; i < 48; ++i) buf[i] = static_cast<char>('a' + i % 26);
  for (size_t size = 1; size <= 32; ++size) EXPECT_EQ(HashTokenPadded(buf, size), HashToken({buf, size})) << size;
}

TEST(HashTest, ShortTokenShortcutEqualsTwoMixes) {
  // Tokens of up to 8 bytes skip the inner mix of an empty high word.
  uint64_t lo = 0x0123456789abcdefULL;
  for (size_t size = 0; size <= 8; ++size) {
    const uint64_t masked = size == 8 ? lo : lo & ((uint64_t{1} << (8 * size)) - 1);
    EXPECT_EQ(MixShortTokenWord(masked, size), MixTokenWords(masked, 0, size)) << size;
    lo = Mix64(lo);
  }
}

TEST(TokenizerTest, EmptyTextHasOneEmptyLine) {
  const TokenStream ts = Tok("");
  EXPECT_TRUE(ts.hashes.empty());
  ASSERT_EQ(ts.lines.size(), 1u);
  EXPECT_EQ(ts.lines[0].num_tokens, 0u);
}

}  // namespace
}  // namespace dedup

namespace dedup {
namespace {

TEST(Utf8Test, FindInvalidUtf8ReportsTheFirstBadByte) {
  const std::string ok = "caf\xC3\xA9 \xE6\x9D\xB1";
  EXPECT_EQ(FindInvalidUtf8(ok.data(), ok.size()), ok.size());
  const std::string bad = "ab\xC3\xA9" "cd\xFF" "ef\x80";
  EXPECT_EQ(FindInvalidUtf8(bad.data(), bad.size()), 6u);
  const std::string truncated = "abc\xE6\x9D";
  EXPECT_EQ(FindInvalidUtf8(truncated.data(), truncated.size()), 3u);
  EXPECT_FALSE(IsValidUtf8(truncated.data(), truncated.size()));
}

}  // namespace
}  // namespace dedup
