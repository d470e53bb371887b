#include "core/line_key_log.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dedup {
namespace {

TEST(LineKeyLogTest, ChunksReadBackInOrderWhicheverThreadWroteThem) {
  // Chunk c holds c + 1 documents, document j of it j + 1 lines (chunk 4
  // also an empty document first); every third line has no template key,
  // every second line an exact hash of its own. Starts step by 1 to 2^31
  // bytes, token counts run to 2^32 - 1 (varints of one to five bytes).
  auto line_of = [](size_t chunk, size_t doc, size_t line) -> LoggedLine {
    LoggedLine l;
    l.hash = (chunk << 24) | (doc << 16) | (line << 1) | 1;
    l.exact_hash = line % 2 == 1 ? l.hash ^ (uint64_t{1} << 62) : l.hash;
    if (line % 3 != 2) {
      l.tkey = {(chunk << 8) | line | (uint64_t{1} << 63), line % 3 == 0 ? TemplateKind::kLabel : TemplateKind::kLink};
    }
    l.begin = line == 0 ? static_cast<uint32_t>(doc * 7) : static_cast<uint32_t>((uint64_t{1} << (line * 5 % 32)) + line);
    l.num_tokens = line == 3 ? UINT32_MAX : static_cast<uint32_t>((chunk * 131 + line * 977) << (line % 4 * 6));
    l.zone = static_cast<LineZone>((chunk + line) % 3);
    l.link_shaped = (chunk + doc + line) % 2 == 0;
    return l;
  };
  constexpr size_t kChunks = 7;
  LineKeyLog log;
  log.Reset(kChunks, 2);
  EXPECT_EQ(log.num_chunks(), kChunks);
  for (const size_t chunk : {3, 0, 6, 1, 5, 2, 4}) {  // out of order, two writers
    const int thread = static_cast<int>(chunk % 2);
    log.BeginChunk(chunk, thread);
    if (chunk == 4) log.BeginDocument(thread, 0);
    for (size_t doc = 0; doc <= chunk; ++doc) {
      log.BeginDocument(thread, static_cast<uint32_t>(doc + 1));
      for (size_t line = 0; line <= doc; ++line) log.Append(thread, line_of(chunk, doc, line));
    }
  }
  for (size_t chunk = 0; chunk < kChunks; ++chunk) {
    LineKeyLog::Cursor cursor = log.ReadChunk(chunk);
    if (chunk == 4) EXPECT_EQ(cursor.NextDocument(), 0u);
    for (size_t doc = 0; doc <= chunk; ++doc) {
      ASSERT_EQ(cursor.NextDocument(), doc + 1) << chunk << " " << doc;
      for (size_t line = 0; line <= doc; ++line) {
        LoggedLine got;
        got.hash = got.exact_hash = got.tkey.key = 0xDEADBEEF;  // stale values Next must overwrite
        got.begin = got.num_tokens = 12345;
        got.tkey.kind = TemplateKind::kLabel;
        got.zone = LineZone::kTail;
        got.link_shaped = true;
        cursor.Next(&got);
        const LoggedLine want = line_of(chunk, doc, line);
        const std::string where = std::to_string(chunk) + " " + std::to_string(doc) + " " + std::to_string(line);
        EXPECT_EQ(got.hash, want.hash) << where;
        EXPECT_EQ(got.exact_hash, want.exact_hash) << where;
        EXPECT_EQ(got.tkey.key, want.tkey.key) << where;
        EXPECT_EQ(got.tkey.kind, want.tkey.kind) << where;
        EXPECT_EQ(got.begin, want.begin) << where;
        EXPECT_EQ(got.num_tokens, want.num_tokens) << where;
        EXPECT_EQ(got.zone, want.zone) << where;
        EXPECT_EQ(got.link_shaped, want.link_shaped) << where;
      }
    }
  }
}

}  // namespace
}  // namespace dedup
