// File: tests/unit/io/temp_file.h
// A file of given bytes in the test's temporary directory, for the io tests
// that frame inputs from disk.
#ifndef DEDUP_TESTS_UNIT_IO_TEMP_FILE_H_
#define DEDUP_TESTS_UNIT_IO_TEMP_FILE_H_

#include <cstdio>
#include <string>

#include "gtest/gtest.h"

namespace dedup {

// Writes bytes to TempDir()/name (replacing it) and returns the path.
inline std::string WriteTempFile(const std::string& name, const std::string& bytes) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  EXPECT_NE(f, nullptr) << path;
  if (f == nullptr) return path;
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  return path;
}

}  // namespace dedup

#endif  // DEDUP_TESTS_UNIT_IO_TEMP_FILE_H_
