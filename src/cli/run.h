// File: cli/run.h
// The glue: inputs -> corpus -> pipeline -> outputs, report and stats.
#ifndef DEDUP_CLI_RUN_H_
#define DEDUP_CLI_RUN_H_

#include "cli/options.h"

namespace dedup {

// Runs dedup with parsed arguments and returns the process exit status.
int Run(const CliArgs& args);

}  // namespace dedup

#endif  // DEDUP_CLI_RUN_H_
