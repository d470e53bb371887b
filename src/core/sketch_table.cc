#include "core/sketch_table.h"

#include <algorithm>

#include "core/parallel.h"

namespace dedup {

const uint64_t* ShingleArena::Copy(uint64_t key, std::span<const uint64_t> values) {
  const size_t count = 2 + values.size();
  uint64_t* out = free_;
  if (count > free_count_ && count > kBlockValues / 4) {
    // A long list gets a block of its own; the room left in the newest
    // block stays for the lists after it.
    blocks_.push_back(std::make_unique_for_overwrite<uint64_t[]>(count));
    out = blocks_.back().get();
  } else {
    if (count > free_count_) {
      blocks_.push_back(std::make_unique_for_overwrite<uint64_t[]>(kBlockValues));
      out = free_ = blocks_.back().get();
      free_count_ = kBlockValues;
    }
    free_ += count;
    free_count_ -= count;
  }
  out[0] = key;
  out[1] = values.size();
  std::copy(values.begin(), values.end(), out + 2);
  return out + 2;
}

void ShingleArena::TakeBlocks(ShingleArena&& other) {
  // Blocks never move, so the lists in them keep their addresses.
  blocks_.insert(blocks_.end(), std::make_move_iterator(other.blocks_.begin()),
                 std::make_move_iterator(other.blocks_.end()));
  other.blocks_.clear();
  other.free_ = nullptr;
  other.free_count_ = 0;
}

void SketchTable::MergeFrom(std::span<SketchTable> others, int threads) {
  ParallelForChunks(kShards, 1, threads, [&](size_t s, size_t, size_t, int) {
    Map& into = shards_[s];
    size_t total = into.size();
    for (const SketchTable& other : others) total += other.shards_[s].size();
    into.reserve(total);
    for (SketchTable& other : others) {
      for (const auto& [key, sketch] : other.shards_[s]) into.try_emplace(key, sketch);
      other.shards_[s] = Map();
    }
  });
  for (SketchTable& other : others) arena_.TakeBlocks(std::move(other.arena_));
}

}  // namespace dedup
