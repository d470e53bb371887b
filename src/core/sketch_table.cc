#include "core/sketch_table.h"

#include "core/parallel.h"

namespace dedup {

void SketchTable::MergeFrom(std::span<SketchTable> others, int threads) {
  ParallelForChunks(kShards, 1, threads, [&](size_t s, size_t, size_t, int) {
    Map& into = shards_[s];
    size_t total = into.size();
    for (const SketchTable& other : others) total += other.shards_[s].size();
    into.reserve(total);
    for (SketchTable& other : others) {
      for (auto& [key, sketch] : other.shards_[s]) into.try_emplace(key, std::move(sketch));
      other.shards_[s] = Map();
    }
  });
}

}  // namespace dedup
