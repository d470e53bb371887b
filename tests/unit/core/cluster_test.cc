#include "core/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/minhash.h"

namespace dedup {
namespace {

constexpr int kPerm = 128;

struct Sketches {
  std::vector<uint32_t> sigs;
  std::vector<uint64_t> sizes;
  void Add(const MinHasher& h, const std::vector<uint64_t>& set) {
    std::vector<uint32_t> sig(kPerm);
    h.Reset(sig);
    for (uint64_t x : set) h.Add(x, sig);
    h.Finalize(sig);
    sigs.insert(sigs.end(), sig.begin(), sig.end());
    std::vector<uint64_t> sorted = set;
    std::sort(sorted.begin(), sorted.end());
    sizes.push_back(std::unique(sorted.begin(), sorted.end()) - sorted.begin());
  }
};

std::vector<uint64_t> Range(uint64_t begin, uint64_t end) {
  std::vector<uint64_t> v;
  for (uint64_t i = begin; i < end; ++i) v.push_back(Mix64(i));
  return v;
}

TEST(ClusterTest, ChainOfWeakLinksNeverMergesTheEnds) {
  // A = [0,100), B = [25,125), C = [50,150): J(A,B) = J(B,C) = 0.6, J(A,C) = 0.33.
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  Sketches s;
  s.Add(h, Range(0, 100));
  s.Add(h, Range(25, 125));
  s.Add(h, Range(50, 150));
  MatchOptions opt;
  opt.jaccard_threshold = 0.5;
  opt.containment = 2.0;  // off
  const ClusterAssignment c = ClusterDocuments(s.sigs, kPerm, s.sizes, ChooseLshParams(0.5, kPerm), opt);
  EXPECT_EQ(c.representative[0], 0u);
  EXPECT_EQ(c.representative[1], 0u);
  EXPECT_EQ(c.representative[2], 2u) << "C joined through B";
}

TEST(ClusterTest, TrimmedCopyIsFoundByContainment) {
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  Sketches s;
  s.Add(h, Range(0, 400));
  s.Add(h, Range(0, 220));     // trimmed to 55%
  s.Add(h, Range(1000, 1300)); // unrelated
  MatchOptions opt;  // defaults: 0.7 Jaccard, 0.8 containment, ratio 0.4
  const ClusterAssignment c = ClusterDocuments(s.sigs, kPerm, s.sizes, ChooseLshParams(0.36, kPerm), opt);
  EXPECT_EQ(c.representative[1], 0u);
  EXPECT_GT(c.similarity[1], 0.8f);
  EXPECT_EQ(c.representative[2], 2u);
}

TEST(ClusterTest, ContainmentRespectsTheLengthRatio) {
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  Sketches s;
  s.Add(h, Range(0, 1000));
  s.Add(h, Range(0, 100));  // a tenth: a quotation, not a copy
  const ClusterAssignment c = ClusterDocuments(s.sigs, kPerm, s.sizes, ChooseLshParams(0.05, kPerm), MatchOptions{});
  EXPECT_EQ(c.representative[1], 1u);
}

TEST(ClusterTest, ManyIdenticalDocumentsFormOneClusterAndEmptyOnesNone) {
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  Sketches s;
  for (int i = 0; i < 2000; ++i) s.Add(h, Range(0, 50));
  s.Add(h, {});
  s.Add(h, {});
  const ClusterAssignment c = ClusterDocuments(s.sigs, kPerm, s.sizes, ChooseLshParams(0.7, kPerm), MatchOptions{});
  for (int i = 0; i < 2000; ++i) ASSERT_EQ(c.representative[i], 0u);
  EXPECT_EQ(c.representative[2000], 2000u);
  EXPECT_EQ(c.representative[2001], 2001u);
}

}  // namespace
}  // namespace dedup
