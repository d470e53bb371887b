// File: core/parallel.h
// A minimal fork-join loop over [0, n) in fixed-size chunks taken from a
// shared counter. Results must be written by index (or per chunk) so that the
// outcome never depends on which thread ran which chunk.
#ifndef DEDUP_CORE_PARALLEL_H_
#define DEDUP_CORE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace dedup {

// Calls fn(chunk_index, begin, end, thread_index) for each chunk of
// chunk_size items. Blocks until all chunks are done. threads <= 1 runs inline.
template <typename Fn>
void ParallelForChunks(size_t n, size_t chunk_size, int threads, Fn&& fn) {
  const size_t num_chunks = (n + chunk_size - 1) / chunk_size;
  const int workers = static_cast<int>(std::min<size_t>(std::max(threads, 1), std::max<size_t>(num_chunks, 1)));
  std::atomic<size_t> next{0};
  auto work = [&](int thread_index) {
    for (size_t c = next.fetch_add(1); c < num_chunks; c = next.fetch_add(1)) {
      fn(c, c * chunk_size, std::min(n, (c + 1) * chunk_size), thread_index);
    }
  };
  if (workers <= 1) {
    work(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(workers - 1);
  for (int t = 1; t < workers; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
}

}  // namespace dedup

#endif  // DEDUP_CORE_PARALLEL_H_
