#include "core/boilerplate.h"

#include <algorithm>
#include <utility>

#include "core/hash.h"

namespace dedup {

uint64_t BlockKey(uint32_t source_id, uint64_t line_hash) {
  return line_hash ^ Mix64(0x736f75726365ULL + source_id);
}

uint64_t TemplateKey(uint32_t source_id, LineZone zone, std::string_view line) {
  if (zone == LineZone::kBody) return 0;
  constexpr size_t kPrefixBytes = 12, kMinBytes = 5;
  char prefix[kPrefixBytes];
  size_t n = 0;
  size_t i = 0;
  auto is_alnum = [](unsigned char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); };
  while (i < line.size() && !is_alnum(line[i])) {
    if (static_cast<unsigned char>(line[i]) >= 0x80) return 0;  // ASCII words only
    ++i;
  }
  for (; i < line.size() && n < kPrefixBytes && is_alnum(line[i]); ++i) prefix[n++] = static_cast<char>(line[i] | 0x20);
  if (n < kMinBytes) return 0;
  return HashBytes(prefix, n, 0x54454d504cULL + static_cast<uint64_t>(zone)) ^ Mix64(0x736f75726365ULL + source_id) ^
         0x8000000000000000ULL;
}

absl::flat_hash_map<uint64_t, BlockVerdict> DecideBoilerplate(
    const std::vector<BlockOccurrence>& occurrences, const std::vector<uint32_t>& story,
    const std::vector<uint32_t>& source, const BoilerplateOptions& options) {
  // Distinct (key, story) pairs, counted per key.
  std::vector<std::pair<uint64_t, uint32_t>> key_story;
  key_story.reserve(occurrences.size());
  absl::flat_hash_map<uint64_t, uint32_t> key_source;  // source of each key
  absl::flat_hash_map<uint64_t, uint32_t> key_tokens;  // UINT32_MAX marks a template key
  for (const BlockOccurrence& occ : occurrences) {
    key_story.emplace_back(occ.key, story[occ.doc]);
    key_source.try_emplace(occ.key, source[occ.doc]);
    key_tokens.try_emplace(occ.key, occ.num_tokens);
    if (occ.template_key != 0) {
      key_story.emplace_back(occ.template_key, story[occ.doc]);
      key_source.try_emplace(occ.template_key, source[occ.doc]);
      key_tokens.try_emplace(occ.template_key, UINT32_MAX);
    }
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
    const uint32_t tokens = key_tokens[key];
    const double share = static_cast<double>(v.stories) / stories_per_source[key_source[key]];
    const double needed_share = tokens == UINT32_MAX                                   ? options.template_share
                                : static_cast<int>(tokens) < options.short_block_tokens ? options.short_block_share
                                                                                         : 0.0;
    v.boilerplate = static_cast<int>(v.stories) >= options.min_stories && share >= needed_share;
    verdicts.emplace(key, v);
    i = j;
  }
  return verdicts;
}

}  // namespace dedup
