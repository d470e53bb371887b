// File: core/line_key_log.h
// Pass 1's keys of every line with tokens, kept for pass 2 so that it need
// not compute them again: the line's hash (what its block key is made of),
// its template key, and its exact hash where that differs (digits folded in
// the line hash); where the line starts, its token count, its zone and
// whether it may be a link. A byte per line, 8 for the hash, 8 more for each
// of the others a line has, and 2-4 for start and count: 160-190 MB for the
// 11 M lines of 1 GB of news, held until pass 2 has read it.
// Given all that, pass 2 knows which lines are candidates before it
// tokenises, and tokenises only the text between them (without hashing
// lines). Appended by chunk of documents from any thread, read back by chunk.
#ifndef DEDUP_CORE_LINE_KEY_LOG_H_
#define DEDUP_CORE_LINE_KEY_LOG_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/append_buffer.h"
#include "core/boilerplate.h"

namespace dedup {

// One line's keys and place as pass 1 computed them.
struct LoggedLine {
  uint64_t hash = 0;        // the block key's hash (digits folded unless they are the content)
  uint64_t exact_hash = 0;  // the line's normalised text, digits kept
  TemplateKey tkey;
  uint32_t begin = 0;  // byte offset of the line in its document's text
  uint32_t num_tokens = 0;
  LineZone zone = LineZone::kBody;
  bool link_shaped = false;  // may be a link to another story (IsLinkCandidate)
};

class LineKeyLog {
 public:
  // Forgets everything; then chunks [0, num_chunks) may be appended by
  // threads [0, threads).
  void Reset(size_t num_chunks, int threads);
  size_t num_chunks() const { return chunk_start_.size(); }
  // Lines appended, in all chunks.
  size_t num_lines() const;

  // Thread `thread` appends the keys of chunk `chunk`: for each document in
  // order, BeginDocument with its number of lines, then each line.
  void BeginChunk(size_t chunk, int thread) {
    const PerThread& p = per_thread_[thread];
    chunk_start_[chunk] = {thread, p.tag.size(), p.words.size(), p.places.size()};
  }
  void BeginDocument(int thread, uint32_t num_lines) {
    PerThread& p = per_thread_[thread];
    PushVarint(num_lines, &p.places);
    p.last_begin = 0;
  }
  void Append(int thread, const LoggedLine& line) {
    PerThread& p = per_thread_[thread];
    const bool exact_differs = line.exact_hash != line.hash;
    p.tag.push_back(static_cast<uint8_t>(static_cast<uint8_t>(line.tkey.kind) |
                                         static_cast<uint8_t>(line.zone) << kZoneShift |
                                         (line.link_shaped ? kLinkShaped : 0) | (exact_differs ? kExactDiffers : 0)));
    p.words.push_back(line.hash);
    if (line.tkey.kind != TemplateKind::kNone) p.words.push_back(line.tkey.key);
    if (exact_differs) p.words.push_back(line.exact_hash);
    PushVarint(line.begin - p.last_begin, &p.places);  // lines come in order: a small step
    PushVarint(line.num_tokens, &p.places);
    p.last_begin = line.begin;
  }

  // Reads a chunk's keys back in order.
  class Cursor {
   public:
    // The next document's number of lines; then call Next that many times.
    uint32_t NextDocument() {
      last_begin_ = 0;
      return ReadVarint();
    }
    // The next line's keys, into *line (every field). Written in place: a
    // line built on the stack and then copied was read back before its
    // narrow stores had landed (a stall per line, 11 M lines at 1 GB).
    void Next(LoggedLine* line) {
      const uint8_t tag = *tag_++;
      line->hash = *words_++;
      line->tkey.kind = static_cast<TemplateKind>(tag & kKindMask);
      line->tkey.key = line->tkey.kind != TemplateKind::kNone ? *words_++ : 0;
      line->exact_hash = (tag & kExactDiffers) != 0 ? *words_++ : line->hash;
      line->zone = static_cast<LineZone>((tag >> kZoneShift) & 3);
      line->link_shaped = (tag & kLinkShaped) != 0;
      line->begin = last_begin_ + ReadVarint();
      line->num_tokens = ReadVarint();
      last_begin_ = line->begin;
    }

   private:
    friend class LineKeyLog;
    uint32_t ReadVarint() {
      uint32_t value = 0;
      for (int shift = 0;; shift += 7) {
        const uint8_t byte = *places_++;
        value |= static_cast<uint32_t>(byte & 0x7f) << shift;
        if (byte < 0x80) return value;
      }
    }
    const uint64_t* words_ = nullptr;
    const uint8_t* tag_ = nullptr;
    const uint8_t* places_ = nullptr;
    uint32_t last_begin_ = 0;
  };
  Cursor ReadChunk(size_t chunk) const;

 private:
  // A line's tag: its template kind (3 bits), zone (2 bits), and flags.
  static constexpr uint8_t kKindMask = 0x07;
  static constexpr int kZoneShift = 3;
  static constexpr uint8_t kLinkShaped = 0x20;
  static constexpr uint8_t kExactDiffers = 0x80;
  static_assert(static_cast<uint8_t>(TemplateKind::kLink) <= kKindMask);
  static_assert(static_cast<uint8_t>(LineZone::kTail) < 4);
  struct PerThread {
    AppendBuffer<uint8_t> tag;       // per line
    AppendBuffer<uint64_t> words;    // per line: hash, then template key and exact hash when present
    // Varints: per document its line count, per line its start (from the
    // previous line's) and token count. Mostly a byte each.
    AppendBuffer<uint8_t> places;
    uint32_t last_begin = 0;
  };
  static void PushVarint(uint32_t value, AppendBuffer<uint8_t>* out) {
    for (; value >= 0x80; value >>= 7) out->push_back(static_cast<uint8_t>(value | 0x80));
    out->push_back(static_cast<uint8_t>(value));
  }
  struct ChunkStart {
    int thread = 0;
    size_t tag_offset = 0, word_offset = 0, place_offset = 0;
  };
  std::vector<PerThread> per_thread_;
  std::vector<ChunkStart> chunk_start_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_LINE_KEY_LOG_H_
