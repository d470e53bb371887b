// File: core/parallel.h
// A minimal fork-join loop over [0, n) in fixed-size chunks taken from a
// shared counter. Results must be written by index (or per chunk) so that the
// outcome never depends on which thread ran which chunk. The threads are kept
// between loops (RunOnWorkers): clustering alone runs two loops per 8192
// documents, and on 16 cores starting 15 threads for each cost more than
// the loop's work.
#ifndef DEDUP_CORE_PARALLEL_H_
#define DEDUP_CORE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>

namespace dedup {

// Calls task(context, w) for w in [0, workers): 0 on the calling thread, the
// others on threads kept for later calls (started when none is idle), and
// returns when every call has returned. Calls from several threads at once,
// and calls from inside a task, each take threads of their own.
void RunOnWorkers(int workers, void (*task)(void* context, int worker), void* context);

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
  RunOnWorkers(
      workers, [](void* context, int worker) { (*static_cast<decltype(work)*>(context))(worker); }, &work);
}

}  // namespace dedup

#endif  // DEDUP_CORE_PARALLEL_H_
