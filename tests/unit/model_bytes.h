/*
 * model_bytes.h — the model container as the tests see it, restated from
 * lib/model/container.h so the tests do not trust the code under test to
 * find sections or compute checksums: field readers and writers, a CRC-32
 * of their own (table-driven), checksum repair, and a builder of a "small"
 * model holding only the embedded model's small sections (language tables,
 * taxonomy, keyphrase and NER lexicons: no trained weights), so that
 * exhaustive walks stay fast however big the trained models grow.
 * Header-only (static functions); used by test_model.c and test_alloc.c.
 */
#ifndef TRAM_MODEL_BYTES_H
#define TRAM_MODEL_BYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

extern const unsigned char tram__default_model[];
extern const size_t tram__default_model_len;

#define HDR 32
#define ENTRY 64
#define NAME_MAX_ 48
#define SMALL_MAX 65536

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static void wr32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t crc32(const unsigned char *s, size_t n) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++)
        c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
      table[i] = c;
    }
  uint32_t crc = ~0u;
  for (size_t i = 0; i < n; i++)
    crc = (crc >> 8) ^ table[(crc ^ s[i]) & 0xffu];
  return ~crc;
}

/* Recomputes every section CRC and the file CRC. */
static void repair(unsigned char *b, size_t len) {
  uint32_t count = rd32(b + 20);
  for (uint32_t i = 0; i < count; i++) {
    unsigned char *e = b + HDR + (size_t)i * ENTRY;
    uint64_t off = rd32(e + 48) | (uint64_t)rd32(e + 52) << 32;
    uint32_t slen = rd32(e + 56);
    if (off <= len && slen <= len - off)
      wr32(e + 60, crc32(b + off, slen));
  }
  wr32(b + 24, crc32(b + HDR, len - HDR));
}

/* Returns a malloc'd container of the embedded model's sections of at most
 * SMALL_MAX bytes, checksums valid; *len gets its size. */
static unsigned char *small_model(size_t *len) {
  const unsigned char *m = tram__default_model;
  uint32_t count = rd32(m + 20);
  size_t total = HDR + (size_t)count * ENTRY, kept = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint32_t slen = rd32(m + HDR + (size_t)i * ENTRY + 56);
    if (slen <= SMALL_MAX)
      total = ((total + 7) & ~(size_t)7) + slen;
  }
  unsigned char *good = calloc(1, total);
  if (!good)
    return NULL;
  memcpy(good, m, HDR);
  size_t off = HDR + (size_t)count * ENTRY;
  for (uint32_t i = 0; i < count; i++) {
    const unsigned char *e = m + HDR + (size_t)i * ENTRY;
    uint32_t slen = rd32(e + 56);
    if (slen > SMALL_MAX)
      continue;
    kept++;
    off = (off + 7) & ~(size_t)7;
    unsigned char *ne = good + HDR + (kept - 1) * ENTRY;
    memcpy(ne, e, ENTRY);
    wr32(ne + 48, (uint32_t)off);
    wr32(ne + 52, 0);
    memcpy(good + off, m + rd32(e + 48), slen);
    off += slen;
  }
  /* The table shrank: move the payloads up to close the gap. */
  size_t gap = (size_t)(count - kept) * ENTRY;
  size_t first = HDR + kept * ENTRY;
  memmove(good + first, good + first + gap, total - first - gap);
  *len = total - gap;
  for (size_t i = 0; i < kept; i++) {
    unsigned char *ne = good + HDR + i * ENTRY;
    wr32(ne + 48, rd32(ne + 48) - (uint32_t)gap);
  }
  wr32(good + 20, (uint32_t)kept);
  wr32(good + 28, (uint32_t)*len);
  repair(good, *len);
  return good;
}

#endif
