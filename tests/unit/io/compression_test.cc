// File: tests/unit/io/compression_test.cc
// Detection, gzip/zstd round trips, concatenated members and frames,
// truncation and corruption (DataLoss with the byte offset), output limits;
// DecompressTo against Decompress; StreamCompressor in pieces.
#include "io/compression.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace dedup {
namespace {

// Seeded text with some redundancy, so it compresses but not trivially.
std::string SampleText(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static constexpr const char* kWords[] = {
      "the ",     "news ", "agency ", "reported ", "on ",
      "Monday\n", "that ", "prices ", "rose ",     "3.4% "};
  std::string s;
  while (s.size() < size) s += kWords[rng() % 10];
  s.resize(size);
  return s;
}

std::string MustCompress(Compression c, std::string_view data, int level = 0) {
  absl::StatusOr<std::string> out = Compress(c, data, level);
  EXPECT_TRUE(out.ok()) << out.status();
  return out.ok() ? *out : std::string();
}

TEST(DetectCompressionTest, MagicBytes) {
  EXPECT_EQ(DetectCompression("\x1f\x8b\x08"), Compression::kGzip);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f\xfd\x00"), Compression::kZstd);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f"), Compression::kNone);
  EXPECT_EQ(DetectCompression("\x1f"), Compression::kNone);
  EXPECT_EQ(DetectCompression(""), Compression::kNone);
  EXPECT_EQ(DetectCompression("{\"text\":1}"), Compression::kNone);
  EXPECT_EQ(DetectCompression(MustCompress(Compression::kGzip, "x")),
            Compression::kGzip);
  EXPECT_EQ(DetectCompression(MustCompress(Compression::kZstd, "x")),
            Compression::kZstd);
}

TEST(CompressionNameTest, Names) {
  EXPECT_EQ(CompressionName(Compression::kNone), "none");
  EXPECT_EQ(CompressionName(Compression::kGzip), "gzip");
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
}

class RoundTripTest : public ::testing::TestWithParam<Compression> {};

TEST_P(RoundTripTest, RoundTripsManySizesAndLevels) {
  const Compression c = GetParam();
  for (const size_t size :
       {size_t{0}, size_t{1}, size_t{100}, size_t{65536}, size_t{3} << 20}) {
    const std::string data = SampleText(size, size);
    for (const int level : {0, 1, 9}) {
      const std::string packed = MustCompress(c, data, level);
      absl::StatusOr<std::string> back = Decompress(c, packed);
      ASSERT_TRUE(back.ok()) << size << " " << level << ": " << back.status();
      EXPECT_EQ(*back, data);
    }
  }
}

TEST_P(RoundTripTest, ConcatenatedMembersAreAllDecoded) {
  const Compression c = GetParam();
  const std::string a = SampleText(1000, 1);
  const std::string b = SampleText(200000, 2);
  const std::string packed =
      MustCompress(c, a) + MustCompress(c, "") + MustCompress(c, b);
  absl::StatusOr<std::string> back = Decompress(c, packed);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, a + b);
}

class CodecTest : public ::testing::TestWithParam<Compression> {};

TEST_P(CodecTest, EveryTruncationIsDataLossAtTheEnd) {
  const Compression c = GetParam();
  const std::string packed = MustCompress(c, SampleText(5000, 7));
  const std::string name(CompressionName(c));
  for (size_t len = 0; len < packed.size(); ++len) {
    absl::StatusOr<std::string> back = Decompress(c, packed.substr(0, len));
    ASSERT_FALSE(back.ok()) << len;
    EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
    EXPECT_EQ(std::string(back.status().message()),
              absl::StrCat("truncated ", name, " stream at byte ", len));
  }
}

