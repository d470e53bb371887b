// File: core/stopwatch.h
// Wall time since a phase began: the --stats line's phase times and the
// progress line's rates.
#ifndef DEDUP_CORE_STOPWATCH_H_
#define DEDUP_CORE_STOPWATCH_H_

#include <chrono>

namespace dedup {

class Stopwatch {
 public:
  Stopwatch() : start_(Clock::now()) {}
  void Restart() { start_ = Clock::now(); }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  Clock::time_point start_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_STOPWATCH_H_
