#include "core/lsh.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "core/minhash.h"

namespace dedup {
namespace {

TEST(LshParamsTest, ChosenBandingPutsTheSCurveAroundTheThreshold) {
  for (double t : {0.3, 0.5, 0.8}) {
    const LshParams p = ChooseLshParams(t, 128);
    EXPECT_LE(p.bands * p.rows, 128);
    EXPECT_GT(CandidateProbability(t + 0.15, p), 0.85) << "t=" << t;
    EXPECT_LT(CandidateProbability(t * 0.4, p), 0.35) << "t=" << t;
  }
}

// Pairs with a known Jaccard become candidates at the rate the S-curve
// predicts for the chosen bands and rows.
TEST(LshIndexTest, EmpiricalCandidateRateFollowsTheSCurve) {
  const LshParams p{32, 4};
  const MinHasher hasher(MinHashScheme::kOnePermutation, 128, 11);
  std::mt19937_64 rng(99);
  for (double s : {0.2, 0.45, 0.7}) {
    constexpr int kPairs = 300;
    int hits = 0;
    for (int i = 0; i < kPairs; ++i) {
      const int total = 400;
      const int shared = static_cast<int>(s * total);
      const int only = (total - shared) / 2;
      std::vector<uint32_t> a(128), b(128);
      hasher.Reset(a);
      hasher.Reset(b);
      for (int j = 0; j < shared; ++j) {
        const uint64_t h = rng();
        hasher.Add(h, a);
        hasher.Add(h, b);
      }
      for (int j = 0; j < only; ++j) hasher.Add(rng(), a), hasher.Add(rng(), b);
      hasher.Finalize(a);
      hasher.Finalize(b);
      LshIndex index(p);
      index.Insert(0, a);
      bool found = false;
      index.Query(b, [&](uint32_t) { found = true; });
      hits += found;
    }
    const double exact_j = static_cast<double>(static_cast<int>(s * 400)) / (static_cast<int>(s * 400) + 2 * ((400 - static_cast<int>(s * 400)) / 2));
    EXPECT_NEAR(hits / 300.0, CandidateProbability(exact_j, p), 0.09) << "s=" << s;
  }
}

TEST(LshIndexTest, QueryFindsEveryInsertedItemWithAnEqualBand) {
  const LshParams p{4, 2};
  LshIndex index(p);
  std::vector<uint32_t> a = {1, 2, 3, 4, 5, 6, 7, 8};
  std::vector<uint32_t> b = {1, 2, 9, 9, 9, 9, 9, 9};  // band 0 equal
  std::vector<uint32_t> c = {9, 9, 9, 9, 9, 9, 9, 0};  // nothing equal to a
  index.Insert(10, a);
  index.Insert(11, c);
  std::vector<uint32_t> got;
  index.Query(b, [&](uint32_t item) { got.push_back(item); });
  // c shares bands 1 and 2 with b, so it is reported once per band.
  EXPECT_EQ(got, std::vector<uint32_t>({10, 11, 11}));
}

}  // namespace
}  // namespace dedup

