#include "core/line_key_log.h"

#include <gtest/gtest.h>

#include <vector>

namespace dedup {
namespace {

TEST(LineKeyLogTest, ChunksReadBackInOrderWhicheverThreadWroteThem) {
  // Chunk c holds c + 1 lines; every third line has no template key.
  auto key_of = [](size_t chunk, size_t line) -> TemplateKey {
    if (line % 3 == 2) return {};
    return {(chunk << 8) | line | (uint64_t{1} << 63), line % 3 == 0 ? TemplateKind::kLabel : TemplateKind::kZoneWord};
  };
  constexpr size_t kChunks = 7;
  LineKeyLog log;
  log.Reset(kChunks, 2);
  EXPECT_EQ(log.num_chunks(), kChunks);
  for (const size_t chunk : {3, 0, 6, 1, 5, 2, 4}) {  // out of order, two writers
    const int thread = static_cast<int>(chunk % 2);
    log.BeginChunk(chunk, thread);
    for (size_t line = 0; line <= chunk; ++line) log.Append(thread, key_of(chunk, line));
  }
  for (size_t chunk = 0; chunk < kChunks; ++chunk) {
    LineKeyLog::Cursor cursor = log.ReadChunk(chunk);
    for (size_t line = 0; line <= chunk; ++line) {
      const TemplateKey got = cursor.Next();
      EXPECT_EQ(got.key, key_of(chunk, line).key) << chunk << " " << line;
      EXPECT_EQ(got.kind, key_of(chunk, line).kind) << chunk << " " << line;
    }
  }
}

}  // namespace
}  // namespace dedup
