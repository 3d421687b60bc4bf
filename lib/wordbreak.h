/*
 * wordbreak.h — ICU's word boundaries (UAX #29 with ICU's root rules) for
 * Latin text without a call into ICU; see wordbreak.c.
 */
#ifndef TRAM_WORDBREAK_H
#define TRAM_WORDBREAK_H

#include <stdint.h>
#include <unicode/utypes.h>

/* The first word boundary after u[a] in u[0..n), as ubrk_following(a)
 * gives it, or an earlier position p whose u[p] is white space with no
 * white space in u[a..p) (callers cut a segment at its first white space,
 * so both give the same cut); -1 where only ICU can tell (characters
 * outside the small classes below: combining marks, format characters,
 * non-Latin scripts, emoji, '_', ...). u[a] must not be white space. */
int32_t tram__wordbreak_next(const UChar *u, int32_t n, int32_t a);

#endif
