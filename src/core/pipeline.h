// File: core/pipeline.h
// The whole decision: documents in, per-document keep/drop and removed byte
// ranges out. Pure: no files, no printing. The caller supplies document text
// through DocumentSource (so JSONL can be decoded on demand instead of held
// twice) and applies the decisions (see core/cleaner.h).
//
//   pass 1  split into lines and tokens (hashing lines, not tokens), count
//           each line key in distinct documents per source (approximately,
//           in a fixed-size table); collect head/tail lines
//   pass 2  tokenise, signature of the text outside candidate lines (lines
//           seen in >= min_stories documents, and links), the shingles of
//           each distinct candidate line
//   C1      cluster on full signatures (candidates merged back in)
//   blocks  count distinct C1 stories per candidate line -> boilerplate
//   C2      cluster on signatures without the boilerplate lines
//   decide  keep first/longest per C2 cluster, removed ranges per document
#ifndef DEDUP_CORE_PIPELINE_H_
#define DEDUP_CORE_PIPELINE_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "core/boilerplate.h"
#include "core/cluster.h"
#include "core/key_counter.h"
#include "core/line_key_log.h"
#include "core/lsh.h"
#include "core/minhash.h"
#include "core/sketch_table.h"
#include "core/uninitialized_vector.h"

namespace dedup {

// Read access to the documents. Text() must be thread-safe and may decode into
// *scratch (owned by the calling thread); the returned view stays valid until
// the next call with the same scratch.
class DocumentSource {
 public:
  virtual ~DocumentSource() = default;
  virtual size_t size() const = 0;
  virtual std::string_view Text(size_t doc, std::string* scratch) const = 0;
  // Source (site) of the document: equal ids share boilerplate statistics.
  virtual uint32_t SourceId(size_t doc) const = 0;
  // Roughly the total text size, to size fixed tables (0: unknown).
  virtual uint64_t SizeHintBytes() const { return 0; }
  // Documents [begin, end) will not be read again in this pass: a source
  // backed by mapped files may drop their pages (they are read again from
  // the page cache on demand). A hint; thread-safe.
  virtual void Release(size_t /*begin*/, size_t /*end*/) const {}
};

enum class KeepPolicy { kFirst, kLongest };

struct PipelineOptions {
  int shingle_width = 5;  // words (or characters for unspaced scripts)
  int num_perm = 128;
  uint64_t seed = 0x6465647570ULL;
  MinHashScheme scheme = MinHashScheme::kOnePermutation;
  MatchOptions match;
  LshParams lsh;  // bands == 0: derived from the thresholds
  bool dedup = true;
  bool boilerplate = true;
  KeepPolicy keep = KeepPolicy::kFirst;
  BoilerplateOptions blocks;
  int threads = 1;
  // Each thread keeps scratch and tables of its own (~200 KB even when it
  // has no work): --threads 100000 over 100 MB took 20 GB and 69 s. More
  // threads than this are refused, not run.
  static constexpr int kMaxThreads = 4096;

