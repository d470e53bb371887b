// File: tests/unit/io/file_io_test.cc
// ReadInput (mmap, empty, stdin pipe and file, errors), spilling in-memory
// inputs to a temporary file, ListFilesRecursive order and
// filtering, WriteFileAtomic / AtomicFileWriter replacement and cleanup.
#include "io/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace dedup {
namespace {

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "dedup_file_io_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    const std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }

  std::string Path(const std::string& rel) const { return dir_ + "/" + rel; }

  void Put(const std::string& rel, const std::string& data) const {
    const std::string path = Path(rel);
    for (size_t i = dir_.size() + 1; i < path.size(); ++i) {
      if (path[i] == '/') ::mkdir(path.substr(0, i).c_str(), 0777);
    }
    std::ofstream(path, std::ios::binary) << data;
  }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  // Every name in `dir`, hidden ones included.
  static std::vector<std::string> RawEntries(const std::string& dir) {
    std::vector<std::string> names;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return names;
    while (const dirent* e = ::readdir(d)) {
      const std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(d);
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
};

TEST_F(FileIoTest, ReadInputMapsRegularFiles) {
  const std::string data(3 << 20, 'x');
  Put("big.txt", data);
  absl::StatusOr<InputBuffer> in = ReadInput(Path("big.txt"));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->is_mapped());
  EXPECT_EQ(in->bytes(), data);
  InputBuffer moved = std::move(*in);
  EXPECT_EQ(moved.bytes(), data);
  EXPECT_TRUE(in->bytes().empty());  // NOLINT(bugprone-use-after-move)
  InputBuffer assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.size(), data.size());
}

TEST_F(FileIoTest, ReadInputEmptyFile) {
  Put("empty.txt", "");
  absl::StatusOr<InputBuffer> in = ReadInput(Path("empty.txt"));
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->bytes().empty());
}

TEST_F(FileIoTest, ReadInputSizeZeroProcFile) {
  absl::StatusOr<InputBuffer> in = ReadInput("/proc/self/status");
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_NE(in->bytes().find("Name:"), std::string_view::npos);
}

TEST_F(FileIoTest, ReadInputErrorsStartWithPath) {
  const std::string missing = Path("missing.txt");
  absl::StatusOr<InputBuffer> in = ReadInput(missing);
  EXPECT_EQ(in.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(in.status().message()), missing + ": no such file");
  in = ReadInput(dir_);
  EXPECT_EQ(in.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(in.status().message()), dir_ + ": is a directory");
  if (::geteuid() != 0) {
    Put("secret.txt", "s");
    ::chmod(Path("secret.txt").c_str(), 0);
    in = ReadInput(Path("secret.txt"));
    EXPECT_EQ(in.status().code(), absl::StatusCode::kPermissionDenied);
    EXPECT_EQ(std::string(in.status().message()),
              Path("secret.txt") + ": permission denied");
  }
}

