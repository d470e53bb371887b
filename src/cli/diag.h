// File: cli/diag.h
// Messages on stderr: errors and warnings with the "dedup: " prefix, the
// progress line (only on a terminal, at most 6 refreshes a second), and the
// --stats summary.
#ifndef DEDUP_CLI_DIAG_H_
#define DEDUP_CLI_DIAG_H_

#include <atomic>
#include <string_view>
#include <thread>

#include "core/pipeline.h"
#include "io/corpus.h"

namespace dedup {

// Verbosity: 0 silent, 1 errors, 2 warnings and notices (default).
void SetVerbosity(int level);
void PrintError(std::string_view message);
void PrintWarning(std::string_view message);

// Shows PipelineProgress on stderr from its own thread until destroyed.
class ProgressLine {
 public:
  ProgressLine(const PipelineProgress* progress, uint64_t total_bytes, bool enabled);
  ~ProgressLine();

 private:
  void Loop();
  const PipelineProgress* progress_;
  uint64_t total_bytes_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct RunTimes {
  double read_seconds = 0;
  double write_seconds = 0;
  double total_seconds = 0;
};

void PrintStats(const Corpus& corpus, const PipelineResult& result, const RunTimes& times, int top_blocks);

// Peak resident set size of this process in bytes (0 when unknown).
uint64_t PeakRssBytes();

}  // namespace dedup

#endif  // DEDUP_CLI_DIAG_H_
