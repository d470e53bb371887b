#include "core/lsh.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

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
    : params_(params), max_bucket_items_(max_bucket_items) {
  const size_t n = sigs.size() / num_perm;
  const int bands = params.bands;
  item_buckets_.assign(n * bands, kNone);
  std::vector<uint32_t> band_base(bands + 1, 0);
  ParallelForChunks(bands, 1, threads, [&](size_t b, size_t, size_t, int) {
    band_base[b + 1] = GroupBand(sigs, num_perm, static_cast<int>(b));
  });
  for (int b = 0; b < bands; ++b) band_base[b + 1] += band_base[b];
  // Ids per band from 0 -> ids over all bands.
  ParallelForChunks(n, 4096, threads, [&](size_t, size_t begin, size_t end, int) {
    for (size_t i = begin; i < end; ++i) {
      uint32_t* buckets = item_buckets_.data() + i * bands;
      for (int b = 0; b < bands; ++b) {
        if (buckets[b] != kNone) buckets[b] += band_base[b];
      }
    }
  });
  heads_.resize(band_base[bands]);
}

uint32_t FixedLshIndex::GroupBand(std::span<const uint32_t> sigs, int num_perm, int b) {
  const size_t n = sigs.size() / num_perm;
  const int bands = params_.bands;
  // Keys are hashes: a counting sort on their top bits leaves parts of one or
  // two items, which a comparison sort then finishes.
  const int bits = std::clamp(static_cast<int>(std::bit_width(n)) - 1, 1, 22);
  std::vector<uint32_t> part_end(size_t{1} << bits, 0);
  std::vector<uint64_t> keys(n);
  for (size_t i = 0; i < n; ++i) {
    keys[i] = BandKey(sigs.subspan(i * num_perm, num_perm), b, params_.rows);
    ++part_end[keys[i] >> (64 - bits)];
  }
  uint32_t total = 0;
  for (uint32_t& e : part_end) e = (total += e);  // end of each part; counts down to its start below
  struct Entry {
    uint64_t key;
    uint32_t item;
  };
  std::vector<Entry> entries(n);
  for (size_t i = n; i-- > 0;) entries[--part_end[keys[i] >> (64 - bits)]] = {keys[i], static_cast<uint32_t>(i)};
  keys = {};
  uint32_t ids = 0;
  for (size_t p = 0; p < part_end.size(); ++p) {
    const size_t begin = part_end[p];
    const size_t end = p + 1 < part_end.size() ? part_end[p + 1] : n;
    if (end - begin < 2) continue;
    std::sort(entries.begin() + begin, entries.begin() + end,
              [](const Entry& x, const Entry& y) { return x.key < y.key; });
    for (size_t i = begin; i < end;) {
      size_t j = i + 1;
      while (j < end && entries[j].key == entries[i].key) ++j;
      if (j - i >= 2) {
        for (size_t m = i; m < j; ++m) item_buckets_[static_cast<size_t>(entries[m].item) * bands + b] = ids;
        ++ids;
      }
      i = j;
    }
  }
  return ids;
}

void FixedLshIndex::Insert(uint32_t item) {
  const uint32_t* buckets = item_buckets_.data() + static_cast<size_t>(item) * params_.bands;
  for (int b = 0; b < params_.bands; ++b) {
    if (buckets[b] == kNone) continue;  // no other item has this key
    Bucket& bucket = heads_[buckets[b]];
    // As in LshIndex, a bucket's first item always enters.
    if (bucket.size > 0 && bucket.size >= max_bucket_items_) continue;
    next_.push_back(bucket.head);
    bucket.head = static_cast<uint32_t>(items_.size());
    items_.push_back(item);
    ++bucket.size;
  }
}

}  // namespace dedup
