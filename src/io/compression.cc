// File: io/compression.cc
// gzip through zlib (inflate with windowBits 15+16, one reset per member) and
// zstd through libzstd's streaming API (which walks frames by itself), each
// loop written once for both outputs: a string grown geometrically from a
// size hint and capped one byte past the limit (so the limit check never
// needs a second pass), or a fixed buffer handed to a callback.
#include "io/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace dedup {
namespace {

// Deflate cannot expand more than about 1032:1, so a gzip size hint larger
// than that is a lie (or a corrupt trailer) and is clipped.
constexpr size_t kMaxDeflateRatio = 1032;
// First allocation when there is no usable hint: 64 KiB.
constexpr size_t kMinOutputChunk = size_t{64} << 10;

absl::Status OutputLimitError(size_t max_output_bytes) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "decompressed size exceeds the limit of ", max_output_bytes, " bytes"));
}

// Grows `out` (whose first `produced` bytes are data) so that there is room
// to write, never past `cap` bytes. Returns false when already at `cap`.
bool GrowOutput(std::string* out, size_t produced, size_t cap) {
  if (produced < out->size()) return true;
  if (out->size() >= cap) return false;
  size_t next = std::max(out->size() * 2, kMinOutputChunk);
  if (next < out->size()) next = cap;  // overflow
  out->resize(std::min(next, cap));
  return true;
}

size_t OutputCap(size_t max_output_bytes) {
  return max_output_bytes == SIZE_MAX ? SIZE_MAX : max_output_bytes + 1;
}

// Where the decompressors write, as a template argument. Room() is where the
// next bytes go (empty once `cap` bytes are held); Commit(n) says n of them
// were written.

// One string, grown geometrically from a size hint (Decompress).
class StringOutput {
 public:
  StringOutput(size_t hint, size_t cap) : cap_(cap) { out_.resize(std::min(hint, cap)); }
  std::span<char> Room() {
    if (!GrowOutput(&out_, produced_, cap_)) return {};
    return std::span<char>(out_).subspan(produced_);
  }
  void Commit(size_t n) { produced_ += n; }
  size_t produced() const { return produced_; }
  std::string Take() {
    out_.resize(produced_);
    return std::move(out_);
  }

 private:
  size_t cap_;
  std::string out_;
  size_t produced_ = 0;
};

// A fixed buffer handed to a callback each time bytes are written into it
// (DecompressTo): the output is never held whole.
class ChunkOutput {
 public:
  explicit ChunkOutput(absl::FunctionRef<void(std::string_view)> sink) : sink_(sink), buffer_(kChunkBytes) {}
  std::span<char> Room() { return buffer_; }
  void Commit(size_t n) {
    produced_ += n;
    if (n > 0) sink_(std::string_view(buffer_.data(), n));
  }
  size_t produced() const { return produced_; }

 private:
  static constexpr size_t kChunkBytes = size_t{1} << 20;
  absl::FunctionRef<void(std::string_view)> sink_;
  std::vector<char> buffer_;
  size_t produced_ = 0;
};

// The gzip trailer's ISIZE (uncompressed size mod 2^32 of the last member),
// clipped to what deflate can produce: a first allocation that is usually
// exact for single-member files.
size_t GzipSizeHint(std::string_view data) {
  if (data.size() < 18) return kMinOutputChunk;
  const auto* t =
      reinterpret_cast<const unsigned char*>(data.data()) + data.size() - 4;
  const size_t isize = static_cast<size_t>(t[0]) | (size_t{t[1]} << 8) |
                       (size_t{t[2]} << 16) | (size_t{t[3]} << 24);
  return std::min(isize + 1, data.size() * kMaxDeflateRatio);
}

