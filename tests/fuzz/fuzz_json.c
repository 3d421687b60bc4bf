/*
 * fuzz_json.c — libFuzzer target for the writers: analyse random bytes,
 * write the doc as JSON and check it with a strict validator
 * (json_check.h: grammar, UTF-8, escapes), check that it is one object
 * carrying the schema tag and the input length; also run the text, TSV and
 * CoNLL-U writers, which must succeed and give NUL-terminated output of the
 * length they report.
 *
 * Input: byte 0 picks the language, byte 1 the TRAM_OPT_* flags (low 6
 * bits; strict UTF-8 is masked off so every input yields a doc); the rest
 * is the text.
 */
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "json_check.h"

static tram_analyzer *cache[TRAM_LANG_COUNT][64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  int lang = data[0] % TRAM_LANG_COUNT;
  uint32_t flags = data[1] & 63u & ~TRAM_OPT_STRICT_UTF8;
  tram_analyzer *an = cache[lang][flags];
  if (!an) {
    tram_options o;
    tram_options_init(&o);
    o.lang = lang;
    o.flags = flags;
    int rc = tram_analyzer_new(fuzz_model(), &o, &an);
    FUZZ_CHECK(rc == TRAM_OK, tram_strerror(rc));
    cache[lang][flags] = an;
  }
  size_t len = size - 2;
  tram_doc *doc = NULL;
  int rc = tram_analyze(an, (const char *)data + 2, len, &doc);
  FUZZ_CHECK(rc == TRAM_OK, tram_analyzer_errmsg(an));
  char *out = NULL;
  size_t n = 0;
  rc = tram_doc_write(doc, TRAM_FORMAT_JSON, &out, &n);
  FUZZ_CHECK(rc == TRAM_OK && out, tram_strerror(rc));
  FUZZ_CHECK(strlen(out) == n, "JSON length differs from the reported one");
  size_t at;
  const char *why = json_check(out, n, &at);
  if (why) {
    fprintf(stderr, "invalid JSON at byte %zu: %.80s\n", at,
            out + (at > 40 ? at - 40 : 0));
    fuzz_fail("JSON output is valid", why);
  }
  FUZZ_CHECK(out[0] == '{', "JSON output is not an object");
  char tag[64];
  snprintf(tag, sizeof tag, "\"schema\":\"%s\"", tram_schema());
  FUZZ_CHECK(strstr(out, tag) != NULL, "schema tag missing");
  char bytes[48];
  snprintf(bytes, sizeof bytes, "\"bytes\":%zu", len);
  FUZZ_CHECK(strstr(out, bytes) != NULL, "byte count missing");
  tram_free(out);
  static const int formats[] = {TRAM_FORMAT_TEXT, TRAM_FORMAT_TSV,
                                TRAM_FORMAT_CONLLU};
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
    rc = tram_doc_write(doc, formats[i], &out, &n);
    FUZZ_CHECK(rc == TRAM_OK && out, tram_strerror(rc));
    FUZZ_CHECK(strlen(out) <= n, "writer length too short");
    tram_free(out);
  }
  tram_doc_free(doc);
  return 0;
}
