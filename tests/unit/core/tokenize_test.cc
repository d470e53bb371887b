#include "core/tokenize.h"

#include <gtest/gtest.h>

#include <string>

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

TEST(TokenizerTest, DigitsAreKeptInHashesAndFoldedInFoldedHashes) {
  const TokenStream a = Tok("Advertisement 3 on 2024-05-01");
  const TokenStream b = Tok("Advertisement 7 on 2025-11-30");
  EXPECT_NE(a.hashes, b.hashes);
  EXPECT_EQ(a.folded, b.folded);
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
