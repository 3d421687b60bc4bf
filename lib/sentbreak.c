/*
 * sentbreak.c — ICU's sentence boundaries for Latin text, without ICU.
 *
 * The segmenter's first cut (lib/segment.c) is ICU's root sentence break
 * iterator (UAX #29, "Unicode Text Segmentation", rules SB1–SB11 as ICU's
 * sent.txt writes them). Running ICU's rule machine over every character
 * of the text cost about as much as the tokeniser's whole word-break pass,
 * yet in French, Spanish and Catalan prose a boundary can only follow a
 * period, "?" / "!" or a line or paragraph end. The rules are restated
 * here on the Sentence_Break classes of the characters (SB3–SB11):
 *
 *   SB3/4   CR × LF; a boundary after a line or paragraph separator;
 *   SB6     ATerm × Numeric                          (3.5, "p.2");
 *   SB7     (Upper | Lower) ATerm × Upper            ("U.S.A");
 *   SB8     ATerm Close* Sp* × (¬(OLetter | Upper | Lower | ParaSep |
 *           SATerm))* Lower                          ("etc. i la");
 *   SB8a    SATerm Close* Sp* × (SContinue | SATerm) ("?, va dir");
 *   SB9–11  SATerm Close* Sp* ParaSep? ÷             (". » Ell");
 *   SB998   no boundary anywhere else.
 *
 * So the scan runs through everything else sixteen units at a time (SSE2;
 * one table load per code unit without it) and looks around each terminator a
 * bounded distance (SB8's look-ahead stops at the next letter or terminator, so
 * no character is read more than twice: linear time). The classes of
 * U+0000..U+024F and of General Punctuation (U+2000..U+206F) are ICU's own
 * values of the Sentence_Break property (u_getIntPropertyValue(c,
 * UCHAR_SENTENCE_BREAK), ICU 72), copied into the tables below; other BMP
 * characters get theirs from ICU's property look-up (the rules are the same for
 * every script). Whenever a supplementary character (a surrogate pair) could
 * take part in the decision, or an Extend or Format character (SB5: it takes
 * the class of the character before it) sits at a terminator, the function
 * answers -1 and the caller asks ICU's iterator (ubrk_following), as
 * lib/wordbreak.c does for words.
 * tests/unit/test_sentbreak.c checks the tables against ICU's property and
 * the boundaries against ICU's iterator: every string of up to five
 * characters over a mixed alphabet, random strings, and real UD text.
 *
 * Takes UTF-16 text and a boundary; gives the next boundary. No state
 * beyond the iterator the caller holds.
 */
#include <stdbool.h>
#include <unicode/uchar.h>

#include "scan16.h"
#include "sentbreak.h"

/* Not in the tables: ask ICU. The other values are ICU's USentenceBreak. */
#define SB_UNK 15

