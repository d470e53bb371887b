#include "core/line_key_log.h"

namespace dedup {

void LineKeyLog::Reset(size_t num_chunks, int threads) {
  per_thread_ = std::vector<PerThread>(static_cast<size_t>(threads));
  chunk_start_.assign(num_chunks, ChunkStart{});
}

size_t LineKeyLog::num_lines() const {
  size_t lines = 0;
  for (const PerThread& p : per_thread_) lines += p.tag.size();  // a tag per line
  return lines;
}

LineKeyLog::Cursor LineKeyLog::ReadChunk(size_t chunk) const {
  const ChunkStart& start = chunk_start_[chunk];
  const PerThread& p = per_thread_[start.thread];
  Cursor c;
  c.words_ = p.words.data() + start.word_offset;
  c.tag_ = p.tag.data() + start.tag_offset;
  c.places_ = p.places.data() + start.place_offset;
  return c;
}

}  // namespace dedup
