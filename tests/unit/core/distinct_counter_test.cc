#include "core/distinct_counter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/hash.h"

namespace dedup {
namespace {

TEST(DistinctCounterTest, EstimatesWithinAFewPercentAndIgnoresRepeats) {
  std::mt19937_64 rng(1);
  DistinctCounter c;
  for (uint64_t n : {1u, 5u, 37u, 300u, 2000u, 20000u}) {
    c.Reset(n * 2);  // the caller bounds the count by the number of hashes it will add
    for (uint64_t i = 0; i < n; ++i) {
      const uint64_t h = Mix64(rng());
      c.Add(h);
      c.Add(h);  // a repeat changes nothing
    }
    const double est = static_cast<double>(c.Estimate());
    EXPECT_LE(std::abs(est - n), std::max(1.0, 0.05 * n)) << n;
  }
  c.Reset(10);
  EXPECT_EQ(c.Estimate(), 0u);
}

}  // namespace
}  // namespace dedup
