#include "core/key_groups.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace dedup {

// One scatter on the top bits into partitions of about 2^11 keys, then each
// partition grouped by a hash table small enough for the L1/L2 caches (the
// keys are hashes, so their low bits index it directly). No sorting: a
// group's items only need a common id.
uint32_t GroupEqualKeys(std::span<const uint64_t> keys, uint32_t* groups, KeyGroupScratch* scratch) {
  const size_t n = keys.size();
  if (n == 0) return 0;
  const int part_bits = std::clamp(static_cast<int>(std::bit_width(n)) - 11, 0, 12);
  const size_t parts = size_t{1} << part_bits;
  auto part_of = [&](uint64_t key) { return part_bits == 0 ? 0 : key >> (64 - part_bits); };

  std::vector<uint32_t>& start = scratch->part_start;
  start.assign(parts + 1, 0);
  for (const uint64_t key : keys) ++start[part_of(key) + 1];
  size_t largest = 0;
  for (size_t p = 0; p < parts; ++p) {
    largest = std::max<size_t>(largest, start[p + 1]);
    start[p + 1] += start[p];
  }
  if (scratch->by_part.size() < n) scratch->by_part.resize(n);
  KeyGroupScratch::KeyedItem* by_part = scratch->by_part.data();
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) by_part[fill[part_of(keys[i])]++] = {keys[i], static_cast<uint32_t>(i)};
  }

  // At most half full, so that probe runs stay short.
  const size_t table_size = std::bit_ceil(std::max<size_t>(16, 2 * largest));
  if (scratch->table.size() < table_size) scratch->table.resize(table_size);
  KeyGroupScratch::Slot* table = scratch->table.data();
  uint32_t ids = 0;
  for (size_t p = 0; p < parts; ++p) {
    const uint32_t begin = start[p], end = start[p + 1];
    if (end - begin < 2) {
      if (begin < end) groups[by_part[begin].item] = kNoGroup;
      continue;
    }
    const size_t mask = std::bit_ceil(std::max<size_t>(16, 2 * size_t{end - begin})) - 1;
    for (size_t s = 0; s <= mask; ++s) table[s].first_item = kNoGroup;
    for (uint32_t e = begin; e < end; ++e) {
      const auto [key, item] = by_part[e];
      size_t s = key & mask;
      while (table[s].first_item != kNoGroup && table[s].key != key) s = (s + 1) & mask;
      KeyGroupScratch::Slot& slot = table[s];
      if (slot.first_item == kNoGroup) {
        slot = {key, item, kNoGroup};
        groups[item] = kNoGroup;
      } else {
        if (slot.group == kNoGroup) {
          slot.group = ids++;
          groups[slot.first_item] = slot.group;
        }
        groups[item] = slot.group;
      }
    }
  }
  return ids;
}

}  // namespace dedup
