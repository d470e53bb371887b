// File: core/status.h
// Early-return helpers for absl::Status / absl::StatusOr. Abseil 20220623 has
// no status macros, so we carry two small ones.
#ifndef DEDUP_CORE_STATUS_H_
#define DEDUP_CORE_STATUS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DEDUP_RETURN_IF_ERROR(expr)                 \
  do {                                              \
    const absl::Status dedup_status_ = (expr);      \
    if (!dedup_status_.ok()) return dedup_status_;  \
  } while (0)

#define DEDUP_STATUS_CONCAT_INNER_(a, b) a##b
#define DEDUP_STATUS_CONCAT_(a, b) DEDUP_STATUS_CONCAT_INNER_(a, b)
#define DEDUP_ASSIGN_OR_RETURN(lhs, expr) \
  DEDUP_ASSIGN_OR_RETURN_IMPL_(DEDUP_STATUS_CONCAT_(dedup_statusor_, __LINE__), lhs, expr)
#define DEDUP_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#endif  // DEDUP_CORE_STATUS_H_
