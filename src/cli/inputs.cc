#include "cli/inputs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "cli/diag.h"
#include "core/status.h"
#include "io/file_io.h"

namespace dedup {

namespace fs = std::filesystem;

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return path != "-" && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

absl::StatusOr<std::vector<InputFile>> ListInputFiles(const CliArgs& args) {
  std::vector<std::string> inputs = args.inputs;
  if (inputs.empty()) inputs.push_back("-");
  std::vector<InputFile> files;
  for (const std::string& path : inputs) {
    if (IsDirectory(path)) {
      DEDUP_ASSIGN_OR_RETURN(const std::vector<std::string> rels, ListFilesRecursive(path));
      for (const std::string& rel : rels) files.push_back({(fs::path(path) / rel).string(), rel, ""});
    } else {
      files.push_back({path, path == "-" ? "stdin" : fs::path(path).filename().string(), ""});
    }
  }
  for (InputFile& f : files) f.source_hint = fs::path(f.rel_path).parent_path().string();
  return files;
}

absl::Status LoadInputFiles(const std::vector<InputFile>& files, Corpus& corpus, bool* any_error) {
  for (const InputFile& f : files) {
    const absl::Status status = corpus.AddInput(f.path, f.rel_path, f.source_hint);
    if (status.ok()) continue;
    if (!corpus.options().skip_bad_records) return status;
    PrintError(absl::StrCat(status.message(), " (file skipped)"));
    *any_error = true;
  }
  return absl::OkStatus();
}

absl::Status LoadInputs(const CliArgs& args, Corpus& corpus, bool* any_error) {
  DEDUP_ASSIGN_OR_RETURN(const std::vector<InputFile> files, ListInputFiles(args));
  return LoadInputFiles(files, corpus, any_error);
}

bool OutputIsDirectory(const CliArgs& args) {
  if (args.output.empty()) return false;
  if (args.output.back() == '/' || IsDirectory(args.output)) return true;
  if (args.inputs.size() > 1) return true;
  return args.inputs.size() == 1 && IsDirectory(args.inputs[0]);
}

namespace {

// A file's identity: device and inode (links and other spellings of one
// path agree).
using FileId = std::pair<dev_t, ino_t>;

// What writing path would do, from one stat: the file it replaces, if one
// exists, and where a regular (or new) file goes: its canonical path, ""
// for a device or FIFO (written in place: several writers may share one).
struct OutputTarget {
  std::optional<FileId> replaces;
  std::string written;
};
OutputTarget TargetOf(const std::string& path) {
  OutputTarget target;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) {
    target.replaces = FileId{st.st_dev, st.st_ino};
    if (!S_ISREG(st.st_mode)) return target;
  }
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  target.written = ec ? path : canonical.string();
  return target;
}

}  // namespace

absl::Status CheckOutputPaths(const CliArgs& args, const std::vector<InputFile>& files) {
  const bool to_file = !args.output.empty() && args.output != "-";
  if (!to_file && args.report == "-") {
    return absl::InvalidArgumentError("--report - writes the report to stdout, where the output goes: give -o");
  }
  std::error_code ec;
  if (to_file) {
    const fs::path out = fs::weakly_canonical(args.output, ec);
    for (const std::string& in : args.inputs) {
      if (!IsDirectory(in)) continue;
      const fs::path dir = fs::weakly_canonical(in, ec);
      auto [d, o] = std::mismatch(dir.begin(), dir.end(), out.begin(), out.end());
      if (d == dir.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("output directory ", args.output, " is inside input directory ", in));
      }
    }
  }
  // An input is read until the outputs are written (mapped, not copied):
  // replacing one would lose the documents the run removes from it.
  absl::flat_hash_map<FileId, const InputFile*> inputs;
  for (const InputFile& f : files) {
    struct stat st {};
    const bool found = f.path != "-" ? stat(f.path.c_str(), &st) == 0
                                     : fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode);  // dedup < FILE reads FILE
    if (found) inputs.emplace(FileId{st.st_dev, st.st_ino}, &f);
  }
  const auto name = [](const InputFile& f) { return f.path == "-" ? std::string("the file on standard input") : f.path; };
  const auto replaced_input = [&](const OutputTarget& target) -> const InputFile* {
    if (!target.replaces) return nullptr;
    const auto it = inputs.find(*target.replaces);
    return it == inputs.end() ? nullptr : it->second;
  };
  const bool report_to_file = !args.report.empty() && args.report != "-";
  const OutputTarget report = report_to_file ? TargetOf(args.report) : OutputTarget{};
  if (const InputFile* f = replaced_input(report)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--report ", args.report, " would replace input ", name(*f), "; write it to another place"));
  }
  if (!to_file) return absl::OkStatus();
  // One output file takes every input; a directory, one file per input.
  std::vector<std::string> outs;
  if (!OutputIsDirectory(args)) {
    outs.push_back(args.output);
  } else {
    for (const InputFile& f : files) outs.push_back((fs::path(args.output) / f.rel_path).string());
  }
  absl::flat_hash_map<std::string, size_t> written;  // output file -> index in outs
  for (size_t i = 0; i < outs.size(); ++i) {
    const OutputTarget out = TargetOf(outs[i]);
    if (const InputFile* in = replaced_input(out)) {
      return absl::InvalidArgumentError(
          absl::StrCat("output ", outs[i], " would replace input ", name(*in), "; write to another place"));
    }
    if (out.written.empty()) continue;
    if (out.written == report.written) {
      return absl::InvalidArgumentError(absl::StrCat("-o and --report both name ", outs[i]));
    }
    if (const auto [it, added] = written.emplace(out.written, i); !added) {
      return absl::InvalidArgumentError(absl::StrCat("inputs ", files[it->second].path, " and ", files[i].path,
                                                     " would both be written to ", outs[i]));
    }
  }
  return absl::OkStatus();
}

}  // namespace dedup
