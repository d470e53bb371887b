#include "core/boilerplate.h"

#include <algorithm>
#include <utility>

#include "core/hash.h"

namespace dedup {

uint64_t BlockKey(uint32_t source_id, uint64_t line_hash) {
  return line_hash ^ Mix64(0x736f75726365ULL + source_id);
}

absl::flat_hash_map<uint64_t, BlockVerdict> DecideBoilerplate(
    const std::vector<BlockOccurrence>& occurrences, const std::vector<uint32_t>& story,
    const std::vector<uint32_t>& source, const BoilerplateOptions& options) {
  // Distinct (key, story) pairs, counted per key.
  std::vector<std::pair<uint64_t, uint32_t>> key_story;
  key_story.reserve(occurrences.size());
  absl::flat_hash_map<uint64_t, uint32_t> key_source;  // source of each key
  absl::flat_hash_map<uint64_t, uint32_t> key_tokens;
  for (const BlockOccurrence& occ : occurrences) {
    key_story.emplace_back(occ.key, story[occ.doc]);
    key_source.try_emplace(occ.key, source[occ.doc]);
    key_tokens.try_emplace(occ.key, occ.num_tokens);
  }
  std::sort(key_story.begin(), key_story.end());
  key_story.erase(std::unique(key_story.begin(), key_story.end()), key_story.end());

  // Stories per source: distinct (source, story) pairs over all documents.
  std::vector<std::pair<uint32_t, uint32_t>> source_story;
  source_story.reserve(story.size());
  for (size_t d = 0; d < story.size(); ++d) source_story.emplace_back(source[d], story[d]);
  std::sort(source_story.begin(), source_story.end());
  source_story.erase(std::unique(source_story.begin(), source_story.end()), source_story.end());
  absl::flat_hash_map<uint32_t, uint32_t> stories_per_source;
  for (const auto& [src, st] : source_story) ++stories_per_source[src];

  absl::flat_hash_map<uint64_t, BlockVerdict> verdicts;
  for (size_t i = 0; i < key_story.size();) {
    size_t j = i;
    while (j < key_story.size() && key_story[j].first == key_story[i].first) ++j;
    const uint64_t key = key_story[i].first;
    BlockVerdict v;
    v.stories = static_cast<uint32_t>(j - i);
    const bool is_short = static_cast<int>(key_tokens[key]) < options.short_block_tokens;
    const double share = static_cast<double>(v.stories) / stories_per_source[key_source[key]];
    v.boilerplate = static_cast<int>(v.stories) >= options.min_stories &&
                    (!is_short || share >= options.short_block_share);
    verdicts.emplace(key, v);
    i = j;
  }
  return verdicts;
}

}  // namespace dedup
