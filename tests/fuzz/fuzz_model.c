/*
 * fuzz_model.c — libFuzzer target for model loading from memory
 * (tram_model_load_memory), seeded with the built model file.
 *
 * Byte 0 is a mode: with bit 0 clear the rest is loaded as is, which mostly
 * exercises the container's header, table and checksum checks; with bit 0
 * set the target first repairs the total size and every CRC-32 (file and
 * sections) so that mutations get past the checksums and reach the section
 * parsers (language tables, langid, NER, taxonomy). A model that loads is
 * then described, used to make an analyzer and to analyse a short text.
 * A failure must fill the error struct (status, NUL-terminated message).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* The container layout (lib/model/container.h). */
#define HDR 32
#define ENTRY 64

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* CRC-32 (IEEE), as the container uses; a private copy so the target does
 * not trust the code under test to compute its own checksums. */
static uint32_t crc32(const uint8_t *s, size_t n) {
  uint32_t crc = ~0u;
  for (size_t i = 0; i < n; i++) {
    crc ^= s[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void repair(uint8_t *b, size_t len) {
  if (len < HDR || len > UINT32_MAX)
    return;
  wr32(b + 28, (uint32_t)len);
  uint32_t count = rd32(b + 20);
  for (uint32_t i = 0; i < count; i++) {
    size_t e = HDR + (size_t)i * ENTRY;
    if (e + ENTRY > len)
      break;
    uint64_t off = (uint64_t)rd32(b + e + 48) | (uint64_t)rd32(b + e + 52)
                                                    << 32;
    uint32_t slen = rd32(b + e + 56);
    if (off <= len && slen <= len - off)
      wr32(b + e + 60, crc32(b + off, slen));
  }
  wr32(b + 24, crc32(b + HDR, len - HDR));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t len = size - 1;
  uint8_t *b = malloc(len ? len : 1);
  if (!b)
    return 0;
  memcpy(b, data + 1, len);
  if (data[0] & 1)
    repair(b, len);
  tram_model *m = NULL;
  tram_error err;
  memset(&err, 0x55, sizeof err);
  int rc = tram_model_load_memory(b, len, &m, &err);
  free(b); /* the loader copies; the model must not point into b */
  if (rc != TRAM_OK) {
    FUZZ_CHECK(m == NULL, "model set on failure");
    FUZZ_CHECK(err.status == rc, "err.status differs from the status");
    FUZZ_CHECK(memchr(err.message, 0, sizeof err.message) &&
                   err.message[0] != 0,
               "error message empty or not terminated");
    FUZZ_CHECK(memchr(err.section, 0, sizeof err.section) != NULL,
               "error section not terminated");
    FUZZ_CHECK(rc == TRAM_EMODEL || rc == TRAM_EVERSION || rc == TRAM_ENOMEM ||
                   rc == TRAM_EDATA,
               tram_strerror(rc));
    return 0;
  }
  FUZZ_CHECK(m != NULL, "no model on success");
  FUZZ_CHECK(tram_model_describe(m) != NULL, "describe");
  tram_analyzer *an = NULL;
  rc = tram_analyzer_new(m, NULL, &an);
  if (rc == TRAM_OK) {
    static const char text[] =
        "L'associació d'empreses del Vallès, la Generalitat i l'ajuntament "
        "de Girona. Dímelo: el Sr. García vive en Barcelona. C'est l'été à "
        "Perpignan-Sud, aujourd'hui.";
    tram_doc *doc = NULL;
    rc = tram_analyze(an, text, sizeof text - 1, &doc);
    FUZZ_CHECK(rc == TRAM_OK || rc == TRAM_ENOMEM, tram_analyzer_errmsg(an));
    tram_doc_free(doc);
    tram_analyzer_free(an);
  }
  int lang;
  FUZZ_CHECK(tram_identify(m, "bon dia a tothom", 16, &lang, NULL) == TRAM_OK,
             "identify");
  tram_model_free(m);
  return 0;
}
