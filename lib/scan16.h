/*
 * scan16.h — sixteen UTF-16 units at a time with SSE2, for the scans of
 * the sentence segmenter (segment.c, sentbreak.c): the units are split
 * into their low and high bytes, and byte compares give one mask bit a
 * unit. SSE2 compares bytes as signed; the helpers below compare them as
 * unsigned. Without SSE2 the callers take their unit-at-a-time loops.
 * tests/unit/test_segment.c checks tram__skip16 and the segmenter's scan,
 * test_sentbreak.c the sentence-break scan (against ICU).
 */
#ifndef TRAM_SCAN16_H
#define TRAM_SCAN16_H

#include <stdbool.h>
#include <unicode/utypes.h>
#if defined(__SSE2__)
#include <emmintrin.h>

static inline __m128i tram__k8(int c) { return _mm_set1_epi8((char)c); }

/* b == c */
static inline __m128i tram__eq8(__m128i b, int c) {
  return _mm_cmpeq_epi8(b, tram__k8(c));
}

/* b > c, unsigned */
static inline __m128i tram__above8(__m128i b, int c) {
  return _mm_cmpgt_epi8(_mm_xor_si128(b, tram__k8(0x80)), tram__k8(c ^ 0x80));
}

/* b < c, unsigned */
static inline __m128i tram__below8(__m128i b, int c) {
  return _mm_cmplt_epi8(_mm_xor_si128(b, tram__k8(0x80)), tram__k8(c ^ 0x80));
}

/* lo <= b <= hi, unsigned */
static inline __m128i tram__in8(__m128i b, int lo, int hi) {
  return _mm_cmplt_epi8(_mm_add_epi8(b, tram__k8(0x80 - lo)),
                        tram__k8(hi - lo + 1 - 0x80));
}

/* The low bytes (*lo) and high bytes (*hi) of u[0..16). */
static inline void tram__load16(const UChar *u, __m128i *lo, __m128i *hi) {
  __m128i x0 = _mm_loadu_si128((const __m128i *)u);
  __m128i x1 = _mm_loadu_si128((const __m128i *)(u + 8));
  __m128i low = _mm_set1_epi16(0xFF);
  *lo = _mm_packus_epi16(_mm_and_si128(x0, low), _mm_and_si128(x1, low));
  *hi = _mm_packus_epi16(_mm_srli_epi16(x0, 8), _mm_srli_epi16(x1, 8));
}

/* One bit a unit. */
static inline unsigned tram__mask8(__m128i m) {
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Steps over u[i..n) sixteen units at a time while none is a or b (units
 * below U+0100) nor, when `high`, a unit from U+2000 up but the dashes
 * and quotes of U+2010..U+2027 (U+2028 and U+2029 end lines and
 * paragraphs). Returns the first position that may hold one, or where
 * fewer than sixteen units remain (i without SSE2): the caller looks at
 * the units from there on one at a time. */
static inline int32_t tram__skip16(const UChar *u, int32_t i, int32_t n, int a,
                                   int b, bool high) {
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    __m128i lo, hi;
    tram__load16(u + i, &lo, &hi);
    __m128i m = _mm_and_si128(_mm_cmpeq_epi8(hi, _mm_setzero_si128()),
                              _mm_or_si128(tram__eq8(lo, a), tram__eq8(lo, b)));
    if (high)
      m = _mm_or_si128(
          m, _mm_andnot_si128(
                 _mm_and_si128(tram__eq8(hi, 0x20), tram__in8(lo, 0x10, 0x27)),
                 tram__above8(hi, 0x1F)));
    unsigned k = tram__mask8(m);
    if (k)
      return i + (int32_t)__builtin_ctz(k);
  }
#else
  (void)u, (void)n, (void)a, (void)b, (void)high;
#endif
  return i;
}

#endif
