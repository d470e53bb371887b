#include "core/append_buffer.h"

#include <cstdint>
#include <utility>

#include "gtest/gtest.h"

namespace dedup {
namespace {

struct Pair {
  uint64_t a = 0;
  uint32_t b = 0;
};

TEST(AppendBufferTest, KeepsEveryValueAcrossGrowth) {
  AppendBuffer<Pair> buffer;
  EXPECT_TRUE(buffer.empty());
  // Far past the first capacity and past 1 MiB, so that growth goes
  // through both malloc and the buffer's own mapping.
  constexpr uint64_t kCount = 3'000'000;
  for (uint64_t i = 0; i < kCount; ++i) buffer.push_back({i * 7, static_cast<uint32_t>(i)});
  ASSERT_EQ(buffer.size(), kCount);
  for (uint64_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(buffer[i].a, i * 7);
    ASSERT_EQ(buffer[i].b, static_cast<uint32_t>(i));
  }
  EXPECT_EQ(buffer.end() - buffer.begin(), static_cast<std::ptrdiff_t>(kCount));
  buffer[kCount - 1].b = 42;
  EXPECT_EQ(buffer[kCount - 1].b, 42u);
}

TEST(AppendBufferTest, MovesOwnership) {
  AppendBuffer<uint8_t> a;
  for (int i = 0; i < 5000; ++i) a.push_back(static_cast<uint8_t>(i));
  AppendBuffer<uint8_t> b(std::move(a));
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  ASSERT_EQ(b.size(), 5000u);
  EXPECT_EQ(b[4999], static_cast<uint8_t>(4999));
  a = std::move(b);
  ASSERT_EQ(a.size(), 5000u);
  EXPECT_EQ(a[1234], static_cast<uint8_t>(1234));
  a.push_back(7);
  EXPECT_EQ(a.size(), 5001u);
}

// The same for buffers in their own mappings: a move hands the mapping
// over, and a move-assignment frees the one it replaces.
TEST(AppendBufferTest, MovesMappedBuffers) {
  constexpr int kCount = 3 << 20;  // 3 MiB of bytes
  AppendBuffer<uint8_t> a, c;
  for (int i = 0; i < kCount; ++i) a.push_back(static_cast<uint8_t>(i * 3));
  for (int i = 0; i < kCount; ++i) c.push_back(1);
  AppendBuffer<uint8_t> b(std::move(a));
  ASSERT_EQ(b.size(), static_cast<size_t>(kCount));
  c = std::move(b);
  ASSERT_EQ(c.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; i += 4099) ASSERT_EQ(c[i], static_cast<uint8_t>(i * 3)) << i;
  c.push_back(9);  // grows the mapping it took over
  EXPECT_EQ(c[kCount], 9);
  EXPECT_EQ(c[kCount - 1], static_cast<uint8_t>((kCount - 1) * 3));
}

}  // namespace
}  // namespace dedup