namespace dedup {
namespace {

// Issue #6: one band value shared by every item must not make each query walk
// the whole corpus.
TEST(LshIndexTest, AFullBucketStopsGrowingAndQueriesStayBounded) {
  const LshParams p{4, 2};
  LshIndex index(p, 0, /*max_bucket_items=*/100);
  for (uint32_t i = 0; i < 10000; ++i) {
    std::vector<uint32_t> sig = {7, 7, i, i + 1, i + 2, i + 3, i + 4, i + 5};  // band 0 shared by all
    index.Insert(i, sig);
  }
  std::vector<uint32_t> probe = {7, 7, 5000, 5001, 0, 0, 0, 0};  // band 0 + band 1 of item 5000
  size_t reported = 0;
  bool found_5000 = false;
  index.Query(probe, [&](uint32_t item) {
    ++reported;
    found_5000 |= item == 5000;
  });
  EXPECT_LE(reported, 101u);
  EXPECT_TRUE(found_5000) << "an item in a full bucket is still found through its other bands";
}

// Signatures of 8 values from an alphabet of 5, so that bands collide often.
constexpr int kSmallPerm = 8;
std::vector<uint32_t> SmallAlphabetSignatures(uint32_t items, uint64_t seed, int perm = kSmallPerm) {
  std::mt19937_64 rng(seed);
  std::vector<uint32_t> sigs(static_cast<size_t>(items) * perm);
  for (uint32_t& v : sigs) v = static_cast<uint32_t>(rng() % 5);
  return sigs;
}

// The fixed-set index answers as LshIndex does for the same inserts and
// queries in the same order, full buckets included, on any number of threads
// (12 is more than FixedLshIndex::kMaxBuildThreads builds with), and with
// more bands than are hashed at once (10 bands of one value).
TEST(FixedLshIndexTest, AnswersAsLshIndexDoes) {
  for (const auto& [p, perm] : {std::pair{LshParams{4, 2}, kSmallPerm}, std::pair{LshParams{10, 1}, 10}}) {
    constexpr uint32_t kItems = 3000;
    const std::vector<uint32_t> sigs = SmallAlphabetSignatures(kItems, 7, perm);
    size_t buckets_one_thread = 0;
    for (const int threads : {1, 3, 8, 12}) {
      static_assert(FixedLshIndex::kMaxBuildThreads < 12);
      LshIndex reference(p, 0, /*max_bucket_items=*/7);
      FixedLshIndex fixed(sigs, perm, p, threads, /*max_bucket_items=*/7);
      if (threads == 1) buckets_one_thread = fixed.num_buckets();
      EXPECT_EQ(fixed.num_buckets(), buckets_one_thread) << "threads " << threads;
      size_t reported = 0;
      for (uint32_t i = 0; i < kItems; ++i) {
        const std::span<const uint32_t> sig(sigs.data() + i * perm, perm);
        std::vector<uint32_t> want, got;
        reference.Query(sig, [&](uint32_t item) { want.push_back(item); });
        fixed.Query(i, [&](uint32_t item) { got.push_back(item); });
        std::sort(want.begin(), want.end());
        std::sort(got.begin(), got.end());
        ASSERT_EQ(got, want) << "item " << i << ", threads " << threads << ", bands " << p.bands;
        reported += got.size();
        if (i % 3 != 0) {
          reference.Insert(i, sig);
          fixed.Insert(i);
        }
      }
      EXPECT_GT(reported, kItems);
    }
  }
}

// QueryNew reports what Query reports among the items inserted since the
// last StartNewInserts, full buckets included.
TEST(FixedLshIndexTest, QueryNewReportsTheInsertsSinceItsStart) {
  const LshParams p{4, 2};
  constexpr uint32_t kItems = 3000;
  const std::vector<uint32_t> sigs = SmallAlphabetSignatures(kItems, 9);
  FixedLshIndex index(sigs, kSmallPerm, p, 2, /*max_bucket_items=*/7);
  size_t reported_new = 0;
  for (uint32_t begin = 0; begin < kItems; begin += 100) {
    index.StartNewInserts();
    for (uint32_t i = begin; i < begin + 100; ++i) {
      std::vector<uint32_t> want, got;
      index.Query(i, [&](uint32_t item) {
        if (item >= begin) want.push_back(item);
      });
      FixedLshIndex::BucketId buckets[LshIndex::kMaxBands];
      const int count = index.BucketsOf(i, buckets);
      index.QueryNew(std::span<const FixedLshIndex::BucketId>(buckets, count),
                     [&](uint32_t item) { got.push_back(item); });
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
      ASSERT_EQ(got, want) << "item " << i;
      reported_new += got.size();
      if (i % 3 != 0) index.Insert(i);
    }
  }
  EXPECT_GT(reported_new, 500u);  // not vacuous
}

TEST(FixedLshIndexTest, KeysHeldByOneItemGetNoBucket) {
  const LshParams p{2, 2};
  // Items 0 and 2 share band 0; every other band key is unique.
  const std::vector<uint32_t> sigs = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 9, 9};
  FixedLshIndex index(sigs, 4, p);
  EXPECT_EQ(index.num_buckets(), 1u);
  index.Insert(0);
  std::vector<uint32_t> got;
  index.Query(2, [&](uint32_t item) { got.push_back(item); });
  EXPECT_EQ(got, std::vector<uint32_t>({0}));
}

}  // namespace
}  // namespace dedup
