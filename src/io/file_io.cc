// File: io/file_io.cc
// POSIX implementation of whole-file input, directory listing and atomic
// output. The temporary-file registry is a fixed array of slots guarded by a
// per-slot atomic state, so a signal handler can walk it without locks.
#include "io/file_io.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/status.h"

namespace dedup {
namespace {

// Read granularity for pipes and stdin: 1 MiB per read() call.
constexpr size_t kReadChunkBytes = size_t{1} << 20;

// "<path>: <reason>" with a status code that fits the errno value.
absl::Status ErrnoError(absl::string_view path, int err,
                        absl::string_view context = {}) {
  const std::string prefix = context.empty()
                                 ? absl::StrCat(path, ": ")
                                 : absl::StrCat(path, ": ", context, ": ");
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(absl::StrCat(prefix, "no such file"));
    case ENOTDIR:
      return absl::NotFoundError(absl::StrCat(prefix, "not a directory"));
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(
          absl::StrCat(prefix, "permission denied"));
    case EISDIR:
      return absl::InvalidArgumentError(absl::StrCat(prefix, "is a directory"));
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EFBIG:
      break;  // ResourceExhausted below, with the system's words
    default: {
      std::string text =
          std::error_code(err, std::generic_category()).message();
      if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
      return absl::UnknownError(absl::StrCat(prefix, text));
    }
  }
  std::string text = std::error_code(err, std::generic_category()).message();
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
  return absl::ResourceExhaustedError(absl::StrCat(prefix, text));
}

// Reads fd to EOF into *out, a chunk at a time.
absl::Status ReadAll(int fd, absl::string_view path, InputBuilder* out) {
  std::vector<char> chunk(kReadChunkBytes);
  for (;;) {
    const ssize_t n = ::read(fd, chunk.data(), chunk.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path, errno);
    }
    if (n == 0) return absl::OkStatus();
    out->Append(std::string_view(chunk.data(), static_cast<size_t>(n)));
  }
}

// ---- Temporary-file registry ---------------------------------------------
//
// Slot states: kFree -> kClaimed (path being copied) -> kLive. The signal
// handler moves kLive -> kRemoving -> kRemoved; the owner's Unregister moves
// kLive or kRemoved back to kFree and waits out kRemoving, so a slot is never
// reused while the handler still reads its path.
enum SlotState : int { kFree = 0, kClaimed, kLive, kRemoving, kRemoved };
constexpr size_t kMaxTempPathBytes = 4096;  // PATH_MAX on Linux

struct TempSlot {
  std::atomic<int> state{kFree};
  char path[kMaxTempPathBytes];
};
static_assert(std::atomic<int>::is_always_lock_free,
              "the signal handler needs lock-free atomics");

TempSlot g_temp_slots[kMaxTemporaries];
std::atomic<uint64_t> g_temp_counter{0};

int RegisterTemporary(const std::string& path) {
  if (path.size() >= kMaxTempPathBytes) return -1;
  for (int i = 0; i < kMaxTemporaries; ++i) {
    int expected = kFree;
    if (g_temp_slots[i].state.compare_exchange_strong(
            expected, kClaimed, std::memory_order_acquire)) {
      std::memcpy(g_temp_slots[i].path, path.c_str(), path.size() + 1);
      g_temp_slots[i].state.store(kLive, std::memory_order_release);
      return i;
    }
  }
  return -1;  // full: the temporary works, but a signal will not remove it
}

void UnregisterTemporary(int slot) {
  if (slot < 0) return;
  std::atomic<int>& state = g_temp_slots[slot].state;
  for (;;) {
    int s = state.load(std::memory_order_acquire);
    if (s == kRemoving) {  // a handler on another thread is unlinking it
      std::this_thread::yield();
      continue;
    }
    if (state.compare_exchange_weak(s, kFree, std::memory_order_acq_rel)) {
      return;
    }
  }
}

// mkdir -p. `dir` is never empty.
absl::Status CreateDirectories(const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat(dir, ": not a directory"));
  }
  const size_t slash = dir.find_last_of('/');
  if (slash != std::string::npos && slash > 0) {
    DEDUP_RETURN_IF_ERROR(CreateDirectories(dir.substr(0, slash)));
  }
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    return ErrnoError(dir, errno, "cannot create directory");
  }
  return absl::OkStatus();
}

}  // namespace

