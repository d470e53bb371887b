#include "core/key_counter.h"

#include <gtest/gtest.h>

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

TEST(KeyCounterTest, NeverUndercountsAndSaturates) {
  KeyCounter counter(1000);
  const CountedKeys added = AddKeys(&counter, 60000);  // far above the table's load
  size_t overcounted = 0;
  for (size_t i = 0; i < added.keys.size(); ++i) {
    ASSERT_GE(counter.Estimate(added.keys[i]), added.times[i]) << i;
    overcounted += counter.Estimate(added.keys[i]) > added.times[i];
  }
  EXPECT_GT(overcounted, 0u) << "the table was meant to collide";
  const uint64_t busy = Mix64(999999999);
  for (int r = 0; r < 400; ++r) counter.Add(busy);
  EXPECT_EQ(counter.Estimate(busy), 255u);
}

TEST(KeyCounterTest, FilterAnswersEstimateAtLeastExactly) {
  KeyCounter counter(2000);
  const CountedKeys added = AddKeys(&counter, 40000);
  std::mt19937_64 rng(7);
  std::vector<uint64_t> asked = added.keys;
  for (int i = 0; i < 40000; ++i) asked.push_back(rng());  // never added
  for (const uint32_t threshold : {0u, 1u, 2u, 3u, 9u, 200u, 256u}) {
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

// What dedup_mpi does: each process counts its share, the raw tables are
// summed. The sum must be the table of one counter that saw every Add.
TEST(KeyCounterTest, MergedTablesEqualOneTableThatCountedAll) {
  KeyCounter one(5000), a(5000), b(5000);
  const CountedKeys added = AddKeys(&one, 3000);
  for (size_t i = 0; i < added.keys.size(); ++i) {
    for (uint32_t r = 0; r < added.times[i]; ++r) (i % 3 == 0 ? a : b).Add(added.keys[i]);
  }
  const uint64_t busy = Mix64(999999999);  // saturates only when merged
  for (int r = 0; r < 200; ++r) {
    a.Add(busy);
    b.Add(busy);
    one.Add(busy);
    one.Add(busy);
  }
  KeyCounter::MergeCounters(b.RawCounters(), a.RawCounters());
  ASSERT_EQ(a.RawCounters().size(), one.RawCounters().size());
  for (size_t i = 0; i < a.RawCounters().size(); ++i) ASSERT_EQ(a.RawCounters()[i], one.RawCounters()[i]) << i;
  EXPECT_EQ(a.Estimate(busy), 255u);
  for (const uint64_t key : added.keys) EXPECT_EQ(a.Estimate(key), one.Estimate(key));
}

}  // namespace
}  // namespace dedup
