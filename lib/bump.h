/*
 * bump.h — many short strings copied into a doc's arena, cheaply.
 *
 * A doc holds a NUL-terminated copy of every token's surface, norm and
 * stem: two or three strings of a few bytes per token. Asking the arena
 * for each one (tram__arena_alloc rounds every request up to 16 bytes) and
 * calling memcpy for five bytes cost more than the rest of making a token.
 * Here a stage takes a chunk of the arena at a time and hands out its
 * bytes in order, and strings up to 16 bytes are copied with a few fixed
 * loads and stores (overlapping when the length is not a power of two).
 * A string that does not fit in the chunk's rest starts a new chunk (the
 * rest is left unused: at most a long token's size per chunk); strings
 * over a quarter of a chunk go to the arena directly. Pointers stay valid
 * as long as the arena.
 */
#ifndef TRAM_BUMP_H
#define TRAM_BUMP_H

#include <stdint.h>
#include <string.h>

#include "util/util.h"

#define TRAM_BUMP_CHUNK 4096

typedef struct tram_bump {
  char *p, *end; /* the free rest of the current chunk */
} tram_bump;

/* Copies s[0..n) and writes n bytes; n <= 16 with fixed-size moves. */
static inline void tram__copy_short(char *d, const char *s, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    memcpy(d, &a, 8);
    memcpy(d + n - 8, &b, 8);
  } else if (n >= 4 && n < 8) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    memcpy(d, &a, 4);
    memcpy(d + n - 4, &b, 4);
  } else if (n > 16) {
    memcpy(d, s, n);
  } else if (n > 0) { /* 1 to 3 */
    char first = s[0], mid = s[n / 2], last = s[n - 1];
    d[0] = first;
    d[n / 2] = mid;
    d[n - 1] = last;
  }
}

/* A NUL-terminated copy of s[0..n) in arena `a`, or NULL on ENOMEM. */
static inline char *tram__bump_strndup(tram_bump *b, tram_arena *a,
                                       const char *s, size_t n) {
  if ((size_t)(b->end - b->p) <= n) {
    if (n >= TRAM_BUMP_CHUNK / 4)
      return tram__arena_strndup(a, s, n);
    char *c = tram__arena_alloc(a, TRAM_BUMP_CHUNK);
    if (!c)
      return NULL;
    b->p = c;
    b->end = c + TRAM_BUMP_CHUNK;
  }
  char *d = b->p;
  tram__copy_short(d, s, n);
  d[n] = 0;
  b->p += n + 1;
  return d;
}

#endif
