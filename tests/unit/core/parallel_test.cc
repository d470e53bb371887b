#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace dedup {
namespace {

// Every item is visited once, whatever the chunking and thread count, and
// loop after loop on the kept threads.
TEST(ParallelForChunksTest, VisitsEveryItemOnceInEveryLoop) {
  for (const int threads : {1, 2, 7}) {
    for (const size_t n : {size_t{0}, size_t{1}, size_t{999}, size_t{10000}}) {
      for (int loop = 0; loop < 20; ++loop) {
        std::vector<std::atomic<int>> visits(n);
        ParallelForChunks(n, 64, threads, [&](size_t chunk, size_t begin, size_t end, int t) {
          EXPECT_EQ(begin, chunk * 64);
          EXPECT_GE(t, 0);
          EXPECT_LT(t, std::max(threads, 1));
          for (size_t i = begin; i < end; ++i) visits[i].fetch_add(1);
        });
        for (size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i].load(), 1) << "item " << i << " of " << n;
      }
    }
  }
}

// Each worker index runs once per call, and the call returns only after all
// of them: a worker still running when RunOnWorkers returned would be seen
// adding after the check.
TEST(RunOnWorkersTest, RunsEveryWorkerOnceBeforeReturning) {
  for (int call = 0; call < 200; ++call) {
    const int workers = 1 + call % 9;
    std::vector<std::atomic<int>> runs(workers);
    struct Context {
      std::vector<std::atomic<int>>* runs;
    } context{&runs};
    RunOnWorkers(
        workers,
        [](void* c, int w) {
          std::this_thread::yield();
          (*static_cast<Context*>(c)->runs)[w].fetch_add(1);
        },
        &context);
    for (int w = 0; w < workers; ++w) ASSERT_EQ(runs[w].load(), 1) << "call " << call << ", worker " << w;
  }
}

// Loops started from several threads at once, and loops nested in a loop's
// work, each finish (a pool that lent one thread to two calls, or waited for
// a thread busy in the outer loop, would hang or miscount).
TEST(ParallelForChunksTest, ConcurrentAndNestedLoopsEachFinish) {
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      for (int loop = 0; loop < 50; ++loop) {
        ParallelForChunks(8, 1, 4, [&](size_t, size_t begin, size_t end, int) {
          for (size_t i = begin; i < end; ++i) {
            ParallelForChunks(100, 10, 3, [&](size_t, size_t b, size_t e, int) { total += static_cast<long>(e - b); });
          }
        });
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(total.load(), 4L * 50 * 8 * 100);
}

}  // namespace
}  // namespace dedup
