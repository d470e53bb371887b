#include "core/cluster.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <span>
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

// The greedy pass spelled out over LshIndex, comparing each candidate as the
// index reports it: ClusterDocuments (over FixedLshIndex, comparing after
// collecting) must decide alike.
ClusterAssignment ReferenceCluster(const Sketches& s, LshParams lsh, const MatchOptions& options) {
  const size_t n = s.sizes.size();
  ClusterAssignment out;
  out.similarity.assign(n, 1.0f);
  LshIndex index(lsh);
  std::vector<uint32_t> visited(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    out.representative.push_back(i);
    if (s.sizes[i] == 0) continue;
    const std::span<const uint32_t> sig(s.sigs.data() + size_t{i} * kPerm, kPerm);
    double best = -1.0;
    uint32_t best_rep = UINT32_MAX;
    index.Query(sig, [&](uint32_t rep) {
      if (visited[rep] == i) return;
      visited[rep] = i;
      ++out.verified_pairs;
      const double sim = MatchSimilarity(sig.data(), s.sigs.data() + size_t{rep} * kPerm, kPerm, s.sizes[i],
                                         s.sizes[rep], options);
      if (sim > best || (sim == best && rep < best_rep)) {
        best = sim;
        best_rep = rep;
      }
    });
    if (best_rep != UINT32_MAX && best >= 0.0) {
      out.representative[i] = best_rep;
      out.similarity[i] = static_cast<float>(best);
    } else {
      index.Insert(i, sig);
    }
  }
  return out;
}

TEST(ClusterTest, DecidesAsTheReferenceGreedyPass) {
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  std::mt19937_64 rng(8);
  Sketches s;
  // Edited copies of a few thousand originals, some trimmed, some empty;
  // enough documents that ClusterDocuments works in several blocks, with
  // copies in other blocks than their original.
  for (int d = 0; d < 30000; ++d) {
    const uint64_t original = rng() % 3000;
    const uint64_t length = 40 + original % 60;
    std::vector<uint64_t> set = Range(original * 1000, original * 1000 + length);
    const uint64_t edits = rng() % (length / 2);
    for (uint64_t e = 0; e < edits; ++e) set[rng() % set.size()] = rng();
    if (rng() % 5 == 0) set.resize(set.size() / 2);
    if (rng() % 50 == 0) set.clear();
    s.Add(h, set);
  }
  std::vector<uint32_t> groups(s.sizes.size());
  for (uint32_t& g : groups) g = static_cast<uint32_t>(rng() % 7);
  MatchOptions jaccard_only;
  jaccard_only.jaccard_threshold = 0.5;
  jaccard_only.containment = 2.0;  // off
  MatchOptions strict_ratio;
  strict_ratio.containment = 1.0;
  strict_ratio.min_length_ratio = 0.9;
  for (const MatchOptions& options : {MatchOptions{}, jaccard_only, strict_ratio}) {
    for (const LshParams lsh : {ChooseLshParams(0.7, kPerm), ChooseLshParams(0.36, kPerm)}) {
      const ClusterAssignment want = ReferenceCluster(s, lsh, options);
      size_t merged = 0;
      for (uint32_t i = 0; i < want.representative.size(); ++i) merged += want.representative[i] != i;
      EXPECT_GT(merged, 300u) << "the corpus should hold many near-duplicates";
      for (const int threads : {1, 3}) {
        for (const QuickRejection quick : {QuickRejection::kAuto, QuickRejection::kAlways, QuickRejection::kNever}) {
          // Groups (a site per document, say) order the work, never the result.
          for (const bool grouped : {false, true}) {
            const ClusterAssignment got = ClusterDocuments(s.sigs, kPerm, s.sizes, lsh, options, threads, quick,
                                                           grouped ? std::span(groups) : std::span<const uint32_t>());
            EXPECT_EQ(got.representative, want.representative) << "bands " << lsh.bands << ", threads " << threads
                                                               << ", quick " << static_cast<int>(quick) << ", grouped "
                                                               << grouped;
            EXPECT_EQ(got.similarity, want.similarity);
            EXPECT_EQ(got.verified_pairs, want.verified_pairs);
          }
        }
      }
    }
  }
}

