#include "core/chunk_order.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/parallel.h"

namespace dedup {
namespace {

// Chunk c's items: c % 5 of them (some chunks have none), each naming its
// chunk and place.
std::vector<uint64_t> ItemsOf(size_t chunk) {
  std::vector<uint64_t> items(chunk % 5);
  for (size_t i = 0; i < items.size(); ++i) items[i] = chunk * 100 + i;
  return items;
}

std::vector<uint64_t> AllInOrder(size_t num_chunks) {
  std::vector<uint64_t> all;
  for (size_t c = 0; c < num_chunks; ++c) {
    const std::vector<uint64_t> items = ItemsOf(c);
    all.insert(all.end(), items.begin(), items.end());
  }
  return all;
}

// Chunks added in any order land in chunk order, and nothing is placed past
// a chunk not yet added.
TEST(InChunkOrderTest, PlacesChunksAddedInAnyOrderInChunkOrder) {
  constexpr size_t kChunks = 60;
  const std::vector<uint64_t> expected = AllInOrder(kChunks);
  std::vector<size_t> order(kChunks);
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(7);
  for (int trial = 0; trial < 20; ++trial) {
    if (trial > 0) std::shuffle(order.begin(), order.end(), rng);  // trial 0: in order
    std::vector<uint64_t> dest(expected.size() + 9, 0);
    InChunkOrder<uint64_t> in_order(dest);
    std::vector<bool> added(kChunks, false);
    std::vector<uint64_t> items;
    for (const size_t c : order) {
      items = ItemsOf(c);
      in_order.Add(c, &items);
      EXPECT_TRUE(items.empty());
      added[c] = true;
      size_t prefix = 0;  // chunks [0, prefix) all added
      while (prefix < kChunks && added[prefix]) ++prefix;
      ASSERT_EQ(in_order.size(), AllInOrder(prefix).size()) << "trial " << trial << ", after chunk " << c;
    }
    ASSERT_EQ(in_order.size(), expected.size());
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), dest.begin())) << "trial " << trial;
    EXPECT_TRUE(std::all_of(dest.begin() + expected.size(), dest.end(), [](uint64_t v) { return v == 0; }));
  }
}

// From a parallel loop's threads, the array is the same at every count.
TEST(InChunkOrderTest, SameArrayFromAnyNumberOfThreads) {
  constexpr size_t kChunks = 2000;
  const std::vector<uint64_t> expected = AllInOrder(kChunks);
  for (const int threads : {1, 2, 3, 8}) {
    std::vector<uint64_t> dest(expected.size());
    InChunkOrder<uint64_t> in_order(dest);
    std::vector<std::vector<uint64_t>> scratch(threads);
    ParallelForChunks(kChunks, 1, threads, [&](size_t c, size_t, size_t, int t) {
      for (const uint64_t item : ItemsOf(c)) scratch[t].push_back(item);
      in_order.Add(c, &scratch[t]);
    });
    EXPECT_EQ(in_order.size(), expected.size()) << threads << " threads";
    EXPECT_EQ(dest, expected) << threads << " threads";
  }
}

// More items than the room given is refused, not written past its end.
TEST(InChunkOrderTest, RefusesMoreItemsThanItsRoom) {
  std::vector<uint64_t> dest(3, 0);
  InChunkOrder<uint64_t> in_order(std::span<uint64_t>(dest).first(2));
  std::vector<uint64_t> items = {1, 2};
  in_order.Add(0, &items);
  items = {3};
  EXPECT_THROW(in_order.Add(1, &items), std::length_error);
  EXPECT_EQ(dest[2], 0u);
}

}  // namespace
}  // namespace dedup
