#include "core/boilerplate.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace dedup {
namespace {

TEST(TemplateKeyTest, LabelLinesShareAKeyWhateverFollows) {
  const TemplateKey a = MakeTemplateKey(1, LineZone::kBody, "Topics: Sport, Rugby");
  const TemplateKey b = MakeTemplateKey(1, LineZone::kBody, "TOPICS: Elections");
  EXPECT_EQ(a.kind, TemplateKind::kLabel);
  EXPECT_EQ(a.key, b.key);
  EXPECT_NE(a.key, MakeTemplateKey(2, LineZone::kBody, "Topics: Sport").key);  // per source
  EXPECT_EQ(MakeTemplateKey(1, LineZone::kBody, "Topics:").key, 0u);          // nothing after the label
  EXPECT_EQ(MakeTemplateKey(1, LineZone::kBody, "The minister said on Tuesday").key, 0u);
  EXPECT_EQ(MakeTemplateKey(1, LineZone::kBody, "Advertisement").kind, TemplateKind::kLongWord);
  EXPECT_EQ(MakeTemplateKey(1, LineZone::kTail, "Share this").kind, TemplateKind::kZoneWord);
  EXPECT_EQ(MakeTemplateKey(1, LineZone::kBody, "Share this").key, 0u);
}

// The 64-byte mask walk must give the byte walk's key for every line:
// random words, labels, separators, non-ASCII bytes, long words and lines
// longer than the window.
TEST(TemplateKeyTest, MaskWalkEqualsByteWalk) {
  const std::vector<std::string> pieces = {
      "a", "Topics", "by", "Advertisement", "Share", "x", "2024", "COMMENT", "DISCLAIMER", ":", "|", " ", "  ",
      ", ", "-", "caf\xC3\xA9", "\xE2\x80\x94", "\xC2\xB7", std::string(40, 'w'), std::string(70, 'L'), "\t", "?"};
  std::mt19937 rng(5);
  for (int round = 0; round < 20000; ++round) {
    std::string line;
    const size_t words = rng() % 14;
    for (size_t i = 0; i < words; ++i) line += pieces[rng() % pieces.size()];
    const LineZone zone = static_cast<LineZone>(rng() % 3);
    const TemplateKey want = MakeTemplateKeyBytewise(7, zone, line);
    const TemplateKey got = MakeTemplateKey(7, zone, line);
    ASSERT_EQ(got.key, want.key) << "'" << line << "'";
    ASSERT_EQ(got.kind, want.kind) << "'" << line << "'";
  }
}

}  // namespace
}  // namespace dedup
