#include "core/lsh.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include "core/hash.h"
#include "core/parallel.h"

namespace dedup {

double CandidateProbability(double jaccard, LshParams params) {
  return 1.0 - std::pow(1.0 - std::pow(jaccard, params.rows), params.bands);
}

namespace {
// Trapezoid integral of f over [lo, hi] in 200 steps: smooth enough here.
template <typename F>
double Integrate(F f, double lo, double hi) {
  constexpr int kSteps = 200;
  const double h = (hi - lo) / kSteps;
  double sum = 0.5 * (f(lo) + f(hi));
  for (int i = 1; i < kSteps; ++i) sum += f(lo + i * h);
  return sum * h;
}
}  // namespace

LshParams ChooseLshParams(double threshold, int num_perm, double fp_weight, double fn_weight) {
  LshParams best{1, num_perm};
  double best_cost = std::numeric_limits<double>::infinity();
  for (int rows = 1; rows <= num_perm; ++rows) {
    const int bands = num_perm / rows;
    const LshParams p{bands, rows};
    const double fp = Integrate([&](double s) { return CandidateProbability(s, p); }, 0.0, threshold);
    const double fn = Integrate([&](double s) { return 1.0 - CandidateProbability(s, p); }, threshold, 1.0);
    const double cost = fp_weight * fp + fn_weight * fn;
    if (cost < best_cost) {
      best_cost = cost;
      best = p;
    }
  }
  return best;
}

uint64_t BandKey(std::span<const uint32_t> sig, int band, int rows) {
  return HashBytes(sig.data() + static_cast<size_t>(band) * rows, rows * sizeof(uint32_t),
                   0x4c534842414e44ULL + static_cast<uint64_t>(band));
}

LshIndex::LshIndex(LshParams params, size_t expected_items, uint32_t max_bucket_items)
    : params_(params), max_bucket_items_(max_bucket_items) {
  heads_.reserve(expected_items * params.bands);
  next_.reserve(expected_items * params.bands);
  items_.reserve(expected_items);
}

void LshIndex::Insert(uint32_t item, std::span<const uint32_t> sig) {
  const uint32_t slot_base = static_cast<uint32_t>(items_.size()) * params_.bands;
  items_.push_back(item);
  for (int b = 0; b < params_.bands; ++b) {
    const uint32_t slot = slot_base + b;
    auto [it, inserted] = heads_.try_emplace(BandKey(sig, b, params_.rows), Bucket{slot, 1});
    if (inserted) {
      next_.push_back(kNone);
    } else if (it->second.size < max_bucket_items_) {
      next_.push_back(it->second.head);
      it->second.head = slot;
      ++it->second.size;
    } else {
      next_.push_back(kNone);  // bucket full: this slot stays unlinked
    }
  }
}

FixedLshIndex::FixedLshIndex(std::span<const uint32_t> sigs, int num_perm, LshParams params, int threads,
                             uint32_t max_bucket_items)
    : params_(params), max_bucket_items_(max_bucket_items), num_items_(sigs.size() / num_perm) {
  const size_t n = num_items_;
  const int bands = params.bands;
  // Every entry is written below (by the thread grouping its band).
  item_buckets_ = std::make_unique_for_overwrite<uint32_t[]>(n * bands);
  // Bands are hashed a few at a time, so that each signature row is read
  // once per few bands (rows are far apart), in enough blocks to share out.
  constexpr int kMaxBlockBands = 8;
  const int per_thread = (bands + threads * kMaxBlockBands - 1) / (threads * kMaxBlockBands);
  const int block_bands = std::max(1, (bands + threads * per_thread - 1) / (threads * per_thread));
  const int blocks = (bands + block_bands - 1) / block_bands;
  std::vector<uint32_t> band_base(bands + 1, 0);
  ParallelForChunks(blocks, 1, threads, [&](size_t block, size_t, size_t, int) {
    const int first = static_cast<int>(block) * block_bands;
    const int count = std::min(block_bands, bands - first);
    std::vector<uint64_t> keys(static_cast<size_t>(count) * n);
    constexpr size_t kPrefetchRows = 32;  // rows are pages apart: the hardware does not run ahead
    const uint32_t* block_values = sigs.data() + static_cast<size_t>(first) * params_.rows;
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchRows < n) __builtin_prefetch(block_values + (i + kPrefetchRows) * num_perm);
      const std::span<const uint32_t> sig = sigs.subspan(i * num_perm, num_perm);
      for (int c = 0; c < count; ++c) keys[c * n + i] = BandKey(sig, first + c, params_.rows);
    }
    std::vector<KeyedItem> by_low(n), sorted(n);
    for (int c = 0; c < count; ++c) {
      band_base[first + c + 1] =
          GroupKeys(std::span(keys.data() + c * n, n), item_buckets_.get() + (first + c) * n, &by_low, &sorted);
    }
  });
  for (int b = 0; b < bands; ++b) band_base[b + 1] += band_base[b];
  // Ids per band from 0 -> ids over all bands.
  ParallelForChunks(bands, 1, threads, [&](size_t b, size_t, size_t, int) {
    uint32_t* buckets = item_buckets_.get() + b * n;
    for (size_t i = 0; i < n; ++i) {
      if (buckets[i] != kNone) buckets[i] += band_base[b];
    }
  });
  heads_.resize(band_base[bands]);
}

