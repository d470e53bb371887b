// File: cli/run.h
// The glue: inputs -> corpus -> pipeline -> outputs, report and stats.
#ifndef DEDUP_CLI_RUN_H_
#define DEDUP_CLI_RUN_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "cli/options.h"
#include "core/pipeline.h"
#include "io/corpus.h"

namespace dedup {

// Runs dedup with parsed arguments and returns the process exit status.
int Run(const CliArgs& args);

// Refuses, before the heavy phases, a run whose estimated peak memory exceeds
// --memory-limit.
absl::Status CheckMemoryLimit(const CliArgs& args, const Corpus& corpus);

// Writes each input's cleaned documents: to stdout, to one file, or mirrored
// under a directory with the input's compression. result.docs is indexed
// like the corpus.
absl::Status WriteOutputs(const CliArgs& args, const Corpus& corpus, const PipelineResult& result);

// Writes the --report file ("-": stdout): one line per document of result;
// id_of(i) names document i (called from `threads` threads at once).
absl::Status WriteReport(const std::string& path, const PipelineResult& result,
                         const std::function<std::string_view(size_t)>& id_of, int threads = 1);

// WriteOutputs, then the --report file (when asked for) as WriteReport
// would, but written while the outputs are when there are several threads;
// the report replaces its file only after the outputs were written.
absl::Status WriteOutputsAndReport(const CliArgs& args, const Corpus& corpus, const PipelineResult& result);

}  // namespace dedup

#endif  // DEDUP_CLI_RUN_H_
