#include "cli/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <vector>

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

absl::Status CheckOutputOutsideInputs(const CliArgs& args) {
  if (args.output.empty()) return absl::OkStatus();
  std::error_code ec;
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
  return absl::OkStatus();
}

}  // namespace dedup
