#include "core/cleaner.h"

#include <algorithm>

namespace dedup {

void AppendCleanedText(std::string_view text, std::span<const RemovedRange> removed, std::string* out) {
  size_t pos = 0;
  for (const RemovedRange& r : removed) {
    const size_t start = std::min<size_t>(r.start, text.size());
    if (start > pos) out->append(text.substr(pos, start - pos));
    pos = std::max<size_t>(pos, std::min<size_t>(r.end, text.size()));
  }
  if (pos < text.size()) out->append(text.substr(pos));
}

}  // namespace dedup
