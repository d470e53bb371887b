#include "core/pipeline.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <span>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_format.h"
#include "core/chunk_order.h"
#include "core/distinct_counter.h"
#include "core/hash.h"
#include "core/heap_trim.h"
#include "core/key_counter.h"
#include "core/parallel.h"
#include "core/stamped_set.h"
#include "core/stopwatch.h"
#include "core/tokenize.h"

namespace dedup {
namespace {

constexpr size_t kChunkDocs = 64;  // documents per work item: small enough to balance

// A pass has read documents up to `end` (its chunk `chunk`): every
// kReleaseChunks chunks, the text behind it is released (the next pass reads
// it again; meanwhile it needs no memory). Batched because each release
// interrupts the other cores to flush their TLBs.
void ReleaseBehind(const DocumentSource& docs, size_t chunk, size_t end) {
  constexpr size_t kReleaseChunks = 16;
  if ((chunk + 1) % kReleaseChunks != 0) return;
  docs.Release(end - std::min(end, kReleaseChunks * kChunkDocs), end);
}

// The hash a line is keyed by: digits folded, so that counters and dates do
// not split a repeated block, except in lines where numbers are a quarter or
// more of the words (tables: "Qtly div 35 cts vs 35 cts prior"), where the
// numbers are the content.
uint64_t LineHash(const LineSpan& line) {
  const bool numbers_are_content = line.digit_tokens >= 2 && 4 * line.digit_tokens >= line.num_tokens;
  return numbers_are_content ? line.exact_hash : line.folded_hash;
}

// Zone of each line with tokens: head, tail or body (see MakeTemplateKey).
LineZone ZoneOf(uint32_t rank, uint32_t lines_with_tokens) {
  if (rank < static_cast<uint32_t>(kHeadLines)) return LineZone::kHead;
  if (rank + kTailLines >= lines_with_tokens) return LineZone::kTail;
  return LineZone::kBody;
}

// A line that may be a link to another story ("Related stories" lists):
// near the bottom of a document long enough that its head and tail do not
// meet (in short texts a sentence copied from another's opening would pass),
// as long as a headline, and not a row of figures.
bool IsLinkCandidate(LineZone zone, uint32_t lines_with_tokens, const LineSpan& line) {
  constexpr uint32_t kMinWords = 4, kMaxWords = 24;
  if (lines_with_tokens < static_cast<uint32_t>(kHeadLines + kTailLines)) return false;
  if (zone != LineZone::kTail || line.num_tokens < kMinWords || line.num_tokens > kMaxWords) return false;
  return line.digit_tokens < 2;
}

uint32_t CountLinesWithTokens(const TokenStream& ts) {
  uint32_t n = 0;
  for (const LineSpan& line : ts.lines) n += line.num_tokens > 0;
  return n;
}

// A line's keys, computed before any counter lookup.
struct LineKeys {
  LoggedLine line;  // what pass 1 logs
  uint64_t key = 0;
};

// The keys of every line with tokens, in order, computed from the text and
// its line hashes (pass 1; pass 2 when pass 1 logged nothing for these
// documents).
void ComputeLineKeys(std::string_view text, const TokenStream& ts, uint32_t source, std::vector<LineKeys>* out) {
  out->clear();
  const uint32_t with_tokens = CountLinesWithTokens(ts);
  uint32_t rank = 0;
  for (const LineSpan& span : ts.lines) {
    if (span.num_tokens == 0) continue;
    // Filled in place (see LineKeyLog::Cursor::Next).
    LineKeys& lk = out->emplace_back();
    LoggedLine& line = lk.line;
    line.zone = ZoneOf(rank++, with_tokens);
    line.hash = LineHash(span);
    line.exact_hash = span.exact_hash;
    line.tkey = MakeTemplateKey(source, line.zone, text.substr(span.begin, span.end - span.begin),
                                text.size() - span.begin);
    line.begin = span.begin;
    line.num_tokens = span.num_tokens;
    line.link_shaped = IsLinkCandidate(line.zone, with_tokens, span);
    lk.key = BlockKey(source, line.hash);
  }
}

// The keys pass 1 logged for the next document (pass 2).
void LoggedLineKeys(uint32_t source, LineKeyLog::Cursor* logged, std::vector<LineKeys>* out) {
  out->resize(logged->NextDocument());
  LineKeyLog::Cursor cursor = *logged;  // a local copy stays in registers
  for (LineKeys& lk : *out) {
    cursor.Next(&lk.line);
    lk.key = BlockKey(source, lk.line.hash);
  }
  *logged = cursor;
}

// Where the line starting at `begin` ends, its newline included.
uint32_t NextLineStart(std::string_view text, uint32_t begin) {
  const void* newline = std::memchr(text.data() + begin, '\n', text.size() - begin);
  return static_cast<uint32_t>(newline != nullptr ? static_cast<const char*>(newline) - text.data() + 1 : text.size());
}

// Per-thread scratch reused across documents.
struct Scratch {
  std::string text;
  Tokenizer tokenizer;
  TokenStream tokens;
  // Occurrences (and their sketch keys) whose line's sketch may be new, and
  // those of a line met earlier in the same document, sketched at its end.
  std::vector<std::pair<size_t, uint64_t>> unsketched;
  std::vector<std::pair<size_t, uint64_t>> unresolved;
  DistinctCounter distinct;
  StampedSet<uint64_t> doc_keys;  // pass 1: the document's keys, each once (counted once per document)
  std::vector<LineKeys> line_keys;
  std::vector<uint64_t> line_shingles;
  std::vector<BlockOccurrence> occurrences;  // pass 2: the chunk's, until placed in document order
};

// The sketch keys met last and where their shingles are, direct-mapped by
// their low bits (8,192 slots): pass 2 skips its sketch table for a key it
// has met before, as most candidate lines are a site's template lines, met
// again and again, and the table is far larger than the caches.
class RecentKeys {
 public:
  // Whether key is remembered, with where its shingles are in *begin (null
  // until SetSketch); remembers it from now on either way.
  bool CheckAndRemember(uint64_t key, const uint64_t** begin) {
    Slot& slot = slots_[key & (kSlots - 1)];
    if (slot.key == key && key != kEmpty) {
      *begin = slot.begin;
      return true;
    }
    slot = {key, nullptr};
    return false;
  }
  void SetSketch(uint64_t key, const uint64_t* begin) {
    Slot& slot = slots_[key & (kSlots - 1)];
    if (slot.key == key) slot.begin = begin;
  }