// ---- InputBuffer ----------------------------------------------------------

InputBuffer::InputBuffer(InputBuffer&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      map_size_(std::exchange(other.map_size_, 0)),
      owned_(std::move(other.owned_)) {
  other.owned_.clear();
}

InputBuffer& InputBuffer::operator=(InputBuffer&& other) noexcept {
  if (this != &other) {
    Reset();
    map_ = std::exchange(other.map_, nullptr);
    map_size_ = std::exchange(other.map_size_, 0);
    owned_ = std::move(other.owned_);
    other.owned_.clear();
  }
  return *this;
}

InputBuffer::~InputBuffer() { Reset(); }

void InputBuffer::Reset() {
  if (map_ != nullptr) ::munmap(map_, map_size_);
  map_ = nullptr;
  map_size_ = 0;
  owned_.clear();
}

void InputBuffer::ReleasePages(size_t begin, size_t end) const {
  if (map_ == nullptr) return;
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  // Whole pages around the range: a page shared with a neighbour that is
  // still being read is simply faulted in again.
  begin = begin / page * page;
  end = std::min(map_size_, (end + page - 1) / page * page);
  if (begin < end) ::madvise(static_cast<char*>(map_) + begin, end - begin, MADV_DONTNEED);
}

InputBuffer InputBuffer::FromString(std::string bytes) {
  InputBuffer buffer;
  buffer.owned_ = std::move(bytes);
  return buffer;
}

// ---- InputBuilder ---------------------------------------------------------

namespace {

// Writes all of bytes at fd's offset; errno on failure.
bool WriteFully(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), std::min<size_t>(bytes.size(), size_t{1} << 30));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// An unlinked temporary file in $TMPDIR (else /tmp), open for reading and
// writing; -1 with errno on failure. No name at all where the file system
// allows it (O_TMPFILE); else a name that is unlinked at once.
int OpenUnlinkedTemporary() {
  const char* env = std::getenv("TMPDIR");
  const std::string dir = env != nullptr && *env != '\0' ? env : "/tmp";
  int fd = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
    std::string name = dir + "/.dedup-input-XXXXXX";
    fd = ::mkostemp(name.data(), O_CLOEXEC);
    if (fd >= 0) ::unlink(name.c_str());
  }
  return fd;
}

}  // namespace

InputBuilder::~InputBuilder() {
  if (fd_ >= 0) ::close(fd_);
}

void InputBuilder::Append(std::string_view bytes) {
  if (!status_.ok()) return;
  if (fd_ < 0) {
    memory_.append(bytes);
    if (memory_.size() >= spill_at_ && !spill_failed_) Spill();
    return;
  }
  if (WriteFully(fd_, bytes)) {
    file_size_ += bytes.size();
    return;
  }
  Unspill();
  if (status_.ok()) memory_.append(bytes);
}

void InputBuilder::Spill() {
  fd_ = OpenUnlinkedTemporary();
  if (fd_ < 0) {
    spill_failed_ = true;
    return;
  }
  if (!WriteFully(fd_, memory_)) {
    ::close(fd_);
    fd_ = -1;
    spill_failed_ = true;
    return;
  }
  file_size_ = memory_.size();
  memory_ = std::string();
}

void InputBuilder::Unspill() {
  std::string bytes(file_size_, '\0');
  for (size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::pread(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status_ = ErrnoError("temporary input file", n < 0 ? errno : EIO, "cannot read it back");
      bytes = std::string();
      break;
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd_);
  fd_ = -1;
  file_size_ = 0;
  spill_failed_ = true;
  memory_ = std::move(bytes);
}

absl::StatusOr<InputBuffer> InputBuilder::Finish() {
  InputBuffer buffer;
  if (!status_.ok()) return status_;
  if (fd_ >= 0) {
    if (buffer.MapFrom(fd_, file_size_)) {
      ::close(fd_);
      fd_ = -1;
      file_size_ = 0;
      return buffer;
    }
    Unspill();
    if (!status_.ok()) return status_;
  }
  buffer.owned_ = std::move(memory_);
  memory_ = std::string();
  return buffer;
}

bool InputBuffer::MapFrom(int fd, size_t size) {
  if (size == 0) return false;
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return false;
  ::madvise(map, size, MADV_SEQUENTIAL);
  Reset();
  map_ = map;
  map_size_ = size;
  return true;
}

absl::StatusOr<InputBuffer> ReadWhole(int fd, const std::string& path) {
  InputBuffer buffer;
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ::lseek(fd, 0, SEEK_CUR) == 0 &&
      buffer.MapFrom(fd, static_cast<size_t>(st.st_size))) {
    return buffer;
  }
  InputBuilder builder;
  DEDUP_RETURN_IF_ERROR(ReadAll(fd, path, &builder));
  return builder.Finish();
}

