// File: cli/options.h
// The command line: CLI11 fills a plain CliArgs, which is then turned into
// the library's validated PipelineOptions and CorpusOptions.
#ifndef DEDUP_CLI_OPTIONS_H_
#define DEDUP_CLI_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <variant>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/pipeline.h"
#include "io/corpus.h"

namespace CLI {
class App;
}  // namespace CLI

namespace dedup {

// Exit statuses (documented in --help, README and dedup.1.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntimeError = 1;  // unreadable or bad input, write failure
inline constexpr int kExitUsage = 2;         // bad flags or arguments

struct CliArgs {
  std::vector<std::string> inputs;
  std::string output;
  std::string format = "auto";
  std::string text_field = "text";
  std::string id_field = "id";
  std::string source_field = "source";
  std::string doc_sep;
  std::string report;
  bool stats = false;
  int threads = 0;  // 0: all cores
  bool no_dedup = false;
  bool no_boilerplate = false;
  std::string keep = "first";
  std::string on_error = "stop";
  int quiet = 0;
  std::optional<bool> progress;
  double threshold = 0.7;
  double containment = 0.7;
  double min_length_ratio = 0.4;
  int shingle = 5;
  int num_perm = 128;
  uint64_t seed = 0x6465647570ULL;
  std::string minhash = "oph";
  int bands = 0;
  int rows = 0;
  int min_stories = 3;
  double min_share = 0.01;
  int short_block_tokens = 3;
  double short_block_share = 0.05;
  double template_share = 0.5;
  uint64_t max_doc_bytes = uint64_t{256} << 20;
  int top_blocks = 10;
  uint64_t memory_limit_mib = 0;  // 0: none
};

// Runs app.parse with dedup's exit conventions: std::nullopt to go on, or the
// exit status when parsing ended the run (--help/--version print and give 0;
// errors print "<program>: <message>" and give 2).
std::optional<int> ParseOrExitStatus(CLI::App& app, int argc, char** argv, const char* program);

// Parses argv. Returns the args, or an exit code when parsing ended the run
// (--help and --version print and give 0; errors print and give 2).
std::variant<CliArgs, int> ParseCommandLine(int argc, char** argv);

absl::StatusOr<PipelineOptions> MakePipelineOptions(const CliArgs& args);
absl::StatusOr<CorpusOptions> MakeCorpusOptions(const CliArgs& args);

}  // namespace dedup

#endif  // DEDUP_CLI_OPTIONS_H_
