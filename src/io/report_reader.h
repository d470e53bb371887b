// File: io/report_reader.h
// Reads back one line of the --report JSON Lines (see io/output.h for the
// writer), for `dedup verify`. Accepts exactly the shape dedup writes.
#ifndef DEDUP_IO_REPORT_READER_H_
#define DEDUP_IO_REPORT_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace dedup {

struct ReportEntry {
  std::string id;
  bool keep = true;
  bool has_dup_of = false;
  std::string dup_of;
  std::vector<std::pair<uint64_t, uint64_t>> removed;  // [start, end) byte ranges
};

// Errors name the column; the caller adds file and line.
absl::StatusOr<ReportEntry> ParseReportLine(std::string_view line);

}  // namespace dedup

#endif  // DEDUP_IO_REPORT_READER_H_
