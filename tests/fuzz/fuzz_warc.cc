// File: tests/fuzz/fuzz_warc.cc
// ParseWarc never crashes; the records it reports tile the input with ranges
// in bounds and correct line numbers, errors name a line and byte that agree
// with each other, and AppendWetRecord output (same or cut payloads) parses
// back to the same records.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/string_view_compat.h"
#include "io/warc.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

struct Parsed {
  absl::Status status;
  std::vector<dedup::WarcRecord> records;
};

Parsed Parse(std::string_view bytes) {
  Parsed p;
  p.status = dedup::ParseWarc(bytes, [&](const dedup::WarcRecord& r) {
    p.records.push_back(r);
    return absl::OkStatus();
  });
  return p;
}

bool Inside(std::string_view part, std::string_view whole) {
  return part.empty() ||
         (part.data() >= whole.data() &&
          part.data() + part.size() <= whole.data() + whole.size());
}

uint64_t LineAt(std::string_view bytes, uint64_t offset) {
  return 1 + std::count(bytes.begin(), bytes.begin() + offset, '\n');
}

std::string_view Slice(std::string_view bytes, uint64_t begin, uint64_t end) {
  return bytes.substr(begin, end - begin);
}

// Records tile a prefix of the input, in order, with nested ranges.
uint64_t CheckRecords(std::string_view bytes,
                      const std::vector<dedup::WarcRecord>& records) {
  uint64_t begin = 0;
  for (const dedup::WarcRecord& r : records) {
    Check(r.record_begin == begin);
    Check(r.record_begin < r.payload_begin &&
          r.payload_begin <= r.payload_end && r.payload_end < r.record_end &&
          r.record_end <= bytes.size());
    Check(r.line == LineAt(bytes, r.record_begin));
    const std::string_view version = bytes.substr(r.record_begin, 9);
    Check(version == "WARC/1.0\n" || version == "WARC/1.1\n" ||
          bytes.substr(r.record_begin, 10) == "WARC/1.0\r\n" ||
          bytes.substr(r.record_begin, 10) == "WARC/1.1\r\n");
    const std::string_view end = Slice(bytes, r.payload_end, r.record_end);
    Check(end == "\r\n\r\n" || end == "\n\n" || end == "\r\n\n" ||
          end == "\n\r\n");
    const std::string_view header =
        Slice(bytes, r.record_begin, r.payload_begin);
    Check(header.ends_with("\n\n") || header.ends_with("\n\r\n"));
    Check(!r.type.empty() && Inside(r.type, header));
    Check(Inside(r.target_uri, header) && Inside(r.record_id, header));
    const std::string_view host = dedup::UriHost(r.target_uri);
    Check(Inside(host, r.target_uri));
    Check(dedup::UriHostLowercase(r.target_uri).size() <= host.size());
    begin = r.record_end;
  }
  return begin;
}

// The parse of a rewritten stream matches the original records.
void CheckSameRecords(const std::vector<dedup::WarcRecord>& ra,
                      std::string_view b,
                      const std::vector<dedup::WarcRecord>& rb,
                      const std::vector<std::string_view>& payloads) {
  Check(ra.size() == rb.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    Check(ra[i].type == rb[i].type && ra[i].target_uri == rb[i].target_uri &&
          ra[i].record_id == rb[i].record_id);
    Check(Slice(b, rb[i].payload_begin, rb[i].payload_end) == payloads[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const Parsed p = Parse(bytes);
  const uint64_t parsed_end = CheckRecords(bytes, p.records);

  if (!p.status.ok()) {
    Check(p.status.code() == absl::StatusCode::kInvalidArgument ||
          p.status.code() == absl::StatusCode::kDataLoss);
    const std::string message(dedup::StdView(p.status.message()));
    unsigned long long line = 0, byte = 0;  // NOLINT(runtime/int): sscanf
    int consumed = 0;
    Check(std::sscanf(message.c_str(), "line %llu (byte %llu): %n", &line,
                      &byte, &consumed) == 2 &&
          consumed > 0);
    Check(byte >= parsed_end && byte <= size);
    Check(line == LineAt(bytes, byte));
    Check(message.find('\n') == std::string::npos);
  } else {
    Check(parsed_end == size);
  }

  // Re-emit the parsed records with their own payloads, then with cut ones.
  std::string same;
  std::string cut;
  std::vector<std::string_view> payloads;
  std::vector<std::string_view> cut_payloads;
  bool same_style = true;
  for (const dedup::WarcRecord& r : p.records) {
    const std::string_view header =
        Slice(bytes, r.record_begin, r.payload_begin);
    const std::string_view payload =
        Slice(bytes, r.payload_begin, r.payload_end);
    const std::string_view end = Slice(bytes, r.payload_end, r.record_end);
    // The writer ends a record in the style of its header's blank line.
    const bool crlf = header.ends_with("\n\r\n");
    same_style = same_style && (crlf ? end == "\r\n\r\n" : end == "\n\n");
    dedup::AppendWetRecord(header, payload, &same);
    payloads.push_back(payload);
    cut_payloads.push_back(payload.substr(0, payload.size() / 2));
    dedup::AppendWetRecord(header, cut_payloads.back(), &cut,
                           dedup::WetDigest::kDrop);
  }
  const std::string_view prefix = bytes.substr(0, parsed_end);
  if (same_style) Check(same == prefix);
  const Parsed ps = Parse(same);
  Check(ps.status.ok());
  Check(CheckRecords(same, ps.records) == same.size());
  CheckSameRecords(p.records, same, ps.records, payloads);
  const Parsed pc = Parse(cut);
  Check(pc.status.ok());
  Check(CheckRecords(cut, pc.records) == cut.size());
  CheckSameRecords(p.records, cut, pc.records, cut_payloads);

  // A callback error stops the parse at once and comes back unchanged.
  if (!p.records.empty()) {
    const size_t stop_at = data[0] % p.records.size();
    size_t calls = 0;
    const absl::Status s =
        dedup::ParseWarc(bytes, [&](const dedup::WarcRecord&) {
          return calls++ == stop_at ? absl::CancelledError("stop")
                                    : absl::OkStatus();
        });
    Check(s.code() == absl::StatusCode::kCancelled && calls == stop_at + 1);
  }

  // Neither helper trusts its input: any bytes as a URI or as a header.
  Check(Inside(dedup::UriHost(bytes), bytes));
  std::string junk;
  dedup::AppendWetRecord(bytes, "x", &junk, dedup::WetDigest::kDrop);
  return 0;
}
