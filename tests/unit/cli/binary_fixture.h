// Test fixture for running the real dedup binary in a fresh temporary
// directory: shell commands with stdout, stderr and exit status captured.
#ifndef DEDUP_TESTS_CLI_BINARY_FIXTURE_H_
#define DEDUP_TESTS_CLI_BINARY_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace dedup_test {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string out, err;
};

inline std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFile(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

class BinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dedup_test_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs a shell command in the test directory.
  Result Sh(const std::string& command) {
    const std::string cmd = "cd '" + dir_.string() + "' && (" + command + ") > stdout 2> stderr";
    const int status = std::system(cmd.c_str());
    Result r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = ReadFile(dir_ / "stdout");
    r.err = ReadFile(dir_ / "stderr");
    return r;
  }
  // Runs `dedup args` with `stdin_data` on stdin.
  Result Run(const std::string& args, const std::string& stdin_data = "") {
    WriteFile(dir_ / "stdin", stdin_data);
    return Sh("'" + std::string(DEDUP_BINARY) + "' " + args + " < stdin");
  }
  fs::path dir_;
};

}  // namespace dedup_test

#endif  // DEDUP_TESTS_CLI_BINARY_FIXTURE_H_
