/*
 * wordbreak.c — ICU's word boundaries for Latin text, without ICU.
 *
 * The tokeniser's first cut is ICU's word break iterator (UAX #29, "Unicode
 * Text Segmentation", with the CLDR root tailoring ICU ships). Asking ICU
 * for the boundary after each segment costs a call, a cache look-up and
 * the rule machine per segment, which was the largest single cost of
 * tokenising. Nearly all of French, Spanish and Catalan prose uses a few
 * hundred characters whose word-break classes are simple, so the rules
 * that can apply to them are restated here:
 *
 *   WB5/8/9/10  letters and digits stick together (23h30, Eurorégion);
 *   WB6/7       letter (MidLetter | MidNumLet | Single_Quote) letter:
 *               l'Eurorégion, R.E.M, col·lecció are one segment;
 *   WB11/12     digit (MidNum | MidNumLet | Single_Quote) digit: 1.234,56;
 *   WB999       anything else is cut on both sides.
 *
 * ICU's root tailoring takes ':' out of MidLetter ("a:b" is three
 * segments) and joins '@' to letters; the classes below follow ICU, not the
 * bare UAX #29 table.
 * Whenever a character outside these classes could take part in the
 * decision (combining marks and format characters attach to the previous
 * character, WB4; '_' joins words, WB13a; Hebrew, Katakana, emoji, regional
 * indicators have rules of their own), the function answers -1 and the
 * caller asks ICU. tests/unit/test_wordbreak.c compares both on every
 * string of up to three characters of a mixed alphabet and on random
 * longer ones.
 *
 * Takes UTF-16 text and a start; gives the next boundary. No state.
 */
#include <stdbool.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "wordbreak.h"

enum {
  WB_UNK, /* not known here: ask ICU */
  WB_SP,  /* white space that is never Extend/Format (a cut) */
  WB_L,   /* ALetter */
  WB_N,   /* Numeric */
  WB_ML,  /* MidLetter (·, U+2027) */
  WB_MN,  /* MidNum (, ; U+2044) */
  WB_MNL, /* MidNumLet and Single_Quote (. ' ’ ‘ U+2024) */
  WB_O    /* Other: cut on both sides */
};

/* wb_class of U+0000..U+00FF, as the cases below give it (one load
 * instead of a chain of tests for the most frequent characters). */
static const unsigned char wb_latin1[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 7, 7, 7, 7, 7, 6, 7, 7, 7, 7, 5, 7, 6, 7,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 7, 5, 7, 7, 7, 7, 0, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 7, 7, 7, 7, 0,
    7, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 7, 7, 7, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 7, 7, 7, 7, 7, 7,
    7, 7, 2, 7, 7, 0, 7, 7, 7, 7, 7, 7, 7, 2, 7, 4, 7, 7, 2, 7, 7, 7, 7, 7,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 7,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 7, 2, 2, 2, 2, 2, 2, 2, 2,
};

static int wb_class_slow(UChar c) {
  if (c < 0x80) {
    if (((c | 32) >= 'a' && (c | 32) <= 'z'))
      return WB_L;
    if (c >= '0' && c <= '9')
      return WB_N;
    switch (c) {
    case ' ':
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
      return WB_SP;
    case '\'':
    case '.':
      return WB_MNL;
    case ',':
    case ';':
      return WB_MN;
    case '_': /* ExtendNumLet */
    case '@': /* a letter to ICU's rules ("a@b" is one segment) */
      return WB_UNK;
    default:
      return c > ' ' && c < 0x7F ? WB_O : WB_UNK;
    }
  }
  if (c < 0x100) {
    if (c >= 0xC0)
      return c == 0xD7 || c == 0xF7 ? WB_O : WB_L;
    if (c == 0xAA || c == 0xB5 || c == 0xBA)
      return WB_L;
    if (c == 0xB7)
      return WB_ML;
    if (c == 0xA0)
      return WB_SP;
    return c > 0xA0 && c != 0xAD ? WB_O : WB_UNK;
  }
  if (c < 0x250)
    return WB_L; /* Latin Extended-A and -B: all letters */
  if (c >= 0x2000 && c <= 0x205F) {
    if (c <= 0x200A || c == 0x202F || c == 0x205F)
      return WB_SP;
    switch (c) {
    case 0x2018:
    case 0x2019:
    case 0x2024:
      return WB_MNL;
    case 0x2027:
      return WB_ML;
    case 0x2044:
      return WB_MN;
    }
    if (c >= 0x2010 && c <= 0x2026)
      return WB_O;
    if (c >= 0x2030 && c <= 0x203E)
      return WB_O;
    return WB_UNK;
  }
  if (c == 0x20AC)
    return WB_O;
  if (c == 0x3000)
    return WB_SP;
  return WB_UNK;
}

