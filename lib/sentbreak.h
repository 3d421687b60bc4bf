/*
 * sentbreak.h — ICU's sentence boundaries (UAX #29 with ICU's root rules)
 * for Latin text without a call into ICU; see sentbreak.c.
 */
#ifndef TRAM_SENTBREAK_H
#define TRAM_SENTBREAK_H

#include <stdint.h>
#include <unicode/ubrk.h>
#include <unicode/utypes.h>

/* The first sentence boundary after position p of u[0..n) (0 <= p < n),
 * as ubrk_following(p) of ICU's root sentence iterator gives it, when p is
 * itself a boundary (0 or a previous answer); -1 where only ICU can tell
 * (characters outside the classes of sentbreak.c: other scripts, combining
 * marks and format characters next to a sentence end, ...). */
int32_t tram__sentbreak_next(const UChar *u, int32_t n, int32_t p);

/* An iterator that walks the boundaries of a text like ubrk_next, asking
 * the ICU iterator `bi` (ubrk_setText done on the same text) only where
 * tram__sentbreak_next cannot tell. */
typedef struct tram_sentbreak {
  UBreakIterator *bi;
  const UChar *u;
  int32_t n, pos;
} tram_sentbreak;

void tram__sentbreak_init(tram_sentbreak *it, UBreakIterator *bi,
                          const UChar *u, int32_t n);
/* The next boundary (n last), then UBRK_DONE. */
int32_t tram__sentbreak_iter_next(tram_sentbreak *it);

#endif
