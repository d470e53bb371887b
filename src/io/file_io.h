// File: io/file_io.h
// Whole-file input (mmap, or a read() loop for pipes and stdin), sorted
// recursive directory listing, and atomic output (temporary + rename) with a
// signal-safe registry of live temporaries. No decompression here: see
// io/compression.h.
#ifndef DEDUP_IO_FILE_IO_H_
#define DEDUP_IO_FILE_IO_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dedup {

// Read-only bytes of a whole input. Regular files are mapped (MAP_PRIVATE,
// MADV_SEQUENTIAL); pipes, terminals and size-0 files (/proc) are read into
// memory (and large ones then moved to a temporary file: InputBuilder).
// Movable, not copyable; unmaps in the destructor. bytes() stays valid until
// the buffer is destroyed or moved from (a moved-to buffer gives the same
// bytes, possibly at another address for small owned buffers).
// A mapped file that another process truncates while it is mapped raises
// SIGBUS on access: inputs must not change during a run.
class InputBuffer {
 public:
  InputBuffer() = default;
  InputBuffer(InputBuffer&& other) noexcept;
  InputBuffer& operator=(InputBuffer&& other) noexcept;
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;
  ~InputBuffer();

  // Wraps bytes already in memory (e.g. a decompressed file).
  static InputBuffer FromString(std::string bytes);

  std::string_view bytes() const {
    return map_ != nullptr
               ? std::string_view(static_cast<const char*>(map_), map_size_)
               : std::string_view(owned_);
  }
  size_t size() const { return bytes().size(); }
  bool is_mapped() const { return map_ != nullptr; }
  // Drops the mapped pages covering bytes [begin, end) from this process's
  // memory; they are read back from the file (page cache) when touched again.
  // No-op for bytes held in memory.
  void ReleasePages(size_t begin, size_t end) const;

 private:
  friend class InputBuilder;
  friend absl::StatusOr<InputBuffer> ReadWhole(int fd, const std::string& path);
  // Maps the first size bytes of fd read-only, for one sequential read
  // (fd may be closed afterwards); false when it cannot be mapped.
  bool MapFrom(int fd, size_t size);
  void Reset();

  void* map_ = nullptr;
  size_t map_size_ = 0;
  std::string owned_;
};

// Releases a buffer's pages behind a reader that goes through it once, in
// order: every `step` bytes the reader has passed (ReleasePages).
class PageReleaser {
 public:
  PageReleaser(const InputBuffer& buffer, size_t step, size_t from = 0)
      : buffer_(buffer), step_(step), released_(from) {}
  // The reader has read up to pos.
  void ReadTo(size_t pos) {
    if (pos - released_ >= step_) ReleaseTo(pos);
  }
  // Releases what is behind pos now, however little.
  void ReleaseTo(size_t pos) {
    buffer_.ReleasePages(released_, pos);
    released_ = pos;
  }

 private:
  const InputBuffer& buffer_;
  size_t step_;
  size_t released_;
};

// Inputs produced in memory (decompressed, or read from a pipe) at least this
// large go to a temporary file (InputBuilder).
inline constexpr size_t kSpillInputBytes = size_t{64} << 20;

// An InputBuffer built from bytes that arrive in pieces (a decompressor's
// output, a pipe's reads): in memory up to spill_at bytes, then in an
// unlinked temporary file in $TMPDIR (else /tmp), which Finish() maps like a
// regular input file. The passes can then drop pages behind them
// (ReleasePages) instead of holding the whole input in memory: compressed
// and piped inputs cost what named files cost. When the file cannot be made
// or written (no such directory, no space) the bytes stay in memory (read
// back from the file if it had begun); the one error is a file that cannot
// be read back, which Finish() returns.
class InputBuilder {
 public:
  explicit InputBuilder(size_t spill_at = kSpillInputBytes) : spill_at_(spill_at) {}
  InputBuilder(const InputBuilder&) = delete;
  InputBuilder& operator=(const InputBuilder&) = delete;
  ~InputBuilder();

  void Append(std::string_view bytes);
  size_t size() const { return fd_ >= 0 ? file_size_ : memory_.size(); }
  bool spilled() const { return fd_ >= 0; }
  // Every byte appended; the builder is left empty.
  absl::StatusOr<InputBuffer> Finish();

 private:
  // Moves memory_ to a new temporary file; on failure, stays in memory for good.
  void Spill();
  // Reads the file back into memory_ after a failed write, and closes it;
  // sets status_ when it cannot.
  void Unspill();

  size_t spill_at_;
  std::string memory_;
  int fd_ = -1;
  size_t file_size_ = 0;
  bool spill_failed_ = false;
  absl::Status status_;
};

// The rest of fd: mapped when it is a regular file read from its start
// (unless its file system cannot map it), else read to its end (through an
// InputBuilder). Errors name path. Used by ReadInput.
absl::StatusOr<InputBuffer> ReadWhole(int fd, const std::string& path);

