#include "core/key_groups.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "core/hash.h"

namespace dedup {
namespace {

// Checks groups against a map from key to items: equal keys share an id,
// different keys do not, a key of one item gets none, ids are 0..count-1,
// and sizes (when given) count each id's items.
void ExpectGroupsOf(const std::vector<uint64_t>& keys, const std::vector<uint32_t>& groups, uint32_t count,
                    const std::vector<uint32_t>* sizes = nullptr) {
  std::map<uint64_t, std::vector<uint32_t>> items_of;
  for (uint32_t i = 0; i < keys.size(); ++i) items_of[keys[i]].push_back(i);
  std::set<uint32_t> ids;
  for (const auto& [key, items] : items_of) {
    if (items.size() == 1) {
      ASSERT_EQ(groups[items[0]], kNoGroup) << "item " << items[0];
      continue;
    }
    const uint32_t id = groups[items[0]];
    ASSERT_LT(id, count);
    ASSERT_TRUE(ids.insert(id).second) << "id " << id << " given to two keys";
    for (const uint32_t item : items) ASSERT_EQ(groups[item], id) << "item " << item;
    if (sizes != nullptr) ASSERT_EQ((*sizes)[id], items.size()) << "id " << id;
  }
  EXPECT_EQ(ids.size(), count);
  if (sizes != nullptr) EXPECT_EQ(sizes->size(), count);
}

TEST(GroupEqualKeysTest, MatchesAMapOnRandomKeys) {
  std::mt19937_64 rng(3);
  KeyGroupScratch scratch;  // reused across calls, as the index does
  for (const size_t n : {0, 1, 2, 3, 100, 2047, 5000, 70000}) {
    for (const uint64_t alphabet : {uint64_t{2}, uint64_t{n / 2 + 1}, uint64_t{1} << 62}) {
      std::vector<uint64_t> keys(n);
      for (uint64_t& key : keys) key = Mix64(rng() % alphabet);  // hashes, as band keys are
      std::vector<uint32_t> groups(n, 12345);
      const uint32_t count = GroupEqualKeys(keys, groups.data(), &scratch);
      ExpectGroupsOf(keys, groups, count);
      std::vector<uint32_t> sizes = {7, 7};  // left from an earlier call
      std::fill(groups.begin(), groups.end(), 12345);
      ExpectGroupsOf(keys, groups, GroupEqualKeys(keys, groups.data(), &scratch, &sizes), &sizes);
    }
  }
}

// Keys that are not spread are slower but still grouped right: equal top
// bits (a slot's tag then tells no key apart), equal low bits (which place
// keys in the table: one long probe run), and both, the keys differing only
// in the bits between.
TEST(GroupEqualKeysTest, HandlesKeysThatAreNotSpread) {
  std::mt19937_64 rng(4);
  KeyGroupScratch scratch;
  for (const int shift : {0, 16, 32}) {
    std::vector<uint64_t> keys(20000);
    for (uint64_t& key : keys) key = (rng() % 3000) << shift;
    std::vector<uint32_t> groups(keys.size());
    const uint32_t count = GroupEqualKeys(keys, groups.data(), &scratch);
    ExpectGroupsOf(keys, groups, count);
  }
}

}  // namespace
}  // namespace dedup
