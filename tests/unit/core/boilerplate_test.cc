#include "core/boilerplate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <tuple>
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
    // Read in place, with more text after the line.
    std::string text = line + (rng() % 2 ? "\n" : ": x") + pieces[rng() % pieces.size()] + std::string(64, 'k');
    const TemplateKey in_place = MakeTemplateKey(7, zone, std::string_view(text).substr(0, line.size()), text.size());
    ASSERT_EQ(in_place.key, want.key) << "'" << line << "'";
    ASSERT_EQ(in_place.kind, want.kind) << "'" << line << "'";
  }
}

BlockOccurrence Occ(uint32_t doc, uint64_t key, uint16_t tokens = 6, bool is_title = false) {
  BlockOccurrence occ;
  occ.doc = doc;
  occ.key = key;
  occ.num_tokens = tokens;
  occ.is_title = is_title;
  return occ;
}

TEST(DecideBoilerplateTest, CopiesOfOneStoryCountOnce) {
  // Six documents of one source: 0-2 copies of one story, 3, 4 and 5 stories
  // of their own. Key 7 is in the three copies only, key 8 in three stories.
  const std::vector<uint32_t> story = {0, 0, 0, 3, 4, 5};
  const std::vector<uint32_t> source(6, 1);
  std::vector<BlockOccurrence> occ = {Occ(0, 7), Occ(0, 8), Occ(1, 7), Occ(2, 7), Occ(3, 8), Occ(4, 8, 6, true)};
  const auto verdicts =
      DecideBoilerplate(occ, OccurrenceOffsets(occ, story.size()), story, source, BoilerplateOptions{});
  EXPECT_FALSE(verdicts.contains(7)) << "content keys are left out";
  EXPECT_EQ(verdicts.at(8).stories, 3u);
  EXPECT_EQ(verdicts.at(8).title_stories, 1u);
  EXPECT_TRUE(verdicts.at(8).boilerplate);
}

// The verdicts as first written: distinct (key, story, is_title) triples by
// sorting, kept here as the reference for the counting version.
absl::flat_hash_map<uint64_t, BlockVerdict> ReferenceVerdicts(const std::vector<BlockOccurrence>& occurrences,
                                                              const std::vector<uint32_t>& story,
                                                              const std::vector<uint32_t>& source,
                                                              const BoilerplateOptions& options) {
  std::vector<std::tuple<uint64_t, uint32_t, bool>> key_story;
  struct KeyInfo {
    uint32_t source = 0;
    uint32_t tokens = 0;
    TemplateKind kind = TemplateKind::kNone;
  };
  absl::flat_hash_map<uint64_t, KeyInfo> info;
  for (const BlockOccurrence& occ : occurrences) {
    key_story.emplace_back(occ.key, story[occ.doc], occ.is_title);
    info.try_emplace(occ.key, KeyInfo{source[occ.doc], occ.num_tokens, TemplateKind::kNone});
    if (occ.template_key != 0) {
      key_story.emplace_back(occ.template_key, story[occ.doc], occ.is_title);
      info.try_emplace(occ.template_key, KeyInfo{source[occ.doc], occ.num_tokens, occ.template_kind});
    }
  }
  std::sort(key_story.begin(), key_story.end());
  key_story.erase(std::unique(key_story.begin(), key_story.end()), key_story.end());
  std::vector<std::pair<uint32_t, uint32_t>> source_story;
  for (size_t d = 0; d < story.size(); ++d) source_story.emplace_back(source[d], story[d]);
  std::sort(source_story.begin(), source_story.end());
  source_story.erase(std::unique(source_story.begin(), source_story.end()), source_story.end());
  absl::flat_hash_map<uint32_t, uint32_t> stories_per_source;
  for (const auto& [src, st] : source_story) ++stories_per_source[src];
  absl::flat_hash_map<uint64_t, BlockVerdict> verdicts;
  for (size_t i = 0; i < key_story.size();) {
    const uint64_t key = std::get<0>(key_story[i]);
    BlockVerdict v;
    uint32_t last_story = UINT32_MAX;
    size_t j = i;
    for (; j < key_story.size() && std::get<0>(key_story[j]) == key; ++j) {
      const auto& [k, st, title] = key_story[j];
      if (st != last_story) ++v.stories;
      last_story = st;
      v.title_stories += title;
    }
    const KeyInfo& ki = info[key];
    const double share = static_cast<double>(v.stories) / stories_per_source[ki.source];
    double needed_share = 0.0;
    switch (ki.kind) {
      case TemplateKind::kNone:
        needed_share = static_cast<int>(ki.tokens) < options.short_block_tokens ? options.short_block_share
                                                                                 : options.min_share;
        break;
      case TemplateKind::kLabel:
      case TemplateKind::kLongWord:
        needed_share = options.inline_template_share;
        break;
      case TemplateKind::kZoneWord:
        needed_share = options.template_share;
        break;
      case TemplateKind::kLink:
        break;
    }
    v.boilerplate = ki.kind == TemplateKind::kLink
                        ? v.title_stories >= 1 && v.title_stories <= 2 && v.stories > v.title_stories
                        : static_cast<int>(v.stories) >= options.min_stories && share >= needed_share;
    verdicts.emplace(key, v);
    i = j;
  }
  return verdicts;
}