// Pages of one site: a shared template and a text of their own each, so
// every pair is a candidate (Jaccard about 1/3) and few match. kAuto turns
// the quick rejection on after the first block; the result must not change.
TEST(ClusterTest, TemplatePagesDecideAsTheReferenceWithAndWithoutQuickRejection) {
  const MinHasher h(MinHashScheme::kOnePermutation, kPerm, 1);
  Sketches s;
  const std::vector<uint64_t> site_template = Range(1u << 30, (1u << 30) + 30);
  for (int d = 0; d < 10000; ++d) {
    std::vector<uint64_t> set = site_template;
    const uint64_t text = d % 7 == 3 ? d - 1 : d;  // every seventh page repeats the one before
    for (const uint64_t x : Range(text * 100, text * 100 + 70)) set.push_back(x);
    s.Add(h, set);
  }
  const LshParams lsh = ChooseLshParams(0.36, kPerm);
  const ClusterAssignment want = ReferenceCluster(s, lsh, MatchOptions{});
  EXPECT_GT(want.verified_pairs, 10u * 10000) << "the pages should be each other's candidates: " << want.verified_pairs;
  for (const QuickRejection quick : {QuickRejection::kAuto, QuickRejection::kNever}) {
    const ClusterAssignment got = ClusterDocuments(s.sigs, kPerm, s.sizes, lsh, MatchOptions{}, 2, quick);
    EXPECT_EQ(got.representative, want.representative) << "quick " << static_cast<int>(quick);
    EXPECT_EQ(got.similarity, want.similarity);
    EXPECT_EQ(got.verified_pairs, want.verified_pairs);
  }
}

// ClusterDocuments can reject candidates from four bits per signature value
// before comparing whole signatures (always, here). Two documents agreeing in
// exactly `equal` values, at every count, with sizes and options around each
// bound (Jaccard, containment, length ratio), for 128 values and for odd
// counts (the last byte then holds one value): the second joins the first
// exactly when MatchSimilarity says they match.
TEST(ClusterTest, QuickRejectionNeverRejectsAMatch) {
  std::mt19937_64 rng(11);
  MatchOptions exact_half;  // J = 64/128 exactly at the threshold
  exact_half.jaccard_threshold = 0.5;
  exact_half.containment = 2.0;
  MatchOptions two_thirds;  // equal sizes, J = 0.5: containment 2/3
  two_thirds.jaccard_threshold = 0.9;
  two_thirds.containment = 2.0 / 3.0;
  MatchOptions ratio_edge;  // sizes 40 and 100: the ratio is the bound
  ratio_edge.jaccard_threshold = 0.9;
  ratio_edge.containment = 0.5;
  ratio_edge.min_length_ratio = 0.4;
  const std::vector<std::pair<uint64_t, uint64_t>> size_pairs = {{100, 100}, {40, 100}, {100, 39}, {1, 1000}, {7, 9}};
  size_t matched = 0, rejected = 0;
  for (const int perm : {kPerm, 9, 127}) {
    std::vector<uint32_t> first(perm);
    for (uint32_t& v : first) v = static_cast<uint32_t>(rng() >> 32) & 0x7FFFFFFFu;
    const LshParams every_value{perm, 1};  // one equal value makes a candidate
    for (const MatchOptions& options : {MatchOptions{}, exact_half, two_thirds, ratio_edge}) {
      for (const auto& [size_a, size_b] : size_pairs) {
        for (int equal = 1; equal <= perm; ++equal) {
          std::vector<uint32_t> second = first;
          for (int v = equal; v < perm; ++v) second[v] = first[v] ^ (1u << (v % 31));  // differs in its nibble or not
          std::vector<uint32_t> sigs = first;
          sigs.insert(sigs.end(), second.begin(), second.end());
          const std::vector<uint64_t> sizes = {size_a, size_b};
          const double want = MatchSimilarity(second.data(), first.data(), perm, size_b, size_a, options);
          const ClusterAssignment got =
              ClusterDocuments(sigs, perm, sizes, every_value, options, 1, QuickRejection::kAlways);
          ASSERT_EQ(got.representative[1], want >= 0.0 ? 0u : 1u)
              << "equal " << equal << " of " << perm << ", sizes " << size_a << "/" << size_b << ", similarity "
              << want;
          (want >= 0.0 ? matched : rejected)++;
        }
      }
    }
  }
  EXPECT_GT(matched, 500u);
  EXPECT_GT(rejected, 500u);
}

}  // namespace
}  // namespace dedup