/* Sentence_Break of U+0000..U+024F and U+2000..U+206F (ICU 72). */
static const unsigned char sb_latin[592] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  13, 8,  8,  11, 0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  8,  9,  2,  0,  0,  0,
    0,  2,  2,  2,  0,  0,  14, 14, 1,  0,  5,  5,  5,  5,  5,  5,  5,  5,  5,
    5,  14, 0,  0,  0,  0,  9,  0,  10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 2,  0,  2,  0,
    0,  0,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  2,  0,  2,  0,  0,  0,  0,  0,  0,  0,
    7,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  8,  0,  0,  0,  0,  0,  0,  0,  0,  0,  4,
    2,  0,  3,  0,  0,  0,  0,  0,  0,  0,  4,  0,  0,  0,  0,  4,  2,  0,  0,
    0,  0,  10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
    10, 10, 10, 10, 10, 10, 0,  10, 10, 10, 10, 10, 10, 10, 4,  4,  4,  4,  4,
    4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,  4,
    0,  4,  4,  4,  4,  4,  4,  4,  4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10,
    4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  10, 4,  10, 4,  10, 4,  4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  10, 4,  10, 4,  4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10,
    4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 10, 4,  10,
    4,  10, 4,  4,  4,  10, 10, 4,  10, 4,  10, 10, 4,  10, 10, 10, 4,  4,  10,
    10, 10, 10, 4,  10, 10, 4,  10, 10, 10, 4,  4,  4,  10, 10, 4,  10, 10, 4,
    10, 4,  10, 4,  10, 10, 4,  10, 4,  4,  10, 4,  10, 10, 4,  10, 10, 10, 4,
    10, 4,  10, 10, 4,  4,  6,  10, 4,  4,  4,  6,  6,  6,  6,  10, 10, 4,  10,
    10, 4,  10, 10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  4,  10, 10, 4,  10, 4,  10, 10, 10, 4,  10, 4,  10, 4,  10, 4,  10,
    4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,
    10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10,
    4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  10, 4,  4,  4,  4,  4,  4,  4,
    10, 10, 4,  10, 10, 4,  4,  10, 4,  10, 10, 10, 10, 4,  10, 4,  10, 4,  10,
    4,  10, 4,
};
static const unsigned char sb_punct[112] = {
    8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 3, 12, 12, 3, 3, 0, 0, 0, 14, 14, 0, 0,
    0, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0,  1,  0, 0, 0, 7, 7, 3,  3,  3, 3,
    3, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2,  0,  9, 9, 0, 0, 0, 0,  0,  0, 0,
    2, 2, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0,  0,  0, 0, 0, 0, 0, 0,  0,  0, 0,
    0, 0, 0, 8, 3, 3, 3, 3, 3, 0, 3, 3, 3,  3,  3, 3, 3, 3, 3, 3,
};

static inline int sb_class(UChar c) {
  if (c < 0x250)
    return sb_latin[c];
  if (c >= 0x2000 && c < 0x2070)
    return sb_punct[c - 0x2000];
  if (U16_IS_SURROGATE(c))
    return SB_UNK; /* a supplementary character: ICU decides */
  return u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
}

/* Classes the plain scan passes over: nothing ends there. Extend and Format
 * join the character before them (SB5), which is itself one of these or
 * the start of a segment. */
#define SB_BIT(k) (1u << (k))
#define SB_PLAIN                                                               \
  (SB_BIT(U_SB_OTHER) | SB_BIT(U_SB_CLOSE) | SB_BIT(U_SB_FORMAT) |             \
   SB_BIT(U_SB_LOWER) | SB_BIT(U_SB_NUMERIC) | SB_BIT(U_SB_OLETTER) |          \
   SB_BIT(U_SB_SP) | SB_BIT(U_SB_UPPER) | SB_BIT(U_SB_EXTEND) |                \
   SB_BIT(U_SB_SCONTINUE))
static inline bool sb_plain(UChar c) { return (SB_PLAIN >> sb_class(c)) & 1; }

/* The first position at or after i whose character is not plain, or n.
 * Sixteen units a step (SSE2) while none can be: below U+0250 only LF,
 * CR, '!', '.', '?' and NEL are not plain, and U+2010..U+2023 (dashes,
 * quotes) all are; any other unit from U+0200 up is looked at. */
static int32_t skip_plain(const UChar *u, int32_t n, int32_t i) {
  while (i < n) {
#if defined(__SSE2__)
    if (i + 16 <= n) {
      __m128i b, h;
      tram__load16(u + i, &b, &h);
      __m128i latin = _mm_cmpeq_epi8(h, _mm_setzero_si128());
      __m128i mark = _mm_or_si128(
          _mm_or_si128(_mm_or_si128(tram__eq8(b, '\n'), tram__eq8(b, '\r')),
                       _mm_or_si128(tram__eq8(b, '!'), tram__eq8(b, '.'))),
          _mm_or_si128(tram__eq8(b, '?'), tram__eq8(b, 0x85)));
      __m128i other = _mm_andnot_si128(
          _mm_and_si128(tram__eq8(h, 0x20), tram__in8(b, 0x10, 0x23)),
          tram__above8(h, 1));
      unsigned m = tram__mask8(_mm_or_si128(_mm_and_si128(latin, mark), other));
      if (!m) {
        i += 16;
        continue;
      }
      i += (int32_t)__builtin_ctz(m);
    }
#endif
    if (!sb_plain(u[i]))
      return i;
    i++;
  }
  return n;
}

