/*
 * container.h — the model file: a self-describing bundle of named sections.
 *
 * Layout (all integers little-endian):
 *   0   magic "TRAMMODL"            8 bytes
 *   8   header size (32)            u32
 *   12  endianness mark 0x01020304  u32 (reads 0x04030201 on a swapped file)
 *   16  format major, minor         u16, u16
 *   20  section count               u32
 *   24  CRC-32 of bytes [32, end)   u32
 *   28  total file size             u32
 *   32  section table, 64 bytes per section:
 *         name (NUL-padded, 48 bytes), offset u64, length u32, CRC-32 u32
 *   …   section payloads, each 8-byte aligned
 *
 * Sections are named "meta" (provenance text: corpora, licences, commands),
 * "lang/<code>/<table>" (rule tables, text), "langid", "ner/<code>",
 * "taxonomy", … Each binary section carries its own header too.
 */
#ifndef TRAM_CONTAINER_H
#define TRAM_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tramuntana.h"

#define TRAM_CONTAINER_MAJOR 1
#define TRAM_CONTAINER_MINOR 0
#define TRAM_SECTION_NAME_MAX 48

typedef struct tram_section {
  char name[TRAM_SECTION_NAME_MAX];
  const unsigned char *data;
  size_t len;
  size_t offset; /* in the file, for error messages */
} tram_section;

typedef struct tram_container {
  unsigned char *owned; /* copy of the bytes when loaded from memory */
  const unsigned char *bytes;
  size_t len;
  tram_section *sections;
  size_t count;
  unsigned major, minor;
} tram_container;

/* Parses and checks a container. With `copy`, the bytes are copied; else
 * they must outlive the container, and they are taken to be the library's
 * own embedded model: every offset is still bounds-checked, but the CRC-32s
 * are not computed (they cost tens of milliseconds per load on a model of
 * several MB, and the bytes are part of the library binary). Returns
 * TRAM_OK, TRAM_EMODEL, TRAM_EVERSION or TRAM_ENOMEM, filling `err` (may be
 * NULL). */
int tram__container_parse(tram_container *c, const void *data, size_t len,
                          bool copy, tram_error *err);
void tram__container_free(tram_container *c);
const tram_section *tram__container_find(const tram_container *c,
                                         const char *name);

/* Writes a container of n sections to f; returns TRAM_OK or TRAM_EIO. */
int tram__container_write(FILE *f, const char *const *names,
                          const unsigned char *const *data, const size_t *lens,
                          size_t n);

/* Fills err (may be NULL) and returns status. */
int tram__set_error(tram_error *err, int status, size_t offset,
                    const char *section, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
