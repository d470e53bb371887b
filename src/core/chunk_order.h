// File: core/chunk_order.h
// Gathers what the chunks of a parallel loop (core/parallel.h) produce,
// finished in any order, into one array in chunk order. Each chunk's items
// are copied once, straight to their place, as soon as the sizes of all
// earlier chunks are known; a chunk finished ahead of an earlier one waits
// in its own vector until then (a few chunks: they are handed out in order).
// Pass 2's candidate-line occurrences (225 MB at 1 GB of news) used to go to
// one buffer per thread and then be copied into order: every page of them
// was faulted in twice, and the second copy was a pass of its own.
#ifndef DEDUP_CORE_CHUNK_ORDER_H_
#define DEDUP_CORE_CHUNK_ORDER_H_

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"

namespace dedup {

template <typename T>
class InChunkOrder {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  // dest has room for every chunk's items together: a bound the caller
  // knows (past it, Add throws std::length_error). Chunks count from 0.
  explicit InChunkOrder(std::span<T> dest) : dest_(dest) {}

  // The items of chunk `chunk`, once per chunk, from any thread. *items is
  // left empty, its capacity kept for the caller's next chunk.
  void Add(size_t chunk, std::vector<T>* items) {
    struct Placed {
      size_t offset;
      std::vector<T> items;
    };
    absl::InlinedVector<Placed, 4> later;  // waiting chunks this call places after its own
    size_t offset = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (chunk != next_chunk_) {
        std::vector<T>& waiting = waiting_[chunk];
        waiting.swap(*items);
        if (!spare_.empty()) {
          items->swap(spare_.back());
          spare_.pop_back();
        }
        return;
      }
      offset = Reserve(items->size());
      for (auto it = waiting_.find(next_chunk_); it != waiting_.end(); it = waiting_.find(next_chunk_)) {
        later.push_back({Reserve(it->second.size()), std::move(it->second)});
        waiting_.erase(it);
      }
    }
    // Outside the lock: the places are disjoint, and dest never moves.
    std::copy(items->begin(), items->end(), dest_.begin() + offset);
    items->clear();
    if (later.empty()) return;
    for (Placed& p : later) {
      std::copy(p.items.begin(), p.items.end(), dest_.begin() + p.offset);
      p.items.clear();
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (Placed& p : later) spare_.push_back(std::move(p.items));
  }

  // Items placed so far: once chunks [0, c) are all added, theirs.
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return placed_;
  }

 private:
  // The place of the next chunk's `count` items (under mu_).
  size_t Reserve(size_t count) {
    if (count > dest_.size() - placed_) throw std::length_error("InChunkOrder: more items than the room given");
    const size_t offset = placed_;
    placed_ += count;
    ++next_chunk_;
    return offset;
  }

  const std::span<T> dest_;
  mutable std::mutex mu_;
  size_t next_chunk_ = 0;  // the first chunk not yet placed
  size_t placed_ = 0;      // items of chunks [0, next_chunk_)
  absl::flat_hash_map<size_t, std::vector<T>> waiting_;  // added before an earlier chunk
  std::vector<std::vector<T>> spare_;                   // emptied, their capacity kept
};

}  // namespace dedup

#endif  // DEDUP_CORE_CHUNK_ORDER_H_
