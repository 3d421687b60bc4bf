/*
 * fuzz_analyze.c — libFuzzer target for the whole pipeline.
 *
 * Input: byte 0 picks the language (mod TRAM_LANG_COUNT), byte 1 the option
 * flags (low 6 bits = TRAM_OPT_*; bit 6 adds user abbreviations, bit 7 user
 * stop words); the rest is the text. Analyzers for plain option sets are
 * cached and reused across inputs (as a real caller would reuse one, so
 * scratch-state reuse is fuzzed too); the others are made and freed per
 * input. Every returned doc must pass fuzz_doc_check, and the language
 * identifier runs on the same bytes. A cached analyzer's tokens and words
 * must be those of a fresh analyzer: its word memo (tokenize.c) and word
 * cache (normalize.c) hold what earlier inputs left there, and no earlier
 * text may change how this one is cut or normalised.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "fuzz_invariants.h"

static tram_analyzer *cache[TRAM_LANG_COUNT][64];

static bool same_str(const char *a, const char *b) {
  return (a == NULL) == (b == NULL) && (!a || strcmp(a, b) == 0);
}

/* Are the tokens and words of a and b the same in every field? */
static bool same_tokens(const tram_doc *a, const tram_doc *b) {
  size_t na, nb, wa, wb;
  const tram_token *x = tram_doc_tokens(a, &na), *y = tram_doc_tokens(b, &nb);
  const tram_word *u = tram_doc_words(a, &wa), *v = tram_doc_words(b, &wb);
  if (na != nb || wa != wb)
    return false;
  for (size_t i = 0; i < na; i++)
    if (x[i].start != y[i].start || x[i].end != y[i].end ||
        x[i].cstart != y[i].cstart || x[i].cend != y[i].cend ||
        x[i].kind != y[i].kind || x[i].lang != y[i].lang ||
        x[i].sentence != y[i].sentence || x[i].flags != y[i].flags ||
        x[i].word_first != y[i].word_first ||
        x[i].word_count != y[i].word_count || !same_str(x[i].text, y[i].text) ||
        !same_str(x[i].norm, y[i].norm) || !same_str(x[i].stem, y[i].stem))
      return false;
  for (size_t i = 0; i < wa; i++)
    if (u[i].token != v[i].token || !same_str(u[i].form, v[i].form))
      return false;
  return true;
}

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
    if (cached) {
      tram_analyzer *fresh;
      tram_doc *again = NULL;
      FUZZ_CHECK(tram_analyzer_new(m, &o, &fresh) == TRAM_OK, "fresh analyzer");
      FUZZ_CHECK(tram_analyze(fresh, text, len, &again) == TRAM_OK,
                 tram_analyzer_errmsg(fresh));
      FUZZ_CHECK(same_tokens(doc, again),
                 "a reused analyzer cut or normalised differently");
      tram_doc_free(again);
      tram_analyzer_free(fresh);
    }
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
