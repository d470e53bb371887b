// File: core/cleaner.h
// Applies a document's removed ranges: every byte outside them is copied
// unchanged. Ranges come from RunPipeline, sorted and non-overlapping.
#ifndef DEDUP_CORE_CLEANER_H_
#define DEDUP_CORE_CLEANER_H_

#include <span>
#include <string>
#include <string_view>

#include "core/pipeline.h"

namespace dedup {

// Appends text minus the ranges to *out.
void AppendCleanedText(std::string_view text, std::span<const RemovedRange> removed, std::string* out);

}  // namespace dedup

#endif  // DEDUP_CORE_CLEANER_H_
