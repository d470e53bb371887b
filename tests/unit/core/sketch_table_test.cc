#include "core/sketch_table.h"

#include <gtest/gtest.h>

#include <algorithm>
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
      if ((i + p) % 2 == 0) parts[p].Insert(keys[i], std::vector<uint64_t>{keys[i] ^ 1, keys[i] ^ 2});
    }
  }
  SketchTable merged;
  merged.Insert(keys[0], std::vector<uint64_t>{keys[0] ^ 1, keys[0] ^ 2});
  merged.MergeFrom(parts, 2);
  EXPECT_EQ(merged.size(), keys.size());
  for (const SketchTable& p : parts) EXPECT_EQ(p.size(), 0u);  // moved out
  parts.clear();  // the merged table holds the shingles now (ASan checks)
  for (const uint64_t k : keys) {
    const std::span<const uint64_t> s = merged.at(k).shingles();
    EXPECT_EQ(std::vector<uint64_t>(s.begin(), s.end()), (std::vector<uint64_t>{k ^ 1, k ^ 2}));
  }
  std::set<uint64_t> seen;
  merged.ForEach([&](uint64_t key, const LineSketch&) { EXPECT_TRUE(seen.insert(key).second); });
  EXPECT_EQ(seen.size(), keys.size());
}

// An occurrence keeps only where its sketch's shingles begin: the key and
// the count lie just before them, for lists short and long, empty ones
// included, and still after the table is merged into another.
TEST(SketchTableTest, ShinglesCarryTheirKeyAndCount) {
  SketchTable part;
  std::vector<std::pair<uint64_t, std::vector<uint64_t>>> sketches;
  for (const size_t size : {0, 1, 5, 20000, 70000}) {
    std::vector<uint64_t> shingles(size);
    for (size_t i = 0; i < size; ++i) shingles[i] = size * 1000 + i;
    sketches.emplace_back(0x9E3779B97F4A7C15ULL * (size + 1), std::move(shingles));
  }
  std::vector<const uint64_t*> begins;
  for (const auto& [key, shingles] : sketches) {
    ASSERT_TRUE(part.Insert(key, shingles));
    begins.push_back(part.at(key).begin);
  }
  SketchTable merged;
  std::vector<SketchTable> parts;
  parts.push_back(std::move(part));
  merged.MergeFrom(parts, 1);
  parts.clear();  // the merged table owns the shingles now (ASan checks)
  for (size_t i = 0; i < sketches.size(); ++i) {
    const auto& [key, shingles] = sketches[i];
    ASSERT_NE(begins[i], nullptr) << i;
    EXPECT_EQ(SketchKey(begins[i]), key) << i;
    ASSERT_EQ(SketchCount(begins[i]), shingles.size()) << i;
    EXPECT_TRUE(std::equal(shingles.begin(), shingles.end(), begins[i])) << i;
    EXPECT_EQ(merged.at(key).begin, begins[i]) << i;
  }
  EXPECT_EQ(merged.find(12345), nullptr);
}

TEST(SketchTableTest, ArenaKeepsShortAndLongListsAcrossBlocks) {
  // Lists from 1 value to more than a block's 65,536 (over a quarter of a
  // block, a list gets a block of its own), enough to fill several blocks;
  // each must read back as written after all the others were added.
  ShingleArena arena;
  std::vector<std::vector<uint64_t>> lists;
  std::vector<const uint64_t*> copies;
  std::mt19937_64 rng(5);
  for (size_t size : {1, 2, 7, 100, 16383, 16384, 16385, 70000, 3, 65536, 65537, 5}) {
    for (int rep = 0; rep < 3; ++rep) {
      std::vector<uint64_t> v(size);
      for (uint64_t& x : v) x = rng();
      copies.push_back(arena.Copy(lists.size(), v));
      lists.push_back(std::move(v));
    }
  }
  // An empty list still has its key and count (an occurrence of a line with
  // no shingles points at it).
  const uint64_t* empty = arena.Copy(7, {});
  EXPECT_EQ(SketchKey(empty), 7u);
  EXPECT_EQ(SketchCount(empty), 0u);
  ShingleArena taker;
  taker.Copy(0, std::vector<uint64_t>{1, 2, 3});
  taker.TakeBlocks(std::move(arena));
  arena = ShingleArena();  // the taker owns every block now (ASan checks)
  for (size_t i = 0; i < lists.size(); ++i) {
    EXPECT_TRUE(std::equal(lists[i].begin(), lists[i].end(), copies[i])) << "list " << i;
    EXPECT_EQ(SketchKey(copies[i]), i);
    EXPECT_EQ(SketchCount(copies[i]), lists[i].size());
  }
  // A moved-from arena starts afresh: copying into it must not write into
  // the room its blocks had, now the new owner's.
  ShingleArena moved = std::move(taker);
  const std::vector<uint64_t> mine(100, 7), theirs(100, 9);
  const uint64_t* in_moved = moved.Copy(1, mine);
  const uint64_t* in_old = taker.Copy(2, theirs);  // NOLINT(bugprone-use-after-move): the point
  EXPECT_TRUE(std::equal(mine.begin(), mine.end(), in_moved));
  EXPECT_TRUE(std::equal(theirs.begin(), theirs.end(), in_old));
  for (size_t i = 0; i < lists.size(); ++i) {
    EXPECT_TRUE(std::equal(lists[i].begin(), lists[i].end(), copies[i])) << "list " << i << " after the move";
  }
}

}  // namespace
}  // namespace dedup
