// File: core/normalize.h
// Character classes and case folding used only for fingerprints: kept text is
// never rewritten. Words are runs of letters and digits; scripts written
// without spaces (CJK, Thai, Lao, Khmer, Myanmar, Tibetan, Kana) make one
// token per character; everything else (punctuation, curly or straight quotes,
// dashes, symbols, any kind of space) separates tokens.
#ifndef DEDUP_CORE_NORMALIZE_H_
#define DEDUP_CORE_NORMALIZE_H_

#include <cstdint>

namespace dedup {

enum class CharClass : uint8_t {
  kSeparator,  // whitespace, punctuation, symbols, control, invalid bytes
  kWord,       // letters, digits and combining marks of spaced scripts
  kDigit,      // decimal digits (a subset of word characters, folded for block keys)
  kIdeograph,  // one token per character: scripts written without spaces
};

// Classifies a non-ASCII code point (ASCII is table-driven in the tokeniser).
CharClass ClassifyCodePoint(char32_t cp);

// Simple case folding: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic,
// Armenian and fullwidth Latin; other code points are returned unchanged.
// Covers the scripts of our corpora without a 30 KB Unicode table.
char32_t FoldCase(char32_t cp);

}  // namespace dedup

#endif  // DEDUP_CORE_NORMALIZE_H_
