#include "core/lsh.h"

#include <cmath>
#include <limits>

#include "core/hash.h"

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

}  // namespace dedup
