// File: io/warc.h
// A strict, allocation-free parser for WARC/1.0 and WARC/1.1 record streams
// (Common Crawl WET files, already decompressed), and a writer that re-emits a
// record around a new payload. Gzip members, digests and WARC semantics beyond
// the framing headers are left to the caller.
//
//   DEDUP_RETURN_IF_ERROR(ParseWarc(bytes, [&](const WarcRecord& r) {
//     if (r.type != "conversion") return absl::OkStatus();
//     std::string_view text = bytes.substr(r.payload_begin,
//                                          r.payload_end - r.payload_begin);
//     ...
//   }));
#ifndef DEDUP_IO_WARC_H_
#define DEDUP_IO_WARC_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace dedup {

// One record of a WARC stream. Offsets are 0-based bytes into the input; the
// views point into it and live as long as it does.
struct WarcRecord {
  std::string_view type;        // WARC-Type, e.g. "warcinfo", "conversion"
  std::string_view target_uri;  // WARC-Target-URI ("" when absent)
  std::string_view record_id;   // WARC-Record-ID ("" when absent)
  uint64_t record_begin = 0;    // offset of the "WARC/1.x" line
  uint64_t payload_begin = 0;   // offset after the blank line
  uint64_t payload_end = 0;     // payload_begin + Content-Length
  uint64_t record_end = 0;      // after the two line ends closing the record
  uint64_t line = 0;            // 1-based line number of the "WARC/" line
};

// Parses `bytes` as a sequence of WARC records and calls on_record for each,
// in order; a non-OK status from on_record stops the parse and is returned
// as is. Empty input is zero records (OK).
//
// Accepted: a version line "WARC/1.0" or "WARC/1.1"; header lines
// "Name: value" (names case-insensitive, value trimmed of spaces and tabs,
// folded continuation lines allowed except for the fields read here); the
// header block ends at the first empty line; every line may end in CRLF or
// bare LF, independently. The payload is exactly Content-Length bytes and is
// followed by two line ends (CRLF or LF each: "\r\n\r\n", "\n\n"). The next
// record starts right after; nothing else may come between or after records.
//
// Errors all read "line L (byte B): ..." with L the 1-based line and B the
// 0-based offset of the offending line or byte. InvalidArgument for malformed
// input: "bad version line", "unsupported WARC version 'WARC/0.9'",
// "bad header line", "control byte 0x01 in header line", "missing
// Content-Length", "bad Content-Length '12a'", "missing WARC-Type", "empty
// WARC-Type", "duplicate Content-Length" (also WARC-Type, WARC-Target-URI,
// WARC-Record-ID), "folded Content-Length", "missing record terminator after
// payload". DataLoss when the input ends inside a record: "truncated record:
// Content-Length 5000 runs past the end of the input (17 bytes left)",
// "truncated record: headers do not end", "truncated record: missing record
// terminator".
//
// Cost: linear in the input; header bytes are looked at once, payload bytes
// once (a newline count for `line`). No allocation except on error.
// Thread-safe (no shared state).
absl::Status ParseWarc(
    std::string_view bytes,
    const std::function<absl::Status(const WarcRecord&)>& on_record);

// Host of a URI as written, without userinfo or port:
// "https://user@Example.com:8080/a?q" -> "Example.com", "http://[::1]:80/"
// -> "[::1]". "" when the URI has no scheme or no "//" authority ("urn:x",
// "mailto:a@b", "/path", "file:///x"). The view points into `uri`.
std::string_view UriHost(std::string_view uri);

// UriHost() lowercased (ASCII) and without a trailing root dot:
// "https://Example.COM.:8080/a" -> "example.com". Allocates the result.
std::string UriHostLowercase(std::string_view uri);

// What AppendWetRecord does with a WARC-Block-Digest header line.
enum class WetDigest {
  kKeep,  // copy it; right only when the payload is the original one
  kDrop,  // leave it out (optional in WARC); for a changed payload
};

// Appends a record to *out: the header lines of an original record
// (`original_header` = bytes [record_begin, payload_begin) of a record that
// ParseWarc accepted, blank line included) with the Content-Length value
// replaced by payload.size() (kept as written when it already says that,
// "05" included), then `payload`, then the record terminator in
// the header's line-end style ("\r\n\r\n" when its blank line is CRLF, else
// "\n\n"). So an unchanged payload gives back the original bytes exactly
// (when the original terminator had the same style as the blank line).
// Every other byte of the header (name spelling, spacing, line ends, field
// order) is copied. When the header has no Content-Length line, one is added
// before the blank line. Cost: one pass over the header, then one append.
void AppendWetRecord(std::string_view original_header, std::string_view payload,
                     std::string* out, WetDigest digest = WetDigest::kKeep);

}  // namespace dedup

#endif  // DEDUP_IO_WARC_H_
