/*
 * test_pathological.c — inputs built to break a text pipeline
 * (patho_inputs.h): no space at all, "l'" repeated, runs of hyphens,
 * apostrophes and middle dots, one base letter under a long run of
 * combining marks of alternating classes (canonical reordering is an
 * insertion sort in most normalisers), one enormous token, the same
 * organisation name over and over, binary garbage, only punctuation.
 *
 * Each is analysed at two sizes, N/4 and N (N = 1 MB; 128 KB in the
 * sanitizer build, TRAM_SANITIZED set): the analysis must succeed, give a
 * consistent doc (tests/fuzz/fuzz_invariants.h), take CPU time roughly
 * linear in the size (at most 8x for 4x the input: linear gives 4,
 * quadratic 16), stay within 10x the time per byte of ordinary prose, and
 * keep the doc's memory proportional to the input (tokens per byte
 * bounded). bench/run-pathological.sh runs the same inputs at 10 MB and
 * reports time per MB against prose.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../fuzz/fuzz_invariants.h"
#include "patho_inputs.h"
#include "tramuntana.h"
#include "util/util.h"

static tram_model *model;
static char *prose;
static size_t prose_len, big;
static double prose_per_byte; /* CPU seconds per byte of prose */

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Analyses input i at n bytes; returns the CPU seconds it took. */
static double run(size_t i, size_t n) {
  char *buf = malloc(n + 1);
  ck_assert_ptr_nonnull(buf);
  size_t len = patho_fill(i, buf, n, prose, prose_len);
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, NULL, &an), TRAM_OK);
  double t0 = cpu_now();
  tram_doc *doc = NULL;
  int rc = tram_analyze(an, buf, len, &doc);
  double t = cpu_now() - t0;
  ck_assert_msg(rc == TRAM_OK, "%s at %zu bytes: %s: %s", patho_inputs[i].name,
                n, tram_strerror(rc), tram_analyzer_errmsg(an));
  const char *bad = fuzz_doc_check(doc, len);
  ck_assert_msg(bad == NULL, "%s: %s", patho_inputs[i].name, bad);
  size_t nt, nw, ns, ne;
  tram_doc_tokens(doc, &nt);
  tram_doc_words(doc, &nw);
  tram_doc_sentences(doc, &ns);
  tram_doc_entities(doc, &ne);
  /* Memory of the doc is bounded by the input: no more tokens, words,
   * sentences or entities than bytes (each needs at least one byte). */
  ck_assert_uint_le(nt, len);
  ck_assert_uint_le(nw, 2 * len);
  ck_assert_uint_le(ns, len);
  ck_assert_uint_le(ne, len);
  tram_doc_free(doc);
  tram_analyzer_free(an);
  free(buf);
  return t;
}

static void setup(void) {
  ck_assert_int_eq(tram_model_new_default(&model), TRAM_OK);
  FILE *f = fopen(TRAM_SOURCE_DIR "/examples/mouves-euroregion-fr.txt", "rb");
  ck_assert_ptr_nonnull(f);
  prose = malloc(1 << 20);
  prose_len = fread(prose, 1, 1 << 20, f);
  fclose(f);
  big = getenv("TRAM_SANITIZED") ? (128u << 10) : (1u << 20);
  run(0, big / 8); /* warm-up: ICU data, stem caches of the model */
  prose_per_byte = run(0, big) / (double)big;
}

static void setup_model(void) {
  ck_assert_int_eq(tram_model_new_default(&model), TRAM_OK);
}
static void teardown_model(void) { tram_model_free(model); }

static void teardown(void) {
  tram_model_free(model);
  free(prose);
}

START_TEST(linear_and_bounded) {
  size_t i = (size_t)_i + 1; /* input 0 is the prose baseline */
  double small = run(i, big / 4);
  double large = run(i, big);
  double per_byte = large / (double)big;
  printf("%-12s %8.3f s/MB (prose %.3f): %.1fx prose; 4x size -> %.1fx time\n",
         patho_inputs[i].name, per_byte * 1048576.0, prose_per_byte * 1048576.0,
         per_byte / prose_per_byte, small > 0 ? large / small : 0.0);
  /* Small absolute times are noise: allow 20 ms of slack. */
  ck_assert_msg(large <= 8 * small + 0.02,
                "%s: %.3f s for %zu bytes but %.3f s for %zu: not linear",
                patho_inputs[i].name, large, big, small, big / 4);
  ck_assert_msg(per_byte <= 10 * prose_per_byte + 0.02 / (double)big,
                "%s: %.3f s/MB, more than 10x prose (%.3f s/MB)",
                patho_inputs[i].name, per_byte * 1048576.0,
                prose_per_byte * 1048576.0);
}
END_TEST

