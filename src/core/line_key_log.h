// File: core/line_key_log.h
// Pass 1's template keys of every line with tokens, kept for pass 2 so that
// it need not build them again: a byte per line, plus 8 for the lines that
// have one (about 45 MB at 1 GB of news), held between the passes only.
// (Logging the line hashes too would save pass 2 a little more, for 8 bytes
// on every line: 1.47x the input at peak instead of 1.35x.) Appended by
// chunk of documents from any thread, read back by chunk.
#ifndef DEDUP_CORE_LINE_KEY_LOG_H_
#define DEDUP_CORE_LINE_KEY_LOG_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/boilerplate.h"

namespace dedup {

class LineKeyLog {
 public:
  // Forgets everything; then chunks [0, num_chunks) may be appended by
  // threads [0, threads).
  void Reset(size_t num_chunks, int threads);
  size_t num_chunks() const { return chunk_start_.size(); }

  // Thread `thread` appends the keys of chunk `chunk`, its lines in order.
  void BeginChunk(size_t chunk, int thread) {
    chunk_start_[chunk] = {thread, per_thread_[thread].kind.size(), per_thread_[thread].tkey.size()};
  }
  void Append(int thread, TemplateKey tkey) {
    PerThread& p = per_thread_[thread];
    p.kind.push_back(tkey.kind);
    if (tkey.kind != TemplateKind::kNone) p.tkey.push_back(tkey.key);
  }

  // Reads a chunk's keys back in order.
  class Cursor {
   public:
    // The next line's template key.
    TemplateKey Next() {
      const TemplateKind kind = *kind_++;
      return kind == TemplateKind::kNone ? TemplateKey{} : TemplateKey{*tkey_++, kind};
    }

   private:
    friend class LineKeyLog;
    const uint64_t* tkey_ = nullptr;
    const TemplateKind* kind_ = nullptr;
  };
  Cursor ReadChunk(size_t chunk) const;

 private:
  struct PerThread {
    std::vector<TemplateKind> kind;  // per line
    std::vector<uint64_t> tkey;      // per line with a template key
  };
  struct ChunkStart {
    int thread = 0;
    size_t kind_offset = 0, tkey_offset = 0;
  };
  std::vector<PerThread> per_thread_;
  std::vector<ChunkStart> chunk_start_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_LINE_KEY_LOG_H_
