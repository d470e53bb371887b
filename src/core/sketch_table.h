// File: core/sketch_table.h
// The shingles of each distinct candidate line's exact text, by sketch key.
// Pass 2 fills one table per thread; the tables are kept in shards by key so
// that merging them runs shard by shard on all threads (one map per thread
// merged into another was a sequential step of ~0.3 s at 1 GB).
//
// The shingles live in the table's arena of large blocks, not in a vector
// per line: a million small allocations cost a malloc each in pass 2 and,
// freed at the end of a run from another thread's heap, ~0.35 s of serial
// free() at 1 GB.
#ifndef DEDUP_CORE_SKETCH_TABLE_H_
#define DEDUP_CORE_SKETCH_TABLE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace dedup {

// Of a shingle list in a ShingleArena (its first value's address): the
// key it was stored under and how many values it has, kept just before it.
inline uint64_t SketchKey(const uint64_t* begin) { return begin[-2]; }
inline uint32_t SketchCount(const uint64_t* begin) { return static_cast<uint32_t>(begin[-1]); }

// The distinct shingle hashes of a candidate line's exact text, premixed
// (MinHasher::Premix: every signature that takes them would mix them
// again), shared by every document carrying that text. They belong to the
// table's arena; their key and count lie before them, so an occurrence
// holds only `begin`.
struct LineSketch {
  const uint64_t* begin = nullptr;
  uint32_t count() const { return SketchCount(begin); }
  std::span<const uint64_t> shingles() const { return {begin, count()}; }
};

// Append-only storage of shingle lists in blocks that never move, so that a
// list's address stays valid as the arena grows and when its blocks are
// handed to another arena.
class ShingleArena {
 public:
  ShingleArena() = default;
  // A moved-from arena is empty (its room belongs to the new owner), so
  // copying into it again is safe.
  ShingleArena(ShingleArena&& other) noexcept { *this = std::move(other); }
  ShingleArena& operator=(ShingleArena&& other) noexcept {
    if (this != &other) {
      blocks_ = std::exchange(other.blocks_, {});
      free_ = std::exchange(other.free_, nullptr);
      free_count_ = std::exchange(other.free_count_, 0);
    }
    return *this;
  }
  // A copy of values (possibly none) after key and their count (SketchKey,
  // SketchCount), held until the arena (or the one that took its blocks)
  // is destroyed; returns where the values begin.
  const uint64_t* Copy(uint64_t key, std::span<const uint64_t> values);
  // Takes every block of other (which is left empty).
  void TakeBlocks(ShingleArena&& other);

 private:
  static constexpr size_t kBlockValues = size_t{1} << 16;  // 512 KiB
  std::vector<std::unique_ptr<uint64_t[]>> blocks_;
  uint64_t* free_ = nullptr;  // room left in the block that short lists go to
  size_t free_count_ = 0;
};

class SketchTable {
 public:
  using Map = absl::flat_hash_map<uint64_t, LineSketch>;
  static constexpr int kShards = 64;

  // The sketch slot of key, empty if new; .second: whether new. A new slot
  // gets its shingles from Assign.
  std::pair<LineSketch*, bool> try_emplace(uint64_t key) {
    auto [it, inserted] = Shard(key).try_emplace(key);
    return {&it->second, inserted};
  }
  // Sets sketch (key's slot of this table) to a copy of shingles.
  void Assign(uint64_t key, LineSketch* sketch, std::span<const uint64_t> shingles) {
    sketch->begin = arena_.Copy(key, shingles);
  }
  // Adds key with a copy of shingles unless present; whether it was added.
  bool Insert(uint64_t key, std::span<const uint64_t> shingles) {
    auto [sketch, inserted] = try_emplace(key);
    if (inserted) Assign(key, sketch, shingles);
    return inserted;
  }
  const LineSketch& at(uint64_t key) const { return Shard(key).at(key); }
  // key's sketch, or null.
  const LineSketch* find(uint64_t key) const {
    const auto it = Shard(key).find(key);
    return it == Shard(key).end() ? nullptr : &it->second;
  }
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
  // Moves every table's entries (and their arenas) into this one, shards in
  // parallel. A key in several keeps any one sketch: equal keys are equal
  // texts.
  void MergeFrom(std::span<SketchTable> others, int threads);

 private:
  // Keys are hashes: their top bits pick the shard.
  static size_t ShardOf(uint64_t key) { return static_cast<size_t>(key >> 58); }
  Map& Shard(uint64_t key) { return shards_[ShardOf(key)]; }
  const Map& Shard(uint64_t key) const { return shards_[ShardOf(key)]; }
  static_assert(kShards == 64, "ShardOf takes 6 bits");

  std::array<Map, kShards> shards_;
  ShingleArena arena_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_SKETCH_TABLE_H_
