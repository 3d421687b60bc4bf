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
  bool fail = at > 0 && c + 1 == at;
  if (fail && tram__alloc_fail_hook)
    tram__alloc_fail_hook();
  return fail;
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
/* The first block of an arena; each next one twice the last, up to
 * ARENA_BLOCK: a doc of a few hundred tokens (or a small table) holds a few
 * KB of strings, not a 64 KB block it barely uses. */
#define ARENA_FIRST 4096

void tram__arena_init(tram_arena *a) { a->head = NULL; }

void *tram__arena_alloc(tram_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  tram_arena_block *b = a->head;
  if (!b || b->size - b->used < n) {
    size_t size = b ? 2 * b->size : ARENA_FIRST;
    if (size > ARENA_BLOCK)
      size = ARENA_BLOCK;
    if (n > size)
      size = n;
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

/* Besides the slots, a map keeps a filter of its keys — the longest
 * length and the first and last bytes (mod 64) seen — so most look-ups of
 * keys that cannot be there (a word in a table of twenty contractions)
 * end before hashing. */
struct tram_map {
  map_entry *slots;
  size_t cap, count;
  size_t max_n;                   /* longest key */
  uint64_t first_bits, last_bits; /* bit (byte & 63) of first / last bytes */
  tram_arena keys;
};

static bool map_filtered(const tram_map *m, size_t n, unsigned char first,
                         unsigned char last) {
  return n > m->max_n || !(m->first_bits >> (first & 63) & 1) ||
         !(m->last_bits >> (last & 63) & 1);
}

bool tram__map_may_hold(const tram_map *m, size_t min_n, int first, int last) {
  if (!m || min_n > m->max_n)
    return false;
  if (first >= 0 && !(m->first_bits >> (first & 63) & 1))
    return false;
  return last < 0 || (m->last_bits >> (last & 63) & 1);
}

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
  m->max_n = 0;
  m->first_bits = m->last_bits = 0;
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

uintptr_t *tram__map_slot(tram_map *m, const char *key, size_t n, bool insert) {
  return tram__map_slot_hashed(m, key, n, tram__hash(key, n), insert);
}

uintptr_t *tram__map_slot_hashed(tram_map *m, const char *key, size_t n,
                                 uint64_t h, bool insert) {
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
  if (n > m->max_n)
    m->max_n = n;
  if (n) {
    m->first_bits |= 1ULL << ((unsigned char)key[0] & 63);
    m->last_bits |= 1ULL << ((unsigned char)key[n - 1] & 63);
  }
  return &e->val;
}

bool tram__map_any_prefix(const tram_map *m, const char *p, size_t n) {
  if (!m || !m->count || n > m->max_n)
    return false;
  for (size_t i = 0; i < m->cap; i++) {
    const map_entry *e = &m->slots[i];
    if (e->key && e->n >= n && memcmp(e->key, p, n) == 0)
      return true;
  }
  return false;
}

bool tram__map_get_hashed(const tram_map *m, const char *key, size_t n,
                          uint64_t hash, uintptr_t *val) {
  map_entry *e = map_find(m, key, n, hash);
  if (!e->key)
    return false;
  if (val)
    *val = e->val;
  return true;
}

bool tram__map_get(const tram_map *m, const char *key, size_t n,
                   uintptr_t *val) {
  if (n && map_filtered(m, n, (unsigned char)key[0], (unsigned char)key[n - 1]))
    return false;
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

/* Input text is copied into output strings through these two, so that
 * invalid input bytes read as U+FFFD there too (as in token texts), one per
 * maximal invalid subpart; valid text is copied as is. */
void tram__buf_put_utf8(tram_buf *b, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, run = 0;
  while (i < n) {
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    bool valid;
    size_t k = tram__utf8_decode(u + i, n - i, &cp, &valid);
    if (!valid) {
      tram__buf_put(b, s + run, i - run);
      tram__buf_put(b, "\xef\xbf\xbd", 3);
      run = i + k;
    }
    i += k;
  }
  tram__buf_put(b, s + run, n - run);
}

char *tram__arena_strndup_utf8(tram_arena *a, const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t out = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    bool valid = true;
    size_t k = u[i] < 0x80 ? 1 : tram__utf8_decode(u + i, n - i, &cp, &valid);
    out += valid ? k : 3;
    i += k;
  }
  if (out == n)
    return tram__arena_strndup(a, s, n);
  char *d = tram__arena_alloc(a, out + 1);
  if (!d)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    bool valid = true;
    size_t k = u[i] < 0x80 ? 1 : tram__utf8_decode(u + i, n - i, &cp, &valid);
    if (valid) {
      memcpy(d + o, s + i, k);
      o += k;
    } else {
      memcpy(d + o, "\xef\xbf\xbd", 3);
      o += 3;
    }
    i += k;
  }
  d[o] = 0;
  return d;
}

/* ---------------------------------------------------------------- crc32 */

/* The usual 256-entry table (reflected polynomial 0xEDB88320); long inputs
 * (model sections of megabytes) go eight bytes at a time ("slicing-by-8",
 * Kounavis and Berry, Intel 2005) with the seven derived tables built on the
 * stack, which costs about 2 microseconds and keeps the library free of
 * mutable globals. Model loading was CRC-bound with the bitwise loop. */
static const uint32_t crc_table[256] = {
    0x00000000u, 0x77073096u, 0xee0e612cu, 0x990951bau, 0x076dc419u,
    0x706af48fu, 0xe963a535u, 0x9e6495a3u, 0x0edb8832u, 0x79dcb8a4u,
    0xe0d5e91eu, 0x97d2d988u, 0x09b64c2bu, 0x7eb17cbdu, 0xe7b82d07u,
    0x90bf1d91u, 0x1db71064u, 0x6ab020f2u, 0xf3b97148u, 0x84be41deu,
    0x1adad47du, 0x6ddde4ebu, 0xf4d4b551u, 0x83d385c7u, 0x136c9856u,
    0x646ba8c0u, 0xfd62f97au, 0x8a65c9ecu, 0x14015c4fu, 0x63066cd9u,
    0xfa0f3d63u, 0x8d080df5u, 0x3b6e20c8u, 0x4c69105eu, 0xd56041e4u,
    0xa2677172u, 0x3c03e4d1u, 0x4b04d447u, 0xd20d85fdu, 0xa50ab56bu,
    0x35b5a8fau, 0x42b2986cu, 0xdbbbc9d6u, 0xacbcf940u, 0x32d86ce3u,
    0x45df5c75u, 0xdcd60dcfu, 0xabd13d59u, 0x26d930acu, 0x51de003au,
    0xc8d75180u, 0xbfd06116u, 0x21b4f4b5u, 0x56b3c423u, 0xcfba9599u,
    0xb8bda50fu, 0x2802b89eu, 0x5f058808u, 0xc60cd9b2u, 0xb10be924u,
    0x2f6f7c87u, 0x58684c11u, 0xc1611dabu, 0xb6662d3du, 0x76dc4190u,
    0x01db7106u, 0x98d220bcu, 0xefd5102au, 0x71b18589u, 0x06b6b51fu,
    0x9fbfe4a5u, 0xe8b8d433u, 0x7807c9a2u, 0x0f00f934u, 0x9609a88eu,
    0xe10e9818u, 0x7f6a0dbbu, 0x086d3d2du, 0x91646c97u, 0xe6635c01u,
    0x6b6b51f4u, 0x1c6c6162u, 0x856530d8u, 0xf262004eu, 0x6c0695edu,
    0x1b01a57bu, 0x8208f4c1u, 0xf50fc457u, 0x65b0d9c6u, 0x12b7e950u,
    0x8bbeb8eau, 0xfcb9887cu, 0x62dd1ddfu, 0x15da2d49u, 0x8cd37cf3u,
    0xfbd44c65u, 0x4db26158u, 0x3ab551ceu, 0xa3bc0074u, 0xd4bb30e2u,
    0x4adfa541u, 0x3dd895d7u, 0xa4d1c46du, 0xd3d6f4fbu, 0x4369e96au,
    0x346ed9fcu, 0xad678846u, 0xda60b8d0u, 0x44042d73u, 0x33031de5u,
    0xaa0a4c5fu, 0xdd0d7cc9u, 0x5005713cu, 0x270241aau, 0xbe0b1010u,
    0xc90c2086u, 0x5768b525u, 0x206f85b3u, 0xb966d409u, 0xce61e49fu,
    0x5edef90eu, 0x29d9c998u, 0xb0d09822u, 0xc7d7a8b4u, 0x59b33d17u,
    0x2eb40d81u, 0xb7bd5c3bu, 0xc0ba6cadu, 0xedb88320u, 0x9abfb3b6u,
    0x03b6e20cu, 0x74b1d29au, 0xead54739u, 0x9dd277afu, 0x04db2615u,
    0x73dc1683u, 0xe3630b12u, 0x94643b84u, 0x0d6d6a3eu, 0x7a6a5aa8u,
    0xe40ecf0bu, 0x9309ff9du, 0x0a00ae27u, 0x7d079eb1u, 0xf00f9344u,
    0x8708a3d2u, 0x1e01f268u, 0x6906c2feu, 0xf762575du, 0x806567cbu,
    0x196c3671u, 0x6e6b06e7u, 0xfed41b76u, 0x89d32be0u, 0x10da7a5au,
    0x67dd4accu, 0xf9b9df6fu, 0x8ebeeff9u, 0x17b7be43u, 0x60b08ed5u,
    0xd6d6a3e8u, 0xa1d1937eu, 0x38d8c2c4u, 0x4fdff252u, 0xd1bb67f1u,
    0xa6bc5767u, 0x3fb506ddu, 0x48b2364bu, 0xd80d2bdau, 0xaf0a1b4cu,
    0x36034af6u, 0x41047a60u, 0xdf60efc3u, 0xa867df55u, 0x316e8eefu,
    0x4669be79u, 0xcb61b38cu, 0xbc66831au, 0x256fd2a0u, 0x5268e236u,
    0xcc0c7795u, 0xbb0b4703u, 0x220216b9u, 0x5505262fu, 0xc5ba3bbeu,
    0xb2bd0b28u, 0x2bb45a92u, 0x5cb36a04u, 0xc2d7ffa7u, 0xb5d0cf31u,
    0x2cd99e8bu, 0x5bdeae1du, 0x9b64c2b0u, 0xec63f226u, 0x756aa39cu,
    0x026d930au, 0x9c0906a9u, 0xeb0e363fu, 0x72076785u, 0x05005713u,
    0x95bf4a82u, 0xe2b87a14u, 0x7bb12baeu, 0x0cb61b38u, 0x92d28e9bu,
    0xe5d5be0du, 0x7cdcefb7u, 0x0bdbdf21u, 0x86d3d2d4u, 0xf1d4e242u,
    0x68ddb3f8u, 0x1fda836eu, 0x81be16cdu, 0xf6b9265bu, 0x6fb077e1u,
    0x18b74777u, 0x88085ae6u, 0xff0f6a70u, 0x66063bcau, 0x11010b5cu,
    0x8f659effu, 0xf862ae69u, 0x616bffd3u, 0x166ccf45u, 0xa00ae278u,
    0xd70dd2eeu, 0x4e048354u, 0x3903b3c2u, 0xa7672661u, 0xd06016f7u,
    0x4969474du, 0x3e6e77dbu, 0xaed16a4au, 0xd9d65adcu, 0x40df0b66u,
    0x37d83bf0u, 0xa9bcae53u, 0xdebb9ec5u, 0x47b2cf7fu, 0x30b5ffe9u,
    0xbdbdf21cu, 0xcabac28au, 0x53b39330u, 0x24b4a3a6u, 0xbad03605u,
    0xcdd70693u, 0x54de5729u, 0x23d967bfu, 0xb3667a2eu, 0xc4614ab8u,
    0x5d681b02u, 0x2a6f2b94u, 0xb40bbe37u, 0xc30c8ea1u, 0x5a05df1bu,
    0x2d02ef8du,
};

uint32_t tram__crc32(uint32_t crc, const void *p, size_t n) {
  const unsigned char *s = p;
  crc = ~crc;
  if (n >= 4096) {
    uint32_t t[8][256];
    memcpy(t[0], crc_table, sizeof crc_table);
    for (int k = 1; k < 8; k++)
      for (int i = 0; i < 256; i++)
        t[k][i] = (t[k - 1][i] >> 8) ^ crc_table[t[k - 1][i] & 0xffu];
    for (; n >= 8; s += 8, n -= 8) {
      uint32_t lo = crc ^ ((uint32_t)s[0] | (uint32_t)s[1] << 8 |
                           (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24);
      uint32_t hi = (uint32_t)s[4] | (uint32_t)s[5] << 8 |
                    (uint32_t)s[6] << 16 | (uint32_t)s[7] << 24;
      crc = t[7][lo & 0xffu] ^ t[6][(lo >> 8) & 0xffu] ^
            t[5][(lo >> 16) & 0xffu] ^ t[4][lo >> 24] ^ t[3][hi & 0xffu] ^
            t[2][(hi >> 8) & 0xffu] ^ t[1][(hi >> 16) & 0xffu] ^ t[0][hi >> 24];
    }
  }
  for (size_t i = 0; i < n; i++)
    crc = (crc >> 8) ^ crc_table[(crc ^ s[i]) & 0xffu];
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
    while (e > i &&
           (text[e - 1] == ' ' || text[e - 1] == '\t' || text[e - 1] == '\r'))
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

/* ---------------------------------------------------------------- files */

int tram__read_file(const char *path, tram_buf *out) {
  tram__buf_init(out);
  FILE *f = fopen(path, "rb");
  if (!f)
    return TRAM_EIO;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    tram__buf_put(out, chunk, n);
  int ioerr = ferror(f);
  fclose(f);
  if (ioerr || out->failed) {
    tram__buf_free(out);
    return ioerr ? TRAM_EIO : TRAM_ENOMEM;
  }
  return TRAM_OK;
}
