#include "core/sketch_table.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

namespace dedup {
namespace {

TEST(SketchTableTest, MergeKeepsEveryKeyOnceWithItsShingles) {
  std::mt19937_64 rng(3);
  std::vector<uint64_t> keys(5000);
  for (uint64_t& k : keys) k = rng();
  // Three per-thread tables with overlapping keys; a key's shingles depend
  // on the key alone, as equal texts give equal sketches.
  std::vector<SketchTable> parts(3);
  for (size_t i = 0; i < keys.size(); ++i) {
    for (size_t p = 0; p < parts.size(); ++p) {
      if ((i + p) % 2 == 0) *parts[p].try_emplace(keys[i]).first = LineSketch{{keys[i] ^ 1, keys[i] ^ 2}};
    }
  }
  SketchTable merged;
  *merged.try_emplace(keys[0]).first = LineSketch{{keys[0] ^ 1, keys[0] ^ 2}};
  merged.MergeFrom(parts, 2);
  EXPECT_EQ(merged.size(), keys.size());
  for (const uint64_t k : keys) EXPECT_EQ(merged.at(k).shingles, (std::vector<uint64_t>{k ^ 1, k ^ 2}));
  std::set<uint64_t> seen;
  merged.ForEach([&](uint64_t key, const LineSketch&) { EXPECT_TRUE(seen.insert(key).second); });
  EXPECT_EQ(seen.size(), keys.size());
  for (const SketchTable& p : parts) EXPECT_EQ(p.size(), 0u);  // moved out
}

}  // namespace
}  // namespace dedup
