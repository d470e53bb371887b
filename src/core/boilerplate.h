// File: core/boilerplate.h
// Decides which repeated lines are boilerplate. A line is keyed by its
// source and its normalised text with digits folded, so "Advertisement 3" and
// "Advertisement 7" on one site share a key. A key is boilerplate when it
// occurs in at least `min_stories` distinct stories (near-duplicate clusters)
// of its source: copies of one wire story count once, so a syndicated
// paragraph is never taken for a footer. Short lines ("He said.", "No.") must
// also cover a share of the source's stories, so that common short content
// lines are not taken for templates; every line needs min_share of them, so
// that on a large source (a whole wire service) a table row repeated in a few
// hundred of 20,000 stories stays content.
//
// Lines whose text varies beyond digits share a template key instead:
//   label      the words before a ':' or '|' among the first 4 words
//              ("READ ALSO: <headline>", "Topics: <names>")
//   long word  the first 12 letters of a first word of 8 or more letters
//              ("Advertisement<related title> 3")
//   zone word  the first word (5+ letters) of a line among the first
//              kHeadLines or last kTailLines lines with words
// Template keys must cover a share of the source's stories (label and long
// word: inline_template_share; zone word: template_share), which content
// lines starting alike do not.
//
// A line near the bottom that repeats a line near the top of another story
// (its headline) is a link ("Most read", "Related stories" lists) and is
// boilerplate in every story but its own.
//
// A line near the top of a document (where its title is) is kept there unless
// it is near the top of at least min_stories stories: a headline listed under
// "Related stories" on other pages is still its own story's title. A link is
// also spared where it is the document's title (its first head line that no
// other verdict removes).
#ifndef DEDUP_CORE_BOILERPLATE_H_
#define DEDUP_CORE_BOILERPLATE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "core/hash.h"

namespace dedup {

// What a source's keys are salted with.
inline uint64_t SourceSalt(uint32_t source_id) { return Mix64(0x736f75726365ULL + source_id); }

// Key of a line: its source and the hash of its normalised text (LineSpan).
// Inline: the passes key every line (11 M at 1 GB of news, in each pass).
inline uint64_t BlockKey(uint32_t source_id, uint64_t line_hash) {
  return (line_hash ^ SourceSalt(source_id)) & 0x7FFFFFFFFFFFFFFFULL;
}

inline constexpr int kHeadLines = 4;
inline constexpr int kTailLines = 8;
enum class LineZone : uint8_t { kBody = 0, kHead = 1, kTail = 2 };

enum class TemplateKind : uint8_t { kNone = 0, kLabel, kLongWord, kZoneWord, kLink };

// Key of a line that repeats the title of some document (of any source):
// near the top or bottom of another story it is a link ("Related stories").
uint64_t LinkKey(uint64_t line_hash);

struct TemplateKey {
  uint64_t key = 0;  // 0: none
  TemplateKind kind = TemplateKind::kNone;
};

// The template key of a line (ASCII words only; see the file comment).
// readable: bytes readable from line.data() (at least line.size()); with 64
// or more the line is classified where it lies instead of being copied.
TemplateKey MakeTemplateKey(uint32_t source_id, LineZone zone, std::string_view line, size_t readable = 0);
// The same, one byte at a time: the reference the fast version is tested
// against, and its fallback for lines whose first words pass 64 bytes.
TemplateKey MakeTemplateKeyBytewise(uint32_t source_id, LineZone zone, std::string_view line);

// One occurrence of a candidate line in a document: [begin, next) is the line
// with its terminator. 40 bytes; a corpus has about one per boilerplate line.
struct BlockOccurrence {
  uint64_t key = 0;           // exact key
  uint64_t template_key = 0;  // 0: none
  const uint64_t* sketch = nullptr;  // its line's shingles: a LineSketch's begin in Fingerprints::sketches
  uint32_t doc = 0;
  uint32_t begin = 0;
  uint32_t next = 0;
  uint16_t num_tokens = 0;  // saturates at 65535
  TemplateKind template_kind = TemplateKind::kNone;
  bool is_title = false;  // among the document's first kHeadLines lines with words
};

// Where each of n documents' occurrences lie in occurrences (sorted by
// document): [begin[d], begin[d + 1]).
std::vector<uint32_t> OccurrenceOffsets(std::span<const BlockOccurrence> occurrences, size_t n);

struct BoilerplateOptions {
  int min_stories = 3;
  double min_share = 0.01;            // any line: share of the source's stories it needs
  int short_block_tokens = 3;         // lines with fewer tokens are "short"
  double short_block_share = 0.05;    // ...and need this share of the source's stories
  double template_share = 0.5;        // zone-word template keys
  double inline_template_share = 0.25;  // label and long-word template keys
};

struct BlockVerdict {
  uint32_t stories = 0;
  uint32_t title_stories = 0;  // stories in which it is the document's title
  bool boilerplate = false;
};

// Verdicts of the keys found to be boilerplate, exact and template keys
// alike (the kinds never collide); a key not in the map is content (most
// keys are: leaving them out keeps the map small). occurrences: sorted by doc;
// occ_begin: their OccurrenceOffsets. story[d]: the cluster of document d
// (any id that is equal for documents of one story). source[d]: its source
// id. The result does not depend on threads.
absl::flat_hash_map<uint64_t, BlockVerdict> DecideBoilerplate(
    std::span<const BlockOccurrence> occurrences, std::span<const uint32_t> occ_begin,
    const std::vector<uint32_t>& story, const std::vector<uint32_t>& source, const BoilerplateOptions& options,
    int threads = 1);

}  // namespace dedup

#endif  // DEDUP_CORE_BOILERPLATE_H_
