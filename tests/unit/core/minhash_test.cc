#include "core/minhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/tokenize.h"

namespace dedup {
namespace {

// Two sets of random 64-bit shingle hashes with a chosen exact Jaccard:
// `shared` common elements plus `only` elements each.
struct SetPair {
  std::vector<uint64_t> a, b;
  double jaccard;
};
SetPair MakePair(std::mt19937_64& rng, int shared, int only_a, int only_b) {
  SetPair p;
  for (int i = 0; i < shared; ++i) {
    const uint64_t h = rng();
    p.a.push_back(h);
    p.b.push_back(h);
  }
  for (int i = 0; i < only_a; ++i) p.a.push_back(rng());
  for (int i = 0; i < only_b; ++i) p.b.push_back(rng());
  p.jaccard = static_cast<double>(shared) / (shared + only_a + only_b);
  return p;
}

std::vector<uint32_t> Sign(const MinHasher& h, const std::vector<uint64_t>& set) {
  std::vector<uint32_t> sig(h.num_perm());
  h.Reset(sig);
  for (uint64_t x : set) h.Add(x, sig);
  h.Finalize(sig);
  return sig;
}

class MinHashSchemeTest : public ::testing::TestWithParam<MinHashScheme> {};

// Over many seeded pairs the estimate is unbiased and its error stays within
// the binomial bound that K implies: sd = sqrt(J (1 - J) / K).
TEST_P(MinHashSchemeTest, EstimatesMatchExactJaccardWithinTheBoundKImplies) {
  constexpr int kPerm = 128;
  const MinHasher hasher(GetParam(), kPerm, 42);
  std::mt19937_64 rng(7);
  int outside_4sd = 0;
  double sum_error = 0;
  constexpr int kPairs = 600;
  for (int i = 0; i < kPairs; ++i) {
    const int shared = 20 + static_cast<int>(rng() % 400);
    const int only_a = static_cast<int>(rng() % 300);
    const int only_b = static_cast<int>(rng() % 300);
    const SetPair p = MakePair(rng, shared, only_a, only_b);
    const double est = EstimateJaccard(Sign(hasher, p.a), Sign(hasher, p.b));
    const double sd = std::sqrt(p.jaccard * (1 - p.jaccard) / kPerm);
    outside_4sd += std::abs(est - p.jaccard) > 4 * sd + 1.0 / kPerm;
    sum_error += est - p.jaccard;
  }
  EXPECT_LE(outside_4sd, 2) << "estimates outside 4 sd of the exact Jaccard";
  EXPECT_LT(std::abs(sum_error / kPairs), 0.01) << "mean bias";
}

TEST_P(MinHashSchemeTest, IdenticalSetsGiveIdenticalSignaturesAndDisjointSetsNearZero) {
  const MinHasher hasher(GetParam(), 128, 1);
  std::mt19937_64 rng(3);
  const SetPair same = MakePair(rng, 50, 0, 0);
  EXPECT_EQ(Sign(hasher, same.a), Sign(hasher, same.b));
  const SetPair disjoint = MakePair(rng, 0, 300, 300);
  EXPECT_LT(EstimateJaccard(Sign(hasher, disjoint.a), Sign(hasher, disjoint.b)), 0.05);
}

TEST_P(MinHashSchemeTest, MergingRawSignaturesEqualsSigningTheUnion) {
  const MinHasher hasher(GetParam(), 64, 9);
  std::mt19937_64 rng(5);
  const SetPair p = MakePair(rng, 0, 40, 70);
  std::vector<uint32_t> a(64), b(64), u(64);
  hasher.Reset(a);
  hasher.Reset(b);
  hasher.Reset(u);
  for (uint64_t x : p.a) hasher.Add(x, a), hasher.Add(x, u);
  for (uint64_t x : p.b) hasher.Add(x, b), hasher.Add(x, u);
  MergeSignature(a, b);
  EXPECT_EQ(b, u);
}

INSTANTIATE_TEST_SUITE_P(Schemes, MinHashSchemeTest,
                         ::testing::Values(MinHashScheme::kOnePermutation, MinHashScheme::kClassic));

TEST(ContainmentTest, FromJaccardAndSizes) {
  // A (100) inside B (200): |A n B| = 100, J = 0.5, containment 1.
  EXPECT_NEAR(ContainmentFromJaccard(0.5, 100, 200), 1.0, 1e-9);
  EXPECT_NEAR(ContainmentFromJaccard(0.0, 100, 200), 0.0, 1e-9);
  EXPECT_EQ(ContainmentFromJaccard(0.5, 0, 200), 0.0);
}

// Frozen vectors: a change here moves every dedup decision. When the change
// is intended, rerun with DEDUP_PRINT_VECTORS=1 and paste the new values.
// The shingle hash is a weighted sum of token hashes: it must still tell
// orders and widths apart, and spread its top bits (which the distinct
// counter takes) evenly.
TEST(ShingleHashTest, OrderAndWidthMatterAndTopBitsAreUniform) {
  std::mt19937_64 rng(11);
  constexpr int kBuckets = 256, kSamples = 256 * 400;
  std::vector<int> bucket(kBuckets, 0);
  for (int i = 0; i < kSamples; ++i) {
    uint64_t t[6];
    for (uint64_t& x : t) x = rng();
    const uint64_t h = HashShingle(t, 5);
    ++bucket[h >> 56];
    uint64_t swapped[5] = {t[1], t[0], t[2], t[3], t[4]};
    ASSERT_NE(h, HashShingle(swapped, 5));
    ASSERT_NE(h, HashShingle(t, 4));
    ASSERT_NE(h, HashShingle(t, 6));
  }
  // Repeated tokens ("the the the ...") in different orders stay apart too.
  const uint64_t a = rng(), b = rng();
  const uint64_t abab[5] = {a, b, a, b, a}, baba[5] = {b, a, b, a, b}, aabb[5] = {a, a, b, b, a};
  EXPECT_NE(HashShingle(abab, 5), HashShingle(baba, 5));
  EXPECT_NE(HashShingle(abab, 5), HashShingle(aabb, 5));
  double chi2 = 0;
  const double expected = static_cast<double>(kSamples) / kBuckets;
  for (const int c : bucket) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 340.0);  // 255 degrees of freedom: p < 0.0003 above this
}

TEST(MinHashFrozenTest, SignaturesOfFixedTextAreStable) {
  Tokenizer tok;
  TokenStream ts;
  tok.Tokenize("The quick brown fox jumps over the lazy dog near the river bank today", &ts);
  struct Case {
    MinHashScheme scheme;
    uint64_t expected;
  };
  const Case cases[] = {{MinHashScheme::kOnePermutation, 0x8bade227933a2475ULL}, {MinHashScheme::kClassic, 0xe621c08cd84de08cULL}};
  for (const Case& c : cases) {
    const MinHasher hasher(c.scheme, 128, 0x6465647570ULL);
    std::vector<uint32_t> sig(128);
    hasher.Reset(sig);
    for (size_t j = 0; j + 5 <= ts.hashes.size(); ++j) hasher.Add(HashShingle(ts.hashes.data() + j, 5), sig);
    hasher.Finalize(sig);
    const uint64_t digest = HashBytes(sig.data(), sig.size() * 4);
    if (std::getenv("DEDUP_PRINT_VECTORS") != nullptr) std::printf("scheme %d: 0x%016llxULL\n", static_cast<int>(c.scheme), static_cast<unsigned long long>(digest));
    EXPECT_EQ(digest, c.expected) << "signature vectors changed: rerun with DEDUP_PRINT_VECTORS=1 to regenerate "
                                     "(tests/unit/core/minhash_test.cc), knowing that dedup decisions move";
  }
}

// Frozen densification: raw signatures with every kind of fill (one bin, few
// bins, about half, all but one, all) finalise as they always did.
TEST(MinHashFrozenTest, DensificationOfEveryFillLevelIsStable) {
  const MinHasher hasher(MinHashScheme::kOnePermutation, 128, 0x6465647570ULL);
  std::mt19937_64 rng(5);
  uint64_t digest = 0;
  for (const int filled : {1, 2, 5, 11, 12, 40, 64, 100, 127, 128}) {
    for (int rep = 0; rep < 20; ++rep) {
      std::vector<uint32_t> sig(128);
      hasher.Reset(sig);
      for (int f = 0; f < filled; ++f) sig[f] = static_cast<uint32_t>(rng() % 1000);
      std::shuffle(sig.begin(), sig.end(), rng);
      hasher.Finalize(sig);
      EXPECT_EQ(std::count(sig.begin(), sig.end(), kEmptyBin), 0);
      digest = HashBytes(sig.data(), sig.size() * 4, digest);
    }
  }
  if (std::getenv("DEDUP_PRINT_VECTORS") != nullptr) std::printf("densified: 0x%016llxULL\n", static_cast<unsigned long long>(digest));
  EXPECT_EQ(digest, 0xfc57d8e364e88a30ULL) << "densification changed: rerun with DEDUP_PRINT_VECTORS=1 to regenerate";
}

// Frozen as above for sizes that are not a multiple of the 64-bin words or
// of the 4-bin compares, and below 4 bins (no four probes to test at once).
TEST(MinHashFrozenTest, DensificationOfOddSizesIsStable) {
  std::mt19937_64 rng(5);
  uint64_t digest = 0;
  for (const int k : {1, 3, 7, 70, 200}) {
    const MinHasher hasher(MinHashScheme::kOnePermutation, k, 0x6465647570ULL);
    for (int filled = 1; filled <= k; filled += 1 + k / 9) {
      for (int rep = 0; rep < 10; ++rep) {
        std::vector<uint32_t> sig(k);
        hasher.Reset(sig);
        for (int f = 0; f < filled; ++f) sig[f] = static_cast<uint32_t>(rng() % 1000);
        std::shuffle(sig.begin(), sig.end(), rng);
        hasher.Finalize(sig);
        ASSERT_EQ(std::count(sig.begin(), sig.end(), kEmptyBin), 0) << "k=" << k << " filled=" << filled;
        digest = HashBytes(sig.data(), sig.size() * 4, digest);
      }
    }
  }
  if (std::getenv("DEDUP_PRINT_VECTORS") != nullptr) std::printf("odd sizes: 0x%016llxULL\n", static_cast<unsigned long long>(digest));
  EXPECT_EQ(digest, 0x30b4c38a3c274ad9ULL) << "densification changed: rerun with DEDUP_PRINT_VECTORS=1 to regenerate";
}

// The vectorised estimate counts what a plain loop counts, empty bins and
// lengths off the vector width included.
TEST(EstimateJaccardTest, MatchesAPlainCount) {
  std::mt19937_64 rng(17);
  for (const size_t k : {0, 1, 5, 64, 128, 131}) {
    for (int rep = 0; rep < 50; ++rep) {
      std::vector<uint32_t> a(k), b(k);
      for (size_t i = 0; i < k; ++i) {
        a[i] = rng() % 4 == 0 ? kEmptyBin : static_cast<uint32_t>(rng() % 3);
        b[i] = rng() % 4 == 0 ? kEmptyBin : static_cast<uint32_t>(rng() % 3);
      }
      size_t equal = 0;
      for (size_t i = 0; i < k; ++i) equal += a[i] == b[i] && a[i] != kEmptyBin;
      const double want = k == 0 ? 0.0 : static_cast<double>(equal) / static_cast<double>(k);
      ASSERT_EQ(EstimateJaccard(a, b), want) << "k=" << k;
    }
  }
}

}  // namespace
}  // namespace dedup