static inline int wb_class(UChar c) {
  return c < 0x100 ? wb_latin1[c] : wb_class_slow(c);
}

/* Do a and b (letters or digits) join across a middle character m? */
static bool wb_joins(int a, int m, int b) {
  if (a == WB_L && b == WB_L)
    return m == WB_ML || m == WB_MNL;
  if (a == WB_N && b == WB_N)
    return m == WB_MN || m == WB_MNL;
  return false;
}

static int wb_at(const UChar *u, int32_t n, int32_t i) {
  return i < n ? wb_class(u[i]) : WB_SP; /* the end cuts like a space */
}

/* The first position from i on (< n) whose unit is not an ASCII letter or
 * digit or a Latin-1 letter from U+00C0 (all WB_L or WB_N), eight units
 * at a time; the scalar loop below decides the unit it stops at. Words run
 * five or six units, so a word's end is mostly found by one step. */
static inline int32_t skip_alnum(const UChar *u, int32_t n, int32_t i,
                                 bool *space) {
#if defined(__SSE2__)
  /* x in [lo, lo + w] is (x - lo) -sat w == 0, unsigned 16-bit. c | 0x20
   * folds A-Z onto a-z and U+00C0-U+00DF onto U+00E0-U+00FF; × and ÷
   * (U+00D7, U+00F7) both fold to U+00F7. */
  const __m128i bit5 = _mm_set1_epi16(0x20), zero = _mm_setzero_si128();
  for (; i + 8 <= n; i += 8) {
    __m128i c = _mm_loadu_si128((const __m128i *)(u + i));
    __m128i l = _mm_or_si128(c, bit5);
    __m128i az = _mm_subs_epu16(_mm_sub_epi16(l, _mm_set1_epi16('a')),
                                _mm_set1_epi16(25));
    __m128i d = _mm_subs_epu16(_mm_sub_epi16(c, _mm_set1_epi16('0')),
                               _mm_set1_epi16(9));
    __m128i lat = _mm_subs_epu16(_mm_sub_epi16(l, _mm_set1_epi16(0xE0)),
                                 _mm_set1_epi16(0x1F));
    __m128i ok16 = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi16(az, zero), _mm_cmpeq_epi16(d, zero)),
        _mm_andnot_si128(_mm_cmpeq_epi16(l, _mm_set1_epi16(0xF7)),
                         _mm_cmpeq_epi16(lat, zero)));
    unsigned ok = (unsigned)_mm_movemask_epi8(ok16);
    if (ok != 0xFFFF) {
      /* Most words end at a U+0020: said from the same load, so the
       * caller need not load that unit and its class before it answers. */
      unsigned k = (unsigned)__builtin_ctz(~ok);
      unsigned sp =
          (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi16(c, _mm_set1_epi16(' ')));
      *space = (sp >> k) & 1;
      return i + (int32_t)k / 2;
    }
  }
#else
  (void)u;
  (void)n;
#endif
  *space = false;
  return i;
}

int32_t tram__wordbreak_next(const UChar *u, int32_t n, int32_t a) {
  int k = wb_class(u[a]);
  if (k == WB_UNK || k == WB_SP)
    return -1;
  if (k != WB_L && k != WB_N) {
    /* One character; a middle one might sit inside a word (a.b). */
    int next = wb_at(u, n, a + 1);
    if (next == WB_UNK)
      return -1;
    if (k != WB_O) {
      int prev = a > 0 ? wb_class(u[a - 1]) : WB_SP;
      if (prev == WB_UNK || wb_joins(prev, k, next))
        return -1;
    }
    return a + 1;
  }
  int32_t i = a + 1;
  for (;;) {
    bool space;
    i = skip_alnum(u, n, i, &space);
    if (space)
      return i; /* U+0020 is WB_SP */
    if (i >= n)
      return n;
    int c = wb_class(u[i]);
    if (c == WB_L || c == WB_N) {
      i++;
      continue;
    }
    if (c == WB_SP || c == WB_O)
      return i;
    if (c == WB_UNK)
      return -1;
    /* A middle character: joins only between the right neighbours. */
    int next = wb_at(u, n, i + 1);
    if (next == WB_UNK)
      return -1;
    /* (u[i - 1] is a letter or a digit: the loop passed it) */
    if (!wb_joins(wb_class(u[i - 1]), c, next))
      return i;
    i += 2;
  }
}