uint32_t FixedLshIndex::GroupKeys(std::span<const uint64_t> keys, uint32_t* buckets, std::vector<KeyedItem>* by_low,
                                  std::vector<KeyedItem>* sorted_items) {
  const size_t n = keys.size();
  // Keys are hashes: a radix sort on their top bits (two passes of a digit
  // each, few enough targets to stay in cache) leaves runs of a few items,
  // which a comparison sort then finishes.
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)) - 3, 2, 22);
  const int low_bits = bits / 2, high_bits = bits - low_bits;
  auto low_digit = [&](uint64_t key) { return (key >> (64 - bits)) & ((uint64_t{1} << low_bits) - 1); };
  auto high_digit = [&](uint64_t key) { return key >> (64 - high_bits); };
  std::vector<uint32_t> low_start(size_t{1} << low_bits, 0), high_start(size_t{1} << high_bits, 0);
  for (const uint64_t key : keys) {
    ++low_start[low_digit(key)];
    ++high_start[high_digit(key)];
  }
  auto to_starts = [](std::vector<uint32_t>& counts) {
    uint32_t total = 0;
    for (uint32_t& c : counts) total += std::exchange(c, total);
  };
  to_starts(low_start);
  to_starts(high_start);
  KeyedItem* low = by_low->data();
  KeyedItem* sorted = sorted_items->data();
  for (size_t i = 0; i < n; ++i) low[low_start[low_digit(keys[i])]++] = {keys[i], static_cast<uint32_t>(i)};
  for (size_t i = 0; i < n; ++i) sorted[high_start[high_digit(low[i].key)]++] = low[i];
  uint32_t ids = 0;
  for (size_t begin = 0; begin < n;) {
    const uint64_t top = sorted[begin].key >> (64 - bits);
    size_t end = begin + 1;
    while (end < n && sorted[end].key >> (64 - bits) == top) ++end;
    // Copies of one document share every key: such runs need no sorting.
    const uint64_t first_key = sorted[begin].key;
    if (std::any_of(sorted + begin + 1, sorted + end, [&](const KeyedItem& e) { return e.key != first_key; })) {
      std::sort(sorted + begin, sorted + end, [](const KeyedItem& x, const KeyedItem& y) { return x.key < y.key; });
    }
    for (size_t i = begin; i < end;) {
      size_t j = i + 1;
      while (j < end && sorted[j].key == sorted[i].key) ++j;
      const uint32_t id = j - i >= 2 ? ids++ : kNone;
      for (size_t m = i; m < j; ++m) buckets[sorted[m].item] = id;
      i = j;
    }
    begin = end;
  }
  return ids;
}

void FixedLshIndex::Insert(uint32_t item) {
  for (int b = 0; b < params_.bands; ++b) {
    const uint32_t id = item_buckets_[b * num_items_ + item];
    if (id == kNone) continue;  // no other item has this key
    Bucket& bucket = heads_[id];
    // As in LshIndex, a bucket's first item always enters.
    if (bucket.size > 0 && bucket.size >= max_bucket_items_) continue;
    next_.push_back(bucket.head);
    bucket.head = static_cast<uint32_t>(items_.size());
    items_.push_back(item);
    ++bucket.size;
  }
}

}  // namespace dedup
