// File: tests/fuzz/fuzz_jsonl.cc
// ParseJsonlLine never crashes; on success the text range, a reference UTF-8
// check, and re-encode / splice / re-parse round trips must all agree. The
// framing fast path (TryParseJsonlLineAt, DecodeJsonlText) agrees with it.
// On failure the message must be "column N: ..." with N inside the line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/strings/match.h"
#include "io/jsonl.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

// Deliberately naive reference validator (no shortcuts shared with jsonl.cc).
bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = s[i];
    int n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (int k = 1; k <= n; ++k) {
      const unsigned char cc = s[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  const dedup::JsonlFieldNames names;
  dedup::JsonlRecord record;
  std::string text;
  const absl::Status status = ParseJsonlLine(line, names, &record, &text);

  // The framing fast path, on the line followed by more lines, agrees with
  // a parse of the line up to its first '\n': same verdict, length, fields.
  {
    const std::string_view first = line.substr(0, line.find('\n'));
    dedup::JsonlRecord fast, full;
    size_t line_size = 0;
    const std::string followed = std::string(line) + "\n{\"text\": \"next\"}\n";
    const bool fast_ok = dedup::TryParseJsonlLineAt(followed, names, &fast, &line_size);
    const bool full_ok = ParseJsonlLine(first, names, &full, nullptr).ok();
    const bool fast_at_newline = fast_ok && line_size <= first.size() && followed[line_size] == '\n';
    Check(fast_at_newline == full_ok);
    if (full_ok) {
      Check(line_size == first.size());
      Check(fast.text_value_begin == full.text_value_begin && fast.text_value_end == full.text_value_end &&
            fast.text_has_escape == full.text_has_escape && fast.has_id == full.has_id && fast.id == full.id &&
            fast.has_source == full.has_source && fast.source == full.source);
      // The recorded range decodes, without validation, to the full decode.
      std::string decoded, scratch;
      Check(ParseJsonlLine(first, names, &full, &decoded).ok());
      Check(dedup::DecodeJsonlText(first.substr(full.text_value_begin, full.text_value_end - full.text_value_begin),
                                   full.text_has_escape, &scratch) == decoded);
    }
  }

  if (!status.ok()) {
    Check(status.code() == absl::StatusCode::kInvalidArgument);
    const std::string message(status.message());
    Check(absl::StartsWith(message, "column "));
    const size_t column = std::strtoull(message.c_str() + 7, nullptr, 10);
    Check(column >= 1 && column <= size + 1);
    return 0;
  }
  // A parsed line is valid UTF-8 throughout, and so is the decoded text.
  Check(IsValidUtf8(line));
  Check(IsValidUtf8(text));
  Check(IsValidUtf8(record.id) && IsValidUtf8(record.source));
  const size_t begin = record.text_value_begin;
  const size_t end = record.text_value_end;
  Check(begin + 2 <= end && end <= size);
  Check(line[begin] == '"' && line[end - 1] == '"');

  // The raw value alone decodes to the same text.
  dedup::JsonlRecord record2;
  std::string text2;
  std::string alone = "{\"text\":";
  alone.append(line.substr(begin, end - begin));
  alone.append("}");
  Check(ParseJsonlLine(alone, names, &record2, &text2).ok());
  Check(text2 == text);

  // Re-encoding and splicing gives the same text and the same other fields.
  std::string spliced(line.substr(0, begin));
  dedup::AppendJsonString(text, &spliced);
  spliced.append(line.substr(end));
  Check(ParseJsonlLine(spliced, names, &record2, &text2).ok());
  Check(text2 == text);
  Check(record2.has_id == record.has_id && record2.id == record.id);
  Check(record2.has_source == record.has_source &&
        record2.source == record.source);
  Check(spliced.substr(0, begin) == line.substr(0, begin));
  return 0;
}
