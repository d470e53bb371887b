// File: tests/fuzz/fuzz_decompress.cc
// Decompress (gzip and zstd, whatever the magic) never crashes, never
// returns more than the 1 MiB limit, fails only with DataLoss or
// ResourceExhausted, and what it returns survives a compress round trip;
// DecompressTo streams the same bytes or fails too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/compression.h"

namespace {

// Small on purpose: bombs must stop here, and the fuzzer stays fast.
constexpr size_t kMaxOutputBytes = size_t{1} << 20;  // 1 MiB

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const dedup::Compression c :
       {dedup::Compression::kGzip, dedup::Compression::kZstd}) {
    const absl::StatusOr<std::string> out =
        dedup::Decompress(c, input, kMaxOutputBytes);
    // The streamed output is the same bytes, or fails too: with the same
    // code, unless one of them met the output limit first (the decoders stop
    // at different points; a corrupt zstd frame's offset can differ too: see
    // compression.h).
    std::string streamed;
    const absl::Status streamed_status = dedup::DecompressTo(
        c, input, [&](std::string_view piece) { streamed += piece; }, kMaxOutputBytes);
    Check(streamed_status.ok() == out.ok());
    Check(out.ok() || streamed_status.code() == out.status().code() ||
          streamed_status.code() == absl::StatusCode::kResourceExhausted ||
          out.status().code() == absl::StatusCode::kResourceExhausted);
    Check(!out.ok() || streamed == *out);
    if (!out.ok()) {
      Check(out.status().code() == absl::StatusCode::kDataLoss ||
            out.status().code() == absl::StatusCode::kResourceExhausted);
      continue;
    }
    Check(out->size() <= kMaxOutputBytes);
    if (out->size() <= 4096) {
      const absl::StatusOr<std::string> packed = dedup::Compress(c, *out, 1);
      Check(packed.ok());
      const absl::StatusOr<std::string> back =
          dedup::Decompress(c, *packed, kMaxOutputBytes);
      Check(back.ok() && *back == *out);
    }
  }
  return 0;
}
