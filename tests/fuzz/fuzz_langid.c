/*
 * fuzz_langid.c — libFuzzer target for the language-identification section
 * loader (tram__langid_load, lib/langid.c) and its classifier.
 *
 * The input is a "langid" section (layout in lib/langid.h) after one mode
 * byte. With bit 0 of the mode set, the target first writes the true
 * length into the header and repairs the section's CRC-32, so that
 * mutations get past the checksum to the field and layout checks. A section
 * that loads must classify texts (a few fixed ones and the input itself)
 * into a valid tram_lang with a confidence in [0,1]; a refused one must
 * give TRAM_EMODEL or TRAM_EVERSION with a message naming the section.
 * Seeds (corpus/fuzz_langid/) are small models made by tools/langid_train
 * with -b 8 from a few lines of the langid training text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "internal.h"
#include "langid.h"

/* Private CRC-32 (IEEE), so the target does not trust the code under test
 * to compute the checksum it then checks. */
static uint32_t crc_update(uint32_t crc, const uint8_t *s, size_t n) {
  crc = ~crc;
  for (size_t i = 0; i < n; i++) {
    crc ^= s[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void wr32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static void check_classify(const tram_langid *li, const char *s, size_t n) {
  int lang = -1;
  double conf = -1;
  FUZZ_CHECK(tram__langid_classify(li, s, n, &lang, &conf) == TRAM_OK,
             "classify failed");
  FUZZ_CHECK(lang > TRAM_LANG_AUTO && lang < TRAM_LANG_COUNT, "bad language");
  FUZZ_CHECK(conf >= 0 && conf <= 1, "confidence outside [0,1]");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  int repair = data[0] & 1;
  size_t n = size - 1;
  uint8_t *b = malloc(n ? n : 1);
  if (!b)
    return 0;
  if (n)
    memcpy(b, data + 1, n);
  if (repair && n >= TRAM_LANGID_HEADER) {
    static const uint8_t zero[4] = {0, 0, 0, 0};
    wr32(b + 16, (uint32_t)n);
    uint32_t crc = crc_update(0, b, 12);
    crc = crc_update(crc, zero, 4);
    crc = crc_update(crc, b + 16, n - 16);
    wr32(b + 12, crc);
  }
  tram_langid *li = NULL;
  tram_error err;
  memset(&err, 0, sizeof err);
  int rc = tram__langid_load(b, n, &li, &err);
  if (rc == TRAM_OK) {
    FUZZ_CHECK(li != NULL, "loaded but NULL");
    static const char *const texts[] = {
        "", "la casa", "Els veïns del poble es van reunir a la plaça.",
        "\xff\xfe\xc3 l'l\xc2\xb7l Ñ"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
      check_classify(li, texts[i], strlen(texts[i]));
    check_classify(li, (const char *)data, size);
    tram__langid_free(li);
  } else {
    FUZZ_CHECK(li == NULL, "refused but not NULL");
    FUZZ_CHECK(rc == TRAM_EMODEL || rc == TRAM_EVERSION, "unexpected status");
    FUZZ_CHECK(err.status == rc, "error struct status differs");
    FUZZ_CHECK(err.message[0] != 0, "no message");
    FUZZ_CHECK(strcmp(err.section, "langid") == 0, "section not named");
  }
  free(b);
  return 0;
}
