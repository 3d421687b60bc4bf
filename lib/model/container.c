/*
 * container.c — reads and writes the model container (see container.h).
 * The reader trusts nothing: every offset and length is bounds-checked
 * before use, and both the whole-file and the per-section CRC-32 must match
 * (except for the embedded model, see container.h).
 */
#include "container.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

#define MAGIC "TRAMMODL"
#define HEADER_SIZE 32
#define ENTRY_SIZE 64
#define ENDIAN_MARK 0x01020304u

int tram__set_error(tram_error *err, int status, size_t offset,
                    const char *section, const char *fmt, ...) {
  if (!err)
    return status;
  err->status = status;
  err->offset = offset;
  snprintf(err->section, sizeof err->section, "%s", section ? section : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return status;
}

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p) {
  return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

int tram__container_parse(tram_container *c, const void *data, size_t len,
                          bool copy, tram_error *err) {
  memset(c, 0, sizeof *c);
  const unsigned char *b = data;
  if (!b || len < HEADER_SIZE || memcmp(b, MAGIC, 8) != 0)
    return tram__set_error(err, TRAM_EMODEL, 0, "header",
                           "not a tramuntana model (bad magic or %zu bytes)",
                           len);
  uint32_t mark = rd32(b + 12);
  if (mark == 0x04030201u)
    return tram__set_error(err, TRAM_EMODEL, 12, "header",
                           "model written with the other byte order");
  if (mark != ENDIAN_MARK || rd32(b + 8) != HEADER_SIZE)
    return tram__set_error(err, TRAM_EMODEL, 8, "header",
                           "bad header size or endianness mark");
  unsigned major = (unsigned)(b[16] | b[17] << 8);
  unsigned minor = (unsigned)(b[18] | b[19] << 8);
  if (major != TRAM_CONTAINER_MAJOR)
    return tram__set_error(err, TRAM_EVERSION, 16, "header",
                           "model format %u.%u, this library reads %u.x", major,
                           minor, TRAM_CONTAINER_MAJOR);
  uint32_t count = rd32(b + 20);
  uint32_t total = rd32(b + 28);
  if (total != len)
    return tram__set_error(err, TRAM_EMODEL, 28, "header",
                           "model is %zu bytes, header says %u (truncated?)",
                           len, total);
  if (count > (len - HEADER_SIZE) / ENTRY_SIZE)
    return tram__set_error(err, TRAM_EMODEL, 20, "header",
                           "section count %u does not fit the file", count);
  c->major = major;
  c->minor = minor;
  c->sections = tram__calloc(count ? count : 1, sizeof *c->sections);
  if (!c->sections)
    return tram__set_error(err, TRAM_ENOMEM, 0, "", "out of memory");
  if (copy) {
    c->owned = tram__malloc(len);
    if (!c->owned) {
      tram__free(c->sections);
      c->sections = NULL;
      return tram__set_error(err, TRAM_ENOMEM, 0, "", "out of memory");
    }
    memcpy(c->owned, b, len);
    b = c->owned;
  }
  c->bytes = b;
  c->len = len;
  for (uint32_t i = 0; i < count; i++) {
    const unsigned char *e = b + HEADER_SIZE + (size_t)i * ENTRY_SIZE;
    size_t eoff = HEADER_SIZE + (size_t)i * ENTRY_SIZE;
    tram_section *s = &c->sections[i];
    memcpy(s->name, e, TRAM_SECTION_NAME_MAX);
    if (s->name[TRAM_SECTION_NAME_MAX - 1] != 0 || s->name[0] == 0) {
      tram__container_free(c);
      return tram__set_error(err, TRAM_EMODEL, eoff, "table",
                             "section %u has a bad name", i);
    }
    uint64_t off = rd64(e + 48);
    uint32_t slen = rd32(e + 56);
    if (off > len || slen > len - off) {
      char name[TRAM_SECTION_NAME_MAX];
      memcpy(name, s->name, sizeof name);
      tram__container_free(c);
      return tram__set_error(err, TRAM_EMODEL, eoff, name,
                             "section runs past the end of the file");
    }
    s->data = b + off;
    s->len = slen;
    s->offset = (size_t)off;
    if (copy && tram__crc32(0, s->data, s->len) != rd32(e + 60)) {
      char name[TRAM_SECTION_NAME_MAX];
      memcpy(name, s->name, sizeof name);
      tram__container_free(c);
      return tram__set_error(err, TRAM_EMODEL, (size_t)off, name,
                             "section checksum mismatch");
    }
  }
  /* The whole-file checksum last, so that damage inside a section is
   * reported with the section's name and offset (above). */
  if (copy &&
      tram__crc32(0, b + HEADER_SIZE, len - HEADER_SIZE) != rd32(b + 24)) {
    tram__container_free(c);
    return tram__set_error(err, TRAM_EMODEL, 24, "header",
                           "checksum mismatch: the model file is corrupt");
  }
  c->count = count;
  return TRAM_OK;
}

void tram__container_free(tram_container *c) {
  tram__free(c->sections);
  tram__free(c->owned);
  memset(c, 0, sizeof *c);
}

const tram_section *tram__container_find(const tram_container *c,
                                         const char *name) {
  for (size_t i = 0; i < c->count; i++)
    if (strcmp(c->sections[i].name, name) == 0)
      return &c->sections[i];
  return NULL;
}

int tram__container_write(FILE *f, const char *const *names,
                          const unsigned char *const *data, const size_t *lens,
                          size_t n) {
  size_t off = HEADER_SIZE + n * ENTRY_SIZE;
  size_t total = off;
  for (size_t i = 0; i < n; i++)
    total = ((total + 7) & ~(size_t)7) + lens[i];
  if (total > UINT32_MAX)
    return TRAM_EINVAL;
  unsigned char *b = calloc(1, total);
  if (!b)
    return TRAM_ENOMEM;
  memcpy(b, MAGIC, 8);
  wr32(b + 8, HEADER_SIZE);
  wr32(b + 12, ENDIAN_MARK);
  b[16] = TRAM_CONTAINER_MAJOR;
  b[18] = TRAM_CONTAINER_MINOR;
  wr32(b + 20, (uint32_t)n);
  wr32(b + 28, (uint32_t)total);
  for (size_t i = 0; i < n; i++) {
    unsigned char *e = b + HEADER_SIZE + i * ENTRY_SIZE;
    if (strlen(names[i]) >= TRAM_SECTION_NAME_MAX) {
      free(b);
      return TRAM_EINVAL;
    }
    memcpy(e, names[i], strlen(names[i]));
    off = (off + 7) & ~(size_t)7;
    wr32(e + 48, (uint32_t)off);
    wr32(e + 52, 0);
    wr32(e + 56, (uint32_t)lens[i]);
    wr32(e + 60, tram__crc32(0, data[i], lens[i]));
    if (lens[i])
      memcpy(b + off, data[i], lens[i]);
    off += lens[i];
  }
  wr32(b + 24, tram__crc32(0, b + HEADER_SIZE, total - HEADER_SIZE));
  int rc = fwrite(b, 1, total, f) == total ? TRAM_OK : TRAM_EIO;
  free(b);
  return rc;
}