absl::StatusOr<InputBuffer> ReadInput(const std::string& path) {
  if (path == "-") return ReadWhole(STDIN_FILENO, path);  // `dedup < file` is mapped too
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return ErrnoError(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return ErrnoError(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
  }
  absl::StatusOr<InputBuffer> buffer = ReadWhole(fd, path);
  ::close(fd);
  return buffer;
}

// ---- ListFilesRecursive ---------------------------------------------------

absl::StatusOr<std::vector<std::string>> ListFilesRecursive(
    const std::string& dir) {
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) return ErrnoError(dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(absl::StrCat(dir, ": not a directory"));
  }
  std::string root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::vector<std::string> files;
  std::vector<std::string> pending = {""};  // relative directories to read
  while (!pending.empty()) {
    const std::string rel = std::move(pending.back());
    pending.pop_back();
    const std::string abs = rel.empty()
                                ? root
                                : (root == "/" ? absl::StrCat("/", rel)
                                               : absl::StrCat(root, "/", rel));
    DIR* d = ::opendir(abs.c_str());
    if (d == nullptr) return ErrnoError(abs, errno);
    for (;;) {
      errno = 0;
      const dirent* entry = ::readdir(d);
      if (entry == nullptr) {
        if (errno != 0) {
          const int err = errno;
          ::closedir(d);
          return ErrnoError(abs, err);
        }
        break;
      }
      const char* name = entry->d_name;
      if (name[0] == '.') continue;  // hidden, ".", ".."
      std::string child_rel = rel.empty() ? name : absl::StrCat(rel, "/", name);
      bool is_dir = entry->d_type == DT_DIR;
      bool is_file = entry->d_type == DT_REG;
      if (entry->d_type == DT_UNKNOWN || entry->d_type == DT_LNK) {
        const std::string child_abs = absl::StrCat(abs, "/", name);
        struct stat cst;
        if (::lstat(child_abs.c_str(), &cst) != 0) {
          const int err = errno;
          ::closedir(d);
          return ErrnoError(child_abs, err);
        }
        is_dir = S_ISDIR(cst.st_mode);
        is_file = S_ISREG(cst.st_mode);
        // A symlink counts when it points at a regular file; dangling links
        // and links to directories are skipped.
        if (S_ISLNK(cst.st_mode) && ::stat(child_abs.c_str(), &cst) == 0) {
          is_file = S_ISREG(cst.st_mode);
        }
      }
      if (is_dir) {
        pending.push_back(std::move(child_rel));
      } else if (is_file) {
        files.push_back(std::move(child_rel));
      }
    }
    ::closedir(d);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// ---- Atomic output --------------------------------------------------------

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(std::exchange(other.fd_, -1)),
      registry_slot_(std::exchange(other.registry_slot_, -1)),
      buffer_(std::move(other.buffer_)),
      bytes_appended_(std::exchange(other.bytes_appended_, 0)),
      replaces_file_(std::exchange(other.replaces_file_, false)),
      bytes_written_(std::exchange(other.bytes_written_, 0)),
      writeback_started_to_(std::exchange(other.writeback_started_to_, 0)),
      status_(std::move(other.status_)) {}

AtomicFileWriter& AtomicFileWriter::operator=(
    AtomicFileWriter&& other) noexcept {
  if (this != &other) {
    Abort();
    path_ = std::move(other.path_);
    temp_path_ = std::move(other.temp_path_);
    fd_ = std::exchange(other.fd_, -1);
    registry_slot_ = std::exchange(other.registry_slot_, -1);
    buffer_ = std::move(other.buffer_);
    bytes_appended_ = std::exchange(other.bytes_appended_, 0);
    replaces_file_ = std::exchange(other.replaces_file_, false);
    bytes_written_ = std::exchange(other.bytes_written_, 0);
    writeback_started_to_ = std::exchange(other.writeback_started_to_, 0);
    status_ = std::move(other.status_);
  }
  return *this;
}

absl::Status AtomicFileWriter::Open(const std::string& path) {
  if (fd_ >= 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": writer already open for ", path_));
  }
  const size_t slash = path.find_last_of('/');
  const std::string name =
      slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a file name"));
  }
  const std::string prefix =
      slash == std::string::npos ? "" : path.substr(0, slash + 1);
  if (!prefix.empty() && prefix != "/") {
    DEDUP_RETURN_IF_ERROR(
        CreateDirectories(prefix.substr(0, prefix.size() - 1)));
  }
  struct stat target;
  mode_t keep_mode = 0;
  bool replaces_file = false;
  if (::stat(path.c_str(), &target) == 0) {
    replaces_file = S_ISREG(target.st_mode);
    if (S_ISDIR(target.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": is a directory"));
    }
    if (S_ISREG(target.st_mode)) keep_mode = target.st_mode & 07777;
    if (!S_ISREG(target.st_mode)) {
      // A device or FIFO (/dev/null, a named pipe): written in place. A
      // temporary renamed over it would replace the device with a file.
      int fd;
      do {
        fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      } while (fd < 0 && errno == EINTR);
      if (fd < 0) return ErrnoError(path, errno, "cannot open");
      Start(path, /*temp_path=*/"", fd, /*registry_slot=*/-1, /*replaces_file=*/false);
      return absl::OkStatus();
    }
  }
  std::string temp =
      absl::StrCat(prefix, ".", name, ".tmp.", ::getpid(), ".",
                   g_temp_counter.fetch_add(1, std::memory_order_relaxed));
  // Register before the file exists, so no instant has it unregistered.
  const int slot = RegisterTemporary(temp);
  int fd;
  do {
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    const int err = errno;
    UnregisterTemporary(slot);
    return ErrnoError(path, err, "cannot create temporary file");
  }
  if (keep_mode != 0) ::fchmod(fd, keep_mode);
  Start(path, std::move(temp), fd, slot, replaces_file);
  return absl::OkStatus();
}

