/*
 * util.c — allocation, vectors, arena, buffers, hash map, UTF-8, CRC-32.
 *
 * The allocation wrappers carry a counter so the allocation-failure test can
 * fail the n-th allocation and check that every caller returns TRAM_ENOMEM.
 * The counter is a process-wide atomic used only by that test.
 */
#include "util.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tramuntana.h"

static atomic_long alloc_fail_at;
static atomic_long alloc_counter;

void tram__alloc_fail_at(long n) {
  atomic_store(&alloc_counter, 0);
  atomic_store(&alloc_fail_at, n);
}

long tram__alloc_count(void) { return atomic_load(&alloc_counter); }

static bool alloc_should_fail(void) {
  long at = atomic_load_explicit(&alloc_fail_at, memory_order_relaxed);
  long c = atomic_fetch_add_explicit(&alloc_counter, 1, memory_order_relaxed);
  return at > 0 && c + 1 == at;
}

void *tram__malloc(size_t n) {
  if (alloc_should_fail())
    return NULL;
  return malloc(n ? n : 1);
}

void *tram__calloc(size_t count, size_t size) {
  if (alloc_should_fail())
    return NULL;
  return calloc(count ? count : 1, size ? size : 1);
}

void *tram__realloc(void *p, size_t n) {
  if (alloc_should_fail())
    return NULL;
  return realloc(p, n ? n : 1);
}

void tram__free(void *p) { free(p); }

