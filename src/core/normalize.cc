#include "core/normalize.h"

#include "core/utf8.h"

namespace dedup {

CharClass ClassifyCodePoint(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= '0' && cp <= '9') return CharClass::kDigit;
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return CharClass::kWord;
    return CharClass::kSeparator;
  }
  // Latin-1: letters except the two multiplication/division signs.
  if (cp < 0x100) {
    if (cp == 0xAA || cp == 0xB5 || cp == 0xBA) return CharClass::kWord;
    if (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7) return CharClass::kWord;
    return CharClass::kSeparator;  // NBSP, quotes, currency, punctuation
  }
  if (cp <= 0x024F) return CharClass::kWord;                  // Latin Extended-A/B
  if (cp >= 0x0250 && cp <= 0x02AF) return CharClass::kWord;  // IPA
  if (cp >= 0x0300 && cp <= 0x036F) return CharClass::kWord;  // combining marks
  if (cp >= 0x0370 && cp <= 0x03FF) return cp == 0x037E || cp == 0x0387 ? CharClass::kSeparator : CharClass::kWord;
  if (cp >= 0x0400 && cp <= 0x052F) return cp == 0x0482 ? CharClass::kSeparator : CharClass::kWord;
  if (cp >= 0x0531 && cp <= 0x058F) return cp >= 0x0589 ? CharClass::kSeparator : CharClass::kWord;
  if (cp >= 0x0591 && cp <= 0x05F4) return cp == 0x05BE || cp == 0x05C0 || cp == 0x05C3 || cp == 0x05F3 || cp == 0x05F4 ? CharClass::kSeparator : CharClass::kWord;
  if (cp >= 0x0600 && cp <= 0x06FF) {                        // Arabic
    if (cp == 0x060C || cp == 0x061B || cp == 0x061F || cp == 0x066A || cp == 0x066B || cp == 0x066C || cp == 0x06D4) return CharClass::kSeparator;
    if (cp >= 0x0660 && cp <= 0x0669) return CharClass::kDigit;
    if (cp >= 0x06F0 && cp <= 0x06F9) return CharClass::kDigit;
    return CharClass::kWord;
  }
  if (cp >= 0x0900 && cp <= 0x0DFF) {  // Indic scripts: spaced, with danda separators
    if (cp == 0x0964 || cp == 0x0965) return CharClass::kSeparator;
    if ((cp & 0x7F) >= 0x66 && (cp & 0x7F) <= 0x6F) return CharClass::kDigit;
    return CharClass::kWord;
  }
  if (cp >= 0x0E00 && cp <= 0x0EFF) return CharClass::kIdeograph;  // Thai, Lao
  if (cp >= 0x0F00 && cp <= 0x0FFF) return CharClass::kIdeograph;  // Tibetan
  if (cp >= 0x1000 && cp <= 0x109F) return CharClass::kIdeograph;  // Myanmar
  if (cp >= 0x10A0 && cp <= 0x10FF) return CharClass::kWord;       // Georgian
  if (cp >= 0x1100 && cp <= 0x11FF) return CharClass::kWord;       // Hangul Jamo (Korean is spaced)
  if (cp >= 0x1780 && cp <= 0x17FF) return CharClass::kIdeograph;  // Khmer
  if (cp >= 0x1E00 && cp <= 0x1FFF) return CharClass::kWord;       // Latin/Greek extended
  if (cp >= 0x2000 && cp <= 0x2BFF) return CharClass::kSeparator;  // spaces, quotes, dashes, symbols
  if (cp >= 0x2E80 && cp <= 0x2FDF) return CharClass::kIdeograph;  // CJK radicals
  if (cp >= 0x3000 && cp <= 0x303F) return CharClass::kSeparator;  // CJK punctuation, ideographic space
  if (cp >= 0x3040 && cp <= 0x30FF) return cp == 0x30FB ? CharClass::kSeparator : CharClass::kIdeograph;
  if (cp >= 0x3100 && cp <= 0x31FF) return CharClass::kIdeograph;
  if (cp >= 0x3400 && cp <= 0x4DBF) return CharClass::kIdeograph;
  if (cp >= 0x4E00 && cp <= 0x9FFF) return CharClass::kIdeograph;
  if (cp >= 0xAC00 && cp <= 0xD7AF) return CharClass::kWord;  // Hangul syllables
  if (cp >= 0xF900 && cp <= 0xFAFF) return CharClass::kIdeograph;
  if (cp >= 0xFE30 && cp <= 0xFE4F) return CharClass::kSeparator;
  if (cp >= 0xFF10 && cp <= 0xFF19) return CharClass::kDigit;
  if (cp >= 0xFF21 && cp <= 0xFF3A) return CharClass::kWord;
  if (cp >= 0xFF41 && cp <= 0xFF5A) return CharClass::kWord;
  if (cp >= 0xFF66 && cp <= 0xFF9F) return CharClass::kIdeograph;  // halfwidth Katakana
  if (cp >= 0xFF00 && cp <= 0xFFEF) return CharClass::kSeparator;
  if (cp == kReplacementChar) return CharClass::kSeparator;
  if (cp >= 0x20000 && cp <= 0x3134F) return CharClass::kIdeograph;
  if (cp >= 0x1F000) return CharClass::kSeparator;  // emoji and symbols
  return CharClass::kWord;
}

char32_t FoldCase(char32_t cp) {
  if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 0x20 : cp;
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if (cp >= 0x0100 && cp <= 0x017F) {
    // Latin Extended-A pairs upper/lower as even/odd, except a few odd runs.
    if ((cp >= 0x0139 && cp <= 0x0148) || (cp >= 0x0179 && cp <= 0x017E)) return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x0130 || cp == 0x0131 || cp == 0x0138 || cp == 0x0149 || cp == 0x017F) return cp;
    return (cp & 1) ? cp : cp + 1;
  }
  if (cp >= 0x0391 && cp <= 0x03AB && cp != 0x03A2) return cp + 0x20;
  if (cp == 0x03C2) return 0x03C3;  // final sigma folds to sigma
  if (cp >= 0x0410 && cp <= 0x042F) return cp + 0x20;
  if (cp >= 0x0400 && cp <= 0x040F) return cp + 0x50;
  if (cp >= 0x0460 && cp <= 0x052F && cp != 0x0482 && !(cp >= 0x0483 && cp <= 0x0489)) {
    if (cp >= 0x04C1 && cp <= 0x04CE) return (cp & 1) ? cp + 1 : cp;
    if (cp == 0x04C0) return 0x04CF;
    return (cp & 1) ? cp : cp + 1;
  }
  if (cp >= 0x0531 && cp <= 0x0556) return cp + 0x30;
  if (cp >= 0xFF21 && cp <= 0xFF3A) return cp + 0x20;
  return cp;
}

size_t FindInvalidUtf8(const char* p, size_t n) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  size_t i = 0;
  while (i < n) {
    if (u[i] < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    const char32_t cp = DecodeUtf8(u + i, n - i, &len);
    if (cp == kReplacementChar && len == 1) return i;
    i += len;
  }
  return n;
}

}  // namespace dedup
