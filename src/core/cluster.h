// File: core/cluster.h
// Groups documents into near-duplicate clusters from their finalised
// signatures. Greedy in input order: a document joins the cluster of the most
// similar earlier representative that passes verification, else it starts a
// cluster. Every member is verified against the representative itself, so a
// chain of weak links (A~B, B~C, A!~C) never merges A and C. Only
// representatives enter the LSH index, so a million identical documents cost
// one bucket entry and linear time.
#ifndef DEDUP_CORE_CLUSTER_H_
#define DEDUP_CORE_CLUSTER_H_

#include <cstdint>
#include <span>
#include <vector>

#include "core/lsh.h"

namespace dedup {

struct MatchOptions {
  double jaccard_threshold = 0.7;  // estimated Jaccard at or above: duplicate
  double containment = 0.7;        // containment of the smaller doc; > 1 disables
  double min_length_ratio = 0.4;   // containment only when smaller/larger >= this
};

// Similarity of two finalised signatures with the given set sizes, or a
// negative value when they do not match under `options`. The value is the
// Jaccard estimate when that passes, else the containment estimate.
double MatchSimilarity(const uint32_t* a, const uint32_t* b, int num_perm, uint64_t size_a,
                       uint64_t size_b, const MatchOptions& options);

// Wall seconds of ClusterDocuments' steps (--stats): grouping band keys
// into buckets; comparing each block with earlier blocks' representatives,
// on every thread; comparing within each block and inserting, in order, on
// one.
struct ClusteringSteps {
  double index = 0, compare = 0, in_order = 0;
};

struct ClusterAssignment {
  std::vector<uint32_t> representative;  // representative[i] == i: i leads a cluster
  std::vector<float> similarity;         // to the representative; 1 for leaders
  uint64_t verified_pairs = 0;           // candidate pairs compared (cost indicator)
  ClusteringSteps seconds;
};

// Whether candidate pairs are first compared on four bits per signature
// value (a bound that rejects most non-duplicates from an eighth of the
// memory): kAuto once documents have had several candidates each, as making
// the nibbles is a pass over the signatures. The result is the same either way.
enum class QuickRejection { kAuto, kAlways, kNever };

// sigs: n * num_perm finalised values, row i for document i. sizes[i]: number
// of distinct shingles (0: the document takes part in no cluster). Runs on
// `threads` threads; the result does not depend on threads.
//
// groups (optional, one per document: its site, say) only orders the work:
// once documents have many candidates (the quick rejection is on), each
// block's comparisons with earlier blocks run group by group, so that
// documents that meet the same representatives (a site's pages, which share
// its template) run together while those are in the caches.
ClusterAssignment ClusterDocuments(std::span<const uint32_t> sigs, int num_perm,
                                   const std::vector<uint64_t>& sizes, LshParams lsh,
                                   const MatchOptions& options, int threads = 1,
                                   QuickRejection quick = QuickRejection::kAuto,
                                   std::span<const uint32_t> groups = {});

}  // namespace dedup

#endif  // DEDUP_CORE_CLUSTER_H_
