#include "dist/wire.h"

#include <cstring>
#include <iterator>
#include <span>
#include <type_traits>

namespace dedup {
namespace {

class Writer {
 public:
  template <typename T>
  void Put(const T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof(T));
  }
  template <typename T>
  void PutSpan(std::span<const T> v) {
    Put<uint64_t>(v.size());
    out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  template <typename T, typename Alloc>
  void PutVector(const std::vector<T, Alloc>& v) {
    PutSpan(std::span<const T>(v.data(), v.size()));
  }
  // The vector of f(item) for each item, as PutVector writes one, with no
  // array of them built first.
  template <typename Range, typename F>
  void PutMapped(const Range& items, F&& f) {
    Put<uint64_t>(std::size(items));
    for (const auto& item : items) Put(f(item));
  }
  void PutString(std::string_view s) {
    Put<uint64_t>(s.size());
    out_.append(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T* value) {
    if (in_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(value, in_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T, typename Alloc>
  bool GetVector(std::vector<T, Alloc>* v) {
    uint64_t n = 0;
    if (!Get(&n) || n > (in_.size() - pos_) / sizeof(T)) return false;
    v->resize(n);
    std::memcpy(v->data(), in_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool GetString(std::string* s) {
    uint64_t n = 0;
    if (!Get(&n) || n > in_.size() - pos_) return false;
    s->assign(in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool done() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

absl::Status Truncated(std::string_view what) {
  return absl::DataLossError(std::string("truncated or corrupt ") + std::string(what) + " message");
}

// Per-document decision on the wire.
struct WireDecision {
  uint32_t dup_of;
  float similarity;
  uint32_t removed_count;
  uint8_t keep;
};

}  // namespace

std::string EncodeFingerprints(const Fingerprints& fp, int num_perm) {
  Writer w;
  w.PutVector(fp.noncand_sigs);
  w.PutVector(fp.noncand_sizes);
  w.PutVector(fp.doc_bytes);
  w.PutVector(fp.source);
  // An occurrence's sketch travels as its key beside it: the address sent
  // with the occurrence means nothing on another rank, and DecodeFingerprints
  // replaces it (no copy of the occurrences just to clear it).
  w.PutVector(fp.occurrences);
  w.PutMapped(fp.occurrences, [](const BlockOccurrence& occ) { return SketchKey(occ.sketch); });
  w.Put<uint64_t>(fp.sketches.size());
  fp.sketches.ForEach([&](uint64_t key, const LineSketch& sketch) {
    w.Put(key);
    w.PutSpan(sketch.shingles());
  });
  (void)num_perm;
  return w.Take();
}

absl::StatusOr<Fingerprints> DecodeFingerprints(std::string_view bytes, int num_perm) {
  Reader r(bytes);
  Fingerprints fp;
  uint64_t num_sketches = 0;
  std::vector<uint64_t> sketch_keys;
  if (!r.GetVector(&fp.noncand_sigs) || !r.GetVector(&fp.noncand_sizes) || !r.GetVector(&fp.doc_bytes) ||
      !r.GetVector(&fp.source) || !r.GetVector(&fp.occurrences) || !r.GetVector(&sketch_keys) ||
      !r.Get(&num_sketches) || sketch_keys.size() != fp.occurrences.size()) {
    return Truncated("fingerprints");
  }
  std::vector<uint64_t> shingles;
  for (uint64_t i = 0; i < num_sketches; ++i) {
    uint64_t key = 0;
    if (!r.Get(&key) || !r.GetVector(&shingles)) return Truncated("fingerprints");
    fp.sketches.Insert(key, shingles);
  }
  for (size_t o = 0; o < sketch_keys.size(); ++o) {
    const LineSketch* sketch = fp.sketches.find(sketch_keys[o]);
    if (sketch == nullptr) return absl::DataLossError("fingerprints: an occurrence names a sketch not sent");
    fp.occurrences[o].sketch = sketch->begin;
  }
  const size_t n = fp.doc_bytes.size();
  if (!r.done() || fp.noncand_sigs.size() != n * num_perm || fp.noncand_sizes.size() != n || fp.source.size() != n) {
    return Truncated("fingerprints");
  }
  return fp;
}

std::string EncodeDecisions(const PipelineResult& result, size_t begin, size_t end) {
  Writer w;
  w.Put<uint64_t>(end - begin);
  for (size_t d = begin; d < end; ++d) {
    const DocumentDecision& dec = result.docs[d];
    w.Put(WireDecision{dec.dup_of, dec.similarity, dec.removed_count, static_cast<uint8_t>(dec.keep)});
    for (uint32_t i = 0; i < dec.removed_count; ++i) w.Put(result.removed[dec.removed_begin + i]);
  }
  return w.Take();
}

absl::StatusOr<PipelineResult> DecodeDecisions(std::string_view bytes) {
  Reader r(bytes);
  PipelineResult result;
  uint64_t n = 0;
  if (!r.Get(&n)) return Truncated("decisions");
  for (uint64_t d = 0; d < n; ++d) {
    WireDecision wd{};
    if (!r.Get(&wd)) return Truncated("decisions");
    DocumentDecision dec;
    dec.keep = wd.keep != 0;
    dec.dup_of = wd.dup_of;
    dec.similarity = wd.similarity;
    dec.removed_begin = static_cast<uint32_t>(result.removed.size());
    dec.removed_count = wd.removed_count;
    for (uint32_t i = 0; i < wd.removed_count; ++i) {
      RemovedRange range;
      if (!r.Get(&range)) return Truncated("decisions");
      result.removed.push_back(range);
    }
    result.docs.push_back(dec);
  }
  if (!r.done()) return Truncated("decisions");
  return result;
}

std::string EncodeStrings(const std::vector<std::string_view>& strings) {
  Writer w;
  w.Put<uint64_t>(strings.size());
  for (const std::string_view s : strings) w.PutString(s);
  return w.Take();
}

absl::StatusOr<std::vector<std::string>> DecodeStrings(std::string_view bytes) {
  Reader r(bytes);
  uint64_t n = 0;
  if (!r.Get(&n)) return Truncated("strings");
  std::vector<std::string> out;
  for (uint64_t i = 0; i < n; ++i) {
    std::string s;
    if (!r.GetString(&s)) return Truncated("strings");
    out.push_back(std::move(s));
  }
  if (!r.done()) return Truncated("strings");
  return out;
}

}  // namespace dedup