TEST_P(CodecTest, TruncatedSecondMember) {
  const Compression c = GetParam();
  const std::string second = MustCompress(c, SampleText(3000, 9));
  const std::string packed =
      MustCompress(c, "first") + second.substr(0, second.size() / 2);
  absl::StatusOr<std::string> back = Decompress(c, packed);
  EXPECT_EQ(back.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(std::string(back.status().message()),
            absl::StrCat("truncated ", std::string(CompressionName(c)),
                         " stream at byte ", packed.size()));
}

TEST_P(RoundTripTest, OutputLimit) {
  const Compression c = GetParam();
  const std::string data = SampleText(10000, 3);
  const std::string packed = MustCompress(c, data);
  EXPECT_TRUE(Decompress(c, packed, data.size()).ok());
  absl::StatusOr<std::string> over = Decompress(c, packed, data.size() - 1);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(std::string(over.status().message()),
            "decompressed size exceeds the limit of 9999 bytes");
  EXPECT_EQ(Decompress(c, packed, 0).status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_P(RoundTripTest, BombStopsAtTheLimit) {
  const Compression c = GetParam();
  const std::string packed = MustCompress(c, std::string(size_t{64} << 20, 0));
  absl::StatusOr<std::string> out = Decompress(c, packed, size_t{1} << 20);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kResourceExhausted);
}

// DecompressTo's pieces, joined; and how many there were and the largest.
struct Streamed {
  absl::Status status;
  std::string bytes;
  size_t pieces = 0;
  size_t largest = 0;
};

Streamed DecompressStreamed(Compression c, std::string_view data, size_t limit = SIZE_MAX) {
  Streamed out;
  out.status = DecompressTo(
      c, data,
      [&](std::string_view piece) {
        out.bytes += piece;
        ++out.pieces;
        out.largest = std::max(out.largest, piece.size());
      },
      limit);
  return out;
}

TEST_P(RoundTripTest, StreamedOutputEqualsTheWholeOne) {
  const Compression c = GetParam();
  for (const size_t size : {size_t{0}, size_t{100}, size_t{3} << 20}) {
    const std::string data = SampleText(size, size);
    const std::string packed = MustCompress(c, data) + MustCompress(c, data.substr(0, size / 3));
    const absl::StatusOr<std::string> whole = Decompress(c, packed);
    ASSERT_TRUE(whole.ok()) << whole.status();
    const Streamed streamed = DecompressStreamed(c, packed);
    ASSERT_TRUE(streamed.status.ok()) << streamed.status;
    EXPECT_EQ(streamed.bytes, *whole) << size;
    if (c != Compression::kNone) {
      EXPECT_LE(streamed.largest, size_t{1} << 20);
      if (size > 0) EXPECT_GE(streamed.pieces, whole->size() >> 20);
    }
  }
}

TEST_P(RoundTripTest, StreamedOutputLimit) {
  const Compression c = GetParam();
  const std::string data = SampleText(10000, 3);
  const std::string packed = MustCompress(c, data);
  EXPECT_TRUE(DecompressStreamed(c, packed, data.size()).status.ok());
  const Streamed over = DecompressStreamed(c, packed, data.size() - 1);
  EXPECT_EQ(over.status.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(std::string(over.status.message()), "decompressed size exceeds the limit of 9999 bytes");
}

TEST_P(CodecTest, StreamedTruncationIsTheSameError) {
  const Compression c = GetParam();
  const std::string packed = MustCompress(c, SampleText(5000, 7));
  for (size_t len = 0; len < packed.size(); len += 7) {
    const absl::StatusOr<std::string> whole = Decompress(c, packed.substr(0, len));
    const Streamed streamed = DecompressStreamed(c, packed.substr(0, len));
    ASSERT_FALSE(streamed.status.ok()) << len;
    EXPECT_EQ(streamed.status, whole.status()) << len;
  }
}

// Compresses data in pieces of `piece` bytes with a StreamCompressor.
std::string CompressInPieces(Compression c, std::string_view data, size_t piece) {
  std::string out;
  absl::StatusOr<std::unique_ptr<StreamCompressor>> compressor =
      StreamCompressor::Create(c, 0, [&](std::string_view bytes) {
        out += bytes;
        return absl::OkStatus();
      });
  EXPECT_TRUE(compressor.ok()) << compressor.status();
  for (size_t at = 0; at < data.size(); at += piece) EXPECT_TRUE((*compressor)->Add(data.substr(at, piece)).ok());
  EXPECT_TRUE((*compressor)->Finish().ok());
  return out;
}

TEST_P(RoundTripTest, StreamCompressedInAnyPiecesDecompressesBack) {
  const Compression c = GetParam();
  const std::pair<size_t, size_t> cases[] = {{0, 1}, {5000, 1}, {100000, 777}, {size_t{3} << 20, 65536}};
  for (const auto& [size, piece] : cases) {
    const std::string data = SampleText(size, size + 1);
    const std::string packed = CompressInPieces(c, data, piece);
    EXPECT_EQ(DetectCompression(packed), size == 0 && c == Compression::kNone ? Compression::kNone : c);
    const absl::StatusOr<std::string> back = Decompress(c, packed);
    ASSERT_TRUE(back.ok()) << size << ": " << back.status();
    EXPECT_EQ(*back, data) << size;
  }
}

TEST_P(RoundTripTest, StreamCompressorPassesOnItsOutputsError) {
  const Compression c = GetParam();
  absl::StatusOr<std::unique_ptr<StreamCompressor>> compressor = StreamCompressor::Create(
      c, 0, [](std::string_view) { return absl::UnavailableError("disk full"); });
  ASSERT_TRUE(compressor.ok());
  // Enough that some output must be handed over before Finish.
  absl::Status status = (*compressor)->Add(SampleText(size_t{4} << 20, 5));
  if (status.ok()) status = (*compressor)->Finish();
  EXPECT_EQ(status, absl::UnavailableError("disk full"));
}

INSTANTIATE_TEST_SUITE_P(AllFormats, RoundTripTest,
                         ::testing::Values(Compression::kNone,
                                           Compression::kGzip,
                                           Compression::kZstd),
                         [](const auto& info) {
                           return std::string(CompressionName(info.param));
                         });

INSTANTIATE_TEST_SUITE_P(Codecs, CodecTest,
                         ::testing::Values(Compression::kGzip,
                                           Compression::kZstd),
                         [](const auto& info) {
                           return std::string(CompressionName(info.param));
                         });

TEST(DecompressTest, GzipTrailingGarbageIsCorrupt) {
  const std::string packed = MustCompress(Compression::kGzip, "hello");
  absl::StatusOr<std::string> out =
      Decompress(Compression::kGzip, packed + "junk");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(std::string(out.status().message()),
            absl::StrCat("corrupt gzip stream at byte ", packed.size(),
                         ": trailing data after the last gzip member"));
}

TEST(DecompressTest, GzipCorruptHeaderAndCrc) {
  std::string packed = MustCompress(Compression::kGzip, SampleText(5000, 4));
  std::string bad_method = packed;
  bad_method[2] = 0x07;  // compression method must be 8 (deflate)
  absl::StatusOr<std::string> out = Decompress(Compression::kGzip, bad_method);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(
      absl::StartsWith(out.status().message(), "corrupt gzip stream at byte "))
      << out.status().message();
  EXPECT_TRUE(
      absl::StrContains(out.status().message(), "unknown compression method"))
      << out.status().message();
  std::string bad_crc = packed;
  bad_crc[bad_crc.size() - 6] ^= 0x55;  // inside the CRC32 field
  out = Decompress(Compression::kGzip, bad_crc);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(out.status().message(), "incorrect data check"))
      << out.status().message();
}

TEST(DecompressTest, ZstdCorruptAndTrailingGarbage) {
  const std::string packed =
      MustCompress(Compression::kZstd, SampleText(5000, 5));
  absl::StatusOr<std::string> out =
      Decompress(Compression::kZstd, packed + "junk");
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(out.status().message(),
                               absl::StrCat("corrupt zstd stream at byte ")))
      << out.status().message();
  std::string bad = packed;
  bad[bad.size() - 2] ^= 0x55;  // inside the content checksum
  out = Decompress(Compression::kZstd, bad);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StrContains(out.status().message(), "checksum"))
      << out.status().message();
}

