// File: core/key_groups.h
// Groups equal 64-bit hash keys: the step that turns one LSH band's keys into
// buckets (see FixedLshIndex in core/lsh.h).
#ifndef DEDUP_CORE_KEY_GROUPS_H_
#define DEDUP_CORE_KEY_GROUPS_H_

#include <cstdint>
#include <span>
#include <vector>

namespace dedup {

inline constexpr uint32_t kNoGroup = 0xFFFFFFFFu;

// Reusable buffers of GroupEqualKeys (one per thread).
struct KeyGroupScratch {
  struct Slot {
    uint64_t key;
    uint32_t first_item;  // kNoGroup: free
    uint32_t group;       // kNoGroup until a second item has the key
  };
  std::vector<Slot> table;
};

// Gives the items sharing a key (keys[item]) group ids from 0 in
// groups[item], and kNoGroup to an item whose key no other item has; returns
// how many ids it gave. Which group gets which id is unspecified. keys must be
// hashes (their low bits place them); keys.size() < 2^31.
uint32_t GroupEqualKeys(std::span<const uint64_t> keys, uint32_t* groups, KeyGroupScratch* scratch);

}  // namespace dedup

#endif  // DEDUP_CORE_KEY_GROUPS_H_
