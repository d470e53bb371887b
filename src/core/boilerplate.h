// File: core/boilerplate.h
// Decides which repeated lines are boilerplate. A line is keyed by its
// source and its normalised text with digits folded, so "Advertisement 3" and
// "Advertisement 7" on one site share a key. A key is boilerplate when it
// occurs in at least `min_stories` distinct stories (near-duplicate clusters)
// of its source: copies of one wire story count once, so a syndicated
// paragraph is never taken for a footer. Short lines ("He said.", "No.") must
// also cover a share of the source's stories, so that common short content
// lines are not taken for templates.
//
// Variants whose text changes beyond digits ("Topics: <names>", an
// "Advertisement" glued to a related title) share a template key instead:
// the source, the zone (the first kHeadLines or last kTailLines lines with
// tokens) and the first 12 letters of the line's first word (at least 5).
// Such loose keys must cover template_share of the source's stories, which
// common first words of content lines in those zones do not.
#ifndef DEDUP_CORE_BOILERPLATE_H_
#define DEDUP_CORE_BOILERPLATE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace dedup {

// Key of a line: its source and the hash of its folded token hashes.
uint64_t BlockKey(uint32_t source_id, uint64_t line_hash);

inline constexpr int kHeadLines = 4;
inline constexpr int kTailLines = 8;
enum class LineZone : uint8_t { kBody = 0, kHead = 1, kTail = 2 };

// Template key of a line in the head or tail zone, or 0 when the line has
// none (body line, or a first word of fewer than 5 ASCII letters/digits).
uint64_t TemplateKey(uint32_t source_id, LineZone zone, std::string_view line);

// One occurrence of a candidate line in a document ([begin, next) includes the
// line terminator, [begin, end) does not).
struct BlockOccurrence {
  uint64_t key = 0;           // exact key
  uint64_t template_key = 0;  // 0: none
  uint32_t doc = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t next = 0;
  uint32_t num_tokens = 0;
};

struct BoilerplateOptions {
  int min_stories = 3;
  int short_block_tokens = 3;       // lines with fewer tokens are "short"
  double short_block_share = 0.05;  // ...and need this share of the source's stories
  double template_share = 0.5;      // share of the source's stories a template key needs
};

struct BlockVerdict {
  uint32_t stories = 0;
  bool boilerplate = false;
};

// Verdicts for exact and template keys alike (the two kinds never collide).
// occurrences: sorted by doc. story[d]: the cluster of document d (any id
// that is equal for documents of one story). source[d]: its source id.
absl::flat_hash_map<uint64_t, BlockVerdict> DecideBoilerplate(
    const std::vector<BlockOccurrence>& occurrences, const std::vector<uint32_t>& story,
    const std::vector<uint32_t>& source, const BoilerplateOptions& options);

}  // namespace dedup

#endif  // DEDUP_CORE_BOILERPLATE_H_