char *tram__strndup(const char *s, size_t n) {
  char *d = tram__malloc(n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

char *tram__strdup(const char *s) { return tram__strndup(s, strlen(s)); }

/* ------------------------------------------------------------------ vec */

void tram__vec_init(tram_vec *v, size_t elem) {
  v->data = NULL;
  v->len = v->cap = 0;
  v->elem = elem;
}

int tram__vec_reserve(tram_vec *v, size_t n) {
  if (v->len + n <= v->cap)
    return TRAM_OK;
  size_t cap = v->cap ? v->cap : 16;
  while (cap < v->len + n) {
    if (cap > SIZE_MAX / 2 / v->elem)
      return TRAM_ENOMEM;
    cap *= 2;
  }
  void *d = tram__realloc(v->data, cap * v->elem);
  if (!d)
    return TRAM_ENOMEM;
  v->data = d;
  v->cap = cap;
  return TRAM_OK;
}

void *tram__vec_push(tram_vec *v) {
  if (tram__vec_reserve(v, 1) != TRAM_OK)
    return NULL;
  char *p = (char *)v->data + v->len * v->elem;
  memset(p, 0, v->elem);
  v->len++;
  return p;
}

void tram__vec_free(tram_vec *v) {
  tram__free(v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}

/* ---------------------------------------------------------------- arena */

struct tram_arena_block {
  tram_arena_block *next;
  size_t used, size;
  max_align_t data[];
};

#define ARENA_BLOCK 65536

void tram__arena_init(tram_arena *a) { a->head = NULL; }

void *tram__arena_alloc(tram_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  tram_arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
    b = tram__malloc(sizeof *b + size);
    if (!b)
      return NULL;
    b->used = 0;
    b->size = size;
    b->next = a->head;
    a->head = b;
  }
  void *p = (char *)b->data + b->used;
  b->used += n;
  return p;
}

char *tram__arena_strndup(tram_arena *a, const char *s, size_t n) {
  char *d = tram__arena_alloc(a, n + 1);
  if (!d)
    return NULL;
  if (n)
    memcpy(d, s, n);
  d[n] = 0;
  return d;
}

void tram__arena_free(tram_arena *a) {
  tram_arena_block *b = a->head;
  while (b) {
    tram_arena_block *n = b->next;
    tram__free(b);
    b = n;
  }
  a->head = NULL;
}

/* ------------------------------------------------------------------ buf */

void tram__buf_init(tram_buf *b) { memset(b, 0, sizeof *b); }

static bool buf_grow(tram_buf *b, size_t n) {
  if (b->failed)
    return false;
  if (b->len + n + 1 <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n + 1) {
    if (cap > SIZE_MAX / 2) {
      b->failed = 1;
      return false;
    }
    cap *= 2;
  }
  char *d = tram__realloc(b->data, cap);
  if (!d) {
    b->failed = 1;
    return false;
  }
  b->data = d;
  b->cap = cap;
  return true;
}

void tram__buf_put(tram_buf *b, const char *s, size_t n) {
  if (!buf_grow(b, n))
    return;
  if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void tram__buf_puts(tram_buf *b, const char *s) {
  tram__buf_put(b, s, strlen(s));
}

void tram__buf_putc(tram_buf *b, char c) { tram__buf_put(b, &c, 1); }

void tram__buf_printf(tram_buf *b, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->failed = 1;
    return;
  }
  if ((size_t)n < sizeof small) {
    tram__buf_put(b, small, (size_t)n);
    return;
  }
  if (!buf_grow(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void tram__buf_json_str(tram_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
      continue;
    tram__buf_put(b, s + run, i - run);
    run = i + 1;
    switch (c) {
    case '"':
      tram__buf_put(b, "\\\"", 2);
      break;
    case '\\':
      tram__buf_put(b, "\\\\", 2);
      break;
    case '\n':
      tram__buf_put(b, "\\n", 2);
      break;
    case '\t':
      tram__buf_put(b, "\\t", 2);
      break;
    case '\r':
      tram__buf_put(b, "\\r", 2);
      break;
    default: {
      char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      tram__buf_put(b, e, 6);
    }
    }
  }
  tram__buf_put(b, s + run, n - run);
}

void tram__buf_free(tram_buf *b) {
  tram__free(b->data);
  tram__buf_init(b);
}

/* ------------------------------------------------------------------ map */

/* Open addressing, linear probing; keys live in one arena. */
typedef struct map_entry {
  const char *key;
  size_t n;
  uint64_t hash;
  uintptr_t val;
} map_entry;

struct tram_map {
  map_entry *slots;
  size_t cap, count;
  tram_arena keys;
};

uint64_t tram__hash(const void *p, size_t n) {
  /* FNV-1a, 64-bit: short keys, good enough spread for linear probing. */
  const unsigned char *s = p;
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

tram_map *tram__map_new(void) {
  tram_map *m = tram__calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->cap = 64;
  m->slots = tram__calloc(m->cap, sizeof *m->slots);
  if (!m->slots) {
    tram__free(m);
    return NULL;
  }
  tram__arena_init(&m->keys);
  return m;
}

void tram__map_free(tram_map *m) {
  if (!m)
    return;
  tram__free(m->slots);
  tram__arena_free(&m->keys);
  tram__free(m);
}

void tram__map_clear(tram_map *m) {
  memset(m->slots, 0, m->cap * sizeof *m->slots);
  m->count = 0;
  tram__arena_free(&m->keys);
}

size_t tram__map_count(const tram_map *m) { return m->count; }

static map_entry *map_find(const tram_map *m, const char *key, size_t n,
                           uint64_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    map_entry *e = &m->slots[i];
    if (!e->key)
      return e;
    if (e->hash == h && e->n == n && memcmp(e->key, key, n) == 0)
      return e;
  }
}

static bool map_grow(tram_map *m) {
  size_t cap = m->cap * 2;
  map_entry *slots = tram__calloc(cap, sizeof *slots);
  if (!slots)
    return false;
  for (size_t i = 0; i < m->cap; i++) {
    map_entry *e = &m->slots[i];
    if (!e->key)
      continue;
    size_t j = e->hash & (cap - 1);
    while (slots[j].key)
      j = (j + 1) & (cap - 1);
    slots[j] = *e;
  }
  tram__free(m->slots);
  m->slots = slots;
  m->cap = cap;
  return true;
}

uintptr_t *tram__map_slot(tram_map *m, const char *key, size_t n,
                          bool insert) {
  uint64_t h = tram__hash(key, n);
  map_entry *e = map_find(m, key, n, h);
  if (e->key)
    return &e->val;
  if (!insert)
    return NULL;
  if ((m->count + 1) * 4 > m->cap * 3) {
    if (!map_grow(m))
      return NULL;
    e = map_find(m, key, n, h);
  }
  char *k = tram__arena_strndup(&m->keys, key, n);
  if (!k)
    return NULL;
  e->key = k;
  e->n = n;
  e->hash = h;
  e->val = 0;
  m->count++;
  return &e->val;
}

bool tram__map_get(const tram_map *m, const char *key, size_t n,
                   uintptr_t *val) {
  map_entry *e = map_find(m, key, n, tram__hash(key, n));
  if (!e->key)
    return false;
  if (val)
    *val = e->val;
  return true;
}

/* ----------------------------------------------------------------- utf8 */

size_t tram__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp,
                         bool *valid) {
  unsigned char c = s[0];
  *valid = true;
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t need;
  uint32_t v;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    v = c & 0x0F;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    v = c & 0x07;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    *cp = 0xFFFD;
    *valid = false;
    return 1;
  }
  size_t i = 1;
  for (; i <= need; i++) {
    if (i >= n) {
      break;
    }
    unsigned char t = s[i];
    if (t < lo || t > hi)
      break;
    lo = 0x80;
    hi = 0xBF;
    v = (v << 6) | (t & 0x3F);
  }
  if (i <= need) {
    *cp = 0xFFFD;
    *valid = false;
    return i; /* the maximal subpart: lead byte plus valid continuations */
  }
  *cp = v;
  return need + 1;
}

size_t tram__utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* ---------------------------------------------------------------- crc32 */

uint32_t tram__crc32(uint32_t crc, const void *p, size_t n) {
  const unsigned char *s = p;
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= s[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

/* ---------------------------------------------------------------- lines */

int tram__each_line(const char *text, size_t len, tram_line_fn fn, void *ctx) {
  size_t lineno = 0, i = 0;
  while (i < len) {
    size_t j = i;
    while (j < len && text[j] != '\n')
      j++;
    lineno++;
    size_t e = j;
    while (e > i && (text[e - 1] == ' ' || text[e - 1] == '\t' ||
                     text[e - 1] == '\r'))
      e--;
    size_t s = i;
    while (s < e && (text[s] == ' ' || text[s] == '\t'))
      s++;
    if (e > s && text[s] != '#') {
      int rc = fn(ctx, text + s, e - s, lineno);
      if (rc)
        return rc;
    }
    i = j + 1;
  }
  return 0;
}
