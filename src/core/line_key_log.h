// File: core/line_key_log.h
// Pass 1's keys of every line with tokens, kept for pass 2 so that it need
// not compute them again: the line's hash (what its block key is made of),
// its template key, and its exact hash where that differs (digits folded in
// the line hash). A byte per line, 8 for the hash, 8 more for each of the
// others a line has: 130-160 MB for the 11 M lines of 1 GB of news, held
// until pass 2 has read it. Given the hashes, pass 2 tokenises without
// hashing lines (Tokenizer::TokenizeWithoutLineHashes). Appended by chunk of
// documents from any thread, read back by chunk.
#ifndef DEDUP_CORE_LINE_KEY_LOG_H_
#define DEDUP_CORE_LINE_KEY_LOG_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/append_buffer.h"
#include "core/boilerplate.h"

namespace dedup {

// One line's keys as pass 1 computed them.
struct LoggedLine {
  uint64_t hash = 0;        // the block key's hash (digits folded unless they are the content)
  uint64_t exact_hash = 0;  // the line's normalised text, digits kept
  TemplateKey tkey;
};

class LineKeyLog {
 public:
  // Forgets everything; then chunks [0, num_chunks) may be appended by
  // threads [0, threads).
  void Reset(size_t num_chunks, int threads);
  size_t num_chunks() const { return chunk_start_.size(); }

  // Thread `thread` appends the keys of chunk `chunk`, its lines in order.
  void BeginChunk(size_t chunk, int thread) {
    chunk_start_[chunk] = {thread, per_thread_[thread].tag.size(), per_thread_[thread].words.size()};
  }
  void Append(int thread, const LoggedLine& line) {
    PerThread& p = per_thread_[thread];
    const bool exact_differs = line.exact_hash != line.hash;
    p.tag.push_back(static_cast<uint8_t>(static_cast<uint8_t>(line.tkey.kind) | (exact_differs ? kExactDiffers : 0)));
    p.words.push_back(line.hash);
    if (line.tkey.kind != TemplateKind::kNone) p.words.push_back(line.tkey.key);
    if (exact_differs) p.words.push_back(line.exact_hash);
  }

  // Reads a chunk's keys back in order.
  class Cursor {
   public:
    // The next line's keys.
    LoggedLine Next() {
      const uint8_t tag = *tag_++;
      LoggedLine line;
      line.hash = *words_++;
      line.tkey.kind = static_cast<TemplateKind>(tag & ~kExactDiffers);
      if (line.tkey.kind != TemplateKind::kNone) line.tkey.key = *words_++;
      line.exact_hash = (tag & kExactDiffers) != 0 ? *words_++ : line.hash;
      return line;
    }

   private:
    friend class LineKeyLog;
    const uint64_t* words_ = nullptr;
    const uint8_t* tag_ = nullptr;
  };
  Cursor ReadChunk(size_t chunk) const;

 private:
  // A line's tag: its template kind, and this bit when an exact hash follows.
  static constexpr uint8_t kExactDiffers = 0x80;
  static_assert(static_cast<uint8_t>(TemplateKind::kLink) < kExactDiffers);
  struct PerThread {
    AppendBuffer<uint8_t> tag;     // per line
    AppendBuffer<uint64_t> words;  // per line: hash, then template key and exact hash when present
  };
  struct ChunkStart {
    int thread = 0;
    size_t tag_offset = 0, word_offset = 0;
  };
  std::vector<PerThread> per_thread_;
  std::vector<ChunkStart> chunk_start_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_LINE_KEY_LOG_H_