void AtomicFileWriter::Start(const std::string& path, std::string temp_path, int fd, int registry_slot,
                             bool replaces_file) {
  path_ = path;
  temp_path_ = std::move(temp_path);
  fd_ = fd;
  registry_slot_ = registry_slot;
  buffer_.clear();
  bytes_appended_ = 0;
  replaces_file_ = replaces_file;
  bytes_written_ = 0;
  writeback_started_to_ = 0;
  status_ = absl::OkStatus();
}

absl::Status AtomicFileWriter::WriteAll(std::span<std::string_view> pieces) {
  constexpr int kMaxIovecs = 64;
  size_t first = 0;  // pieces before it are written
  while (first < pieces.size()) {
    iovec iov[kMaxIovecs];
    int count = 0;
    size_t total = 0;
    for (size_t i = first; i < pieces.size() && count < kMaxIovecs && total < kMaxWriteBytes; ++i) {
      const size_t take = std::min(pieces[i].size(), kMaxWriteBytes - total);
      if (take == 0) continue;
      iov[count++] = {const_cast<char*>(pieces[i].data()), take};
      total += take;
    }
    if (count == 0) break;  // only empty pieces left
    const ssize_t n = ::writev(fd_, iov, count);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path_, errno);
    }
    if (n == 0) return ErrnoError(path_, EIO);
    size_t written = static_cast<size_t>(n);
    StartWriteback(written);
    for (; first < pieces.size() && written >= pieces[first].size(); ++first) written -= pieces[first].size();
    if (first < pieces.size()) pieces[first].remove_prefix(written);
  }
  return absl::OkStatus();
}

