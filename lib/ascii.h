/*
 * ascii.h — ICU's character classes with the ASCII answers inline, for the
 * segmenter (segment.c) and the tokeniser (tokenize.c): the checks run at
 * every capitalised word, sentence end and token, and most units of
 * French, Spanish and Catalan text are ASCII. The answers are ICU's (its
 * data for U+0000..U+007F is the C locale's). Pure functions: thread-safe.
 */
#ifndef TRAM_ASCII_H
#define TRAM_ASCII_H

#include <stdbool.h>
#include <unicode/uchar.h>

static inline bool tram__is_upper(UChar32 c) {
  return c < 0x80 ? c >= 'A' && c <= 'Z' : u_isupper(c);
}
static inline bool tram__is_lower(UChar32 c) {
  return c < 0x80 ? c >= 'a' && c <= 'z' : u_islower(c);
}
static inline bool tram__is_alpha(UChar32 c) {
  return c < 0x80 ? (c | 32) >= 'a' && (c | 32) <= 'z' : u_isalpha(c);
}
static inline bool tram__is_digit(UChar32 c) {
  return c < 0x80 ? c >= '0' && c <= '9' : u_isdigit(c);
}
static inline bool tram__is_alnum(UChar32 c) {
  return c < 0x80 ? tram__is_alpha(c) || tram__is_digit(c) : u_isalnum(c);
}

/* White space, ICU's and for U+FEFF and U+200B; the code runs on every
 * unit of the text, so ASCII and the Latin letters below U+1680 (where
 * only U+0085 and U+00A0 are spaces) never reach ICU. */
static inline bool tram__is_space(UChar32 c) {
  if (c < 0x80)
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0;
  if (c < 0x1680)
    return c == 0x85 || c == 0xA0;
  return u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

#endif
