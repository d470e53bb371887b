// File: dist/wire.h
// Byte encodings of what MPI ranks exchange: fingerprints (rank -> root),
// per-document decisions (root -> rank) and ids (rank -> root). Plain
// memcpy of fixed-width fields, native byte order: all ranks of one run share
// one architecture. No MPI here, so the encodings are unit-tested alone.
#ifndef DEDUP_DIST_WIRE_H_
#define DEDUP_DIST_WIRE_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/pipeline.h"

namespace dedup {

std::string EncodeFingerprints(const Fingerprints& fp, int num_perm);
absl::StatusOr<Fingerprints> DecodeFingerprints(std::string_view bytes, int num_perm);

// Decisions for documents [begin, end) of `result`, with their removed ranges
// and dup_of as global indexes.
std::string EncodeDecisions(const PipelineResult& result, size_t begin, size_t end);
// Rebuilds a PipelineResult holding just those documents, indexed from 0.
absl::StatusOr<PipelineResult> DecodeDecisions(std::string_view bytes);

std::string EncodeStrings(const std::vector<std::string_view>& strings);
absl::StatusOr<std::vector<std::string>> DecodeStrings(std::string_view bytes);

}  // namespace dedup

#endif  // DEDUP_DIST_WIRE_H_
