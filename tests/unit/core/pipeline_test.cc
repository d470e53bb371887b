#include "core/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/cleaner.h"
#include "core/distinct_counter.h"
#include "core/minhash.h"
#include "core/tokenize.h"

namespace dedup {
namespace {

class VectorSource : public DocumentSource {
 public:
  size_t Add(std::string text, uint32_t source) {
    texts_.push_back(std::move(text));
    sources_.push_back(source);
    return texts_.size() - 1;
  }
  size_t size() const override { return texts_.size(); }
  std::string_view Text(size_t d, std::string*) const override { return texts_[d]; }
  uint32_t SourceId(size_t d) const override { return sources_[d]; }

 private:
  std::vector<std::string> texts_;
  std::vector<uint32_t> sources_;
};

// Seeded pseudo-English: syllable words, sentences, paragraphs. Different
// stories share almost no 5-word shingles.
class StoryWriter {
 public:
  explicit StoryWriter(uint64_t seed) : rng_(seed) {}
  std::string Word() {
    static const char* kSyl[] = {"ka", "lo", "mi", "ser", "tan", "vo", "rel", "di", "pra", "nu", "gho", "ten",
                                 "bar", "os", "qui", "le", "mon", "sa", "tri", "ve", "za", "pol", "ur", "ni"};
    std::string w;
    const int n = 1 + static_cast<int>(rng_() % 3);
    for (int i = 0; i < n; ++i) w += kSyl[rng_() % 24];
    return w;
  }
  std::string Sentence() {
    std::vector<std::string> words;
    const int n = 8 + static_cast<int>(rng_() % 12);
    for (int i = 0; i < n; ++i) words.push_back(Word());
    words[0][0] = static_cast<char>(words[0][0] - 32);
    return absl::StrJoin(words, " ") + ".";
  }
  std::vector<std::string> Paragraphs(int n) {
    std::vector<std::string> paras;
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> s;
      for (int j = 0; j < 3; ++j) s.push_back(Sentence());
      paras.push_back(absl::StrJoin(s, " "));
    }
    return paras;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
};

std::string Cleaned(const VectorSource& src, const PipelineResult& r, size_t d) {
  std::string out, scratch;
  AppendCleanedText(src.Text(d, &scratch),
                    std::span(r.removed.data() + r.docs[d].removed_begin, r.docs[d].removed_count), &out);
  return out;
}

PipelineOptions Defaults(int threads = 1) {
  PipelineOptions o;
  o.threads = threads;
  return o;
}

// Issue #3: one site, 30 stories, each ending in its Topics line, the
// disclaimer naming the site and "Advertisement<title> N"; one story also
// printed by 10 other sites with their own footers.
TEST(PipelineTest, SiteFooterIsStrippedAndSyndicatedParagraphsStay) {
  StoryWriter w(1);
  VectorSource src;
  std::vector<std::vector<std::string>> stories;
  std::vector<size_t> site_docs;
  for (int i = 0; i < 30; ++i) {
    stories.push_back(w.Paragraphs(5));
    const std::string footer = absl::StrCat(
        "Topics: ", w.Word(), " ", w.Word(), ", ", w.Word(), "\n",
        "COMMENT DISCLAIMER: Reader comments posted on this Web site are not in any way endorsed by Manila "
        "Standard. Comments are views by manilastandard.net readers who exercise their right to free speech.\n",
        "Advertisement", w.Word(), " ", w.Word(), " ", i % 4 + 1, "\n");
    site_docs.push_back(src.Add(absl::StrCat(w.Sentence(), "\n\n", absl::StrJoin(stories.back(), "\n\n"), "\n\n", footer), 1));
  }
  std::vector<size_t> copies;
  for (int site = 0; site < 10; ++site) {
    const std::string footer = absl::StrCat("(c) ", site, " Outlet number ", site, " all rights reserved worldwide\n");
    copies.push_back(src.Add(absl::StrCat("New headline ", w.Sentence(), "\n\n", absl::StrJoin(stories[7], "\n\n"), "\n\n", footer),
                             2 + site));
  }
  const PipelineResult r = RunPipeline(src, Defaults());
  for (size_t i = 0; i < site_docs.size(); ++i) {
    const size_t d = site_docs[i];
    ASSERT_TRUE(r.docs[d].keep) << i;
    const std::string clean = Cleaned(src, r, d);
    EXPECT_EQ(clean.find("Topics:"), std::string::npos) << clean;
    EXPECT_EQ(clean.find("COMMENT DISCLAIMER"), std::string::npos) << clean;
    EXPECT_EQ(clean.find("Advertisement"), std::string::npos) << clean;
    for (const std::string& para : stories[i]) EXPECT_NE(clean.find(para), std::string::npos) << "lost a paragraph of story " << i;
    for (uint32_t k = 0; k < r.docs[d].removed_count; ++k) EXPECT_GE(r.removed[r.docs[d].removed_begin + k].stories, 3u);
  }
  // The copies are duplicates of the site's story 7; no paragraph of it was removed anywhere.
  for (size_t d : copies) {
    EXPECT_FALSE(r.docs[d].keep);
    EXPECT_EQ(r.docs[d].dup_of, site_docs[7]);
    const std::string clean = Cleaned(src, r, d);
    for (const std::string& para : stories[7]) EXPECT_NE(clean.find(para), std::string::npos);
  }
}

// Pass 1 counts a line once per document: a line repeated many times in one
// story (a refrain, a list marker) and found in no other document is no
// candidate, while a line in min_stories documents is. Candidate lines are
// sketched apart from the text, so stats.candidate_lines tells them.
TEST(PipelineTest, ALineRepeatedInOneDocumentCountsOnce) {
  StoryWriter w(6);
  VectorSource src;
  const std::string refrain = "And the river kept on running through the valley";
  // Away from the head and tail lines, where other rules (links) apply.
  std::string repeating;
  for (int i = 0; i < 5; ++i) repeating += w.Sentence() + "\n";
  for (int i = 0; i < 12; ++i) repeating += refrain + "\n" + w.Sentence() + "\n";
  for (int i = 0; i < 9; ++i) repeating += w.Sentence() + "\n";
  src.Add(repeating, 1);
  for (int i = 0; i < 40; ++i) src.Add(absl::StrJoin(w.Paragraphs(3), "\n"), 1);
  EXPECT_EQ(RunPipeline(src, Defaults()).stats.candidate_lines, 0u);
  // The same line in three documents of the site is a candidate.
  for (int i = 0; i < 2; ++i) {
    src.Add(absl::StrJoin(w.Paragraphs(6), "\n") + "\n" + refrain + "\n" + absl::StrJoin(w.Paragraphs(9), "\n"), 1);
  }
  EXPECT_EQ(RunPipeline(src, Defaults()).stats.candidate_lines, 1u);
}

// --stats splits the cluster phase into each clustering's steps: all
// measured inside it, so together never more than it, and both clusterings
// ran (this corpus has boilerplate, so the story clustering too).
TEST(PipelineTest, ClusteringStepsAreTimedWithinTheClusterPhase) {
  StoryWriter w(5);
  VectorSource src;
  std::string text;
  for (int i = 0; i < 200; ++i) {
    // Every tenth page repeats the one before: both clusterings have pairs.
    if (i % 10 != 9) {
      text = absl::StrCat("Home | News | Sport\n", absl::StrJoin(w.Paragraphs(4), "\n"), "\nCopyright Site.\n");
    }
    src.Add(text, 1);
  }
  const PipelineResult r = RunPipeline(src, Defaults());
  ASSERT_GT(r.stats.boilerplate_blocks, 0u);
  ASSERT_GT(r.stats.dropped, 0u);
  double steps = 0;
  for (const PipelineStats::ClusteringStats& c : {r.stats.story_clustering, r.stats.final_clustering}) {
    for (const double seconds : {c.signatures, c.steps.index, c.steps.compare, c.steps.in_order}) {
      EXPECT_GE(seconds, 0.0);
      steps += seconds;
    }
    EXPECT_GT(c.signatures + c.steps.index + c.steps.compare + c.steps.in_order, 0.0);
  }
  EXPECT_LE(steps, r.stats.seconds_cluster);
  // Each clustering's candidate pairs, and together the run's.
  EXPECT_GT(r.stats.story_clustering.verified_pairs, 0u);
  EXPECT_GT(r.stats.final_clustering.verified_pairs, 0u);
  EXPECT_EQ(r.stats.story_clustering.verified_pairs + r.stats.final_clustering.verified_pairs,
            r.stats.verified_pairs());
}

// One story printed four times by one site (print, mobile and archive pages,
// each with its own headline line) among the site's other stories, all with
// the site's menu and footer. Its paragraphs are then lines the site repeats
// in four documents, like boilerplate; but the four are one story (the story
// clustering sees the whole text, repeated lines included), so the paragraphs
// count once and stay: one copy is kept whole, the others are its duplicates.
TEST(PipelineTest, OneSitesCopiesOfAStoryKeepTheirParagraphs) {
  StoryWriter w(4);
  VectorSource src;
  const std::string menu = "Home | News | Sport | Weather\n";
  const std::string footer = "Copyright Daily Site. All rights reserved.\n";
  for (int i = 0; i < 40; ++i) {
    src.Add(absl::StrCat(menu, w.Sentence(), "\n", absl::StrJoin(w.Paragraphs(5), "\n"), "\n", footer), 1);
  }
  const std::vector<std::string> story = w.Paragraphs(6);
  std::vector<size_t> copies;
  for (int c = 0; c < 4; ++c) {
    copies.push_back(src.Add(absl::StrCat(menu, "Version ", c, " ", w.Sentence(), "\n", absl::StrJoin(story, "\n"),
                                          "\n", footer),
                             1));
  }
  const PipelineResult r = RunPipeline(src, Defaults());
  EXPECT_GT(r.stats.boilerplate_blocks, 0u);  // the menu and footer go
  EXPECT_TRUE(r.docs[copies[0]].keep);
  const std::string clean = Cleaned(src, r, copies[0]);
  EXPECT_EQ(clean.find("Copyright Daily Site"), std::string::npos) << clean;
  for (const std::string& para : story) EXPECT_NE(clean.find(para), std::string::npos) << "lost a paragraph: " << clean;
  for (size_t c = 1; c < copies.size(); ++c) {
    EXPECT_FALSE(r.docs[copies[c]].keep) << c;
    EXPECT_EQ(r.docs[copies[c]].dup_of, copies[0]) << c;
  }
}

// Issue #2: among unrelated stories, one story republished by 5 outlets (new
// headline, one trimmed to 60%, word edits, different footers) comes out once.
TEST(PipelineTest, RepublishedStoryComesOutOnceAndUnrelatedStoriesStay) {
  StoryWriter w(2);
  VectorSource src;
  for (int i = 0; i < 500; ++i) src.Add(absl::StrCat(w.Sentence(), "\n\n", absl::StrJoin(w.Paragraphs(6), "\n\n")), 1);
  const std::vector<std::string> wire = w.Paragraphs(10);
  const size_t original = src.Add(absl::StrCat("Wire headline\n\n", absl::StrJoin(wire, "\n\n")), 2);
  std::vector<size_t> copies;
  for (int outlet = 0; outlet < 5; ++outlet) {
    std::vector<std::string> paras = wire;
    if (outlet == 2) paras.resize(6);  // trimmed to 60%
    for (int e = 0; e < 3; ++e) {      // a few word edits
      std::string& p = paras[w.rng()() % paras.size()];
      const size_t at = p.find(' ', w.rng()() % p.size());
      if (at != std::string::npos) p.insert(at, " indeed");
    }
    copies.push_back(src.Add(absl::StrCat("Headline ", outlet, ": ", w.Sentence(), "\n\n", absl::StrJoin(paras, "\n\n"),
                                          "\n\nFooter of outlet ", outlet, " with its own words ", w.Sentence()),
                             3 + outlet));
  }
  for (int i = 0; i < 500; ++i) src.Add(absl::StrCat(w.Sentence(), "\n\n", absl::StrJoin(w.Paragraphs(6), "\n\n")), 1);
  const PipelineResult r = RunPipeline(src, Defaults());
  size_t kept = 0;
  for (size_t d = 0; d < src.size(); ++d) kept += r.docs[d].keep;
  EXPECT_EQ(kept, src.size() - copies.size());
  EXPECT_TRUE(r.docs[original].keep);
  for (size_t d : copies) {
    EXPECT_FALSE(r.docs[d].keep);
    EXPECT_EQ(r.docs[d].dup_of, original);
    EXPECT_GE(r.docs[d].similarity, 0.7f);
  }
  for (size_t d = 0; d < src.size(); ++d) {
    if (r.docs[d].keep) EXPECT_EQ(r.docs[d].removed_count, 0u) << "unrelated story " << d << " was touched";
  }
}

TEST(PipelineTest, KeepLongestKeepsTheFullCopy) {
  StoryWriter w(3);
  VectorSource src;
  const std::vector<std::string> paras = w.Paragraphs(10);
  const std::vector<std::string> trimmed(paras.begin(), paras.begin() + 7);
  src.Add(absl::StrJoin(trimmed, "\n\n"), 1);
  src.Add(absl::StrJoin(paras, "\n\n"), 1);
  PipelineOptions o = Defaults();
  o.keep = KeepPolicy::kLongest;
  const PipelineResult r = RunPipeline(src, o);
  EXPECT_FALSE(r.docs[0].keep);
  EXPECT_TRUE(r.docs[1].keep);
  EXPECT_EQ(r.docs[0].dup_of, 1u);
}

// Stories drawn from a pool (so many are copies), each with a footer that
// carries numbers, on five sites.
VectorSource CopiesWithFooters(uint64_t seed) {
  StoryWriter w(seed);
  VectorSource src;
  std::vector<std::string> pool;
  for (int i = 0; i < 300; ++i) pool.push_back(absl::StrJoin(w.Paragraphs(4), "\n\n"));
  for (int i = 0; i < 900; ++i) {
    src.Add(absl::StrCat(pool[w.rng()() % pool.size()], "\n\nSite footer number ", i % 7, " read more at site ", i % 5,
                         "\nFiled under: ", w.Word(), ", ", w.Word(), "\n"),
            static_cast<uint32_t>(i % 5));
  }
  return src;
}

void ExpectSameDecisions(const VectorSource& src, const PipelineResult& a, const PipelineResult& b) {
  ASSERT_EQ(a.docs.size(), b.docs.size());
  for (size_t d = 0; d < a.docs.size(); ++d) {
    ASSERT_EQ(a.docs[d].keep, b.docs[d].keep) << d;
    ASSERT_EQ(a.docs[d].dup_of, b.docs[d].dup_of) << d;
    ASSERT_EQ(a.docs[d].similarity, b.docs[d].similarity) << d;
    ASSERT_EQ(Cleaned(src, a, d), Cleaned(src, b, d)) << d;
  }
}

TEST(PipelineTest, ResultIsIdenticalAtOneTwoAndFourThreads) {
  const VectorSource src = CopiesWithFooters(4);
  const PipelineResult one = RunPipeline(src, Defaults(1));
  EXPECT_GT(one.stats.boilerplate_blocks, 0u);
  EXPECT_GT(one.stats.dropped, 0u);
  for (int threads : {2, 4}) ExpectSameDecisions(src, one, RunPipeline(src, Defaults(threads)));
}

// Pass 2 reads the lines' hashes and template keys back from pass 1's log,
// and tokenises without hashing lines; without the log it computes them.
TEST(PipelineTest, PassTwoDecidesTheSameWithOrWithoutPassOnesLog) {
  const VectorSource src = CopiesWithFooters(5);
  const PipelineOptions options = Defaults(2);
  const PipelineResult logged = RunPipeline(src, options);
  LineStatistics lines(LineCounterKeys(src.size() * uint64_t{4096}),  // RunPipeline's size guess
                       options.blocks.min_stories);
  CountLines(src, options, &lines);
  SelectCandidateKeys(options, &lines);
  const absl::flat_hash_set<uint64_t> links = FindLinkTargets(lines, options.threads);
  lines.line_keys.Reset(0, 1);  // a log of no documents: pass 2 computes the keys
  const PipelineResult computed = DecideDocuments(ComputeFingerprints(src, options, &lines, links), options);
  EXPECT_GT(computed.stats.boilerplate_blocks, 0u);
  ExpectSameDecisions(src, logged, computed);
}

// Documents whose repeated lines (candidates) sit at the top, in the middle
// and at the end, next to blank, punctuation-only, non-ASCII and CRLF lines,
// and texts shorter than the shingle window with and without a repeated line;
// some carry one candidate line twice.
VectorSource InterleavedCandidateLines() {
  StoryWriter w(23);
  VectorSource src;
  const std::string shared_middle = w.Sentence();
  for (int i = 0; i < 8; ++i) {
    const std::vector<std::string> p = w.Paragraphs(4);
    std::string text = "Example News Home Sports Weather\n";
    text += p[0] + "\r\n\n----\n" + p[1] + "\n";
    text += shared_middle + "\n";  // a candidate between story lines
    if (i % 4 == 1) text += "Example News Home Sports Weather\n";  // the top line again
    if (i % 2 == 0) text += "Caf\xc3\xa9 cr\xc3\xa8me \xe2\x80\x94 na\xc3\xafve " + w.Word() + "\n";
    text += p[2] + "\n" + p[3] + "\n";
    text += "Share this story on Facebook and Twitter today\r\n";
    text += "Copyright 2026 Example News. All rights reserved.";  // the last line, no newline
    if (i % 3 == 0) text += "\n";
    src.Add(std::move(text), 0);
  }
  src.Add("Example News Home Sports Weather", 0);  // short, and a candidate
  src.Add("Tiny unique text", 0);                  // short, no candidate
  src.Add("Short words\nExample News Home Sports Weather\n", 0);
  src.Add("", 0);
  return src;
}

// The reference for pass 2: every document tokenised whole; its own
// signature and size are of the shingles that touch no candidate line (a
// text shorter than the window is one shingle, when no line is a candidate),
// and each candidate line's sketch is the distinct shingles of its tokens
// (premixed).
void ExpectFingerprintsOfWholeTexts(const VectorSource& src, const PipelineOptions& options, const Fingerprints& fp,
                                    size_t* repeated_lines = nullptr) {
  const uint32_t k = static_cast<uint32_t>(options.num_perm);
  const uint32_t width = static_cast<uint32_t>(options.shingle_width);
  const MinHasher hasher(options.scheme, options.num_perm, options.seed);
  Tokenizer tokenizer;
  TokenStream ts;
  std::string scratch;
  ASSERT_EQ(fp.size(), src.size());
  size_t o = 0;
  size_t repeated = 0;  // occurrences whose line the document carried before
  for (uint32_t d = 0; d < src.size(); ++d) {
    // A document's occurrences of one line share one sketch address: the
    // signatures take each sketch once per document by it.
    absl::flat_hash_map<uint64_t, const uint64_t*> sketch_of_key;
    for (size_t p = o; p < fp.occurrences.size() && fp.occurrences[p].doc == d; ++p) {
      const uint64_t* sketch = fp.occurrences[p].sketch;
      const auto [it, inserted] = sketch_of_key.try_emplace(SketchKey(sketch), sketch);
      repeated += !inserted;
      EXPECT_EQ(it->second, fp.occurrences[p].sketch) << d;
    }
    const std::string_view text = src.Text(d, &scratch);
    tokenizer.Tokenize(text, &ts);
    const uint32_t n = static_cast<uint32_t>(ts.hashes.size());
    std::vector<bool> in_candidate(n, false);
    for (; o < fp.occurrences.size() && fp.occurrences[o].doc == d; ++o) {
      const BlockOccurrence& occ = fp.occurrences[o];
      const auto line = std::find_if(ts.lines.begin(), ts.lines.end(),
                                     [&](const LineSpan& l) { return l.begin == occ.begin; });
      ASSERT_NE(line, ts.lines.end()) << d << " " << occ.begin;
      EXPECT_EQ(occ.next, line->next) << d;
      EXPECT_EQ(occ.num_tokens, line->num_tokens) << d;
      std::fill_n(in_candidate.begin() + line->first_token, line->num_tokens, true);
      std::set<uint64_t> want;
      const uint64_t* tokens = ts.hashes.data() + line->first_token;
      if (line->num_tokens < width) want.insert(hasher.Premix(HashShingle(tokens, line->num_tokens)));
      for (uint32_t j = 0; j + width <= line->num_tokens; ++j) want.insert(hasher.Premix(HashShingle(tokens + j, width)));
      // Where the occurrence says its shingles are, and the table's entry
      // for the key kept just before them: the same list.
      const std::span<const uint64_t> got(occ.sketch, SketchCount(occ.sketch));
      const std::span<const uint64_t> in_table = fp.sketches.at(SketchKey(occ.sketch)).shingles();
      EXPECT_TRUE(std::equal(got.begin(), got.end(), in_table.begin(), in_table.end())) << d << " " << occ.begin;
      EXPECT_EQ(std::vector<uint64_t>(got.begin(), got.end()), std::vector<uint64_t>(want.begin(), want.end()))
          << d << " " << occ.begin;
    }
    std::vector<uint32_t> sig(k);
    hasher.Reset(sig);
    DistinctCounter distinct;
    distinct.Reset(n);
    const bool any_candidate = std::find(in_candidate.begin(), in_candidate.end(), true) != in_candidate.end();
    if (n > 0 && n < width) {
      if (!any_candidate) {
        hasher.Add(HashShingle(ts.hashes.data(), n), sig);
        distinct.Add(0);
      }
    }
    for (uint32_t j = 0; j + width <= n; ++j) {
      if (std::find(in_candidate.begin() + j, in_candidate.begin() + j + width, true) != in_candidate.begin() + j + width)
        continue;
      const uint64_t h = HashShingle(ts.hashes.data() + j, width);
      hasher.Add(h, sig);
      distinct.Add(h);
    }
    EXPECT_EQ(std::vector<uint32_t>(fp.noncand_sigs.data() + d * k, fp.noncand_sigs.data() + (d + 1) * k), sig) << d;
    EXPECT_EQ(fp.noncand_sizes[d], distinct.Estimate()) << d;
  }
  EXPECT_EQ(o, fp.occurrences.size());
  if (repeated_lines != nullptr) *repeated_lines = repeated;
}

// Pass 2 tokenises only the text between candidate lines (their places come
// from pass 1's log, or from a tokenisation of its own without the log); the
// result is what tokenising whole texts gives.
TEST(PipelineTest, PassTwoFingerprintsEqualThoseOfWholeTexts) {
  const VectorSource src = InterleavedCandidateLines();
  const PipelineOptions options = Defaults(2);
  for (const bool log : {true, false}) {
    LineStatistics lines(LineCounterKeys(src.size() * uint64_t{4096}), options.blocks.min_stories);
    CountLines(src, options, &lines);
    SelectCandidateKeys(options, &lines);
    const absl::flat_hash_set<uint64_t> links = FindLinkTargets(lines, options.threads);
    if (!log) lines.line_keys.Reset(0, 1);
    const Fingerprints fp = ComputeFingerprints(src, options, &lines, links);
    // Candidates at the top, in the middle and at the end of the stories,
    // and the short text that is one.
    std::set<uint32_t> docs_with_candidates;
    uint32_t middle = 0;
    for (const BlockOccurrence& occ : fp.occurrences) {
      docs_with_candidates.insert(occ.doc);
      middle += occ.begin > 0 && occ.next < src.Text(occ.doc, nullptr).size() && occ.num_tokens > 8;
    }
    EXPECT_EQ(docs_with_candidates, (std::set<uint32_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 10})) << log;
    EXPECT_EQ(middle, 8u) << log;
    size_t repeated = 0;
    ExpectFingerprintsOfWholeTexts(src, options, fp, &repeated);
    EXPECT_EQ(repeated, 2u) << log;  // the top line again in two stories
  }
  // Boilerplate off: no candidates, every shingle is the document's own.
  const Fingerprints fp = ComputeFingerprints(src, options, nullptr, {});
  EXPECT_TRUE(fp.occurrences.empty());
  ExpectFingerprintsOfWholeTexts(src, options, fp);
}

TEST(PipelineTest, LinkTargetsAreTheListedLinesThatAreHeadLinesAtAnyThreadCount) {
  // Head and listed hashes spread over every part of the split (top bits),
  // with repeats on both sides; the targets are their intersection.
  std::mt19937_64 rng(11);
  LineStatistics lines(/*expected_keys=*/0, /*count_up_to=*/3);
  std::set<uint64_t> heads, expected;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t h = rng() % 2 == 0 ? rng() : rng() | (uint64_t{1} << 63);
    lines.head_lines.push_back(h);
    if (i % 7 == 0) lines.head_lines.push_back(h);
    heads.insert(h);
  }
  for (int i = 0; i < 100000; ++i) {
    const uint64_t h = i % 3 == 0 ? lines.head_lines[rng() % lines.head_lines.size()] : rng();
    lines.listed_lines.push_back(h);
    if (heads.contains(h)) expected.insert(h);
  }
  ASSERT_GT(expected.size(), 30000u);
  for (int threads : {1, 3}) {
    const absl::flat_hash_set<uint64_t> got = FindLinkTargets(lines, threads);
    EXPECT_EQ(std::set<uint64_t>(got.begin(), got.end()), expected) << threads << " threads";
  }
}