/* Classes that end SB8's look-ahead. */
#define SB_STOP8                                                               \
  (SB_BIT(U_SB_OLETTER) | SB_BIT(U_SB_UPPER) | SB_BIT(U_SB_LOWER) |            \
   SB_BIT(U_SB_SEP) | SB_BIT(U_SB_CR) | SB_BIT(U_SB_LF) | SB_BIT(U_SB_ATERM) | \
   SB_BIT(U_SB_STERM))
/* Extend, Format and unknown characters: ICU decides. */
#define SB_ASK (SB_BIT(U_SB_FORMAT) | SB_BIT(U_SB_EXTEND) | SB_BIT(SB_UNK))

/* The boundary after the paragraph separator at i. */
static inline int32_t after_sep(const UChar *u, int32_t n, int32_t i) {
  return u[i] == '\r' && i + 1 < n && u[i + 1] == '\n' ? i + 2 : i + 1;
}

/* The terminator at t: returns the boundary that follows it, -1 for ICU,
 * or 0 with *cont where the scan goes on (no boundary). */
static int32_t after_term(const UChar *u, int32_t n, int32_t t, int32_t *cont) {
  bool aterm = sb_class(u[t]) == U_SB_ATERM;
  int32_t j = t + 1;
  if (j >= n)
    return n;
  int c = sb_class(u[j]);
  if (SB_BIT(c) & SB_ASK)
    return -1;
  if (aterm && c == U_SB_NUMERIC) { /* SB6 */
    *cont = j;
    return 0;
  }
  if (aterm && c == U_SB_UPPER && t > 0) { /* SB7 */
    int p = sb_class(u[t - 1]);
    if (SB_BIT(p) & SB_ASK)
      return -1;
    if (p == U_SB_UPPER || p == U_SB_LOWER) {
      *cont = j;
      return 0;
    }
  }
  while (j < n && sb_class(u[j]) == U_SB_CLOSE)
    j++;
  while (j < n && sb_class(u[j]) == U_SB_SP)
    j++;
  if (j >= n)
    return n;
  c = sb_class(u[j]);
  if (SB_BIT(c) & SB_ASK)
    return -1;
  if (c == U_SB_SEP || c == U_SB_CR || c == U_SB_LF) /* SB9–11 */
    return after_sep(u, n, j);
  if (c == U_SB_SCONTINUE || c == U_SB_ATERM || c == U_SB_STERM) { /* SB8a */
    *cont = j;
    return 0;
  }
  if (aterm) { /* SB8: a lower-case letter before any other letter */
    int32_t m = j;
    int k = c;
    while (!(SB_BIT(k) & SB_STOP8)) {
      if (SB_BIT(k) & SB_ASK)
        return -1;
      if (++m >= n)
        break;
      k = sb_class(u[m]);
    }
    if (m < n && k == U_SB_LOWER) {
      *cont = m;
      return 0;
    }
  }
  return j; /* SB11 */
}

int32_t tram__sentbreak_next(const UChar *u, int32_t n, int32_t p) {
  int32_t i = p;
  for (;;) {
    i = skip_plain(u, n, i);
    if (i >= n)
      return n;
    int c = sb_class(u[i]);
    if (c == SB_UNK)
      return -1;
    if (c == U_SB_SEP || c == U_SB_CR || c == U_SB_LF) /* SB4 */
      return after_sep(u, n, i);
    int32_t cont = i + 1;
    int32_t b = after_term(u, n, i, &cont);
    if (b != 0)
      return b;
    i = cont;
  }
}

void tram__sentbreak_init(tram_sentbreak *it, UBreakIterator *bi,
                          const UChar *u, int32_t n) {
  it->bi = bi;
  it->u = u;
  it->n = n;
  it->pos = 0;
}

int32_t tram__sentbreak_iter_next(tram_sentbreak *it) {
  if (it->pos >= it->n)
    return UBRK_DONE;
  int32_t b = tram__sentbreak_next(it->u, it->n, it->pos);
  if (b < 0) {
    b = ubrk_following(it->bi, it->pos);
    if (b == UBRK_DONE)
      b = it->n;
  }
  it->pos = b;
  return b;
}