  absl::Status Validate() const;
  // The banding actually used: lsh when set, else chosen so that a copy
  // trimmed to half the original (containment >= match.containment) is a
  // likely candidate, or at match.jaccard_threshold when containment is off.
  LshParams EffectiveLsh() const;
};

struct RemovedRange {
  uint32_t start = 0;  // byte offsets into the document's text
  uint32_t end = 0;
  uint32_t block = 0;    // boilerplate block id (first-occurrence order)
  uint32_t stories = 0;  // distinct stories of its source that carry it
};

struct DocumentDecision {
  bool keep = true;
  uint32_t dup_of = 0;      // kept document of the cluster (itself when kept)
  float similarity = 0.0f;  // to dup_of, when dropped
  uint32_t removed_begin = 0;  // index range into PipelineResult::removed
  uint32_t removed_count = 0;
};

struct BlockSummary {
  uint32_t id = 0;
  uint32_t stories = 0;
  uint32_t occurrences = 0;
  uint32_t first_doc = 0;  // where to read an example of its text
  uint32_t first_begin = 0;
  uint32_t first_end = 0;  // line terminator included
};

struct PipelineStats {
  uint64_t documents = 0;
  uint64_t dropped = 0;
  uint64_t clusters_with_duplicates = 0;
  uint64_t input_bytes = 0;
  uint64_t boilerplate_bytes = 0;  // removed from kept documents
  uint64_t duplicate_bytes = 0;    // bytes of dropped documents
  uint64_t boilerplate_blocks = 0;
  uint64_t candidate_lines = 0;  // distinct candidate line texts sketched
  LshParams lsh;
  double seconds_pass1 = 0, seconds_pass2 = 0, seconds_cluster = 0, seconds_blocks = 0;
  // Where seconds_cluster goes, and the LSH candidate pairs verified, for
  // each clustering (the stories' feeds the block verdicts; the final one
  // decides duplicates).
  struct ClusteringStats {
    double signatures = 0;        // seconds building its signatures
    ClusteringSteps steps;        // ClusterDocuments' seconds
    uint64_t verified_pairs = 0;  // its candidate pairs
  };
  ClusteringStats story_clustering, final_clustering;
  // Both clusterings' candidate pairs.
  uint64_t verified_pairs() const { return story_clustering.verified_pairs + final_clustering.verified_pairs; }
};

struct PipelineResult {
  std::vector<DocumentDecision> docs;
  std::vector<RemovedRange> removed;
  std::vector<BlockSummary> blocks;  // by id
  PipelineStats stats;
};

// Counters the caller may poll from another thread to show progress.
struct PipelineProgress {
  std::atomic<int> phase{0};  // 1 = counting lines, 2 = fingerprints, 3 = clustering
  std::atomic<uint64_t> docs_done{0};
  std::atomic<uint64_t> bytes_done{0};
};

// Runs every phase. Options must have passed Validate(). Deterministic: the
// result does not depend on options.threads.
PipelineResult RunPipeline(const DocumentSource& docs, const PipelineOptions& options,
                           PipelineProgress* progress = nullptr);

// The phases of RunPipeline, for drivers that spread the documents over
// several processes (src/dist): pass 1 on each share, statistics merged;
// pass 2 on each share, fingerprints appended in document order; then one
// DecideDocuments over all of them. The result equals RunPipeline's.

// Pass 1 output: approximate counts of line keys, and the hashes of head and
// tail lines that links are found from. Processes of one run merge them by
// summing the counters (saturating) and concatenating the line lists. The
// log of every line's hashes and template key stays with the process: its
// own pass 2 reads it back (and computes them itself when the log is not of
// its documents).
struct LineStatistics {
  // Counts need telling apart up to count_up_to: the candidate threshold.
  LineStatistics(uint64_t expected_keys, uint32_t count_up_to) : counts(expected_keys, count_up_to) {}
  KeyCounter counts;
  KeyFilter candidate_keys;  // made from counts by SelectCandidateKeys
  std::vector<uint64_t> head_lines;
  std::vector<uint64_t> listed_lines;
  LineKeyLog line_keys;
};

// The expected_keys for LineStatistics from the total input size; every
// process of one run must use the same value.
uint64_t LineCounterKeys(uint64_t size_hint_bytes);

// Peak memory of a run over `documents` documents, read from input_bytes of
// input, on `threads` threads: what --memory-limit checks before the heavy
// phases. Calibrated on generated news (see the definition).
uint64_t EstimatePeakMemoryBytes(uint64_t input_bytes, size_t documents, int threads);
// The same in MiB, rounded up: what a --memory-limit (in MiB) is compared
// with, since the limit in bytes could overflow.
uint64_t EstimatePeakMemoryMiB(uint64_t input_bytes, size_t documents, int threads);

// Pass 1 over all of docs, adding to *stats.
void CountLines(const DocumentSource& docs, const PipelineOptions& options, LineStatistics* stats,
                PipelineProgress* progress = nullptr);

// The end of pass 1, once counts hold every process's documents: the keys
// counted at least min_stories times become stats->candidate_keys (what
// pass 2 looks up for every line), and the counters are freed.
void SelectCandidateKeys(const PipelineOptions& options, LineStatistics* stats);

// Global hashes of head lines that also appear as listed tail lines,
// found on `threads` threads.
absl::flat_hash_set<uint64_t> FindLinkTargets(const LineStatistics& stats, int threads);

// Pass 2 output for a run of documents (indexes from 0).
struct Fingerprints {
  UninitializedVector<uint32_t> noncand_sigs;  // num_perm raw values per document
  std::vector<uint64_t> noncand_sizes;
  std::vector<uint64_t> doc_bytes;
  std::vector<uint32_t> source;
  UninitializedVector<BlockOccurrence> occurrences;  // candidate lines, sorted by document
  SketchTable sketches;
  size_t size() const { return doc_bytes.size(); }
  // Appends other's documents after this one's (their indexes shifted).
  void Append(Fingerprints&& other);
  // Room for `docs` documents and `occurrences` occurrences in all, so that
  // appending up to them copies nothing already held.
  void Reserve(size_t docs, size_t occurrences, int num_perm);
};

// Pass 2. lines == nullptr: boilerplate off (no candidate lines). lines
// from CountLines over the same docs, then SelectCandidateKeys: its line-key
// log is read back. Its log and candidate keys are freed once read, before
// the fingerprints are gathered (the peak of the pass); at the end the
// heap is trimmed (core/heap_trim.h).
Fingerprints ComputeFingerprints(const DocumentSource& docs, const PipelineOptions& options,
                                 LineStatistics* lines, const absl::flat_hash_set<uint64_t>& link_targets,
                                 PipelineProgress* progress = nullptr);

// Clustering, block verdicts and decisions over all documents (its steps:
// core/decide_documents.cc; the passes are in core/pipeline.cc).
PipelineResult DecideDocuments(Fingerprints fp, const PipelineOptions& options,
                               PipelineProgress* progress = nullptr);

}  // namespace dedup

#endif  // DEDUP_CORE_PIPELINE_H_
