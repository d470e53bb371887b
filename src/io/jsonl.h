// File: io/jsonl.h
// A strict, allocation-free (after warm-up) parser for one JSONL line: decodes
// the text field, reads the id and source fields, validates everything else
// without building a DOM. No external JSON library; writer side is a string
// escaper so callers can splice a new text value into the original line.
#ifndef DEDUP_IO_JSONL_H_
#define DEDUP_IO_JSONL_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace dedup {

// Names of the top-level keys the parser extracts. Compared against the
// decoded key, so an escaped key ("te\u0078t") matches too.
struct JsonlFieldNames {
  std::string text = "text";
  std::string id = "id";
  std::string source = "source";
};

struct JsonlRecord {
  // Byte range [begin, end) of the text field's JSON string value in the
  // line, quotes included, so a writer can splice a new value in:
  //   line.substr(0, begin) + new_value + line.substr(end).
  size_t text_value_begin = 0;
  size_t text_value_end = 0;
  // Whether the text value contains a backslash escape; without one its
  // decoding is the bytes between the quotes.
  bool text_has_escape = false;
  // A string id decoded; a number id as its raw token text ("17", "-1.5e3").
  std::string id;
  bool has_id = false;
  // Decoded string value of the source field.
  std::string source;
  bool has_source = false;
};

// Maximum nesting depth of objects and arrays; the line's object is depth 1.
inline constexpr int kJsonlMaxDepth = 64;

// Parses one line (no trailing '\n'; a trailing '\r' is whitespace) that must
// be exactly one JSON object, whitespace around it allowed. Decodes the text
// field into *text (cleared first; reuse it across calls to avoid allocation;
// nullptr: validated only, see DecodeJsonlText) and fills *record (every
// member is reset). Other fields are validated but not decoded. "\u0000" is accepted and decodes to a NUL byte in *text; raw
// bytes below 0x20 inside strings are rejected.
//
// Errors are absl::InvalidArgumentError("column N: ...") with N the 1-based
// byte column of the offending byte: not an object, malformed JSON, trailing
// bytes, raw NUL or control byte in a string, invalid UTF-8 anywhere in the
// line, bad escapes or lone surrogates, "missing field 'text'" (N = column of
// the object's '{'), "field 'text' is not a string", id neither string nor
// number, a duplicate text, id or source key (other duplicate keys are
// accepted and left alone), nesting deeper than kJsonlMaxDepth.
//
// Cost: one pass over the line; ASCII runs are scanned 16 bytes at a time.
// Thread-safe for distinct outputs.
absl::Status ParseJsonlLine(std::string_view line, const JsonlFieldNames& names,
                            JsonlRecord* record, std::string* text);

// The fast path of framing: parses the line at the start of `bytes` (which
// may run on past it; the line ends at the first '\n') as ParseJsonlLine
// with text == nullptr would, without searching for the '\n' first. On
// success sets *line_size to the line's length ('\n' excluded) and returns
// true. Returns false on any error: the caller then finds the line and calls
// ParseJsonlLine for the message.
bool TryParseJsonlLineAt(std::string_view bytes, const JsonlFieldNames& names,
                         JsonlRecord* record, size_t* line_size);

// Decodes the text value of a line that ParseJsonlLine accepted: `value` is
// the record's [text_value_begin, text_value_end) range, quotes included.
// Does not validate again. Returns the text: `value` without its quotes when
// it has no escape (no copy), else a prefix of *scratch (grown as needed,
// never shrunk, so that reusing it allocates and clears nothing).
std::string_view DecodeJsonlText(std::string_view value, bool has_escape,
                                 std::string* scratch);

// Appends `utf8` as a JSON string literal with quotes: escapes '"', '\\' and
// bytes below 0x20 (\n \t \r \b \f, the others as \u00XX); other bytes,
// including non-ASCII UTF-8 and 0x7F, are copied as they are. Does not
// validate UTF-8.
void AppendJsonString(std::string_view utf8, std::string* out);

}  // namespace dedup

#endif  // DEDUP_IO_JSONL_H_
