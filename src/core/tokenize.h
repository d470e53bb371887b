// File: core/tokenize.h
// Text -> one 64-bit hash per normalised token, plus the lines (with the
// hashes of their normalised text) that the boilerplate detector works on.
// Normalisation (case folding, punctuation and quote/dash removal,
// whitespace) exists only inside the hashes.
#ifndef DEDUP_CORE_TOKENIZE_H_
#define DEDUP_CORE_TOKENIZE_H_

#include <cstdint>
#include <cstring>
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
  uint32_t first_token = 0;  // tokens before the line (an index into hashes when they are kept)
  uint32_t num_tokens = 0;
  uint32_t digit_tokens = 0;  // tokens holding an ASCII digit 1-9 (those that folding changes)
  // Hashes of the line's normalised tokens, each followed by a NUL byte (the
  // line's text as block keys see it): as they are, and with every ASCII
  // digit 1-9 folded to '0' so that dates and counters do not split a
  // repeated block. Equal when no token has such a digit; 0 when no tokens.
  uint64_t exact_hash = 0;
  uint64_t folded_hash = 0;
  bool operator==(const LineSpan&) const = default;
};

// Tokens of one document: one hash per normalised token (digits kept), and
// the lines.
struct TokenStream {
  std::vector<uint64_t> hashes;
  std::vector<LineSpan> lines;
  void clear() {
    hashes.clear();
    lines.clear();
  }
};

// How the tokeniser reads ASCII text (all give the same output; the narrower
// ones exist for tests and benchmarks).
enum class TokenizerPath {
  kBytes,    // byte by byte
  kWindows,  // 64-byte windows, one step per token
  // kWindows, except that where the CPU has AVX-512 (VBMI2) lines-only and
  // hashes-only tokenising take each window in a few vector steps: its line
  // text by one byte compress, its token hashes eight at a time.
  kBest,
};

// Reusable tokeniser: owns its scratch, so after warm-up no document allocates.
// Not thread-safe; use one per thread. Documents are limited to 4 GiB.
//
// Runs of ASCII text go through a fast path that classifies 64 bytes at a
// time (core/byte_window.h) and hashes each token straight from the window;
// the rest (non-ASCII, tokens of 64 bytes or more) goes byte by byte. Every
// path gives the same hashes and lines.
class Tokenizer {
 public:
  explicit Tokenizer(TokenizerPath path = TokenizerPath::kBest);
  // Token hashes and lines.
  void Tokenize(std::string_view text, TokenStream* out);
  // Lines only (out->hashes stays empty): what counting line keys needs, for
  // about half the work, as no token is hashed.
  void TokenizeLines(std::string_view text, TokenStream* out);
  // Token hashes only (out->lines stays empty): for a pass that kept every
  // line's keys, places and token counts from an earlier one.
  void TokenizeHashesOnly(std::string_view text, TokenStream* out);

 private:
  // What a run produces: token hashes, the lines' normalised text (and so
  // their hashes), or both; line spans and token counts with either of the
  // first two, not with kTokenHashes.
  enum class Output { kAll, kLineText, kTokenHashes };
  template <Output kOutput>
  void Run(std::string_view text, TokenStream* out);
  // kLineText's window step with kBest: the line text of the first `cut`
  // bytes of w (text[i, i + cut), from CutWindow) in a few vector
  // instructions, closing lines at its newlines.
  template <typename CloseLine>
  void CompressedLineWindow(const ByteWindow& w, size_t i, size_t cut, CloseLine& close_line);
  // kTokenHashes's window step with kBest: the hashes of the tokens in the
  // first `cut` bytes of w, eight at a time. Returns false, having done
  // nothing, if one has over 16 bytes (hashed by XXH3: the per-token step
  // takes it).
  bool HashedTokenWindow(const ByteWindow& w, size_t cut, TokenStream* out);
  // One character of the byte path at p[i]; returns the next position.
  template <Output kOutput, typename CloseLine>
  size_t ByteStep(const unsigned char* p, size_t n, size_t i, TokenStream* out, CloseLine& close_line);
  // Ends the byte path's open token, if any.
  template <Output kOutput>
  void Flush(TokenStream* out);
  // A token of the line, counted only (no line text kept).
  void CountToken(bool nonzero_digit) {
    ++tokens_;
    line_digit_tokens_ += nonzero_digit;
  }
  // Appends a token's normalised bytes, as they are and digit-folded (16
  // readable at each), to the open line's two texts. The folded text is
  // started only at the line's first token with a digit to fold (a copy of
  // the line so far): until then it would equal the exact text.
  void AppendToLine(const char* exact, const char* folded, size_t size, bool nonzero_digit) {
    if (line_size_ + size + 1 + 16 > exact_line_.size()) GrowLine(size);
    AppendToLineWithRoom(exact, folded, size, nonzero_digit);
  }
  // AppendToLine where the line texts are known to have room for the token.
  void AppendToLineWithRoom(const char* exact, const char* folded, size_t size, bool nonzero_digit) {
    PutToken(exact, size, exact_line_.data() + line_size_);
    if (line_digit_tokens_ + nonzero_digit > 0) {
      if (line_digit_tokens_ == 0) StartFoldedLine();
      PutToken(folded, size, folded_line_.data() + line_size_);
    }
    line_size_ += size + 1;
    CountToken(nonzero_digit);
  }
  // The open line's folded text, begun at its first token with a digit to
  // fold: until then it equals the exact text (a copy of it so far).
  void StartFoldedLine() { std::memcpy(folded_line_.data(), exact_line_.data(), line_size_); }
  // A token's bytes and a NUL at dst: a whole 16-byte copy for a short token
  // (bytes past it are overwritten by the next one or never read).
  static void PutToken(const char* token, size_t size, char* dst) {
    if (size <= 16) {
      std::memcpy(dst, token, 16);
    } else {
      std::memcpy(dst, token, size);
    }
    dst[size] = '\0';
  }
  void GrowLine(size_t size);
  // Fills the line's token counts and its hashes from the line text; starts
  // the next.
  void FinishLine(LineSpan* line);

  ClassifyWindowFn classify_;
  bool vector_steps_;  // kLineText and kTokenHashes windows take the vector steps
  std::string token_;  // the normalised bytes of the token being built (byte path)
  // The open line's tokens, NUL after each, as they are and digit-folded;
  // line_size_ bytes used, 16 more always writable.
  std::string exact_line_, folded_line_;
  size_t line_size_ = 0;
  uint32_t tokens_ = 0;  // tokens so far in the document
  uint32_t line_digit_tokens_ = 0;
  ByteWindow window_;
};

}  // namespace dedup

#endif  // DEDUP_CORE_TOKENIZE_H_
