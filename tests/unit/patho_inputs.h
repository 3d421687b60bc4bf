/*
 * patho_inputs.h — the pathological inputs of the reliability checks, made
 * to any size: shared by tests/unit/test_pathological.c (about 1 MB, with a
 * linear-time check) and bench/patho_bench.c (10 MB, time per MB against
 * ordinary prose). Header-only (static functions); deterministic.
 *
 * Each generator fills exactly `n` bytes of valid or deliberately invalid
 * UTF-8, repeating a unit and cutting at the end on a character boundary
 * (binary garbage excepted).
 */
#ifndef TRAM_PATHO_INPUTS_H
#define TRAM_PATHO_INPUTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct patho_input {
  const char *name;
  const char *unit; /* repeated; NULL for a generated one */
} patho_input;

/* "prose" must stay first: the others are compared with it. */
static const patho_input patho_inputs[] = {
    {"prose", NULL}, /* the bundled article, repeated */
    {"no-space", "L'Eurorègió,aujourd'hui;col·lecció.dímelo-li!"},
    {"l-apos", "l'"},
    {"hyphens", "-"},
    {"apostrophes", "'\xe2\x80\x99"},
    {"middle-dots", "\xc2\xb7"},
    {"l-dot-l", "l\xc2\xb7l"},
    {"combining", NULL}, /* e + alternating U+0301 / U+0323, no base again */
    {"one-token", "a"},
    {"same-org", "La Generalitat de Catalunya ha signat amb la Generalitat "
                 "de Catalunya. "},
    {"binary", NULL}, /* pseudo-random bytes */
    {"punctuation", "!?.,;:()[]\xc2\xab\xc2\xbb\xe2\x80\xa6-\"'/"},
};
#define PATHO_COUNT (sizeof patho_inputs / sizeof patho_inputs[0])

/* Length of the UTF-8 sequence led by byte c (1 for a stray byte). */
static size_t patho__seqlen(unsigned char c) {
  return c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* Fills buf[0..n) with input i; `prose` (may be NULL for others) is the
 * text repeated for input 0. Returns n, or the shorter length actually
 * filled (cut on a character boundary), the rest being NUL-free spaces. */
static size_t patho_fill(size_t i, char *buf, size_t n, const char *prose,
                         size_t prose_len) {
  const patho_input *p = &patho_inputs[i];
  if (strcmp(p->name, "binary") == 0) {
    uint64_t x = 88172645463325252ULL;
    for (size_t k = 0; k < n; k++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      buf[k] = (char)(x >> 24);
    }
    return n;
  }
  if (strcmp(p->name, "combining") == 0) {
    if (n == 0)
      return 0;
    buf[0] = 'e';
    size_t k = 1;
    for (int alt = 0; k + 2 <= n; alt ^= 1, k += 2) {
      buf[k] = (char)0xCC;
      buf[k + 1] = (char)(alt ? 0xA3 : 0x81); /* U+0323 / U+0301 */
    }
    if (k < n)
      buf[k++] = ' ';
    return k;
  }
  const char *u = p->unit ? p->unit : prose;
  size_t ul = p->unit ? strlen(p->unit) : prose_len;
  size_t k = 0;
  while (k < n) {
    size_t take = ul < n - k ? ul : n - k;
    memcpy(buf + k, u, take);
    k += take;
  }
  /* Cut a character split by the end into spaces. */
  size_t c = n;
  while (c > 0 && ((unsigned char)buf[c - 1] & 0xC0) == 0x80)
    c--;
  if (c > 0 && patho__seqlen((unsigned char)buf[c - 1]) > n - (c - 1))
    memset(buf + c - 1, ' ', n - (c - 1));
  return n;
}

#endif
