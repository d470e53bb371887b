// File: core/key_groups.h
// Groups equal 64-bit hash keys: the step that turns one LSH band's keys into
// buckets (see FixedLshIndex in core/lsh.h).
#ifndef DEDUP_CORE_KEY_GROUPS_H_
#define DEDUP_CORE_KEY_GROUPS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "core/large_buffer.h"

namespace dedup {

inline constexpr uint32_t kNoGroup = 0xFFFFFFFFu;

// Reusable buffers of GroupEqualKeys (one per thread).
struct KeyGroupScratch {
  // A key's slot: its first item, whose group id (once a second item has
  // the key) is kept in the caller's groups array, and the key's high half,
  // so that 8 bytes do: the table (8 MiB at 500k keys) stays in the
  // last-level cache beside another thread's.
  struct Slot {
    uint32_t tag;         // the key's high 32 bits
    uint32_t first_item;  // kNoGroup: free
  };
  // Mapped apart from the heap: glibc would keep tables this size, once
  // freed, in the heap of the thread that used them.
  LargeBuffer table;
  Slot* slots() const { return static_cast<Slot*>(table.data()); }
  size_t num_slots() const { return table.size() / sizeof(Slot); }
};

// Gives the items sharing a key (keys[item]) group ids from 0 in
// groups[item], and kNoGroup to an item whose key no other item has; returns
// how many ids it gave. Which group gets which id is unspecified. keys must be
// hashes (their low bits place them); keys.size() < 2^31. With sizes, also
// sets (*sizes)[id] to how many items group id has.
uint32_t GroupEqualKeys(std::span<const uint64_t> keys, uint32_t* groups, KeyGroupScratch* scratch,
                        std::vector<uint32_t>* sizes = nullptr);

}  // namespace dedup

#endif  // DEDUP_CORE_KEY_GROUPS_H_
