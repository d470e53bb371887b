#include "core/lsh.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

#include "core/hash.h"
#include "core/key_groups.h"
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
  static_assert(kNone == kNoGroup);
  const size_t n = num_items_;
  const int bands = params.bands;
  // Every entry is written below (by the thread grouping its band).
  item_buckets_ = std::make_unique_for_overwrite<uint32_t[]>(n * bands);
  // At most 8 threads: each holds a grouping table (8 MiB at 500k items)
  // and a block of band keys at the clustering's peak of memory. With 8,
  // every block of bands of the final index's 42 gets a thread of its own
  // on a 16-core machine; 16 would take two or three bands each, at ~170 MB
  // more peak RSS at 1 GB (measured with the 16 MiB tables of 16-byte
  // slots, session 13).
  threads = std::clamp(threads, 1, kMaxBuildThreads);
  // Bands are hashed a few at a time, so that each signature row is read
  // once per few bands (rows are far apart), in enough blocks to share out.
  constexpr int kMaxBlockBands = 8;
  const int per_thread = (bands + threads * kMaxBlockBands - 1) / (threads * kMaxBlockBands);
  const int block_bands = std::max(1, (bands + threads * per_thread - 1) / (threads * per_thread));
  const int blocks = (bands + block_bands - 1) / block_bands;
  band_base_.assign(bands + 1, 0);
  // Per thread, kept across blocks: fresh buffers this large would be
  // mapped, page-faulted and zeroed anew for every block.
  struct Scratch {
    std::unique_ptr<uint64_t[]> keys;
    KeyGroupScratch group;
  };
  std::vector<Scratch> scratch(std::max(threads, 1));
  std::vector<std::vector<uint32_t>> bucket_sizes(bands);  // per band, per bucket: items with its key
  ParallelForChunks(blocks, 1, threads, [&](size_t block, size_t, size_t, int t) {
    const int first = static_cast<int>(block) * block_bands;
    const int count = std::min(block_bands, bands - first);
    if (!scratch[t].keys) scratch[t].keys = std::make_unique_for_overwrite<uint64_t[]>(block_bands * n);
    uint64_t* keys = scratch[t].keys.get();
    constexpr size_t kPrefetchRows = 32;  // rows are pages apart: the hardware does not run ahead
    const uint32_t* block_values = sigs.data() + static_cast<size_t>(first) * params_.rows;
    for (size_t i = 0; i < n; ++i) {
      if (i + kPrefetchRows < n) __builtin_prefetch(block_values + (i + kPrefetchRows) * num_perm);
      const std::span<const uint32_t> sig = sigs.subspan(i * num_perm, num_perm);
      for (int c = 0; c < count; ++c) keys[c * n + i] = BandKey(sig, first + c, params_.rows);
    }
    for (int c = 0; c < count; ++c) {
      band_base_[first + c + 1] = GroupEqualKeys(std::span(keys + c * n, n), item_buckets_.get() + (first + c) * n,
                                                 &scratch[t].group, &bucket_sizes[first + c]);
    }
  });
  scratch.clear();
  for (int b = 0; b < bands; ++b) band_base_[b + 1] += band_base_[b];
  num_buckets_ = band_base_[bands];
  // Each bucket's room: as in LshIndex, a bucket's first item always
  // enters, and at most max_bucket_items do.
  const uint32_t room_cap = std::max<uint32_t>(max_bucket_items_, 1);
  std::vector<uint64_t> band_room(bands + 1, 0);
  ParallelForChunks(bands, 1, threads, [&](size_t b, size_t, size_t, int) {
    uint64_t room = 0;
    for (const uint32_t size : bucket_sizes[b]) room += std::min(size, room_cap);
    band_room[b + 1] = room;
  });
  for (int b = 0; b < bands; ++b) band_room[b + 1] += band_room[b];
  if (band_room[bands] > UINT32_MAX) throw std::length_error("LSH index: more bucket entries than 32-bit slots hold");
  buckets_ = std::make_unique_for_overwrite<Bucket[]>(num_buckets_ + 1);
  items_ = std::make_unique_for_overwrite<uint32_t[]>(band_room[bands]);
  ParallelForChunks(bands, 1, threads, [&](size_t b, size_t, size_t, int) {
    uint32_t start = static_cast<uint32_t>(band_room[b]);
    Bucket* bucket = buckets_.get() + band_base_[b];
    for (const uint32_t size : bucket_sizes[b]) {
      *bucket++ = {start, 0};
      start += std::min(size, room_cap);
    }
    std::vector<uint32_t>().swap(bucket_sizes[b]);
    // The room is touched here, on every thread, rather than page by page
    // by the inserts, which run in order on one.
    std::fill(items_.get() + band_room[b], items_.get() + band_room[b + 1], 0);
  });
  buckets_[num_buckets_] = {static_cast<uint32_t>(band_room[bands]), 0};
}

void FixedLshIndex::Insert(uint32_t item, std::span<const BucketId> buckets) {
  for (const BucketId id : buckets) {
    Bucket& bucket = buckets_[id];
    if (bucket.start + bucket.size < buckets_[id + 1].start) items_[bucket.start + bucket.size++] = item;
  }
  inserted_below_ = item + 1;
}

}  // namespace dedup
