#include "core/boilerplate.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <memory>
#include <utility>

#include "core/byte_window.h"
#include "core/hash.h"
#include "core/parallel.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace dedup {
namespace {

bool IsAsciiAlnum(unsigned char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

constexpr int kLabelWords = 4;
constexpr size_t kLabelBytes = 32, kPrefixBytes = 12, kLongWordBytes = 8, kZoneWordBytes = 5;

// Template keys set the top bit so they never equal an exact key by design
// (a collision would need the exact key's top bit to match as well).
uint64_t TemplateHash(std::string_view text, TemplateKind kind, uint32_t source_id) {
  return (HashString(text, 0x54454d504cULL + static_cast<uint64_t>(kind)) ^ SourceSalt(source_id)) |
         0x8000000000000000ULL;
}

TemplateKey LabelKey(std::string_view label, uint32_t source_id) {
  return {TemplateHash(label, TemplateKind::kLabel, source_id), TemplateKind::kLabel};
}

// The key of a line without a label, from its first word (lower-cased; at
// least its first kPrefixBytes bytes readable at `first`).
TemplateKey FirstWordKey(const char* first, size_t first_word_size, LineZone zone, uint32_t source_id) {
  if (first_word_size >= kLongWordBytes) {
    return {TemplateHash({first, std::min(first_word_size, kPrefixBytes)}, TemplateKind::kLongWord, source_id),
            TemplateKind::kLongWord};
  }
  if (zone != LineZone::kBody && first_word_size >= kZoneWordBytes) {
    const uint64_t zone_salt = static_cast<uint64_t>(zone) << 40;
    return {TemplateHash({first, first_word_size}, TemplateKind::kZoneWord, source_id) ^ zone_salt,
            TemplateKind::kZoneWord};
  }
  return {};
}

}  // namespace

uint64_t LinkKey(uint64_t line_hash) { return Mix64(line_hash ^ 0x4c494e4bULL) | 0x8000000000000000ULL; }

TemplateKey MakeTemplateKeyBytewise(uint32_t source_id, LineZone zone, std::string_view line) {
  // Lower-cased words of the start of the line, up to a ':' or '|'.
  char label[kLabelBytes];
  size_t label_size = 0;
  size_t first_word_size = 0;
  int words = 0;
  size_t i = 0;
  while (i < line.size() && words <= kLabelWords) {
    const unsigned char c = line[i];
    if (c >= 0x80) return {};  // ASCII words only
    if (IsAsciiAlnum(c)) {
      size_t w = 0;
      for (; i < line.size() && IsAsciiAlnum(line[i]); ++i, ++w) {
        if (label_size < kLabelBytes) label[label_size++] = static_cast<char>(line[i] | 0x20);
      }
      if (words++ == 0) first_word_size = w;
      if (label_size < kLabelBytes) label[label_size++] = ' ';
      continue;
    }
    if ((c == ':' || c == '|') && words >= 1 && label_size >= 4 && label_size < kLabelBytes) {
      // "Label:" with something after it.
      if (i + 1 < line.size()) return LabelKey({label, label_size}, source_id);
      return {};
    }
    ++i;
  }
  return FirstWordKey(label, first_word_size, zone, source_id);
}

namespace {

// Bit i set where src[i] is ':' or '|'. SSE2 (every x86-64 has it) takes
// 16 bytes a compare; elsewhere an exact SWAR zero-byte test per word. The
// SWAR walk was two thirds of MakeTemplateKey's instructions (callgrind).
uint64_t LabelEndMask(const unsigned char* src) {
  uint64_t mask = 0;
#if defined(__SSE2__)
  const __m128i colon = _mm_set1_epi8(':'), bar = _mm_set1_epi8('|');
  for (int k = 0; k < ByteWindow::kBytes; k += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
    const __m128i hits = _mm_or_si128(_mm_cmpeq_epi8(v, colon), _mm_cmpeq_epi8(v, bar));
    mask |= static_cast<uint64_t>(static_cast<uint32_t>(_mm_movemask_epi8(hits))) << k;
  }
#else
  for (int k = 0; k < ByteWindow::kBytes; k += 8) {
    uint64_t word;
    std::memcpy(&word, src + k, 8);
    uint64_t hits = 0;
    for (const uint64_t pattern : {0x3a3a3a3a3a3a3a3aULL, 0x7c7c7c7c7c7c7c7cULL}) {
      const uint64_t x = word ^ pattern;  // zero bytes where equal
      const uint64_t t = ((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x;
      hits |= ~t & 0x8080808080808080ULL;
    }
    // One bit per byte: gather the byte-high bits.
    mask |= (((hits >> 7) * 0x0102040810204080ULL) >> 56) << k;
  }
#endif
  return mask;
}

}  // namespace

TemplateKey MakeTemplateKey(uint32_t source_id, LineZone zone, std::string_view line, size_t readable) {
  // The same walk as MakeTemplateKeyBytewise, over bit masks of the first 64
  // bytes: a word per step instead of a byte. Lines whose first words do not
  // fit in the window take the byte walk.
  static const ClassifyWindowFn classify = BestClassifyWindow();
  alignas(32) unsigned char buf[ByteWindow::kBytes];
  const auto* src = reinterpret_cast<const unsigned char*>(line.data());
  const size_t n = std::min<size_t>(line.size(), ByteWindow::kBytes);
  const bool continues = line.size() > ByteWindow::kBytes;
  if (n < ByteWindow::kBytes && readable < ByteWindow::kBytes) {
    std::memset(buf, 0, sizeof(buf));
    if (n > 0) std::memcpy(buf, src, n);
    src = buf;
  }
  auto bits = [](size_t from, size_t to) {  // [from, to) as a mask, to <= 64
    const uint64_t upto = to >= 64 ? ~uint64_t{0} : (uint64_t{1} << to) - 1;
    return from >= 64 ? 0 : upto & ~((uint64_t{1} << from) - 1);
  };
  ByteWindow w;
  classify(src, &w);
  // Bytes past the line (read in place) are nothing.
  const uint64_t in_line = bits(0, n);
  const uint64_t high = w.high & in_line, alnum = w.alnum & in_line;
  const uint64_t label_end = LabelEndMask(src) & in_line;
  // Most lines are prose: ASCII, no ':' or '|' in the window, and either all
  // of the line or more than kLabelWords + 1 words in it. The walk would end
  // at the first word's key, so it is taken straight away.
  const uint64_t word_starts = alnum & ~(alnum << 1);
  if ((label_end | high) == 0 && (!continues || std::popcount(word_starts) > kLabelWords + 1)) {
    if (word_starts == 0) return {};
    const int first = std::countr_zero(word_starts);
    return FirstWordKey(w.lower + first, std::countr_one(alnum >> first), zone, source_id);
  }
  size_t word_begin[kLabelWords + 1], word_size[kLabelWords + 1];
  int words = 0;
  size_t label_size = 0, pos = 0;
  auto label = [&](char* out) {
    size_t size = 0;
    for (int j = 0; j < words && size < kLabelBytes; ++j) {
      for (size_t b = 0; b < word_size[j] && size < kLabelBytes; ++b) out[size++] = w.lower[word_begin[j] + b];
      if (size < kLabelBytes) out[size++] = ' ';
    }
    return size;
  };
  while (words <= kLabelWords) {
    const uint64_t ahead = alnum & bits(pos, 64);
    const size_t next = ahead != 0 ? std::countr_zero(ahead) : n;
    if (next == n && continues) return MakeTemplateKeyBytewise(source_id, zone, line);
    const uint64_t gap = bits(pos, next);
    if (words >= 1 && label_size >= 4 && label_size < kLabelBytes && (label_end & gap) != 0) {
      const size_t colon = std::countr_zero(label_end & gap);
      if ((high & bits(pos, colon)) != 0) return {};
      if (colon + 1 >= line.size()) return {};
      char text[kLabelBytes];
      return LabelKey({text, label(text)}, source_id);
    }
    if ((high & gap) != 0) return {};  // ASCII words only
    if (next == n) break;
    const size_t end = next + std::countr_one(alnum >> next);
    if (end == ByteWindow::kBytes && continues) return MakeTemplateKeyBytewise(source_id, zone, line);
    word_begin[words] = next;
    word_size[words] = end - next;
    label_size = std::min(kLabelBytes, label_size + (end - next));
    if (label_size < kLabelBytes) ++label_size;
    ++words;
    pos = end;
  }
  if (words == 0) return {};
  return FirstWordKey(w.lower + word_begin[0], word_size[0], zone, source_id);
}

namespace {

// One key occurrence in a shard: ref is 2 o for occurrence o's exact key and
// 2 o + 1 for its template key; group is the story group of its document,
// with kTitleBit set where the occurrence is a title. Trivial, so that the
// array of them is not zero-filled before the scatter writes it.
struct KeyEntry {
  uint64_t key;
  uint32_t ref;
  uint32_t group;
};
constexpr uint32_t kTitleBit = 0x80000000u;

// Distinct stories of a key so far: entries come in group order, so a key
// counts a story when it last counted an earlier group.
struct KeyState {
  uint32_t first = UINT32_MAX;  // smallest ref: the key's first occurrence
  uint32_t last_group = UINT32_MAX;
  uint32_t last_title_group = UINT32_MAX;
  uint32_t stories = 0;
  uint32_t title_stories = 0;
};

// Shards enough that each one's keys fit in the caches (about 8k keys in
// 32k occurrences); a power of two, so a shard is the top bits of a hash.
int ShardBitsFor(size_t occurrences) {
  constexpr size_t kOccurrencesPerShard = 32768;
  constexpr int kMaxShardBits = 10;
  int bits = 0;
  while (bits < kMaxShardBits && (occurrences >> bits) > kOccurrencesPerShard) ++bits;
  return bits;
}

// Documents in story order, and the story group (0, 1, ... in that order)
// of each document.
void GroupByStory(const std::vector<uint32_t>& story, std::vector<uint32_t>* by_story,
                  std::vector<uint32_t>* doc_group) {
  const size_t n = story.size();
  by_story->resize(n);
  for (size_t d = 0; d < n; ++d) (*by_story)[d] = static_cast<uint32_t>(d);
  const uint32_t max_story = n == 0 ? 0 : *std::max_element(story.begin(), story.end());
  if (max_story < 2 * n) {
    std::vector<uint32_t> story_begin(static_cast<size_t>(max_story) + 2, 0);
    for (size_t d = 0; d < n; ++d) ++story_begin[story[d] + 1];
    for (size_t st = 0; st + 1 < story_begin.size(); ++st) story_begin[st + 1] += story_begin[st];
    for (size_t d = 0; d < n; ++d) (*by_story)[story_begin[story[d]]++] = static_cast<uint32_t>(d);
  } else {
    std::stable_sort(by_story->begin(), by_story->end(), [&](uint32_t a, uint32_t b) { return story[a] < story[b]; });
  }
  doc_group->resize(n);
  uint32_t group = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t d = (*by_story)[i];
    if (i > 0 && story[d] != story[(*by_story)[i - 1]]) ++group;
    (*doc_group)[d] = group;
  }
}

// The verdict of a key from its counts and its first occurrence.
BlockVerdict DecideKey(const KeyState& ks, const BlockOccurrence& first, TemplateKind kind, uint32_t source_stories,
                       const BoilerplateOptions& options) {
  BlockVerdict v;
  v.stories = ks.stories;
  v.title_stories = ks.title_stories;
  const double share = static_cast<double>(v.stories) / source_stories;
  double needed_share = 0.0;
  switch (kind) {
    case TemplateKind::kNone:
      needed_share = static_cast<int>(first.num_tokens) < options.short_block_tokens ? options.short_block_share
                                                                                     : options.min_share;
      break;
    case TemplateKind::kLabel:
    case TemplateKind::kLongWord:
      needed_share = options.inline_template_share;
      break;
    case TemplateKind::kZoneWord:
      needed_share = options.template_share;
      break;
    case TemplateKind::kLink:
      break;
  }
  // A link names one story's headline (near the top of one or two
  // stories: a copy may not have been clustered) and appears in other
  // stories. Lines near the top of many stories are templates or table
  // rows, not links.
  constexpr uint32_t kMaxHeadlineStories = 2;
  v.boilerplate = kind == TemplateKind::kLink
                      ? v.title_stories >= 1 && v.title_stories <= kMaxHeadlineStories && v.stories > v.title_stories
                      : static_cast<int>(v.stories) >= options.min_stories && share >= needed_share;
  return v;
}

}  // namespace

std::vector<uint32_t> OccurrenceOffsets(std::span<const BlockOccurrence> occurrences, size_t n) {
  std::vector<uint32_t> begin(n + 1, 0);
  for (const BlockOccurrence& occ : occurrences) ++begin[occ.doc + 1];
  for (size_t d = 0; d < n; ++d) begin[d + 1] += begin[d];
  return begin;
}

absl::flat_hash_map<uint64_t, BlockVerdict> DecideBoilerplate(
    std::span<const BlockOccurrence> occurrences, std::span<const uint32_t> occ_begin,
    const std::vector<uint32_t>& story, const std::vector<uint32_t>& source, const BoilerplateOptions& options,
    int threads) {
  const size_t n = story.size();
  std::vector<uint32_t> by_story, doc_group;
  GroupByStory(story, &by_story, &doc_group);
  // Stories per source.
  struct SourceState {
    uint32_t last_group = UINT32_MAX;
    uint32_t stories = 0;
  };
  absl::flat_hash_map<uint32_t, SourceState> sources;
  for (const uint32_t d : by_story) {
    SourceState& ss = sources[source[d]];
    if (ss.last_group != doc_group[d]) {
      ss.last_group = doc_group[d];
      ++ss.stories;
    }
  }

  // Keys are split into shards by hash, each decided by one thread alone: a
  // key's verdict depends on neither the split nor the thread count. The
  // occurrences are scattered to their shards once, in story order (each
  // chunk of documents counts its entries per shard, prefix sums give where
  // they go), so a shard reads only its own and counts stories in one pass.
  const int shard_bits = ShardBitsFor(occurrences.size());
  const size_t shards = size_t{1} << shard_bits;
  auto shard_of = [&](uint64_t key) {
    return shard_bits == 0 ? 0 : static_cast<size_t>(Mix64(key) >> (64 - shard_bits));
  };
  auto for_each_entry = [&](size_t begin, size_t end, auto&& fn) {  // fn(shard, entry), documents in story order
    for (size_t i = begin; i < end; ++i) {
      const uint32_t d = by_story[i];
      for (uint32_t o = occ_begin[d]; o < occ_begin[d + 1]; ++o) {
        const BlockOccurrence& occ = occurrences[o];
        const uint32_t group = doc_group[d] | (occ.is_title ? kTitleBit : 0);
        fn(shard_of(occ.key), KeyEntry{occ.key, 2 * o, group});
        if (occ.template_key != 0) fn(shard_of(occ.template_key), KeyEntry{occ.template_key, 2 * o + 1, group});
      }
    }
  };
  constexpr size_t kChunkDocs = 4096;
  const size_t chunks = (n + kChunkDocs - 1) / kChunkDocs;
  std::vector<uint32_t> offset(chunks * shards, 0);  // [chunk][shard]: counts, then where its entries go
  ParallelForChunks(n, kChunkDocs, threads, [&](size_t chunk, size_t begin, size_t end, int) {
    uint32_t* counts = offset.data() + chunk * shards;
    for_each_entry(begin, end, [&](size_t shard, const KeyEntry&) { ++counts[shard]; });
  });
  std::vector<uint32_t> shard_begin(shards + 1, 0);
  uint32_t total = 0;
  for (size_t shard = 0; shard < shards; ++shard) {
    shard_begin[shard] = total;
    for (size_t chunk = 0; chunk < chunks; ++chunk) {
      const uint32_t count = offset[chunk * shards + shard];
      offset[chunk * shards + shard] = total;
      total += count;
    }
  }
  shard_begin[shards] = total;
  const auto entries = std::make_unique_for_overwrite<KeyEntry[]>(total);
  ParallelForChunks(n, kChunkDocs, threads, [&](size_t chunk, size_t begin, size_t end, int) {
    uint32_t* next = offset.data() + chunk * shards;
    for_each_entry(begin, end, [&](size_t shard, const KeyEntry& e) { entries[next[shard]++] = e; });
  });

  std::vector<std::vector<std::pair<uint64_t, BlockVerdict>>> shard_verdicts(shards);
  ParallelForChunks(shards, 1, threads, [&](size_t shard, size_t, size_t, int) {
    absl::flat_hash_map<uint64_t, KeyState> keys;
    // A key has about five entries: growing the map would cost more.
    keys.reserve((shard_begin[shard + 1] - shard_begin[shard]) / 4);
    for (uint32_t e = shard_begin[shard]; e < shard_begin[shard + 1]; ++e) {
      const KeyEntry& entry = entries[e];
      KeyState& ks = keys[entry.key];
      ks.first = std::min(ks.first, entry.ref);
      const uint32_t group = entry.group & ~kTitleBit;
      if (ks.last_group != group) {
        ks.last_group = group;
        ++ks.stories;
      }
      if ((entry.group & kTitleBit) != 0 && ks.last_title_group != group) {
        ks.last_title_group = group;
        ++ks.title_stories;
      }
    }
    // Fewer stories than any verdict needs: content, without reading the
    // first occurrence (most keys are).
    const uint32_t min_stories = static_cast<uint32_t>(std::clamp(options.min_stories, 0, 2));
    for (const auto& [key, ks] : keys) {
      if (ks.stories < min_stories) continue;
      const BlockOccurrence& first = occurrences[ks.first / 2];
      const TemplateKind kind = ks.first % 2 == 1 ? first.template_kind : TemplateKind::kNone;
      const BlockVerdict v = DecideKey(ks, first, kind, sources.at(source[first.doc]).stories, options);
      if (v.boilerplate) shard_verdicts[shard].emplace_back(key, v);
    }
  });
  absl::flat_hash_map<uint64_t, BlockVerdict> verdicts;
  size_t boilerplate = 0;
  for (const auto& sv : shard_verdicts) boilerplate += sv.size();
  verdicts.reserve(boilerplate);
  for (const auto& sv : shard_verdicts) verdicts.insert(sv.begin(), sv.end());
  return verdicts;
}

}  // namespace dedup