/* Strings cut from the input (entity texts, organisation names,
 * keyphrases, theme evidence) read invalid bytes as U+FFFD, as token texts
 * do: an entity over a URL-like token holding 0xFF once gave invalid UTF-8
 * in the JSON output (fuzz_json; regression input
 * tests/fuzz/corpus/fuzz_json/regress-entity-invalid-utf8). */
START_TEST(invalid_bytes_in_copied_strings) {
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"Caf\xc3\xa9 Bar", "Caf\xc3\xa9 Bar"},
      {"www.\xff\xffp\xc3\xa0", "www.\xef\xbf\xbd\xef\xbf\xbdp\xc3\xa0"},
      {"Arag\xf3n", "Arag\xef\xbf\xbdn"},
      {"\xe2\x82", "\xef\xbf\xbd"}, /* truncated: one maximal subpart */
      {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* surrogate */
      {"", ""},
  };
  tram_arena a;
  tram__arena_init(&a);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *in = cases[i].in;
    const char *got = tram__arena_strndup_utf8(&a, in, strlen(in));
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, cases[i].out);
    ck_assert(fuzz_utf8_ok(got));
    tram_buf b;
    tram__buf_init(&b);
    tram__buf_put(&b, "<", 1);
    tram__buf_put_utf8(&b, in, strlen(in));
    ck_assert(!b.failed);
    ck_assert_uint_eq(b.len, 1 + strlen(cases[i].out));
    ck_assert_int_eq(memcmp(b.data + 1, cases[i].out, b.len - 1), 0);
    tram__buf_free(&b);
  }
  ck_assert(!fuzz_utf8_ok("www.\xff"));
  tram__arena_free(&a);
}
END_TEST

static size_t entity_count(const char *text, size_t len) {
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, NULL, &an), TRAM_OK);
  tram_doc *doc = NULL;
  ck_assert_int_eq(tram_analyze(an, text, len, &doc), TRAM_OK);
  ck_assert_ptr_null(fuzz_doc_check(doc, len));
  size_t ne;
  tram_doc_entities(doc, &ne);
  tram_doc_free(doc);
  tram_analyzer_free(an);
  return ne;
}

/* The entities stage reads nothing in a document without a letter or one
 * where undecodable bytes and control characters are half the tokens or
 * more (binary data); a few invalid bytes in prose change nothing. */
START_TEST(binary_documents_skip_labelling) {
  static const char s[] =
      "El president de la Generalitat de Catalunya i l'Ajuntament de "
      "Girona van signar ahir un acord amb la Fundaci\xf3 Bancaria la "
      "Caixa a Barcelona.";
  size_t n = sizeof s - 1;
  ck_assert_uint_gt(entity_count(s, n), 0);
  char buf[4096];
  memcpy(buf, s, n);
  for (size_t i = n; i < sizeof buf; i++) /* stray bytes and controls */
    buf[i] = (char)(i % 3 == 0 ? 0x01 : i % 3 == 1 ? 0xff : ' ');
  ck_assert_uint_eq(entity_count(buf, sizeof buf), 0);
  ck_assert_uint_gt(entity_count(buf, n + 8), 0); /* a few: still read */
  static const char punct[] = "!!! ... ??? (---) \xc2\xab 12 000 \xc2\xbb";
  ck_assert_uint_eq(entity_count(punct, sizeof punct - 1), 0);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("pathological");
  TCase *tc = tcase_create("inputs");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, linear_and_bounded, 0, (int)PATHO_COUNT - 1);
  suite_add_tcase(s, tc);
  TCase *tu = tcase_create("utf8");
  tcase_add_test(tu, invalid_bytes_in_copied_strings);
  tcase_add_unchecked_fixture(tu, setup_model, teardown_model);
  tcase_add_test(tu, binary_documents_skip_labelling);
  suite_add_tcase(s, tu);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
