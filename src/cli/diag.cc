#include "cli/diag.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "core/stopwatch.h"

namespace dedup {
namespace {
int g_verbosity = 2;
constexpr auto kRefresh = std::chrono::milliseconds(166);  // at most 6 refreshes a second
constexpr double kMiB = 1024.0 * 1024.0;
}  // namespace

void SetVerbosity(int level) { g_verbosity = level; }

void PrintError(std::string_view message) {
  if (g_verbosity >= 1) std::fprintf(stderr, "dedup: %.*s\n", static_cast<int>(message.size()), message.data());
}

void PrintWarning(std::string_view message) {
  if (g_verbosity >= 2) std::fprintf(stderr, "dedup: %.*s\n", static_cast<int>(message.size()), message.data());
}

ProgressLine::ProgressLine(const PipelineProgress* progress, uint64_t total_bytes, bool enabled)
    : progress_(progress), total_bytes_(total_bytes) {
  if (enabled) thread_ = std::thread([this] { Loop(); });
}

ProgressLine::~ProgressLine() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
    std::fprintf(stderr, "\r\033[K");
  }
}

void ProgressLine::Loop() {
  static constexpr const char* kPhases[] = {"reading", "counting lines", "fingerprinting", "clustering"};
  Stopwatch phase_time;
  int last_phase = -1;
  while (!stop_) {
    std::this_thread::sleep_for(kRefresh);
    const int phase = std::clamp(progress_->phase.load(), 0, 3);
    if (phase != last_phase) {
      last_phase = phase;
      phase_time.Restart();
    }
    const double secs = phase_time.Seconds();
    const double mb = progress_->bytes_done.load() / kMiB;
    std::fprintf(stderr, "\r\033[Kdedup: %s: %llu docs, %.1f / %.1f MiB, %.1f MiB/s", kPhases[phase],
                 static_cast<unsigned long long>(progress_->docs_done.load()), mb, total_bytes_ / kMiB,
                 secs > 0 ? mb / secs : 0.0);
    std::fflush(stderr);
  }
}

uint64_t PeakRssBytes() {
  struct rusage usage {};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

void PrintStats(const Corpus& corpus, const PipelineResult& result, const RunTimes& times, int top_blocks) {
  const PipelineStats& s = result.stats;
  std::string out;
  absl::StrAppendFormat(&out, "dedup: stats\n");
  absl::StrAppendFormat(&out, "  documents            %d (%d inputs, %d bad records skipped)\n", s.documents,
                        corpus.inputs().size(), corpus.bad_records());
  absl::StrAppendFormat(&out, "  duplicates dropped   %d in %d clusters\n", s.dropped, s.clusters_with_duplicates);
  absl::StrAppendFormat(&out, "  input text           %.2f MiB\n", s.input_bytes / kMiB);
  absl::StrAppendFormat(&out, "  removed: duplicate   %.2f MiB (%.2f%%)\n", s.duplicate_bytes / kMiB,
                        s.input_bytes ? 100.0 * s.duplicate_bytes / s.input_bytes : 0.0);
  absl::StrAppendFormat(&out, "  removed: boilerplate %.2f MiB (%.2f%%) in %d blocks (%d candidate lines)\n",
                        s.boilerplate_bytes / kMiB, s.input_bytes ? 100.0 * s.boilerplate_bytes / s.input_bytes : 0.0,
                        s.boilerplate_blocks, s.candidate_lines);
  absl::StrAppendFormat(&out, "  lsh                  %d bands x %d rows, %d candidate pairs verified (%.1f per document)\n",
                        s.lsh.bands, s.lsh.rows, s.verified_pairs(),
                        s.documents ? static_cast<double>(s.verified_pairs()) / s.documents : 0.0);
  absl::StrAppendFormat(&out,
                        "  time                 %.3f s total: read %.3f, count lines %.3f, fingerprint %.3f, "
                        "cluster %.3f, blocks %.3f, write %.3f\n",
                        times.total_seconds, times.read_seconds, s.seconds_pass1, s.seconds_pass2, s.seconds_cluster,
                        s.seconds_blocks, times.write_seconds);
  const auto steps = [](const PipelineStats::ClusteringStats& c) {
    return absl::StrFormat("signatures %.3f, index %.3f, compare %.3f, in order %.3f, pairs %d", c.signatures,
                           c.steps.index, c.steps.compare, c.steps.in_order, c.verified_pairs);
  };
  absl::StrAppendFormat(&out, "  cluster steps        stories: %s; final: %s\n", steps(s.story_clustering),
                        steps(s.final_clustering));
  absl::StrAppendFormat(&out, "  throughput           %.1f MiB/s\n",
                        times.total_seconds > 0 ? s.input_bytes / kMiB / times.total_seconds : 0.0);
  absl::StrAppendFormat(&out, "  peak memory          %.1f MiB\n", PeakRssBytes() / kMiB);
  if (top_blocks > 0 && !result.blocks.empty()) {
    std::vector<const BlockSummary*> blocks;
    for (const BlockSummary& b : result.blocks) blocks.push_back(&b);
    std::stable_sort(blocks.begin(), blocks.end(), [](const BlockSummary* a, const BlockSummary* b) {
      return a->occurrences > b->occurrences;
    });
    absl::StrAppendFormat(&out, "  top boilerplate blocks (occurrences, stories, text):\n");
    std::string scratch;
    for (int i = 0; i < top_blocks && i < static_cast<int>(blocks.size()); ++i) {
      const BlockSummary& b = *blocks[i];
      std::string text(corpus.Text(b.first_doc, &scratch).substr(b.first_begin, b.first_end - b.first_begin));
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
      if (text.size() > 100) {
        size_t cut = 97;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 only
        text = text.substr(0, cut) + "...";
      }
      absl::StrAppendFormat(&out, "    %7d %6d  %s\n", b.occurrences, b.stories, text);
    }
  }
  std::fputs(out.c_str(), stderr);
}

}  // namespace dedup
