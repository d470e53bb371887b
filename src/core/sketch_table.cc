#include "core/sketch_table.h"

#include <algorithm>

#include "core/parallel.h"

namespace dedup {

uint64_t* ShingleArena::Room(size_t count) {
  if (count > free_count_) {
    if (count > kBlockValues / 4) {
      // A long list gets a block of its own; the room left in the newest
      // block stays for the lists after it.
      blocks_.push_back(std::make_unique_for_overwrite<uint64_t[]>(count));
      return blocks_.back().get();
    }
    blocks_.push_back(std::make_unique_for_overwrite<uint64_t[]>(kBlockValues));
    free_ = blocks_.back().get();
    free_count_ = kBlockValues;
  }
  uint64_t* out = free_;
  free_ += count;
  free_count_ -= count;
  return out;
}

const uint64_t* ShingleArena::Copy(std::span<const uint64_t> values) {
  if (values.empty()) return nullptr;
  uint64_t* out = Room(values.size());
  std::copy(values.begin(), values.end(), out);
  return out;
}

const uint64_t* ShingleArena::CopyAfter(const uint64_t (&header)[2], std::span<const uint64_t> values) {
  uint64_t* out = Room(2 + values.size());
  out[0] = header[0];
  out[1] = header[1];
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