TEST(DecompressTest, RandomCorruptionNeverSucceedsSilently) {
  // With CRC32 (gzip) and XXH64 (zstd) checks, flipping one byte must give
  // an error, or -- when the flip lands in a header field the format ignores
  // (gzip MTIME/OS/XFL) -- the original data.
  const std::string data = SampleText(20000, 6);
  std::mt19937_64 rng(99);
  for (const Compression c : {Compression::kGzip, Compression::kZstd}) {
    const std::string packed = MustCompress(c, data);
    for (int i = 0; i < 300; ++i) {
      std::string bad = packed;
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
      absl::StatusOr<std::string> out = Decompress(c, bad);
      if (out.ok()) {
        EXPECT_EQ(*out, data) << CompressionName(c) << " iteration " << i;
      } else {
        EXPECT_EQ(out.status().code(), absl::StatusCode::kDataLoss)
            << out.status();
      }
    }
  }
}

TEST(DecompressTest, NotCompressedInputIsRejected) {
  EXPECT_EQ(Decompress(Compression::kGzip, "plain text").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decompress(Compression::kZstd, "plain text").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(CompressTest, InvalidLevels) {
  EXPECT_EQ(Compress(Compression::kGzip, "x", 10).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Compress(Compression::kGzip, "x", -1).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Compress(Compression::kZstd, "x", 1000).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Compress(Compression::kZstd, "x", -5).ok());
}

}  // namespace
}  // namespace dedup