TEST_F(FileIoTest, ReadInputFromStdinPipe) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const int saved_stdin = ::dup(STDIN_FILENO);
  ASSERT_GE(saved_stdin, 0);
  ASSERT_EQ(::dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
  ::close(fds[0]);
  // More than a pipe buffer (64 KiB) and more than one read chunk (1 MiB).
  std::string data;
  for (int i = 0; data.size() < (3u << 20); ++i)
    data += std::to_string(i) + "\n";
  std::thread writer([&] {
    size_t off = 0;
    while (off < data.size()) {
      const ssize_t n = ::write(fds[1], data.data() + off, data.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    ::close(fds[1]);
  });
  absl::StatusOr<InputBuffer> in = ReadInput("-");
  writer.join();
  ::dup2(saved_stdin, STDIN_FILENO);
  ::close(saved_stdin);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_FALSE(in->is_mapped());
  EXPECT_EQ(in->bytes(), data);
}

TEST_F(FileIoTest, FromStringOwnsBytes) {
  InputBuffer b = InputBuffer::FromString("abc");
  EXPECT_EQ(b.bytes(), "abc");
  EXPECT_FALSE(b.is_mapped());
}

// Counts the directory's entries (hidden ones too).
size_t CountEntries(const std::string& dir) {
  size_t n = 0;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return 0;
  while (const dirent* e = ::readdir(d)) n += std::string(e->d_name) != "." && std::string(e->d_name) != "..";
  ::closedir(d);
  return n;
}

// Sets an environment variable for a scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_.has_value()) ::setenv(name_, old_->c_str(), 1);
    else ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// Lines "0\n1\n2\n..." up to about `bytes`.
std::string Numbers(size_t bytes) {
  std::string data;
  for (int i = 0; data.size() < bytes; ++i) data += std::to_string(i) + "\n";
  return data;
}

InputBuffer MustFinish(InputBuilder& builder) {
  absl::StatusOr<InputBuffer> in = builder.Finish();
  EXPECT_TRUE(in.ok()) << in.status();
  return in.ok() ? *std::move(in) : InputBuffer();
}

TEST_F(FileIoTest, BuilderSpillsToAnUnnamedFileAndMapsIt) {
  const ScopedEnv tmpdir("TMPDIR", dir_);
  const std::string data = Numbers(1 << 20);
  InputBuilder builder(/*spill_at=*/100'000);
  for (size_t at = 0; at < data.size(); at += 7'777) {
    builder.Append(std::string_view(data).substr(at, 7'777));
    EXPECT_EQ(builder.spilled(), std::min(at + 7'777, data.size()) >= 100'000) << at;
  }
  EXPECT_EQ(builder.size(), data.size());
  const InputBuffer in = MustFinish(builder);
  EXPECT_TRUE(in.is_mapped());
  EXPECT_EQ(in.bytes(), data);
  EXPECT_EQ(CountEntries(dir_), 0u) << "the temporary file must have no name";
  in.ReleasePages(0, data.size());  // dropped pages come back from the file
  EXPECT_EQ(in.bytes(), data);
  EXPECT_EQ(builder.size(), 0u);
}

TEST_F(FileIoTest, BuilderBelowTheThresholdStaysInMemory) {
  const ScopedEnv tmpdir("TMPDIR", dir_);
  InputBuilder builder(/*spill_at=*/1000);
  builder.Append(std::string(999, 'x'));
  const InputBuffer in = MustFinish(builder);
  EXPECT_FALSE(in.is_mapped());
  EXPECT_EQ(in.bytes(), std::string(999, 'x'));
}

TEST_F(FileIoTest, BuilderWithoutATemporaryDirectoryKeepsEverything) {
  const ScopedEnv tmpdir("TMPDIR", Path("no-such-dir"));
  const std::string data = Numbers(50'000);
  InputBuilder builder(/*spill_at=*/1000);
  for (size_t at = 0; at < data.size(); at += 3000) builder.Append(std::string_view(data).substr(at, 3000));
  EXPECT_FALSE(builder.spilled());
  const InputBuffer in = MustFinish(builder);
  EXPECT_FALSE(in.is_mapped());
  EXPECT_EQ(in.bytes(), data);
}

// A write that fails once the file has started (here the file-size limit,
// standing in for a full disk): what was written comes back into memory and
// nothing is lost.
TEST_F(FileIoTest, BuilderFallsBackToMemoryWhenTheFileCannotGrow) {
  const ScopedEnv tmpdir("TMPDIR", dir_);
  const std::string data = Numbers(1 << 20);
  struct rlimit old_limit;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old_limit), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 256 << 10;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limit), 0);
  InputBuilder builder(/*spill_at=*/100'000);
  bool was_spilled = false;
  for (size_t at = 0; at < data.size(); at += 10'000) {
    builder.Append(std::string_view(data).substr(at, 10'000));
    was_spilled |= builder.spilled();
  }
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &old_limit), 0);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_TRUE(was_spilled);
  EXPECT_FALSE(builder.spilled());
  const InputBuffer in = MustFinish(builder);
  EXPECT_FALSE(in.is_mapped());
  EXPECT_EQ(in.bytes(), data);
}

TEST_F(FileIoTest, StdinFromARegularFileIsMapped) {
  Put("in.txt", "line one\nline two\n");
  const int saved_stdin = ::dup(STDIN_FILENO);
  const int fd = ::open(Path("in.txt").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  absl::StatusOr<InputBuffer> in = ReadInput("-");
  ::dup2(saved_stdin, STDIN_FILENO);
  ::close(saved_stdin);
  ASSERT_TRUE(in.ok()) << in.status();
  EXPECT_TRUE(in->is_mapped());
  EXPECT_EQ(in->bytes(), "line one\nline two\n");
}

TEST_F(FileIoTest, ListFilesRecursiveSortsWholePathsAndSkipsHidden) {
  Put("b.txt", "");
  Put("a/x.txt", "");
  Put("a-c.txt", "");
  Put("a/.hidden", "");
  Put(".git/config", "");
  Put("z/y/w.jsonl", "");
  Put("A.txt", "");
  Put("a/.tmpdir/f", "");
  Put("\xc3\xa9.txt", "");
  ::mkdir(Path("emptydir").c_str(), 0777);
  ASSERT_EQ(::symlink("b.txt", Path("link.txt").c_str()), 0);
  ASSERT_EQ(::symlink("a", Path("linkdir").c_str()), 0);
  ASSERT_EQ(::symlink("nowhere", Path("dangling").c_str()), 0);
  ASSERT_EQ(::mkfifo(Path("fifo").c_str(), 0600), 0);
  absl::StatusOr<std::vector<std::string>> files = ListFilesRecursive(dir_);
  ASSERT_TRUE(files.ok()) << files.status();
  // '-' (0x2d) < '/' (0x2f): "a-c.txt" sorts before "a/x.txt".
  const std::vector<std::string> expected = {
      "A.txt",    "a-c.txt",     "a/x.txt",     "b.txt",
      "link.txt", "z/y/w.jsonl", "\xc3\xa9.txt"};
  EXPECT_EQ(*files, expected);
  // A trailing slash gives the same relative paths.
  absl::StatusOr<std::vector<std::string>> again =
      ListFilesRecursive(dir_ + "/");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, expected);
}

TEST_F(FileIoTest, ListFilesRecursiveErrors) {
  absl::StatusOr<std::vector<std::string>> files =
      ListFilesRecursive(Path("nope"));
  EXPECT_EQ(files.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(std::string(files.status().message()),
            Path("nope") + ": no such file");
  Put("file.txt", "x");
  files = ListFilesRecursive(Path("file.txt"));
  EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(files.status().message()),
            Path("file.txt") + ": not a directory");
  if (::geteuid() != 0) {
    Put("locked/f.txt", "x");
    ::chmod(Path("locked").c_str(), 0);
    files = ListFilesRecursive(dir_);
    ::chmod(Path("locked").c_str(), 0755);
    EXPECT_EQ(files.status().code(), absl::StatusCode::kPermissionDenied);
  }
}

TEST_F(FileIoTest, WriteFileAtomicCreatesParentsAndLeavesNoTemporaries) {
  const std::string path = Path("out/sub/result.jsonl");
  ASSERT_TRUE(WriteFileAtomic(path, "first").ok());
  EXPECT_EQ(Slurp(path), "first");
  ::chmod(path.c_str(), 0640);
  ASSERT_TRUE(WriteFileAtomic(path, "second, longer").ok());
  EXPECT_EQ(Slurp(path), "second, longer");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(RawEntries(Path("out/sub")),
            std::vector<std::string>{"result.jsonl"});
}

TEST_F(FileIoTest, WriteFileAtomicInCurrentDirectoryName) {
  const std::string path = Path("plain.txt");
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  EXPECT_EQ(Slurp(path), "");
  EXPECT_EQ(RawEntries(dir_), std::vector<std::string>{"plain.txt"});
}

TEST_F(FileIoTest, WriteFileAtomicErrors) {
  Put("file", "x");
  absl::Status status = WriteFileAtomic(Path("file/sub/out.txt"), "y");
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StartsWith(status.message(), Path("file"))) << status;
  ::mkdir(Path("adir").c_str(), 0777);
  status = WriteFileAtomic(Path("adir"), "y");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(status.message()), Path("adir") + ": is a directory");
  EXPECT_EQ(WriteFileAtomic(dir_ + "/", "y").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Slurp(Path("file")), "x");
}

TEST_F(FileIoTest, AtomicFileWriterStreamsLargeOutputs) {
  const std::string path = Path("stream.txt");
  AtomicFileWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  EXPECT_TRUE(w.is_open());
  EXPECT_TRUE(absl::StartsWith(w.temp_path(), Path(".stream.txt.tmp.")))
      << w.temp_path();
  std::string expected;
  for (size_t size :
       {size_t{1}, size_t{1000}, AtomicFileWriter::kBufferBytes - 5, size_t{7},
        AtomicFileWriter::kBufferBytes * 2 + 3, size_t{0}, size_t{12345}}) {
    const std::string chunk(size, static_cast<char>('a' + size % 26));
    ASSERT_TRUE(w.Append(chunk).ok());
    expected += chunk;
  }
  EXPECT_EQ(w.bytes_appended(), expected.size());
  // Nothing visible at the target before Commit().
  EXPECT_NE(::access(path.c_str(), F_OK), 0);
  ASSERT_TRUE(w.Commit().ok());
  EXPECT_FALSE(w.is_open());
  EXPECT_EQ(Slurp(path), expected);
  EXPECT_EQ(RawEntries(dir_), std::vector<std::string>{"stream.txt"});
  EXPECT_EQ(w.Append("x").code(), absl::StatusCode::kFailedPrecondition);
}

// AppendParts writes large groups from where they lie, in syscalls of at
// most kMaxWriteBytes (pieces split across them, many small pieces in one),
// after what Append buffered; the bytes are those of Append of each part.
TEST_F(FileIoTest, AtomicFileWriterAppendPartsKeepsOrder) {
  const std::string path = Path("parts.txt");
  AtomicFileWriter w;
  ASSERT_TRUE(w.Open(path).ok());
  constexpr size_t kMax = AtomicFileWriter::kMaxWriteBytes;
  const std::vector<std::vector<size_t>> groups = {
      {3, 0, 10},                                // small: buffered
      {kMax - 1, 2, 0, kMax * 3 + 7, 1},         // split across writes
      std::vector<size_t>(200, 1001),            // more pieces than one writev takes
      {},                                        // nothing
      {kMax, kMax},                              // exactly the limit
  };
  std::string expected;
  int letter = 0;
  for (const std::vector<size_t>& sizes : groups) {
    ASSERT_TRUE(w.Append("<").ok());
    expected += "<";
    std::vector<std::string> parts;
    for (const size_t size : sizes) {
      std::string part(size, '.');
      for (size_t i = 0; i < size; i += 97) part[i] = static_cast<char>('a' + letter++ % 26);
      expected += part;
      parts.push_back(std::move(part));
    }
    ASSERT_TRUE(w.AppendParts(parts).ok());
  }
  EXPECT_EQ(w.bytes_appended(), expected.size());
  ASSERT_TRUE(w.Commit().ok());
  EXPECT_EQ(Slurp(path), expected);
}

TEST_F(FileIoTest, AtomicFileWriterDestructorRemovesTemporary) {
  const std::string path = Path("keep.txt");
  Put("keep.txt", "old contents");
  std::string temp;
  {
    AtomicFileWriter w;
    ASSERT_TRUE(w.Open(path).ok());
    temp = w.temp_path();
    ASSERT_TRUE(w.Append(std::string(3 << 20, 'n')).ok());
    EXPECT_EQ(::access(temp.c_str(), F_OK), 0);
  }
  EXPECT_NE(::access(temp.c_str(), F_OK), 0);
  EXPECT_EQ(Slurp(path), "old contents");
  EXPECT_EQ(RawEntries(dir_), std::vector<std::string>{"keep.txt"});
}

TEST_F(FileIoTest, AtomicFileWriterMoveAndAbort) {
  AtomicFileWriter a;
  ASSERT_TRUE(a.Open(Path("moved.txt")).ok());
  ASSERT_TRUE(a.Append("hello").ok());
  AtomicFileWriter b = std::move(a);
  EXPECT_FALSE(a.is_open());  // NOLINT(bugprone-use-after-move)
  ASSERT_TRUE(b.Append(" world").ok());
  ASSERT_TRUE(b.Commit().ok());
  EXPECT_EQ(Slurp(Path("moved.txt")), "hello world");

  AtomicFileWriter c;
  ASSERT_TRUE(c.Open(Path("aborted.txt")).ok());
  EXPECT_EQ(c.Open(Path("other.txt")).code(),
            absl::StatusCode::kFailedPrecondition);
  c.Abort();
  EXPECT_EQ(c.Commit().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RawEntries(dir_), std::vector<std::string>{"moved.txt"});
}

TEST_F(FileIoTest, RemoveRegisteredTemporariesUnlinksLiveWriters) {
  Put("target.txt", "old");
  AtomicFileWriter w1;
  AtomicFileWriter w2;
  ASSERT_TRUE(w1.Open(Path("target.txt")).ok());
  ASSERT_TRUE(w2.Open(Path("sub/other.txt")).ok());
  ASSERT_TRUE(w1.Append("new").ok());
  RemoveRegisteredTemporaries();
  EXPECT_NE(::access(w1.temp_path().c_str(), F_OK), 0);
  EXPECT_NE(::access(w2.temp_path().c_str(), F_OK), 0);
  // The rename then fails; the old file is untouched.
  const absl::Status status = w1.Commit();
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  EXPECT_TRUE(absl::StartsWith(status.message(), Path("target.txt"))) << status;
  EXPECT_EQ(Slurp(Path("target.txt")), "old");
  w2.Abort();
  // The registry slots are free again: many more writers still work.
  for (int i = 0; i < 2 * kMaxTemporaries; ++i) {
    ASSERT_TRUE(WriteFileAtomic(Path("many.txt"), std::to_string(i)).ok());
  }
  EXPECT_EQ(Slurp(Path("many.txt")), std::to_string(2 * kMaxTemporaries - 1));
}

}  // namespace
}  // namespace dedup