void AtomicFileWriter::StartWriteback(size_t written) {
  // Asynchronous, like the flush in rename() it replaces; errors surface as
  // they would have there (not at all: there is no fsync).
  constexpr uint64_t kWritebackStep = uint64_t{8} << 20;
  bytes_written_ += written;
  if (!replaces_file_ || bytes_written_ - writeback_started_to_ < kWritebackStep) return;
  ::sync_file_range(fd_, static_cast<off_t>(writeback_started_to_),
                    static_cast<off_t>(bytes_written_ - writeback_started_to_), SYNC_FILE_RANGE_WRITE);
  writeback_started_to_ = bytes_written_;
}

absl::Status AtomicFileWriter::Flush() {
  if (buffer_.empty()) return absl::OkStatus();
  std::string_view piece = buffer_;
  const absl::Status status = WriteAll({&piece, 1});
  buffer_.clear();
  return status;
}

absl::Status AtomicFileWriter::Append(std::string_view bytes) {
  if (!status_.ok()) return status_;
  if (fd_ < 0) {
    return absl::FailedPreconditionError("atomic writer is not open");
  }
  bytes_appended_ += bytes.size();
  if (buffer_.size() + bytes.size() <= kBufferBytes) {
    if (buffer_.capacity() < kBufferBytes) buffer_.reserve(kBufferBytes);
    buffer_.append(bytes);
    return absl::OkStatus();
  }
  status_ = Flush();
  if (status_.ok()) {
    if (bytes.size() >= kBufferBytes) {
      status_ = WriteAll({&bytes, 1});
    } else {
      buffer_.append(bytes);
    }
  }
  return status_;
}

absl::Status AtomicFileWriter::AppendParts(std::span<const std::string> parts) {
  if (!status_.ok()) return status_;
  if (fd_ < 0) {
    return absl::FailedPreconditionError("atomic writer is not open");
  }
  size_t total = 0;
  for (const std::string& part : parts) total += part.size();
  if (buffer_.size() + total <= kBufferBytes) {
    for (const std::string& part : parts) DEDUP_RETURN_IF_ERROR(Append(part));
    return absl::OkStatus();
  }
  // The buffered bytes first, then the parts, without copying them.
  std::vector<std::string_view> pieces;
  pieces.reserve(parts.size() + 1);
  pieces.emplace_back(buffer_);
  pieces.insert(pieces.end(), parts.begin(), parts.end());
  bytes_appended_ += total;
  status_ = WriteAll(pieces);
  buffer_.clear();
  return status_;
}

void AtomicFileWriter::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

absl::Status AtomicFileWriter::Commit() {
  if (fd_ < 0) {
    return status_.ok()
               ? absl::FailedPreconditionError("atomic writer is not open")
               : status_;
  }
  if (status_.ok()) status_ = Flush();
  if (status_.ok()) {
    const int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0 && errno != EINTR) status_ = ErrnoError(path_, errno);
  }
  if (status_.ok() && !temp_path_.empty() && ::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    status_ = ErrnoError(path_, errno, "cannot rename temporary file");
  }
  if (!status_.ok()) {
    const absl::Status status = status_;
    Abort();
    status_ = status;
    return status;
  }
  UnregisterTemporary(registry_slot_);
  registry_slot_ = -1;
  temp_path_.clear();
  buffer_.clear();
  buffer_.shrink_to_fit();
  return absl::OkStatus();
}

void AtomicFileWriter::Abort() {
  Close();
  if (!temp_path_.empty()) {
    ::unlink(temp_path_.c_str());
    temp_path_.clear();
  }
  UnregisterTemporary(registry_slot_);
  registry_slot_ = -1;
  buffer_.clear();
  buffer_.shrink_to_fit();
}

absl::Status RemoveRegularFile(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return absl::OkStatus();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoError(path, errno, "cannot remove");
  return absl::OkStatus();
}

absl::Status WriteFileAtomic(const std::string& path, std::string_view data) {
  AtomicFileWriter writer;
  DEDUP_RETURN_IF_ERROR(writer.Open(path));
  DEDUP_RETURN_IF_ERROR(writer.Append(data));
  return writer.Commit();
}

void RemoveRegisteredTemporaries() {
  for (TempSlot& slot : g_temp_slots) {
    int expected = kLive;
    if (slot.state.compare_exchange_strong(expected, kRemoving,
                                           std::memory_order_acq_rel)) {
      ::unlink(slot.path);
      slot.state.store(kRemoved, std::memory_order_release);
    }
  }
}

}  // namespace dedup
