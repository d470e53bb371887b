// File: core/string_view_compat.h
// Debian's Abseil 20220623 is built with its own absl::string_view, not an
// alias of std::string_view, so the two must be converted explicitly where
// absl::StrCat/StrFormat or Status::message() meet our std::string_view code.
#ifndef DEDUP_CORE_STRING_VIEW_COMPAT_H_
#define DEDUP_CORE_STRING_VIEW_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace dedup {

inline absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }
inline std::string_view StdView(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace dedup

#endif  // DEDUP_CORE_STRING_VIEW_COMPAT_H_
