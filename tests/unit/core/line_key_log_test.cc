#include "core/line_key_log.h"

#include <gtest/gtest.h>

#include <vector>

namespace dedup {
namespace {

TEST(LineKeyLogTest, ChunksReadBackInOrderWhicheverThreadWroteThem) {
  // Chunk c holds c + 1 lines; every third line has no template key, every
  // second line an exact hash of its own.
  auto line_of = [](size_t chunk, size_t line) -> LoggedLine {
    LoggedLine l;
    l.hash = (chunk << 16) | (line << 1) | 1;
    l.exact_hash = line % 2 == 1 ? l.hash ^ (uint64_t{1} << 62) : l.hash;
    if (line % 3 != 2) {
      l.tkey = {(chunk << 8) | line | (uint64_t{1} << 63), line % 3 == 0 ? TemplateKind::kLabel : TemplateKind::kLink};
    }
    return l;
  };
  constexpr size_t kChunks = 7;
  LineKeyLog log;
  log.Reset(kChunks, 2);
  EXPECT_EQ(log.num_chunks(), kChunks);
  for (const size_t chunk : {3, 0, 6, 1, 5, 2, 4}) {  // out of order, two writers
    const int thread = static_cast<int>(chunk % 2);
    log.BeginChunk(chunk, thread);
    for (size_t line = 0; line <= chunk; ++line) log.Append(thread, line_of(chunk, line));
  }
  for (size_t chunk = 0; chunk < kChunks; ++chunk) {
    LineKeyLog::Cursor cursor = log.ReadChunk(chunk);
    for (size_t line = 0; line <= chunk; ++line) {
      const LoggedLine got = cursor.Next();
      const LoggedLine want = line_of(chunk, line);
      EXPECT_EQ(got.hash, want.hash) << chunk << " " << line;
      EXPECT_EQ(got.exact_hash, want.exact_hash) << chunk << " " << line;
      EXPECT_EQ(got.tkey.key, want.tkey.key) << chunk << " " << line;
      EXPECT_EQ(got.tkey.kind, want.tkey.kind) << chunk << " " << line;
    }
  }
}

}  // namespace
}  // namespace dedup
