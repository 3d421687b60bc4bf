/*
 * fuzz_analyze.c — libFuzzer target for the whole pipeline.
 *
 * Input: byte 0 picks the language (mod TRAM_LANG_COUNT), byte 1 the option
 * flags (low 6 bits = TRAM_OPT_*; bit 6 adds user abbreviations, bit 7 user
 * stop words); the rest is the text. Analyzers for plain option sets are
 * cached and reused across inputs (as a real caller would reuse one, so
 * scratch-state reuse is fuzzed too); the others are made and freed per
 * input. Every returned doc must pass fuzz_doc_check, and the language
 * identifier runs on the same bytes.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_invariants.h"

static tram_analyzer *cache[TRAM_LANG_COUNT][64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  const tram_model *m = fuzz_model();
  int lang = data[0] % TRAM_LANG_COUNT;
  uint32_t flags = data[1] & 63u;
  const char *text = (const char *)data + 2;
  size_t len = size - 2;
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = flags;
  if (data[1] & 64)
    o.abbreviations = "Sr.\nnúm.\nAv.\n# comment\n\n  pàg.  \n";
  if (data[1] & 128)
    o.stopwords = "de\nla\nEl\n";
  tram_analyzer *an = NULL;
  bool cached = (data[1] & 192) == 0;
  if (cached)
    an = cache[lang][flags];
  if (!an) {
    int rc = tram_analyzer_new(m, &o, &an);
    FUZZ_CHECK(rc == TRAM_OK, tram_strerror(rc));
    if (cached)
      cache[lang][flags] = an;
  }
  tram_doc *doc = NULL;
  int rc = tram_analyze(an, text, len, &doc);
  if (flags & TRAM_OPT_STRICT_UTF8)
    FUZZ_CHECK(rc == TRAM_OK || rc == TRAM_EUTF8, tram_strerror(rc));
  else
    FUZZ_CHECK(rc == TRAM_OK, tram_analyzer_errmsg(an));
  if (rc == TRAM_OK) {
    const char *bad = fuzz_doc_check(doc, len);
    FUZZ_CHECK(bad == NULL, bad);
  } else {
    FUZZ_CHECK(doc == NULL, "doc set on failure");
  }
  tram_doc_free(doc);
  int l = -1;
  double c = -1;
  FUZZ_CHECK(tram_identify(m, text, len, &l, &c) == TRAM_OK, "identify");
  FUZZ_CHECK(l >= 0 && l < TRAM_LANG_COUNT && c >= 0 && c <= 1,
             "identify result out of range");
  if (!cached)
    tram_analyzer_free(an);
  return 0;
}
