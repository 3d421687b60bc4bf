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

#include <stdbool.h>
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

/* Is s[0..n) == t[0..n)? Inline for short strings (a call to memcmp per
 * token cost more than the comparison): up to 16 bytes with two
 * overlapping loads of each, as tram__copy_short copies them. */
static inline bool tram__same_short(const void *s, const void *t, size_t n) {
  const char *a = s, *b = t;
  if (n > 16)
    return memcmp(a, b, n) == 0;
  if (n >= 8) {
    uint64_t x0, x1, y0, y1;
    memcpy(&x0, a, 8);
    memcpy(&y0, b, 8);
    memcpy(&x1, a + n - 8, 8);
    memcpy(&y1, b + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4) {
    uint32_t x0, x1, y0, y1;
    memcpy(&x0, a, 4);
    memcpy(&y0, b, 4);
    memcpy(&x1, a + n - 4, 4);
    memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  return n == 0 ||
         (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

/* A hash of s[0..n) for the small direct-mapped caches of short words:
 * the first and last eight (or four) bytes, overlapping, mixed with n; no
 * loop over the bytes (the caches compare keys, so a collision costs a
 * miss at worst). */
static inline uint64_t tram__hash_short(const void *p, size_t n) {
  const char *s = p;
  uint64_t a, b;
  if (n >= 8) {
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
  } else if (n >= 4) {
    uint32_t x, y;
    memcpy(&x, s, 4);
    memcpy(&y, s + n - 4, 4);
    a = x;
    b = y;
  } else {
    a = n ? (unsigned char)s[0] | (unsigned)(unsigned char)s[n / 2] << 8 |
                (unsigned)(unsigned char)s[n - 1] << 16
          : 0;
    b = 0;
  }
  uint64_t h = (a ^ n) * 0x9E3779B97F4A7C15ULL;
  h ^= (b + (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
  return h ^ (h >> 32);
}

#endif