// Inflates every gzip member of data into out.
template <typename Output>
absl::Status InflateGzip(std::string_view data, size_t max_output_bytes, Output& out) {
  z_stream zs = {};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    return absl::ResourceExhaustedError("cannot initialise zlib inflate");
  }
  const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  size_t in_pos = 0;
  const auto* in = reinterpret_cast<const Bytef*>(data.data());
  for (;;) {
    const std::span<char> room = out.Room();
    if (room.empty()) return OutputLimitError(max_output_bytes);
    // zlib counts in uInt (32 bits): feed huge buffers in slices.
    const size_t in_chunk = std::min<size_t>(data.size() - in_pos, UINT_MAX);
    const size_t out_chunk = std::min<size_t>(room.size(), UINT_MAX);
    zs.next_in = const_cast<Bytef*>(in + in_pos);
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(room.data());
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    in_pos += in_chunk - zs.avail_in;
    out.Commit(out_chunk - zs.avail_out);
    if (out.produced() > max_output_bytes) return OutputLimitError(max_output_bytes);
    switch (ret) {
      case Z_OK:
        continue;
      case Z_STREAM_END: {
        if (in_pos == data.size()) return absl::OkStatus();
        const std::string_view rest = data.substr(in_pos);
        if (rest.size() >= 2 && static_cast<unsigned char>(rest[0]) == 0x1f &&
            static_cast<unsigned char>(rest[1]) == 0x8b) {
          inflateReset(&zs);  // next member
          continue;
        }
        if (rest.size() == 1 && static_cast<unsigned char>(rest[0]) == 0x1f) {
          return absl::DataLossError(
              absl::StrCat("truncated gzip stream at byte ", data.size()));
        }
        return absl::DataLossError(
            absl::StrCat("corrupt gzip stream at byte ", in_pos,
                         ": trailing data after the last gzip member"));
      }
      case Z_BUF_ERROR:
        // No progress: either the output is full (more room and retry) or
        // the input ran out before the end of the member.
        if (zs.avail_out == 0 || in_pos < data.size()) continue;
        return absl::DataLossError(
            absl::StrCat("truncated gzip stream at byte ", data.size()));
      case Z_MEM_ERROR:
        return absl::ResourceExhaustedError(
            absl::StrCat("out of memory decompressing gzip at byte ", in_pos));
      case Z_NEED_DICT:
        return absl::DataLossError(absl::StrCat("corrupt gzip stream at byte ",
                                                in_pos,
                                                ": needs a preset dictionary"));
      default:
        return absl::DataLossError(
            absl::StrCat("corrupt gzip stream at byte ", in_pos, ": ",
                         zs.msg != nullptr ? zs.msg : "invalid data"));
    }
  }
}

// The first zstd frame's declared size, as a first allocation (it can lie:
// capped at 64 times the compressed size).
size_t ZstdSizeHint(std::string_view data) {
  const unsigned long long declared = ZSTD_getFrameContentSize(data.data(), data.size());
  if (declared == ZSTD_CONTENTSIZE_UNKNOWN || declared == ZSTD_CONTENTSIZE_ERROR) return kMinOutputChunk;
  return static_cast<size_t>(std::min<unsigned long long>(
      declared + 1, std::max<unsigned long long>(data.size(), 1) * 64 + kMinOutputChunk));
}

// Decodes every zstd frame of data into out.
template <typename Output>
absl::Status DecodeZstd(std::string_view data, size_t max_output_bytes, Output& out) {
  const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(
      ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) {
    return absl::ResourceExhaustedError(
        "cannot create zstd decompression context");
  }
  ZSTD_inBuffer in = {data.data(), data.size(), 0};
  for (;;) {
    const std::span<char> room = out.Room();
    if (room.empty()) return OutputLimitError(max_output_bytes);
    ZSTD_outBuffer ob = {room.data(), room.size(), 0};
    const size_t ret = ZSTD_decompressStream(dctx.get(), &ob, &in);
    out.Commit(ob.pos);
    if (out.produced() > max_output_bytes) return OutputLimitError(max_output_bytes);
    if (ZSTD_isError(ret)) {
      return absl::DataLossError(absl::StrCat("corrupt zstd stream at byte ",
                                              in.pos, ": ",
                                              ZSTD_getErrorName(ret)));
    }
    if (ret == 0) {  // a frame is complete and flushed
      if (in.pos == in.size) return absl::OkStatus();
      continue;
    }
    if (in.pos == in.size && ob.pos < ob.size) {
      return absl::DataLossError(
          absl::StrCat("truncated zstd stream at byte ", data.size()));
    }
  }
}

