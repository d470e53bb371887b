// File: cli/inputs.h
// Turning the command line's paths into corpus inputs and output paths:
// directories walked, -o as a file or a mirrored directory.
#ifndef DEDUP_CLI_INPUTS_H_
#define DEDUP_CLI_INPUTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cli/options.h"
#include "io/corpus.h"

namespace dedup {

bool IsDirectory(const std::string& path);

struct InputFile {
  std::string path;         // to open
  std::string rel_path;     // under -o DIR
  std::string source_hint;  // source of documents without a source field
};

// The files the command line names, directories walked (sorted), in order.
absl::StatusOr<std::vector<InputFile>> ListInputFiles(const CliArgs& args);

// Reads the files into the corpus (see LoadInputs for errors).
absl::Status LoadInputFiles(const std::vector<InputFile>& files, Corpus& corpus, bool* any_error);

// Reads every input into the corpus. Directories are walked; their files
// keep their relative path under -o and take their directory as source.
// Under --on-error=skip an unreadable file is reported, skipped and flagged
// in *any_error.
absl::Status LoadInputs(const CliArgs& args, Corpus& corpus, bool* any_error);

// -o names a directory when it ends in '/', already is one, or the inputs
// are several files or a directory.
bool OutputIsDirectory(const CliArgs& args);

// Refuses (as a usage error) outputs that would lose data: an output
// directory that is an input directory or inside one; an output file or
// report that would replace an input file; -o and --report naming one file;
// two inputs mirrored to one output file. files: ListInputFiles(args).
absl::Status CheckOutputPaths(const CliArgs& args, const std::vector<InputFile>& files);

}  // namespace dedup

#endif  // DEDUP_CLI_INPUTS_H_
