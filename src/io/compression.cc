// File: io/compression.cc
// gzip through zlib (inflate with windowBits 15+16, one reset per member) and
// zstd through libzstd's streaming API (which walks frames by itself). Output
// grows geometrically from a size hint and is capped one byte past the limit,
// so the limit check never needs a second pass.
#include "io/compression.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

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

absl::StatusOr<std::string> DecompressGzip(std::string_view data,
                                           size_t max_output_bytes) {
  z_stream zs = {};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) {
    return absl::ResourceExhaustedError("cannot initialise zlib inflate");
  }
  const std::unique_ptr<z_stream, int (*)(z_stream*)> guard(&zs, inflateEnd);
  const size_t cap = OutputCap(max_output_bytes);
  std::string out;
  out.resize(std::min(GzipSizeHint(data), cap));
  size_t produced = 0;
  size_t in_pos = 0;
  const auto* in = reinterpret_cast<const Bytef*>(data.data());
  for (;;) {
    if (!GrowOutput(&out, produced, cap))
      return OutputLimitError(max_output_bytes);
    // zlib counts in uInt (32 bits): feed huge buffers in slices.
    const size_t in_chunk = std::min<size_t>(data.size() - in_pos, UINT_MAX);
    const size_t out_chunk = std::min<size_t>(out.size() - produced, UINT_MAX);
    zs.next_in = const_cast<Bytef*>(in + in_pos);
    zs.avail_in = static_cast<uInt>(in_chunk);
    zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    zs.avail_out = static_cast<uInt>(out_chunk);
    const int ret = inflate(&zs, Z_NO_FLUSH);
    in_pos += in_chunk - zs.avail_in;
    produced += out_chunk - zs.avail_out;
    if (produced > max_output_bytes) return OutputLimitError(max_output_bytes);
    switch (ret) {
      case Z_OK:
        continue;
      case Z_STREAM_END: {
        if (in_pos == data.size()) {
          out.resize(produced);
          return out;
        }
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
        // No progress: either the output is full (grow and retry) or the
        // input ran out before the end of the member.
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

absl::StatusOr<std::string> DecompressZstd(std::string_view data,
                                           size_t max_output_bytes) {
  const std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> dctx(
      ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (dctx == nullptr) {
    return absl::ResourceExhaustedError(
        "cannot create zstd decompression context");
  }
  const size_t cap = OutputCap(max_output_bytes);
  // The first frame's declared size is only a hint (it can lie): cap it.
  size_t hint = kMinOutputChunk;
  const unsigned long long declared =
      ZSTD_getFrameContentSize(data.data(), data.size());
  if (declared != ZSTD_CONTENTSIZE_UNKNOWN &&
      declared != ZSTD_CONTENTSIZE_ERROR) {
    hint = static_cast<size_t>(std::min<unsigned long long>(
        declared + 1,
        std::max<unsigned long long>(data.size(), 1) * 64 + kMinOutputChunk));
  }
  std::string out;
  out.resize(std::min(hint, cap));
  ZSTD_inBuffer in = {data.data(), data.size(), 0};
  size_t produced = 0;
  for (;;) {
    if (!GrowOutput(&out, produced, cap))
      return OutputLimitError(max_output_bytes);
    ZSTD_outBuffer ob = {out.data(), out.size(), produced};
    const size_t ret = ZSTD_decompressStream(dctx.get(), &ob, &in);
    produced = ob.pos;
    if (produced > max_output_bytes) return OutputLimitError(max_output_bytes);
    if (ZSTD_isError(ret)) {
      return absl::DataLossError(absl::StrCat("corrupt zstd stream at byte ",
                                              in.pos, ": ",
                                              ZSTD_getErrorName(ret)));
    }
    if (ret == 0) {  // a frame is complete and flushed
      if (in.pos == in.size) {
        out.resize(produced);
        return out;
      }
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
  switch (c) {
    case Compression::kGzip:
      return DecompressGzip(data, max_output_bytes);
    case Compression::kZstd:
      return DecompressZstd(data, max_output_bytes);
    case Compression::kNone:
      break;
  }
  if (data.size() > max_output_bytes) return OutputLimitError(max_output_bytes);
  return std::string(data);
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
