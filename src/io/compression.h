// File: io/compression.h
// Whole-buffer gzip and zstd (de)compression over zlib and libzstd, with
// format detection by magic bytes. The compressed input is held whole
// (usually an mmap); the output is returned whole or streamed to a callback.
#ifndef DEDUP_IO_COMPRESSION_H_
#define DEDUP_IO_COMPRESSION_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace dedup {

enum class Compression { kNone, kGzip, kZstd };

// Looks at the first bytes of a file: 1f 8b is gzip, 28 b5 2f fd is zstd,
// anything else (including a head too short to tell) is kNone.
Compression DetectCompression(std::string_view head);

// "none", "gzip" or "zstd".
std::string_view CompressionName(Compression c);

// Decompresses a whole buffer. Concatenated gzip members and zstd frames
// (skippable frames included) are all decoded, one after the other; bytes
// after the last gzip member that do not start another member are an error.
// kNone returns a copy of `data`.
// Errors (N is the offset in the compressed input):
//   DataLoss "truncated gzip stream at byte N" (N = data.size()),
//   DataLoss "corrupt gzip stream at byte N: <zlib reason>",
//   DataLoss "truncated zstd stream at byte N",
//   DataLoss "corrupt zstd stream at byte N: <zstd reason>",
//   ResourceExhausted "decompressed size exceeds the limit of M bytes" when
//   the output would be longer than max_output_bytes.
// zstd frames whose window exceeds 128 MiB (zstd --long=28 and up) are
// rejected as corrupt with zstd's "Frame requires too much memory" reason.
// Thread-safe; allocates its own codec state per call.
absl::StatusOr<std::string> Decompress(Compression c, std::string_view data,
                                       size_t max_output_bytes = SIZE_MAX);

// The same, without holding the output: it goes to sink in order, in pieces
// of at most 1 MiB (kNone: data itself, at once). The same errors, except
// that the offset N of a corrupt zstd stream (where libzstd stopped reading)
// can differ, as it depends on the output buffer; bytes before an error have
// already gone to sink.
absl::Status DecompressTo(Compression c, std::string_view data,
                          absl::FunctionRef<void(std::string_view)> sink,
                          size_t max_output_bytes = SIZE_MAX);

// Compresses a whole buffer into one gzip member or one zstd frame, as
// StreamCompressor does. level 0 means the library default (gzip 6,
// zstd 3). InvalidArgument for a level the library rejects.
absl::StatusOr<std::string> Compress(Compression c, std::string_view data,
                                     int level = 0);

// Compresses bytes that arrive in pieces into one gzip member or one zstd
// frame (with a checksum, as Compress writes; without the content size, which
// is not known up front), handing the compressed bytes to `out` as they are
// made: neither side is ever held whole. kNone hands the bytes on as they are.
class StreamCompressor {
 public:
  using Output = std::function<absl::Status(std::string_view)>;
  // Levels as Compress (0: the library default); InvalidArgument for a level
  // the library rejects.
  static absl::StatusOr<std::unique_ptr<StreamCompressor>> Create(Compression c, int level, Output out);
  virtual ~StreamCompressor() = default;
  // Compresses bytes; some output may wait for later calls.
  virtual absl::Status Add(std::string_view bytes) = 0;
  // Ends the member or frame and hands over the rest. Called once, last.
  virtual absl::Status Finish() = 0;
};

}  // namespace dedup

#endif  // DEDUP_IO_COMPRESSION_H_
