// File: tests/fuzz/fuzz_tokenize.cc
// Normalisation and tokenisation on arbitrary bytes: never crashes, lines
// tile the text exactly, token ranges tile the token list, and a token's
// hash does not depend on what surrounds the text (prefixing a newline
// shifts the lines but keeps the hashes), and the fast path equals the byte
// path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/tokenize.h"

namespace {
void Check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dedup::Tokenizer tokenizer;
  dedup::TokenStream ts;
  tokenizer.Tokenize(text, &ts);
  Check(ts.hashes.size() == ts.folded.size());
  Check(!ts.lines.empty());
  uint32_t expect_begin = 0, expect_token = 0;
  for (const dedup::LineSpan& line : ts.lines) {
    Check(line.begin == expect_begin);
    Check(line.begin <= line.end && line.end <= line.next && line.next <= size);
    Check(line.first_token == expect_token);
    expect_begin = line.next;
    expect_token = line.first_token + line.num_tokens;
  }
  Check(expect_begin == size);
  Check(expect_token == ts.hashes.size());
  dedup::TokenStream shifted;
  tokenizer.Tokenize("\n" + std::string(text), &shifted);
  Check(shifted.hashes == ts.hashes);
  // The 64-byte fast path and the byte path agree on everything.
  dedup::Tokenizer byte_path(false);
  dedup::TokenStream slow;
  byte_path.Tokenize(text, &slow);
  Check(slow.hashes == ts.hashes && slow.folded == ts.folded && slow.lines.size() == ts.lines.size());
  for (size_t l = 0; l < ts.lines.size(); ++l) {
    Check(slow.lines[l].begin == ts.lines[l].begin && slow.lines[l].end == ts.lines[l].end &&
          slow.lines[l].next == ts.lines[l].next && slow.lines[l].num_tokens == ts.lines[l].num_tokens);
  }
  return 0;
}
