/*
 * front.h — the front of the word cache, one table per analyzer shared by
 * the tokenizer (tokenize.c) and the normaliser (normalize.c).
 *
 * An entry is keyed by a token's surface as UTF-16 units and its language
 * and says what both stages know of it: the tokenizer's "plain" mark (the
 * surface was one token of one word whatever its context: no apostrophe or
 * hyphen, not in `contractions`, no enclitic pronoun; it depends on the
 * language's tables only), then the normaliser's norm, stop flag and stem,
 * all in one cache line. A plain word found by the tokenizer whose norm is
 * known gets its norm, stem and stop flag there and then (front_fill), so
 * the normaliser passes over it without hashing or reading the table
 * again: one look-up per token instead of two (both stall on a cache miss
 * when the table is read at random). Only values that depend on the
 * surface and language alone are held; everything that depends on the
 * token (its kind, elided or clitic, the analyzer's options) is decided by
 * the caller of front_fill.
 *
 * Two ways per set, the last used first: a word of middling frequency is
 * not evicted by any one other word. Bench corpus: two ways of 16,384
 * entries held 95% of the tokens.
 */
#ifndef TRAM_FRONT_H
#define TRAM_FRONT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unicode/utypes.h>

#include "bump.h"
#include "tramuntana.h"

#define TRAM_FRONT_SETS 16384 /* a power of two */
#define TRAM_FRONT_WAYS 2
#define TRAM_FRONT_DATA 53 /* bytes of surface (UTF-16), norm and stem */
#define TRAM_FRONT_KEY_MAX (TRAM_FRONT_DATA / 2) /* surface units held */

#define TRAM_FRONT_PLAIN 1      /* the tokenizer's mark (see above) */
#define TRAM_FRONT_NORM 2       /* norm and stop flag are known */
#define TRAM_FRONT_STOP 4       /* the stop flag */
#define TRAM_FRONT_NORM_SAME 8  /* the norm is the surface (its UTF-8) */
#define TRAM_FRONT_HAS_STEM 16  /* the stem is known (asked for once) */
#define TRAM_FRONT_STEM_SAME 32 /* the stem is the norm */
/* the stem is at data + stem_at (else it begins the norm) */
#define TRAM_FRONT_STEM_OWN 64
/* The tokenizer's other mark: the surface is one token of the syntactic
 * words held at the end of data (tram__front_words), whatever its context
 * (a contraction such as du or del with no `contraction_ctx` entry). */
#define TRAM_FRONT_WORDS 128

typedef struct tram_front_entry {
  uint32_t check;  /* high half of the surface's tram__hash_short */
  unsigned char n; /* surface length in UTF-16 units; 0: empty */
  unsigned char lang;
  unsigned char bits; /* TRAM_FRONT_* */
  unsigned char norm_n;
  unsigned char stem_n;
  unsigned char stem_at;
  unsigned char words_n;      /* with WORDS: bytes of the words, NUL included */
  char data[TRAM_FRONT_DATA]; /* surface, norm unless NORM_SAME, stem if
                               * STEM_OWN; the words last if WORDS */
} tram_front_entry;
_Static_assert(sizeof(tram_front_entry) == 64, "one cache line per entry");

/* The first way of the set of hash h. */
static inline tram_front_entry *tram__front_set(tram_front_entry *front,
                                                uint64_t h) {
  return &front[(h & (TRAM_FRONT_SETS - 1)) * TRAM_FRONT_WAYS];
}

/* Is a[0..nb) == b[0..nb)? Inline up to 32 bytes (16 units), the surfaces
 * most tokens have (always: the compiler made it a call per token). */
__attribute__((always_inline)) static inline bool
tram__front_same(const void *a, const void *b, size_t nb) {
  if (nb <= 16)
    return tram__same_short(a, b, nb);
  if (nb <= 32)
    return tram__same_short(a, b, 16) &&
           tram__same_short((const char *)a + nb - 16,
                            (const char *)b + nb - 16, 16);
  return memcmp(a, b, nb) == 0;
}

__attribute__((always_inline)) static inline bool
tram__front_is(const tram_front_entry *fe, uint32_t check, const UChar *u,
               size_t n, int lang) {
  return fe->n == n && fe->check == check && fe->lang == (unsigned char)lang &&
         tram__front_same(fe->data, u, n * sizeof(UChar));
}

/* The entry of surface u[0..n) (n <= TRAM_FRONT_KEY_MAX) in `set`, moved to
 * the first way; NULL if it is not there. */
__attribute__((always_inline)) static inline tram_front_entry *
tram__front_find(tram_front_entry *set, uint32_t check, const UChar *u,
                 size_t n, int lang) {
  if (tram__front_is(&set[0], check, u, n, lang))
    return &set[0];
  if (!tram__front_is(&set[1], check, u, n, lang))
    return NULL;
  tram_front_entry e = set[1];
  set[1] = set[0];
  set[0] = e;
  return &set[0];
}

/* Makes the first way of `set` the entry of surface u[0..n) (the entry
 * there moves to the other way) with no more than the given bits. */
static inline tram_front_entry *tram__front_new(tram_front_entry *set,
                                                uint32_t check, const UChar *u,
                                                size_t n, int lang,
                                                unsigned bits) {
  set[1] = set[0];
  tram_front_entry *fe = &set[0];
  fe->check = check;
  fe->n = (unsigned char)n;
  fe->lang = (unsigned char)lang;
  fe->bits = (unsigned char)bits;
  fe->words_n = 0;
  memcpy(fe->data, u, n * sizeof(UChar));
  return fe;
}

/* The words of an entry with TRAM_FRONT_WORDS, NUL-terminated. */
static inline const char *tram__front_words(const tram_front_entry *fe) {
  return fe->data + TRAM_FRONT_DATA - fe->words_n;
}

/* The bytes of data the surface, norm and stem may take. */
static inline size_t tram__front_room(const tram_front_entry *fe) {
  return TRAM_FRONT_DATA - (fe->bits & TRAM_FRONT_WORDS ? fe->words_n : 0);
}

/* Sets t's stop flag, norm and stem from an entry whose norm is known
 * (and its stem, when want_stem). t->text must be the UTF-8 of the
 * surface (the token is not TRAM_TOKEN_REPLACED). closed_stem: the stem
 * is the norm (elided forms, clitics). TRAM_ENOMEM or TRAM_OK. */
static inline int tram__front_fill(const tram_front_entry *fe, tram_token *t,
                                   tram_bump *bump, tram_arena *strings,
                                   bool closed_stem, bool want_stem) {
  unsigned bits = fe->bits;
  if (bits & TRAM_FRONT_STOP)
    t->flags |= TRAM_TOKEN_STOP;
  const char *src = fe->data + fe->n * sizeof(UChar); /* the norm */
  const char *norm = t->text;
  if (bits & TRAM_FRONT_NORM_SAME)
    src = t->text;
  else if (!(norm = tram__bump_strndup(bump, strings, src, fe->norm_n)))
    return TRAM_ENOMEM;
  t->norm = norm;
  if (closed_stem) {
    t->stem = norm;
  } else if (want_stem) {
    if (bits & TRAM_FRONT_STEM_SAME)
      t->stem = norm;
    else if (!(t->stem = tram__bump_strndup(
                   bump, strings,
                   bits & TRAM_FRONT_STEM_OWN ? fe->data + fe->stem_at : src,
                   fe->stem_n)))
      return TRAM_ENOMEM;
  }
  return TRAM_OK;
}

#endif