absl::StatusOr<std::string> CompressGzip(std::string_view data, int level) {
  z_stream zs = {};
  const int zlevel = level == 0 ? Z_DEFAULT_COMPRESSION : level;
  if (level < 0 || level > 9 ||
      deflateInit2(&zs, zlevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
          Z_OK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid gzip compression level ", level, " (valid: 0-9)"));
  }
  const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, deflateEnd);
  std::string out;
  out.resize(deflateBound(&zs, data.size()));
  size_t in_pos = 0;
  size_t produced = 0;
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2 + kMinOutputChunk);
    const size_t in_chunk = std::min<size_t>(data.size() - in_pos, UINT_MAX);
    const size_t out_chunk = std::min<size_t>(out.size() - produced, UINT_MAX);
    const bool last = in_pos + in_chunk == data.size();
    zs.next_in =
        reinterpret_cast<Bytef*>(const_cast<char*>(data.data()) + in_pos);
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int ret = deflate(&zs, last ? Z_FINISH : Z_NO_FLUSH);
    in_pos += in_chunk - zs.avail_in;
    produced += out_chunk - zs.avail_out;
    if (ret == Z_STREAM_END) break;
    if (ret != Z_OK && ret != Z_BUF_ERROR) {
      return absl::InternalError(absl::StrCat("zlib deflate failed: ", ret));
    }
  }
  out.resize(produced);
  return out;
}

absl::StatusOr<std::string> CompressZstd(std::string_view data, int level) {
  if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid zstd compression level ", level, " (valid: ", ZSTD_minCLevel(),
        " to ", ZSTD_maxCLevel(), ")"));
  }
  const std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx(
      ZSTD_createCCtx(), ZSTD_freeCCtx);
  if (cctx == nullptr) {
    return absl::ResourceExhaustedError(
        "cannot create zstd compression context");
  }
  // Level 0 is zstd's own "default" (3). A checksum, as the zstd CLI writes.
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
  std::string out;
  out.resize(ZSTD_compressBound(data.size()));
  const size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(),
                                  data.data(), data.size());
  if (ZSTD_isError(n)) {
    return absl::InternalError(
        absl::StrCat("zstd compression failed: ", ZSTD_getErrorName(n)));
  }
  out.resize(n);
  return out;
}

}  // namespace

Compression DetectCompression(std::string_view head) {
  const auto* b = reinterpret_cast<const unsigned char*>(head.data());
  if (head.size() >= 2 && b[0] == 0x1f && b[1] == 0x8b)
    return Compression::kGzip;
  if (head.size() >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f &&
      b[3] == 0xfd) {
    return Compression::kZstd;
  }
  return Compression::kNone;
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "unknown";
}

absl::StatusOr<std::string> Decompress(Compression c, std::string_view data,
                                       size_t max_output_bytes) {
  const size_t cap = OutputCap(max_output_bytes);
  switch (c) {
    case Compression::kGzip: {
      StringOutput out(GzipSizeHint(data), cap);
      const absl::Status status = InflateGzip(data, max_output_bytes, out);
      if (!status.ok()) return status;
      return out.Take();
    }
    case Compression::kZstd: {
      StringOutput out(ZstdSizeHint(data), cap);
      const absl::Status status = DecodeZstd(data, max_output_bytes, out);
      if (!status.ok()) return status;
      return out.Take();
    }
    case Compression::kNone:
      break;
  }
  if (data.size() > max_output_bytes) return OutputLimitError(max_output_bytes);
  return std::string(data);
}

absl::Status DecompressTo(Compression c, std::string_view data,
                          absl::FunctionRef<void(std::string_view)> sink,
                          size_t max_output_bytes) {
  ChunkOutput out(sink);
  switch (c) {
    case Compression::kGzip:
      return InflateGzip(data, max_output_bytes, out);
    case Compression::kZstd:
      return DecodeZstd(data, max_output_bytes, out);
    case Compression::kNone:
      break;
  }
  if (data.size() > max_output_bytes) return OutputLimitError(max_output_bytes);
  if (!data.empty()) sink(data);
  return absl::OkStatus();
}

absl::StatusOr<std::string> Compress(Compression c, std::string_view data,
                                     int level) {
  switch (c) {
    case Compression::kGzip:
      return CompressGzip(data, level);
    case Compression::kZstd:
      return CompressZstd(data, level);
    case Compression::kNone:
      break;
  }
  return std::string(data);
}

}  // namespace dedup
