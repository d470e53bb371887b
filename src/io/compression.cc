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

// The fixed buffers that streamed output goes through (ChunkOutput and the
// compressors).
constexpr size_t kChunkBytes = size_t{1} << 20;

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

// What the compressors share: a fixed buffer, whose made bytes go to the
// output.
class BufferedCompressor : public StreamCompressor {
 protected:
  explicit BufferedCompressor(Output out) : out_(std::move(out)), buffer_(kChunkBytes) {}
  char* buffer() { return buffer_.data(); }
  size_t buffer_size() const { return buffer_.size(); }
  // Hands the first `made` bytes of the buffer to the output.
  absl::Status Emit(size_t made) {
    return made == 0 ? absl::OkStatus() : out_(std::string_view(buffer_.data(), made));
  }

 private:
  Output out_;
  std::vector<char> buffer_;
};

class PassThrough : public StreamCompressor {
 public:
  explicit PassThrough(Output out) : out_(std::move(out)) {}
  absl::Status Add(std::string_view bytes) override { return bytes.empty() ? absl::OkStatus() : out_(bytes); }
  absl::Status Finish() override { return absl::OkStatus(); }

 private:
  Output out_;
};

class GzipStreamCompressor : public BufferedCompressor {
 public:
  explicit GzipStreamCompressor(Output out) : BufferedCompressor(std::move(out)) {}
  ~GzipStreamCompressor() override {
    if (initialised_) deflateEnd(&zs_);
  }
  absl::Status Init(int level) {
    const int zlevel = level == 0 ? Z_DEFAULT_COMPRESSION : level;
    if (level < 0 || level > 9 || deflateInit2(&zs_, zlevel, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      return absl::InvalidArgumentError(absl::StrCat("invalid gzip compression level ", level, " (valid: 0-9)"));
    }
    initialised_ = true;
    return absl::OkStatus();
  }
  absl::Status Add(std::string_view bytes) override {
    // zlib counts in uInt (32 bits): huge pieces go in slices.
    while (!bytes.empty()) {
      const size_t take = std::min<size_t>(bytes.size(), UINT_MAX);
      if (absl::Status status = Deflate(bytes.substr(0, take), Z_NO_FLUSH); !status.ok()) return status;
      bytes.remove_prefix(take);
    }
    return absl::OkStatus();
  }
  absl::Status Finish() override { return Deflate({}, Z_FINISH); }

 private:
  // Runs deflate over input until it is consumed (and, for Z_FINISH, the
  // member is complete), handing each full or final buffer to out_.
  absl::Status Deflate(std::string_view input, int flush) {
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
    zs_.avail_in = static_cast<uInt>(input.size());
    for (;;) {
      zs_.next_out = reinterpret_cast<Bytef*>(buffer());
      zs_.avail_out = static_cast<uInt>(buffer_size());
      const int ret = deflate(&zs_, flush);
      if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
        return absl::InternalError(absl::StrCat("zlib deflate failed: ", ret));
      }
      if (absl::Status status = Emit(buffer_size() - zs_.avail_out); !status.ok()) return status;
      if (flush == Z_FINISH ? ret == Z_STREAM_END : (zs_.avail_in == 0 && zs_.avail_out > 0)) {
        return absl::OkStatus();
      }
    }
  }

  z_stream zs_ = {};
  bool initialised_ = false;
};

class ZstdStreamCompressor : public BufferedCompressor {
 public:
  explicit ZstdStreamCompressor(Output out)
      : BufferedCompressor(std::move(out)), cctx_(ZSTD_createCCtx(), ZSTD_freeCCtx) {}
  absl::Status Init(int level) {
    if (level < ZSTD_minCLevel() || level > ZSTD_maxCLevel()) {
      return absl::InvalidArgumentError(absl::StrCat("invalid zstd compression level ", level, " (valid: ",
                                                     ZSTD_minCLevel(), " to ", ZSTD_maxCLevel(), ")"));
    }
    if (cctx_ == nullptr) return absl::ResourceExhaustedError("cannot create zstd compression context");
    // Level 0 is zstd's own default (3). A checksum, as the zstd CLI writes.
    ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx_.get(), ZSTD_c_checksumFlag, 1);
    return absl::OkStatus();
  }
  absl::Status Add(std::string_view bytes) override { return Compress(bytes, ZSTD_e_continue); }
  absl::Status Finish() override { return Compress({}, ZSTD_e_end); }

 private:
  absl::Status Compress(std::string_view input, ZSTD_EndDirective mode) {
    ZSTD_inBuffer in = {input.data(), input.size(), 0};
    for (;;) {
      ZSTD_outBuffer ob = {buffer(), buffer_size(), 0};
      const size_t left = ZSTD_compressStream2(cctx_.get(), &ob, &in, mode);
      if (ZSTD_isError(left)) {
        return absl::InternalError(absl::StrCat("zstd compression failed: ", ZSTD_getErrorName(left)));
      }
      if (absl::Status status = Emit(ob.pos); !status.ok()) return status;
      // e_continue: done once the input is consumed; e_end: once flushed.
      if (mode == ZSTD_e_end ? left == 0 : in.pos == in.size) return absl::OkStatus();
    }
  }

  std::unique_ptr<ZSTD_CCtx, size_t (*)(ZSTD_CCtx*)> cctx_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<StreamCompressor>> StreamCompressor::Create(Compression c, int level, Output out) {
  switch (c) {
    case Compression::kGzip: {
      auto gzip = std::make_unique<GzipStreamCompressor>(std::move(out));
      if (absl::Status status = gzip->Init(level); !status.ok()) return status;
      return gzip;
    }
    case Compression::kZstd: {
      auto zstd = std::make_unique<ZstdStreamCompressor>(std::move(out));
      if (absl::Status status = zstd->Init(level); !status.ok()) return status;
      return zstd;
    }
    case Compression::kNone:
      break;
  }
  return std::make_unique<PassThrough>(std::move(out));
}

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
  std::string out;
  absl::StatusOr<std::unique_ptr<StreamCompressor>> compressor =
      StreamCompressor::Create(c, level, [&](std::string_view bytes) {
        out.append(bytes);
        return absl::OkStatus();
      });
  if (!compressor.ok()) return compressor.status();
  if (absl::Status status = (*compressor)->Add(data); !status.ok()) return status;
  if (absl::Status status = (*compressor)->Finish(); !status.ok()) return status;
  return out;
}

}  // namespace dedup
