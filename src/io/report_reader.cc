#include "io/report_reader.h"

#include <charconv>

#include "absl/strings/str_cat.h"
#include "io/jsonl.h"

namespace dedup {
namespace {

// Reads the unsigned integer after `"name": ` at or after pos.
bool ReadNumberField(std::string_view line, std::string_view name, size_t& pos, uint64_t* value) {
  const std::string key = absl::StrCat("\"", std::string(name), "\":");
  const size_t at = line.find(key, pos);
  if (at == std::string_view::npos) return false;
  size_t p = at + key.size();
  while (p < line.size() && line[p] == ' ') ++p;
  const auto [end, ec] = std::from_chars(line.data() + p, line.data() + line.size(), *value);
  if (ec != std::errc()) return false;
  pos = end - line.data();
  return true;
}

}  // namespace

absl::StatusOr<ReportEntry> ParseReportLine(std::string_view line) {
  // Full JSON validation, and the string fields, through the JSONL parser:
  // "action" read as the text field, "dup_of" as the source (null -> absent).
  JsonlFieldNames names;
  names.text = "action";
  names.id = "id";
  names.source = "dup_of";
  JsonlRecord record;
  std::string action;
  if (absl::Status s = ParseJsonlLine(line, names, &record, &action); !s.ok()) return s;
  if (!record.has_id) return absl::InvalidArgumentError("missing field 'id'");
  ReportEntry entry;
  entry.id = record.id;
  if (action != "keep" && action != "drop") return absl::InvalidArgumentError(absl::StrCat("bad action '", action, "'"));
  entry.keep = action == "keep";
  entry.has_dup_of = record.has_source;
  entry.dup_of = record.source;
  const size_t removed = line.find("\"removed\": [");
  if (removed == std::string_view::npos) return absl::InvalidArgumentError("missing field 'removed'");
  size_t pos = removed;
  const size_t close = line.find(']', removed);
  while (true) {
    uint64_t start = 0, end = 0;
    const size_t object = line.find('{', pos);
    if (object == std::string_view::npos || object > close) break;
    pos = object;
    if (!ReadNumberField(line, "start", pos, &start) || !ReadNumberField(line, "end", pos, &end)) {
      return absl::InvalidArgumentError(absl::StrCat("column ", object + 1, ": removed range without start/end"));
    }
    entry.removed.emplace_back(start, end);
  }
  return entry;
}

}  // namespace dedup