// Reads a whole input; "-" means stdin (mapped when it is a regular file read
// from its start; else read, and spilled to a temporary file when large).
// Errors start with the path ("-" for stdin): NotFound "PATH: no such file",
// PermissionDenied "PATH: permission denied", InvalidArgument "PATH: is a
// directory", other errno values as "PATH: <strerror text>".
absl::StatusOr<InputBuffer> ReadInput(const std::string& path);

// Recursively lists the regular files under `dir`, as paths relative to it
// ("a/b.txt"), sorted byte-wise on the whole relative path. Skips hidden
// entries (name starts with '.') at every level, which also hides our own
// temporaries. Symlinks to regular files are listed; symlinks to directories
// are not followed (no cycles); sockets, FIFOs and devices are skipped.
// Errors: NotFound / PermissionDenied / InvalidArgument ("DIR: not a
// directory"), or the first unreadable subdirectory, message starting with
// its path.
absl::StatusOr<std::vector<std::string>> ListFilesRecursive(
    const std::string& dir);

// Removes `path` if it is a regular file (not a link, directory or device);
// nothing there is no error.
absl::Status RemoveRegularFile(const std::string& path);

// Writes `data` to `path` atomically: creates missing parent directories,
// writes "<dir>/.<name>.tmp.<pid>.<n>" in the same directory, then rename(2)s
// it over `path` (no fsync). An existing file's permission bits are kept.
// On any error the temporary is removed and `path` is untouched.
absl::Status WriteFileAtomic(const std::string& path, std::string_view data);

// Streaming variant of WriteFileAtomic for large outputs:
//   AtomicFileWriter w;
//   DEDUP_RETURN_IF_ERROR(w.Open(path));
//   DEDUP_RETURN_IF_ERROR(w.Append(bytes));  // any number of times
//   DEDUP_RETURN_IF_ERROR(w.Commit());       // rename over path
// Appends are buffered (kBufferBytes); appends of at least that size go
// straight to the file, as do AppendParts() of more than that. The first
// error is sticky: later calls return it.
// Destroying (or Abort()ing) a writer that was opened but not committed
// removes its temporary. Not thread-safe; one writer per output.
class AtomicFileWriter {
 public:
  // At most this many bytes go to the kernel per write()/writev(): ext4 sizes
  // page-cache folios by the write's length, and on the benchmark VM the
  // kernel's copy into 1 MiB folios took ~10x as long as into 128 KiB ones
  // (512 MB written: 1.9-2.0 s against 0.15-0.4 s).
  static constexpr size_t kMaxWriteBytes = size_t{128} << 10;
  static constexpr size_t kBufferBytes = kMaxWriteBytes;

  AtomicFileWriter() = default;
  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  ~AtomicFileWriter() { Abort(); }

  // Creates parent directories and the temporary. FailedPrecondition if
  // already open.
  absl::Status Open(const std::string& path);
  absl::Status Append(std::string_view bytes);
  // Appends each of parts in order, like Append, but written from where they
  // lie (writev) instead of copied into the buffer when they are large.
  absl::Status AppendParts(std::span<const std::string> parts);
  // Flushes, closes and renames the temporary over the target.
  absl::Status Commit();
  // Closes and unlinks the temporary; no-op when not open.
  void Abort();

  bool is_open() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  // Bytes accepted by Append() so far.
  uint64_t bytes_appended() const { return bytes_appended_; }

 private:
  absl::Status Flush();
  // Writes all of pieces, in order; advances them as they are written.
  absl::Status WriteAll(std::span<std::string_view> pieces);
  // Counts `written` more bytes in the file; starts their writeback every
  // few MiB when replacing a file.
  void StartWriteback(size_t written);
  void Close();
  // Every per-file field, for a file just opened (temp_path empty: written
  // in place, registry_slot -1).
  void Start(const std::string& path, std::string temp_path, int fd, int registry_slot, bool replaces_file);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  int registry_slot_ = -1;
  std::string buffer_;
  uint64_t bytes_appended_ = 0;
  // Replacing a file: ext4 flushes the temporary in rename() (auto_da_alloc),
  // ~0.15 s per 300 MB at the end, so writeback is started as we write.
  bool replaces_file_ = false;
  uint64_t bytes_written_ = 0;
  uint64_t writeback_started_to_ = 0;
  absl::Status status_;
};

// Async-signal-safe: unlinks every temporary currently registered by
// WriteFileAtomic / AtomicFileWriter. Call it from a SIGINT/SIGTERM handler
// before re-raising or _exit(). The registry holds up to kMaxTemporaries
// paths of fewer than 4096 bytes; a temporary beyond that still works but is
// not cleaned up on a signal.
void RemoveRegisteredTemporaries();
inline constexpr int kMaxTemporaries = 256;

}  // namespace dedup

#endif  // DEDUP_IO_FILE_IO_H_