 private:
  static constexpr size_t kSlots = 1 << 13;
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {
    uint64_t key = kEmpty;
    const uint64_t* begin = nullptr;
  };
  std::vector<Slot> slots_ = std::vector<Slot>(kSlots);
};

// The distinct shingle hashes of tokens[0, count) with the shingle window,
// premixed for hasher (MinHasher::Premix), into *shingles; fewer tokens than
// the window make one shingle. A line is a few shingles, so the list is
// smaller than a signature and is merged in at the end.
void LineShingles(const uint64_t* tokens, uint32_t count, uint32_t width, const MinHasher& hasher,
                  std::vector<uint64_t>* shingles) {
  shingles->clear();
  if (count == 0) return;
  if (count < width) {
    shingles->push_back(hasher.Premix(HashShingle(tokens, count)));
    return;
  }
  for (uint32_t j = 0; j + width <= count; ++j) shingles->push_back(hasher.Premix(HashShingle(tokens + j, width)));
  std::sort(shingles->begin(), shingles->end());
  shingles->erase(std::unique(shingles->begin(), shingles->end()), shingles->end());
}

}  // namespace

absl::Status PipelineOptions::Validate() const {
  if (shingle_width < 1 || shingle_width > 64)
    return absl::InvalidArgumentError(absl::StrFormat("--shingle must be in [1, 64], got %d", shingle_width));
  if (num_perm < 8 || num_perm > 1024)
    return absl::InvalidArgumentError(absl::StrFormat("--num-perm must be in [8, 1024], got %d", num_perm));
  if (!(match.jaccard_threshold > 0.0 && match.jaccard_threshold <= 1.0))
    return absl::InvalidArgumentError("--threshold must be in (0, 1]");
  if (!(match.containment > 0.0))
    return absl::InvalidArgumentError("--containment must be in (0, 1], or above 1 to disable it");
  if (!(match.min_length_ratio >= 0.0 && match.min_length_ratio <= 1.0))
    return absl::InvalidArgumentError("--min-length-ratio must be in [0, 1]");
  if (lsh.bands < 0 || lsh.rows < 0 || lsh.bands * lsh.rows > num_perm)
    return absl::InvalidArgumentError("--bands * --rows must not exceed --num-perm");
  if (blocks.min_stories < 2) return absl::InvalidArgumentError("--min-stories must be at least 2");
  // A share outside [0, 1] (or NaN, which no share reaches) would silently
  // turn a kind of boilerplate off or make every recurring line one.
  for (const auto& [flag, share] : {std::pair{"--min-share", blocks.min_share},
                                    std::pair{"--short-block-share", blocks.short_block_share},
                                    std::pair{"--template-share", blocks.template_share}}) {
    if (!(share >= 0.0 && share <= 1.0))
      return absl::InvalidArgumentError(absl::StrFormat("%s must be in [0, 1], got %g", flag, share));
  }
  if (blocks.short_block_tokens < 0) return absl::InvalidArgumentError("--short-block-tokens must be at least 0");
  if (threads < 1 || threads > kMaxThreads)
    return absl::InvalidArgumentError(
        absl::StrFormat("--threads must be in [1, %d] (0: all cores), got %d", kMaxThreads, threads));
  return absl::OkStatus();
}

LshParams PipelineOptions::EffectiveLsh() const {
  if (lsh.bands > 0 && lsh.rows > 0) return lsh;
  double target = match.jaccard_threshold;
  if (match.containment <= 1.0) {
    // Jaccard of a copy holding `c` of a document half its size: c r / (1 + r - c r).
    const double c = match.containment, r = 0.5;
    target = std::min(target, c * r / (1.0 + r - c * r));
  }
  return ChooseLshParams(target, num_perm);
}

uint64_t EstimatePeakMemoryBytes(uint64_t input_bytes, size_t documents, int threads) {
  // Framing holds the mapped input (compressed and piped inputs too, mapped
  // from a temporary file: io/file_io.h InputBuilder); after it, input pages
  // are released as the passes read them, pass 1's line counters are freed
  // before pass 2, and the peak comes in clustering: the per-document state
  // (two signatures, candidate-line records, LSH buckets), plus a block of
  // band keys and a grouping table for each thread building an LSH index.
  // Peak RSS measured at 1 GB of news generated from the bundled base (542k
  // documents, the heavier per document), session 13: 1,199 / 1,309 /
  // 1,353 / 1,400 / 1,430 MiB on 1 / 2 / 4 / 8 / 16 threads, estimated
  // 1,308 / 1,370 / 1,494 / 1,494 / 1,494. Past 4 threads the index
  // threads take fewer bands each, so the peak hardly grows: the estimate
  // counts 4 at most. From the shared base (511k) session 12 measured
  // 1,065 / 1,103 / 1,173 on 1 / 2 / 4, estimated 16-20% more.
  constexpr uint64_t kFixedBytes = uint64_t{16} << 20;  // code, thread stacks, small tables
  constexpr uint64_t kBytesPerDocument = 2500;
  constexpr uint64_t kBytesPerDocumentPerExtraThread = 120;
  constexpr int kThreadsCounted = 4;
  const uint64_t extra_threads = std::clamp(threads, 1, kThreadsCounted) - 1;
  const uint64_t per_document = kBytesPerDocument + extra_threads * kBytesPerDocumentPerExtraThread;
  return std::max(input_bytes, kFixedBytes + per_document * documents);
}

uint64_t EstimatePeakMemoryMiB(uint64_t input_bytes, size_t documents, int threads) {
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  return (EstimatePeakMemoryBytes(input_bytes, documents, threads) + kMiB - 1) / kMiB;
}

uint64_t LineCounterKeys(uint64_t size_hint_bytes) {
  constexpr uint64_t kBytesPerLineGuess = 40;  // two keys (exact, template) per line
  return 2 * size_hint_bytes / kBytesPerLineGuess;
}

void CountLines(const DocumentSource& docs, const PipelineOptions& options, LineStatistics* stats,
                PipelineProgress* progress) {
  const size_t n = docs.size();
  const int threads = options.threads;
  std::vector<Scratch> scratch(threads);
  std::vector<std::vector<uint64_t>> titles(threads), listed(threads);
  KeyCounter& line_counts = stats->counts;
  stats->line_keys.Reset((n + kChunkDocs - 1) / kChunkDocs, threads);
  if (progress != nullptr) progress->phase = 1;
  ParallelForChunks(n, kChunkDocs, threads, [&](size_t chunk, size_t begin, size_t end, int t) {
    Scratch& s = scratch[t];
    stats->line_keys.BeginChunk(chunk, t);
    size_t bytes = 0;
    for (size_t d = begin; d < end; ++d) {
      const std::string_view text = docs.Text(d, &s.text);
      bytes += text.size();
      s.tokenizer.TokenizeLines(text, &s.tokens);
      ComputeLineKeys(text, s.tokens, docs.SourceId(d), &s.line_keys);
      stats->line_keys.BeginDocument(t, static_cast<uint32_t>(s.line_keys.size()));
      // Each key counts once per document (the order of the counts does not
      // matter: they are sums).
      s.doc_keys.Start(2 * s.line_keys.size());
      for (const LineKeys& lk : s.line_keys) {
        stats->line_keys.Append(t, lk.line);
        s.doc_keys.Add(lk.key);
        if (lk.line.tkey.key != 0) s.doc_keys.Add(lk.line.tkey.key);
        if (lk.line.zone == LineZone::kHead)
          titles[t].push_back(lk.line.hash);
        else if (lk.line.link_shaped)
          listed[t].push_back(lk.line.hash);
      }
      // The counter table is far larger than the caches: prefetch every
      // key's line before touching any.
      for (const uint64_t key : s.doc_keys.keys()) line_counts.Prefetch(key);
      for (const uint64_t key : s.doc_keys.keys()) line_counts.Add(key);
    }
    ReleaseBehind(docs, chunk, end);
    if (progress != nullptr) {
      progress->docs_done += end - begin;
      progress->bytes_done += bytes;
    }
  });
  // Pages mapped again around other threads' faults (the kernel maps a few
  // neighbours of each) are dropped here.
  docs.Release(0, n);
  for (int t = 0; t < threads; ++t) {
    stats->head_lines.insert(stats->head_lines.end(), titles[t].begin(), titles[t].end());
    stats->listed_lines.insert(stats->listed_lines.end(), listed[t].begin(), listed[t].end());
  }
}

void SelectCandidateKeys(const PipelineOptions& options, LineStatistics* stats) {
  // Pass 2 asks about every line: a bit per counter stays in the caches far
  // more often than the counters do.
  stats->candidate_keys = stats->counts.KeysAtLeast(static_cast<uint32_t>(options.blocks.min_stories), options.threads);
  stats->counts = KeyCounter(0);
}

absl::flat_hash_set<uint64_t> FindLinkTargets(const LineStatistics& stats, int threads) {
  // Split by the hashes' top bits, a part per task: one set of a few
  // million head lines was ~0.1 s of serial work at 1 GB.
  constexpr int kPartBits = 6;
  constexpr size_t kParts = size_t{1} << kPartBits;
  threads = std::max(threads, 1);
  using Parts = std::vector<std::array<std::vector<uint64_t>, kParts>>;  // [thread][part]
  auto split = [&](const std::vector<uint64_t>& hashes) {
    Parts parts(threads);
    ParallelForChunks(hashes.size(), size_t{1} << 16, threads, [&](size_t, size_t begin, size_t end, int t) {
      for (size_t i = begin; i < end; ++i) parts[t][hashes[i] >> (64 - kPartBits)].push_back(hashes[i]);
    });
    return parts;
  };
  const Parts heads = split(stats.head_lines), listed = split(stats.listed_lines);
  std::array<std::vector<uint64_t>, kParts> found;
  ParallelForChunks(kParts, 1, threads, [&](size_t p, size_t, size_t, int) {
    absl::flat_hash_set<uint64_t> part_heads;
    for (const auto& of_thread : heads) part_heads.insert(of_thread[p].begin(), of_thread[p].end());
    for (const auto& of_thread : listed) {
      for (const uint64_t h : of_thread[p]) {
        if (part_heads.contains(h)) found[p].push_back(h);
      }
    }
  });
  absl::flat_hash_set<uint64_t> targets;
  for (const std::vector<uint64_t>& part : found) targets.insert(part.begin(), part.end());
  return targets;
}

void Fingerprints::Append(Fingerprints&& other) {
  const uint32_t offset = static_cast<uint32_t>(size());
  noncand_sigs.insert(noncand_sigs.end(), other.noncand_sigs.begin(), other.noncand_sigs.end());
  noncand_sizes.insert(noncand_sizes.end(), other.noncand_sizes.begin(), other.noncand_sizes.end());
  doc_bytes.insert(doc_bytes.end(), other.doc_bytes.begin(), other.doc_bytes.end());
  source.insert(source.end(), other.source.begin(), other.source.end());
  for (BlockOccurrence occ : other.occurrences) {
    occ.doc += offset;
    occurrences.push_back(occ);
  }
  sketches.MergeFrom(std::span(&other.sketches, 1), 1);
  other = Fingerprints{};
}

void Fingerprints::Reserve(size_t docs, size_t num_occurrences, int num_perm) {
  noncand_sigs.reserve(docs * static_cast<size_t>(num_perm));
  noncand_sizes.reserve(docs);
  doc_bytes.reserve(docs);
  source.reserve(docs);
  occurrences.reserve(num_occurrences);
}

namespace {

// A bound on pass 2's occurrences: at most one per line with tokens, and
// pass 1 logged every such line. Without its log, a '\n' ends every line.
size_t MaxOccurrences(const DocumentSource& docs, const LineStatistics& lines, bool logged, int threads) {
  if (logged) return lines.line_keys.num_lines();
  std::vector<size_t> thread_lines(std::max(threads, 1), 0);
  ParallelForChunks(docs.size(), kChunkDocs, threads, [&](size_t, size_t begin, size_t end, int t) {
    std::string text_scratch;
    for (size_t d = begin; d < end; ++d) {
      const std::string_view text = docs.Text(d, &text_scratch);
      thread_lines[t] += static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    }
  });
  size_t total = 0;
  for (const size_t n : thread_lines) total += n;
  return total;
}

}  // namespace

Fingerprints ComputeFingerprints(const DocumentSource& docs, const PipelineOptions& options,
                                 LineStatistics* lines, const absl::flat_hash_set<uint64_t>& link_targets,
                                 PipelineProgress* progress) {
  const size_t n = docs.size();
  const int k = options.num_perm;
  const uint32_t width = static_cast<uint32_t>(options.shingle_width);
  const MinHasher hasher(options.scheme, k, options.seed);
  const size_t num_chunks = (n + kChunkDocs - 1) / kChunkDocs;
  const int threads = options.threads;
  std::vector<Scratch> scratch(threads);
  const bool any_candidates = lines != nullptr;
  const KeyFilter* candidate_keys = any_candidates ? &lines->candidate_keys : nullptr;
  auto is_candidate = [&](uint64_t key) { return candidate_keys->Contains(key); };
  if (progress != nullptr) {
    progress->phase = 2;
    progress->docs_done = 0;
    progress->bytes_done = 0;
  }
  Fingerprints fp;
  fp.noncand_sigs.resize(n * k);  // not zeroed: every document's row is reset below
  fp.noncand_sizes.resize(n);
  fp.doc_bytes.resize(n);
  fp.source.resize(n);
  for (size_t d = 0; d < n; ++d) fp.source[d] = docs.SourceId(d);
  const std::vector<uint32_t>& source = fp.source;
  UninitializedVector<uint32_t>& noncand_sigs = fp.noncand_sigs;
  std::vector<uint64_t>& noncand_sizes = fp.noncand_sizes;
  std::vector<uint64_t>& doc_bytes = fp.doc_bytes;
  std::vector<SketchTable> thread_sketches(threads);
  std::vector<RecentKeys> recent_sketches(threads);  // keys thread_sketches[t] holds
  // Pass 1's line keys, when it logged them for these documents.
  const bool logged = any_candidates && lines->line_keys.num_chunks() == num_chunks;
  // Each chunk's occurrences go straight to their place in document order
  // once the chunks before it are placed. The room is a bound (about twice
  // what generated news uses), allocated but not written: only the pages
  // filled are ever faulted in.
  fp.occurrences.resize(any_candidates ? MaxOccurrences(docs, *lines, logged, threads) : 0);
  InChunkOrder<BlockOccurrence> occurrences_in_order(fp.occurrences);
  ParallelForChunks(n, kChunkDocs, threads, [&](size_t chunk, size_t begin, size_t end, int t) {
    Scratch& s = scratch[t];
    LineKeyLog::Cursor logged_keys;
    if (logged) logged_keys = lines->line_keys.ReadChunk(chunk);
    std::vector<BlockOccurrence>& chunk_occurrences = s.occurrences;  // empty: the last chunk's were placed
    size_t bytes = 0;
    for (size_t d = begin; d < end; ++d) {
      const std::string_view text = docs.Text(d, &s.text);
      doc_bytes[d] = text.size();
      bytes += text.size();
      // Every line's keys and place, before any token is hashed: candidate
      // lines are then known, and only the text between them is tokenised.
      s.line_keys.clear();
      if (logged) {
        LoggedLineKeys(source[d], &logged_keys, &s.line_keys);
      } else if (any_candidates) {
        s.tokenizer.TokenizeLines(text, &s.tokens);
        ComputeLineKeys(text, s.tokens, source[d], &s.line_keys);
      }
      uint32_t num_tokens = 0;  // in the whole text
      for (const LineKeys& lk : s.line_keys) {
        num_tokens += lk.line.num_tokens;
        candidate_keys->Prefetch(lk.key);  // the filter is larger than the caches nearer than L3
        if (lk.line.tkey.key != 0) candidate_keys->Prefetch(lk.line.tkey.key);
        // Head and link-shaped lines are looked up in the link targets too,
        // a set as far out of the caches.
        if (lk.line.zone == LineZone::kHead || lk.line.link_shaped) link_targets.prefetch(lk.line.hash);
      }
      // The document's candidate lines: its occurrences, from here on.
      const size_t first_occurrence = chunk_occurrences.size();
      s.unsketched.clear();
      s.unresolved.clear();
      for (const LineKeys& lk : s.line_keys) {
        const LoggedLine& line = lk.line;
        const bool is_title = line.zone == LineZone::kHead;
        TemplateKey tkey = line.tkey;
        if (tkey.key != 0 && !is_candidate(tkey.key)) tkey = TemplateKey{};
        if (tkey.key == 0 && (is_title || line.link_shaped) && link_targets.contains(line.hash)) {
          tkey = TemplateKey{LinkKey(line.hash), TemplateKind::kLink};
        }
        if (tkey.key == 0 && !is_candidate(lk.key)) continue;
        BlockOccurrence occ;
        occ.key = lk.key;
        occ.template_key = tkey.key;
        occ.doc = static_cast<uint32_t>(d);
        occ.begin = line.begin;
        occ.next = NextLineStart(text, line.begin);
        occ.num_tokens = static_cast<uint16_t>(std::min<uint32_t>(line.num_tokens, UINT16_MAX));
        occ.template_kind = tkey.kind;
        occ.is_title = is_title;
        // The sketch is of the exact text (digits kept), so that lines
        // differing only in numbers never make documents identical.
        // Each occurrence keeps where its line's shingles are (they never
        // move), so that no one looks them up by key again.
        const uint64_t sketch_key = line.exact_hash;
        if (recent_sketches[t].CheckAndRemember(sketch_key, &occ.sketch)) {
          if (occ.sketch == nullptr) s.unresolved.emplace_back(chunk_occurrences.size(), sketch_key);
        } else {
          s.unsketched.emplace_back(chunk_occurrences.size(), sketch_key);
          thread_sketches[t].prefetch(sketch_key);  // the table is far larger than the caches
        }
        chunk_occurrences.push_back(occ);
      }
      // The sketch of each candidate line the table may not hold yet.
      for (const auto& [o, key] : s.unsketched) {
        BlockOccurrence& occ = chunk_occurrences[o];
        auto [sketch, inserted] = thread_sketches[t].try_emplace(key);
        if (inserted) {
          s.tokenizer.TokenizeHashesOnly(text.substr(occ.begin, occ.next - occ.begin), &s.tokens);
          LineShingles(s.tokens.hashes.data(), static_cast<uint32_t>(s.tokens.hashes.size()), width, hasher,
                       &s.line_shingles);
          thread_sketches[t].Assign(key, sketch, s.line_shingles);
        }
        occ.sketch = sketch->begin;
        recent_sketches[t].SetSketch(key, sketch->begin);
      }
      // Lines met twice in this document, first here: sketched just now
      // (their table slots are in the caches).
      for (const auto& [o, key] : s.unresolved) chunk_occurrences[o].sketch = thread_sketches[t].at(key).begin;
      // The document's own shingles: those of the text between candidate
      // lines, each run tokenised on its own. Shingles inside a candidate
      // line belong to its sketch. Shingles that only touch one are dropped:
      // in a run of short template lines (menus, share bars) most shingles
      // straddle lines, and kept they would tie every page of a site together.
      std::span<uint32_t> sig(noncand_sigs.data() + d * k, k);
      hasher.Reset(sig);
      auto add_shingles = [&](const std::vector<uint64_t>& tokens) {
        for (uint32_t j = 0; j + width <= tokens.size(); ++j) {
          // The default width as a constant: its multiplies unrolled.
          const uint64_t* shingle = tokens.data() + j;
          const uint64_t h = width == 5 ? HashShingle(shingle, 5) : HashShingle(shingle, width);
          hasher.Add(h, sig);
          s.distinct.Add(h);
        }
      };
      if (chunk_occurrences.size() == first_occurrence) {
        s.tokenizer.TokenizeHashesOnly(text, &s.tokens);
        const std::vector<uint64_t>& tokens = s.tokens.hashes;
        s.distinct.Reset(tokens.size());
        if (tokens.size() >= width) {
          add_shingles(tokens);
        } else if (!tokens.empty()) {  // a short text is one shingle
          hasher.Add(HashShingle(tokens.data(), static_cast<uint32_t>(tokens.size())), sig);
          s.distinct.Add(0);
        }
      } else {
        s.distinct.Reset(num_tokens);
        // (A short text's one shingle would touch a candidate line: none.)
        if (num_tokens >= width) {
          uint32_t run_begin = 0;
          auto add_run = [&](uint32_t run_end) {
            if (run_end == run_begin) return;
            s.tokenizer.TokenizeHashesOnly(text.substr(run_begin, run_end - run_begin), &s.tokens);
            add_shingles(s.tokens.hashes);
          };
          for (size_t o = first_occurrence; o < chunk_occurrences.size(); ++o) {
            add_run(chunk_occurrences[o].begin);
            run_begin = chunk_occurrences[o].next;
          }
          add_run(static_cast<uint32_t>(text.size()));
        }
      }
      noncand_sizes[d] = s.distinct.Estimate();
    }
    occurrences_in_order.Add(chunk, &chunk_occurrences);
    ReleaseBehind(docs, chunk, end);
    if (progress != nullptr) {
      progress->docs_done += end - begin;
      progress->bytes_done += bytes;
    }
  });
  docs.Release(0, n);  // as in CountLines
  if (lines != nullptr) {
    lines->line_keys = LineKeyLog{};
    lines->candidate_keys = KeyFilter{};
  }
  fp.occurrences.resize(occurrences_in_order.size());  // the room left unused was never touched
  fp.sketches.MergeFrom(thread_sketches, threads);
  // The threads' tables and scratch go back to the kernel before
  // clustering, where a run peaks (glibc would keep them in the threads'
  // heaps).
  thread_sketches.clear();
  recent_sketches.clear();
  scratch.clear();
  TrimHeap();
  return fp;
}

PipelineResult RunPipeline(const DocumentSource& docs, const PipelineOptions& options, PipelineProgress* progress) {
  Stopwatch phase;
  std::unique_ptr<LineStatistics> lines;
  absl::flat_hash_set<uint64_t> link_targets;
  if (options.boilerplate && docs.size() > 0) {
    const uint64_t size_hint = docs.SizeHintBytes() > 0 ? docs.SizeHintBytes() : docs.size() * uint64_t{4096};
    lines = std::make_unique<LineStatistics>(LineCounterKeys(size_hint), options.blocks.min_stories);
    CountLines(docs, options, lines.get(), progress);
    SelectCandidateKeys(options, lines.get());
    link_targets = FindLinkTargets(*lines, options.threads);
    lines->head_lines = {};
    lines->listed_lines = {};
  }
  const double seconds_pass1 = phase.Seconds();
  phase.Restart();
  Fingerprints fp = ComputeFingerprints(docs, options, lines.get(), link_targets, progress);
  lines.reset();
  const double seconds_pass2 = phase.Seconds();
  PipelineResult result = DecideDocuments(std::move(fp), options, progress);
  result.stats.seconds_pass1 = seconds_pass1;
  result.stats.seconds_pass2 = seconds_pass2;
  return result;
}

}  // namespace dedup