TEST(PipelineTest, EmptyAndTinyDocumentsAreKeptAndNeverMatchEachOtherByAccident) {
  VectorSource src;
  src.Add("", 0);
  src.Add("", 0);
  src.Add("Hi.", 0);
  src.Add("Yes", 0);
  const PipelineResult r = RunPipeline(src, Defaults());
  EXPECT_TRUE(r.docs[0].keep);
  EXPECT_TRUE(r.docs[1].keep);
  EXPECT_TRUE(r.docs[2].keep);
  EXPECT_TRUE(r.docs[3].keep);
}

// The estimate --memory-limit checks: per-document state, more for each
// thread building an LSH index up to 4 (past them the peak hardly grows, as
// measured), never below the input.
TEST(PipelineMemoryEstimateTest, GrowsWithDocumentsAndIndexThreads) {
  constexpr size_t kDocs = 500000;
  const uint64_t one = EstimatePeakMemoryBytes(0, kDocs, 1);
  EXPECT_GT(one, EstimatePeakMemoryBytes(0, kDocs / 2, 1));
  EXPECT_GT(one, uint64_t{2000} * kDocs);  // ~2.5 KB a document, measured
  uint64_t previous = one;
  for (int threads = 2; threads <= 4; ++threads) {
    const uint64_t estimate = EstimatePeakMemoryBytes(0, kDocs, threads);
    EXPECT_GT(estimate, previous) << threads << " threads";
    previous = estimate;
  }
  EXPECT_EQ(EstimatePeakMemoryBytes(0, kDocs, 64), previous);
  EXPECT_EQ(EstimatePeakMemoryBytes(0, kDocs, 0), one);         // as one thread
  const uint64_t big_input = uint64_t{1} << 40;
  EXPECT_EQ(EstimatePeakMemoryBytes(big_input, kDocs, 2), big_input);  // framing holds the input
  EXPECT_EQ(EstimatePeakMemoryMiB(big_input, kDocs, 2), big_input >> 20);
  EXPECT_EQ(EstimatePeakMemoryMiB(big_input + 1, kDocs, 2), (big_input >> 20) + 1);  // rounded up
}

