/*
 * util.h — small, boring helpers shared by every stage: allocation (with a
 * failure-injection hook for tests), growable vectors, a string arena with
 * stable pointers, a byte buffer, a string hash map, UTF-8 helpers, CRC-32.
 */
#ifndef TRAM_UTIL_H
#define TRAM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TRAM_INTERNAL __attribute__((visibility("hidden")))

/* ---- allocation: every library allocation goes through these. */
void *tram__malloc(size_t n);
void *tram__calloc(size_t count, size_t size);
void *tram__realloc(void *p, size_t n);
void tram__free(void *p);
char *tram__strndup(const char *s, size_t n);
char *tram__strdup(const char *s);

/* Test hook: make the n-th allocation from now fail (0 disables), and
 * count allocations. Only test programs call these; not exported. */
void tram__alloc_fail_at(long n);
long tram__alloc_count(void);
/* Weak test hook: if a test program defines it, it is called at each
 * injected failure (to record where it happened); NULL otherwise. */
__attribute__((weak, visibility("hidden"))) void tram__alloc_fail_hook(void);

/* ---- growable array of fixed-size elements. */
typedef struct tram_vec {
  void *data;
  size_t len, cap, elem;
} tram_vec;

void tram__vec_init(tram_vec *v, size_t elem);
/* Makes room for `n` more elements; returns 0 or TRAM_ENOMEM. */
int tram__vec_reserve(tram_vec *v, size_t n);
/* Appends one zeroed element; returns it, or NULL on ENOMEM. Inline: one
 * push per token and word. */
static inline void *tram__vec_push(tram_vec *v) {
  if (v->len >= v->cap && tram__vec_reserve(v, 1) != 0)
    return NULL;
  char *p = (char *)v->data + v->len * v->elem;
  memset(p, 0, v->elem);
  v->len++;
  return p;
}
void tram__vec_free(tram_vec *v);
#define TRAM_VEC_AT(v, T, i) (&((T *)(v)->data)[i])

/* ---- arena of strings: pointers stay valid until the arena is freed. */
typedef struct tram_arena_block tram_arena_block;
typedef struct tram_arena {
  tram_arena_block *head;
} tram_arena;

void tram__arena_init(tram_arena *a);
void *tram__arena_alloc(tram_arena *a, size_t n);
/* Copies s[0..n) and a NUL; returns the copy or NULL. */
char *tram__arena_strndup(tram_arena *a, const char *s, size_t n);
/* The same with each invalid UTF-8 sequence (maximal subpart) replaced by
 * U+FFFD, as the analysed text reads it: for strings cut from the input. */
char *tram__arena_strndup_utf8(tram_arena *a, const char *s, size_t n);
void tram__arena_free(tram_arena *a);

/* ---- byte buffer, always NUL-terminated when data != NULL. */
typedef struct tram_buf {
  char *data;
  size_t len, cap;
  int failed; /* sticky: an allocation failed */
} tram_buf;

void tram__buf_init(tram_buf *b);
void tram__buf_put(tram_buf *b, const char *s, size_t n);
/* Appends s[0..n) with each invalid UTF-8 sequence replaced by U+FFFD. */
void tram__buf_put_utf8(tram_buf *b, const char *s, size_t n);
void tram__buf_puts(tram_buf *b, const char *s);
void tram__buf_putc(tram_buf *b, char c);
void tram__buf_printf(tram_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as the body of a JSON string (no quotes), escaping as needed. */
void tram__buf_json_str(tram_buf *b, const char *s, size_t n);
void tram__buf_free(tram_buf *b);

/* ---- string → value hash map (keys copied). */
typedef struct tram_map tram_map;
tram_map *tram__map_new(void);
void tram__map_free(tram_map *m);
/* Returns a pointer to the value slot of key (inserted as 0 if absent, when
 * `insert`); NULL if absent and !insert, or on ENOMEM. */
uintptr_t *tram__map_slot(tram_map *m, const char *key, size_t n, bool insert);
/* The same with the key's tram__hash already computed. */
uintptr_t *tram__map_slot_hashed(tram_map *m, const char *key, size_t n,
                                 uint64_t hash, bool insert);
/* Looks up without inserting; returns true and sets *val if present. */
bool tram__map_get(const tram_map *m, const char *key, size_t n,
                   uintptr_t *val);
/* The same with the key's tram__hash already computed. */
bool tram__map_get_hashed(const tram_map *m, const char *key, size_t n,
                          uint64_t hash, uintptr_t *val);
size_t tram__map_count(const tram_map *m);
/* Does any key of m begin with p[0..n)? A walk over every slot: for small
 * tables off the hot path (tokenize.c asks `contraction_ctx`, a hundred
 * keys, when a contraction goes through the rules). */
bool tram__map_any_prefix(const tram_map *m, const char *p, size_t n);
/* A filter before building a key: false when no key of at least min_n bytes
 * with first byte `first` and last byte `last` (-1: any) can be in m (NULL
 * holds nothing); true means "maybe". */
bool tram__map_may_hold(const tram_map *m, size_t min_n, int first, int last);
/* Empties the map, keeping its capacity. */
void tram__map_clear(tram_map *m);

uint64_t tram__hash(const void *p, size_t n);

/* ---- UTF-8. */
/* Decodes one code point at s[0..n). Returns the number of bytes consumed
 * (>= 1); *cp gets the code point, or 0xFFFD for an invalid sequence, in
 * which case the maximal invalid subpart is consumed (Unicode's "U+FFFD
 * substitution of maximal subparts"). */
size_t tram__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp,
                         bool *valid);
/* Encodes cp into out (4 bytes max); returns the length. */
size_t tram__utf8_encode(uint32_t cp, char *out);

/* ---- CRC-32 (IEEE 802.3, as zlib). */
uint32_t tram__crc32(uint32_t crc, const void *p, size_t n);

/* ---- line tables: split a text blob into lines, skipping '#' comments and
 * blank lines, trimming trailing white space. Calls fn for each line;
 * stops and returns fn's non-zero result. */
typedef int (*tram_line_fn)(void *ctx, const char *line, size_t n,
                            size_t lineno);
int tram__each_line(const char *text, size_t len, tram_line_fn fn, void *ctx);

/* ---- files. Reads a whole file into `out` (initialised here; free it with
 * tram__buf_free). Returns TRAM_OK, TRAM_EIO (cannot open or read) or
 * TRAM_ENOMEM; on failure `out` holds nothing. */
int tram__read_file(const char *path, tram_buf *out);

#endif
