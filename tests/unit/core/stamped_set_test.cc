#include "core/stamped_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

namespace dedup {
namespace {

TEST(StampedSetTest, ListsEachKeyOnceInTheOrderFirstAdded) {
  StampedSet<uint64_t> set;
  set.Start(4);
  EXPECT_TRUE(set.Add(30));
  EXPECT_TRUE(set.Add(10));
  EXPECT_FALSE(set.Add(30));
  EXPECT_TRUE(set.Add(0));  // zero is a key like any other
  EXPECT_FALSE(set.Add(0));
  EXPECT_EQ(set.keys(), (std::vector<uint64_t>{30, 10, 0}));
}

TEST(StampedSetTest, EachRoundStartsEmpty) {
  StampedSet<uint32_t> set;
  set.Start();
  set.Add(7);
  set.Add(8);
  set.Start();
  EXPECT_TRUE(set.keys().empty());
  EXPECT_TRUE(set.Add(8));  // last round's keys are gone
  EXPECT_EQ(set.keys(), (std::vector<uint32_t>{8}));
}

TEST(StampedSetTest, GrowsPastWhatARoundExpectedAsAStdSetWould) {
  std::mt19937 rng(3);
  StampedSet<uint32_t> set;
  for (int round = 0; round < 50; ++round) {
    set.Start(round % 3 == 0 ? 8 : 0);  // often far fewer than will come
    std::set<uint32_t> reference;
    std::vector<uint32_t> order;
    const int adds = static_cast<int>(rng() % 5000);
    for (int a = 0; a < adds; ++a) {
      // Document numbers: small, dense, repeating (as a bucket's items are).
      const uint32_t key = rng() % 3000;
      const bool fresh = reference.insert(key).second;
      ASSERT_EQ(set.Add(key), fresh) << "round " << round << " add " << a;
      if (fresh) order.push_back(key);
    }
    ASSERT_EQ(set.keys(), order) << "round " << round;
  }
}

}  // namespace
}  // namespace dedup
