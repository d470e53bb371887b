// File: core/tokenize.h
// Text -> one 64-bit hash per normalised token, plus the line structure the
// boilerplate detector works on. Normalisation (case folding, punctuation and
// quote/dash removal, whitespace) exists only inside the hashes.
#ifndef DEDUP_CORE_TOKENIZE_H_
#define DEDUP_CORE_TOKENIZE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_window.h"

namespace dedup {

// One '\n'-terminated line of a document. [begin, end) excludes the newline
// and a '\r' before it; [begin, next) includes them.
struct LineSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t next = 0;
  uint32_t first_token = 0;
  uint32_t num_tokens = 0;
};

// Tokens of one document. `hashes` keeps digits; `folded` maps every decimal
// digit to '0' so that dates and counters do not split a repeated block.
struct TokenStream {
  std::vector<uint64_t> hashes;
  std::vector<uint64_t> folded;
  std::vector<LineSpan> lines;
  void clear() {
    hashes.clear();
    folded.clear();
    lines.clear();
  }
};

// Reusable tokeniser: owns its scratch, so after warm-up no document allocates.
// Not thread-safe; use one per thread. Documents are limited to 4 GiB.
//
// Runs of ASCII text go through a fast path that classifies 64 bytes at a
// time (core/byte_window.h) and hashes each token straight from the window;
// the rest (non-ASCII, tokens of 64 bytes or more) goes byte by byte. Both
// give the same hashes; `fast_path = false` forces the byte path, for tests.
class Tokenizer {
 public:
  explicit Tokenizer(bool fast_path = true);
  void Tokenize(std::string_view text, TokenStream* out);

 private:
  // One character of the byte path at p[i]; returns the next position.
  template <typename CloseLine>
  size_t ByteStep(const unsigned char* p, size_t n, size_t i, TokenStream* out, CloseLine& close_line);
  void Flush(TokenStream* out);
  ClassifyWindowFn classify_;
  std::string token_;  // the normalised bytes of the token being built (byte path)
  bool token_has_digit_ = false;
  ByteWindow window_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_TOKENIZE_H_
