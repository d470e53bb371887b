#include "core/parallel.h"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace dedup {
namespace {

// Counts the workers still running a call. Not std::latch: its waiter may
// return (and free it) while the last count_down still wakes it; here the
// last one wakes the waiter holding the mutex the waiter needs to return.
class Countdown {
 public:
  explicit Countdown(int count) : count_(count) {}
  void Done() {
    const std::lock_guard lock(mutex_);
    if (--count_ == 0) zero_.notify_one();
  }
  void Wait() {
    std::unique_lock lock(mutex_);
    zero_.wait(lock, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable zero_;
  int count_;
};

// One kept thread: it waits for a call's task, runs it, goes back on the
// idle list, and only then says it is done, so that the next loop finds it
// idle rather than starting another thread.
class Worker {
 public:
  struct Job {
    void (*task)(void*, int) = nullptr;
    void* context = nullptr;
    int index = 0;
    Countdown* done = nullptr;
  };

  Worker() { std::thread([this] { Loop(); }).detach(); }

  void Start(const Job& job) {
    {
      const std::lock_guard lock(mutex_);
      job_ = job;
      has_job_ = true;
    }
    wake_.notify_one();
  }

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  Job job_;
  bool has_job_ = false;
};

// The idle workers. Never destroyed: its threads wait in it until the
// process ends, and destroying it at exit would pull it from under them.
struct Idle {
  std::mutex mutex;
  std::vector<Worker*> workers;
};
Idle& IdleWorkers() {
  static Idle* const idle = new Idle;
  return *idle;
}

void Worker::Loop() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return has_job_; });
      job = job_;
      has_job_ = false;
    }
    job.task(job.context, job.index);
    {
      Idle& idle = IdleWorkers();
      const std::lock_guard lock(idle.mutex);
      idle.workers.push_back(this);
    }
    job.done->Done();  // the caller may return now: job's task and context end with it
  }
}

}  // namespace

void RunOnWorkers(int workers, void (*task)(void* context, int worker), void* context) {
  if (workers <= 1) {
    task(context, 0);
    return;
  }
  std::vector<Worker*> taken;
  {
    Idle& idle = IdleWorkers();
    const std::lock_guard lock(idle.mutex);
    while (static_cast<int>(taken.size()) < workers - 1 && !idle.workers.empty()) {
      taken.push_back(idle.workers.back());
      idle.workers.pop_back();
    }
  }
  // Never freed, like the idle list that holds them between calls.
  while (static_cast<int>(taken.size()) < workers - 1) taken.push_back(new Worker);
  Countdown done(workers - 1);
  for (int w = 1; w < workers; ++w) taken[w - 1]->Start({task, context, w, &done});
  task(context, 0);
  done.Wait();
}

}  // namespace dedup
