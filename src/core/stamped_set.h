// File: core/stamped_set.h
// A set of integer keys filled anew many times over (once per document),
// which lists its keys in the order first added. Open addressing over slots
// stamped with the round they belong to: starting a round clears nothing,
// and the table, sized for the largest round so far, stays in the nearest
// caches. Pass 1 keeps a document's distinct line keys in one; clustering
// keeps a document's distinct candidates in one (a mark per document in an
// n-sized array cost a cache miss for every item a bucket reports).
#ifndef DEDUP_CORE_STAMPED_SET_H_
#define DEDUP_CORE_STAMPED_SET_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace dedup {

template <typename Key>
class StampedSet {
  static_assert(std::is_unsigned_v<Key> && sizeof(Key) <= sizeof(uint64_t));

 public:
  // Starts an empty round; `expected` keys fit without the table growing
  // (more may come: it grows).
  void Start(size_t expected = 0) {
    keys_.clear();
    const size_t size = std::bit_ceil(std::max(kMinSlots, 2 * expected));
    if (size > slots_.size()) {
      Resize(size);
    } else if (++stamp_ == 0) {
      Resize(slots_.size());  // the stamp wrapped: old marks must go
    }
  }
  // Adds key; false if this round has it already.
  bool Add(Key key) {
    if (2 * (keys_.size() + 1) > slots_.size()) Resize(std::max(kMinSlots, 2 * slots_.size()));
    for (size_t s = Place(key);; s = (s + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[s];
      if (slot.stamp != stamp_) {
        slot = {key, stamp_};
        keys_.push_back(key);
        return true;
      }
      if (slot.key == key) return false;
    }
  }
  // This round's keys, in the order first added.
  const std::vector<Key>& keys() const { return keys_; }

 private:
  static constexpr size_t kMinSlots = 16;
  struct Slot {
    Key key = 0;
    uint32_t stamp = 0;  // 0: never used
  };
  // Multiplied, so that keys that are not hashes (document numbers) spread.
  size_t Place(Key key) const {
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> (64 - shift_));
  }
  // Empties the table into `size` slots (a power of two) and adds this
  // round's keys back.
  void Resize(size_t size) {
    slots_.assign(size, Slot{});
    shift_ = std::countr_zero(size);
    stamp_ = 1;
    std::vector<Key> keys;
    keys.swap(keys_);
    keys_.reserve(keys.capacity());
    for (const Key key : keys) Add(key);
  }

  std::vector<Slot> slots_;
  int shift_ = 0;
  uint32_t stamp_ = 0;
  std::vector<Key> keys_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_STAMPED_SET_H_
