// File: tests/fuzz/fuzz_tokenize.cc
// Normalisation and tokenisation on arbitrary bytes: never crashes, lines
// tile the text exactly, token ranges tile the token list, and a token's
// hash does not depend on what surrounds the text (prefixing a newline
// shifts the lines but keeps the hashes), every path equals the byte
// path, lines-only tokenising gives the same lines, hashes-only the same
// tokens, and folded line hashes are those of the digit-folded text.
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
  if (!text.empty()) {  // (empty text is one empty line, and so is "\n")
    Check(shifted.lines.size() == ts.lines.size() + 1);
    for (size_t l = 0; l < ts.lines.size(); ++l) Check(shifted.lines[l + 1].exact_hash == ts.lines[l].exact_hash);
  }
  // The 64-byte fast path and the byte path agree on everything.
  dedup::Tokenizer byte_path(dedup::TokenizerPath::kBytes);
  dedup::TokenStream slow;
  byte_path.Tokenize(text, &slow);
  Check(slow.hashes == ts.hashes && slow.lines == ts.lines);
  // Lines only: the same lines, no token hashes.
  dedup::TokenStream lines_only;
  tokenizer.TokenizeLines(text, &lines_only);
  Check(lines_only.hashes.empty() && lines_only.lines == ts.lines);
  // And with a step per token where the default takes vector steps.
  dedup::Tokenizer per_token(dedup::TokenizerPath::kWindows);
  per_token.TokenizeLines(text, &lines_only);
  Check(lines_only.hashes.empty() && lines_only.lines == ts.lines);
  // Token hashes only, every path: the same tokens, no lines.
  dedup::TokenStream hashes_only;
  tokenizer.TokenizeHashesOnly(text, &hashes_only);
  Check(hashes_only.hashes == ts.hashes && hashes_only.lines.empty());
  byte_path.TokenizeHashesOnly(text, &hashes_only);
  Check(hashes_only.hashes == ts.hashes && hashes_only.lines.empty());
  per_token.TokenizeHashesOnly(text, &hashes_only);
  Check(hashes_only.hashes == ts.hashes && hashes_only.lines.empty());
  // A line's folded hash is the exact hash of its text with digits folded.
  std::string folded(text);
  for (char& c : folded) {
    if (c >= '1' && c <= '9') c = '0';
  }
  dedup::TokenStream of_folded;
  tokenizer.Tokenize(folded, &of_folded);
  Check(of_folded.lines.size() == ts.lines.size());
  for (size_t l = 0; l < ts.lines.size(); ++l) {
    Check(of_folded.lines[l].exact_hash == ts.lines[l].folded_hash && of_folded.lines[l].digit_tokens == 0);
  }
  return 0;
}