TEST(PipelineOptionsTest, ValidateRejectsOutOfRangeValues) {
  PipelineOptions o;
  EXPECT_TRUE(o.Validate().ok());
  o.num_perm = 4;
  EXPECT_FALSE(o.Validate().ok());
  o = PipelineOptions{};
  o.match.jaccard_threshold = 0;
  EXPECT_FALSE(o.Validate().ok());
  o = PipelineOptions{};
  o.blocks.min_stories = 1;
  EXPECT_FALSE(o.Validate().ok());
  for (const double bad : {-0.1, 1.5, std::nan("")}) {
    o = PipelineOptions{};
    o.blocks.min_share = bad;
    EXPECT_FALSE(o.Validate().ok()) << bad;
    o = PipelineOptions{};
    o.blocks.short_block_share = bad;
    EXPECT_FALSE(o.Validate().ok()) << bad;
    o = PipelineOptions{};
    o.blocks.template_share = bad;
    EXPECT_FALSE(o.Validate().ok()) << bad;
  }
  o = PipelineOptions{};
  o.blocks.short_block_tokens = -1;
  EXPECT_FALSE(o.Validate().ok());
  o = PipelineOptions{};
  o.threads = PipelineOptions::kMaxThreads;
  EXPECT_TRUE(o.Validate().ok());
  o.threads = PipelineOptions::kMaxThreads + 1;
  EXPECT_FALSE(o.Validate().ok());
}

}  // namespace
}  // namespace dedup

namespace dedup {
namespace {

class RepeatedSource : public DocumentSource {
 public:
  RepeatedSource(std::string text, size_t n) : text_(std::move(text)), n_(n) {}
  size_t size() const override { return n_; }
  std::string_view Text(size_t, std::string*) const override { return text_; }
  uint32_t SourceId(size_t) const override { return 1; }

 private:
  std::string text_;
  size_t n_;
};

// Issue #6: a million identical documents: one kept, every other one a
// duplicate of it (only the kept one enters the LSH index, so this is linear).
TEST(PipelineScaleTest, MillionIdenticalDocumentsKeepOne) {
  const RepeatedSource src("The same short story, printed again and again by every outlet.", 1000000);
  PipelineOptions o;
  o.num_perm = 16;  // 1M signatures at 64 bytes each
  o.threads = 2;
  const PipelineResult r = RunPipeline(src, o);
  EXPECT_EQ(r.stats.dropped, 999999u);
  EXPECT_TRUE(r.docs[0].keep);
  EXPECT_EQ(r.docs[999999].dup_of, 0u);
}

}  // namespace
}  // namespace dedup
