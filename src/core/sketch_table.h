// File: core/sketch_table.h
// The shingles of each distinct candidate line's exact text, by sketch key.
// Pass 2 fills one table per thread; the tables are kept in shards by key so
// that merging them runs shard by shard on all threads (one map per thread
// merged into another was a sequential step of ~0.3 s at 1 GB).
#ifndef DEDUP_CORE_SKETCH_TABLE_H_
#define DEDUP_CORE_SKETCH_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace dedup {

// The distinct shingle hashes of a candidate line's exact text, shared by
// every document carrying that text.
struct LineSketch {
  std::vector<uint64_t> shingles;
};

class SketchTable {
 public:
  using Map = absl::flat_hash_map<uint64_t, LineSketch>;
  static constexpr int kShards = 64;

  // The sketch slot of key, default-constructed if new; .second: whether new.
  std::pair<LineSketch*, bool> try_emplace(uint64_t key) {
    auto [it, inserted] = Shard(key).try_emplace(key);
    return {&it->second, inserted};
  }
  const LineSketch& at(uint64_t key) const { return Shard(key).at(key); }
  void prefetch(uint64_t key) const { Shard(key).prefetch(key); }
  size_t size() const {
    size_t n = 0;
    for (const Map& m : shards_) n += m.size();
    return n;
  }
  // fn(key, sketch) for every entry, shard by shard.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const Map& m : shards_) {
      for (const auto& [key, sketch] : m) fn(key, sketch);
    }
  }
  // Moves every table's entries into this one, shards in parallel. A key
  // in several keeps any one sketch: equal keys are equal texts.
  void MergeFrom(std::span<SketchTable> others, int threads);

 private:
  // Keys are hashes: their top bits pick the shard.
  static size_t ShardOf(uint64_t key) { return static_cast<size_t>(key >> 58); }
  Map& Shard(uint64_t key) { return shards_[ShardOf(key)]; }
  const Map& Shard(uint64_t key) const { return shards_[ShardOf(key)]; }
  static_assert(kShards == 64, "ShardOf takes 6 bits");

  std::array<Map, kShards> shards_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_SKETCH_TABLE_H_
