#include "dist/wire.h"

#include <gtest/gtest.h>

namespace dedup {
namespace {

TEST(WireTest, FingerprintsRoundTrip) {
  Fingerprints fp;
  fp.noncand_sigs = {1, 2, 3, 4, 5, 6, 7, 8};  // two documents of num_perm 4
  fp.noncand_sizes = {10, 20};
  fp.doc_bytes = {100, 200};
  fp.source = {7, 9};
  BlockOccurrence occ;
  occ.key = 42;
  occ.doc = 1;
  occ.begin = 3;
  occ.next = 9;
  occ.template_kind = TemplateKind::kLabel;
  fp.sketches.Insert(99, std::vector<uint64_t>{9, 8, 7});
  occ.sketch = fp.sketches.at(99).begin;
  fp.occurrences = {occ};
  const std::string bytes = EncodeFingerprints(fp, 4);
  const absl::StatusOr<Fingerprints> back = DecodeFingerprints(bytes, 4);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->noncand_sigs, fp.noncand_sigs);
  EXPECT_EQ(back->noncand_sizes, fp.noncand_sizes);
  EXPECT_EQ(back->source, fp.source);
  ASSERT_EQ(back->occurrences.size(), 1u);
  EXPECT_EQ(back->occurrences[0].key, 42u);
  EXPECT_EQ(back->occurrences[0].template_kind, TemplateKind::kLabel);
  const std::span<const uint64_t> shingles = back->sketches.at(99).shingles();
  EXPECT_EQ(std::vector<uint64_t>(shingles.begin(), shingles.end()), (std::vector<uint64_t>{9, 8, 7}));
  // The occurrence's sketch is sent as its key and points into the
  // decoded table, not at the sender's memory.
  EXPECT_EQ(back->occurrences[0].sketch, shingles.data());
  EXPECT_EQ(SketchCount(back->occurrences[0].sketch), 3u);
  EXPECT_FALSE(DecodeFingerprints(bytes.substr(0, bytes.size() - 1), 4).ok());
  EXPECT_FALSE(DecodeFingerprints(bytes, 8).ok());  // wrong signature length for 2 documents
}

TEST(WireTest, AppendShiftsDocumentIndexes) {
  Fingerprints a, b;
  a.doc_bytes = {1, 2, 3};
  a.noncand_sizes = {};
  BlockOccurrence occ;
  occ.doc = 0;
  b.doc_bytes = {4};
  b.occurrences = {occ};
  a.Append(std::move(b));
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.occurrences[0].doc, 3u);
}

TEST(WireTest, DecisionsForARangeRoundTripWithGlobalDupOf) {
  PipelineResult r;
  r.docs.resize(3);
  r.docs[2].keep = false;
  r.docs[2].dup_of = 0;
  r.docs[2].similarity = 0.9f;
  r.docs[1].removed_begin = 0;
  r.docs[1].removed_count = 1;
  r.removed = {{5, 10, 3, 4}};
  const absl::StatusOr<PipelineResult> part = DecodeDecisions(EncodeDecisions(r, 1, 3));
  ASSERT_TRUE(part.ok());
  ASSERT_EQ(part->docs.size(), 2u);
  EXPECT_EQ(part->docs[0].removed_count, 1u);
  EXPECT_EQ(part->removed[0].end, 10u);
  EXPECT_FALSE(part->docs[1].keep);
  EXPECT_EQ(part->docs[1].dup_of, 0u);
  EXPECT_FLOAT_EQ(part->docs[1].similarity, 0.9f);
}

TEST(WireTest, StringsRoundTrip) {
  const auto back = DecodeStrings(EncodeStrings({"a", "", "https://x/y"}));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, (std::vector<std::string>{"a", "", "https://x/y"}));
  EXPECT_FALSE(DecodeStrings("x").ok());
}

}  // namespace
}  // namespace dedup
