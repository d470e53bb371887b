#include "core/key_counter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/hash.h"

namespace dedup {
namespace {

// Keys added 0..9 times each (key i is added i % 10 times) into a table small
// enough that counters collide.
struct CountedKeys {
  std::vector<uint64_t> keys;
  std::vector<uint32_t> times;
};

CountedKeys AddKeys(KeyCounter* counter, size_t num_keys) {
  CountedKeys out;
  for (size_t i = 0; i < num_keys; ++i) {
    out.keys.push_back(Mix64(i + 1));
    out.times.push_back(static_cast<uint32_t>(i % 10));
    for (uint32_t r = 0; r < out.times.back(); ++r) counter->Add(out.keys.back());
  }
  return out;
}

// Both counter widths: 4 bits (counts up to 15 told apart), 8 bits.
class KeyCounterTest : public testing::TestWithParam<uint32_t> {};
INSTANTIATE_TEST_SUITE_P(Widths, KeyCounterTest, testing::Values(15u, 255u));

TEST_P(KeyCounterTest, NeverUndercountsAndSaturates) {
  KeyCounter counter(1000, GetParam());
  ASSERT_EQ(counter.max_count(), GetParam());
  const CountedKeys added = AddKeys(&counter, 60000);  // far above the table's load
  size_t overcounted = 0;
  for (size_t i = 0; i < added.keys.size(); ++i) {
    ASSERT_GE(counter.Estimate(added.keys[i]), added.times[i]) << i;
    overcounted += counter.Estimate(added.keys[i]) > added.times[i];
  }
  EXPECT_GT(overcounted, 0u) << "the table was meant to collide";
  const uint64_t busy = Mix64(999999999);
  for (int r = 0; r < 400; ++r) counter.Add(busy);
  EXPECT_EQ(counter.Estimate(busy), GetParam());
}

TEST_P(KeyCounterTest, FilterAnswersEstimateAtLeastExactly) {
  KeyCounter counter(2000, GetParam());
  const CountedKeys added = AddKeys(&counter, 40000);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> asked = added.keys;
  for (int i = 0; i < 40000; ++i) asked.push_back(rng());  // never added
  for (const uint32_t threshold : {0u, 1u, 2u, 3u, 9u, 15u, 16u, 200u, 256u}) {
    for (const int threads : {1, 3}) {
      const KeyFilter filter = counter.KeysAtLeast(threshold, threads);
      size_t passed = 0;
      for (const uint64_t key : asked) {
        ASSERT_EQ(filter.Contains(key), counter.Estimate(key) >= threshold)
            << "key " << key << " threshold " << threshold << " threads " << threads;
        passed += filter.Contains(key);
      }
      if (threshold <= 9) {
        EXPECT_GT(passed, 0u);
      }
      if (threshold == 0) {
        EXPECT_EQ(passed, asked.size());
      } else {
        EXPECT_LT(passed, asked.size());
      }
    }
  }
}

// 4-bit counters exist to halve the table without changing a candidate:
// up to 15, they must pass exactly the keys 8-bit ones pass.
TEST(KeyCounterWidthTest, FourBitCountersPassTheKeysEightBitOnesPass) {
  KeyCounter four(2000, 15), eight(2000, 255);
  ASSERT_EQ(four.RawCounters().size() * 2, eight.RawCounters().size());
  const CountedKeys added = AddKeys(&four, 40000);
  AddKeys(&eight, 40000);
  const uint64_t busy = Mix64(999999999);
  for (int r = 0; r < 40; ++r) {
    four.Add(busy);
    eight.Add(busy);
  }
  std::mt19937_64 rng(9);
  std::vector<uint64_t> asked = added.keys;
  for (int i = 0; i < 40000; ++i) asked.push_back(rng());
  asked.push_back(busy);
  for (const uint64_t key : asked) ASSERT_EQ(four.Estimate(key), std::min(eight.Estimate(key), 15u)) << key;
  for (uint32_t threshold = 1; threshold <= 15; ++threshold) {
    const KeyFilter a = four.KeysAtLeast(threshold, 2), b = eight.KeysAtLeast(threshold, 2);
    for (const uint64_t key : asked) ASSERT_EQ(a.Contains(key), b.Contains(key)) << key << " at " << threshold;
  }
}

// What dedup_mpi does: each process counts its share, the raw tables are
// summed. The sum must be the table of one counter that saw every Add.
TEST_P(KeyCounterTest, MergedTablesEqualOneTableThatCountedAll) {
  const uint32_t max_count = GetParam();
  KeyCounter one(5000, max_count), a(5000, max_count), b(5000, max_count);
  const CountedKeys added = AddKeys(&one, 3000);
  for (size_t i = 0; i < added.keys.size(); ++i) {
    for (uint32_t r = 0; r < added.times[i]; ++r) (i % 3 == 0 ? a : b).Add(added.keys[i]);
  }
  const uint64_t busy = Mix64(999999999);  // saturates only when merged
  for (uint32_t r = 0; r < max_count * 3 / 4; ++r) {
    a.Add(busy);
    b.Add(busy);
    one.Add(busy);
    one.Add(busy);
  }
  ASSERT_LT(a.Estimate(busy), max_count);
  KeyCounter::MergeCounters(b.RawCounters(), a.RawCounters(), max_count);
  ASSERT_EQ(a.RawCounters().size(), one.RawCounters().size());
  for (size_t i = 0; i < a.RawCounters().size(); ++i) ASSERT_EQ(a.RawCounters()[i], one.RawCounters()[i]) << i;
  EXPECT_EQ(a.Estimate(busy), max_count);
  for (const uint64_t key : added.keys) EXPECT_EQ(a.Estimate(key), one.Estimate(key));
}

}  // namespace
}  // namespace dedup