// Random documents, stories, sources and occurrences (keys from small pools,
// so that they repeat; the same key with different token counts and kinds,
// so that the first occurrence must decide) give the reference's verdicts.
// 40000 documents have over 100,000 occurrences: keys split into several
// shards, documents into several chunks.
TEST(DecideBoilerplateTest, MatchesTheSortingReference) {
  std::mt19937_64 rng(3);
  for (const auto [sparse_story_ids, num_docs] : {std::pair{false, 2000u}, {true, 2000u}, {false, 40000u}}) {
    std::vector<uint32_t> story(num_docs), source(num_docs);
    for (uint32_t d = 0; d < num_docs; ++d) {
      const uint32_t rep = rng() % 3 == 0 ? static_cast<uint32_t>(rng() % (d + 1)) : d;
      // A story is named by its first document, or by an id far above num_docs.
      story[d] = rep != d ? story[rep] : sparse_story_ids ? d * 7919u + 100000u : d;
      source[d] = static_cast<uint32_t>(rng() % 4);
    }
    std::vector<BlockOccurrence> occurrences;
    for (uint32_t d = 0; d < num_docs; ++d) {
      const int count = static_cast<int>(rng() % 8);
      for (int i = 0; i < count; ++i) {
        BlockOccurrence occ =
            Occ(d, 1 + rng() % (num_docs * 3 / 20), static_cast<uint16_t>(1 + rng() % 6), rng() % 4 == 0);
        if (rng() % 2 == 0) {
          occ.template_key = (1ULL << 63) | (1 + rng() % (num_docs / 50));
          occ.template_kind = static_cast<TemplateKind>(1 + rng() % 4);
        }
        occurrences.push_back(occ);
      }
    }
    BoilerplateOptions options;
    options.min_share = 0.002;
    const auto want = ReferenceVerdicts(occurrences, story, source, options);
    for (const int threads : {1, 2, 3}) {  // keys split over threads: the same verdicts
      const auto got = DecideBoilerplate(occurrences, OccurrenceOffsets(occurrences, story.size()), story, source,
                                         options, threads);
      size_t boilerplate = 0;
      for (const auto& [key, v] : want) {
        if (!v.boilerplate) {
          EXPECT_FALSE(got.contains(key)) << key;
          continue;
        }
        ASSERT_TRUE(got.contains(key)) << key << " threads " << threads;
        const BlockVerdict& g = got.at(key);
        EXPECT_EQ(g.stories, v.stories) << key;
        EXPECT_EQ(g.title_stories, v.title_stories) << key;
        EXPECT_TRUE(g.boilerplate) << key;
        ++boilerplate;
      }
      EXPECT_EQ(got.size(), boilerplate);
      EXPECT_GT(boilerplate, 10u);
      EXPECT_LT(boilerplate, want.size());
    }
  }
}

}  // namespace
}  // namespace dedup
