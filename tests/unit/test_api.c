/* Public API: model, analyzer, doc lifecycle, statuses, options. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "tramuntana.h"

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

static tram_doc *analyze(const char *text, size_t len, int lang) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, len, &doc), TRAM_OK);
  tram_analyzer_free(an);
  return doc;
}

START_TEST(statuses_have_messages) {
  ck_assert_str_eq(tram_strerror(TRAM_OK), "success");
  ck_assert_str_eq(tram_strerror(TRAM_ENOMEM), "out of memory");
  ck_assert_str_eq(tram_strerror(12345), "unknown status");
}
END_TEST

START_TEST(free_accepts_null) {
  tram_model_free(NULL);
  tram_analyzer_free(NULL);
  tram_doc_free(NULL);
  tram_free(NULL);
}
END_TEST

START_TEST(options_version_checked) {
  tram_options o;
  tram_options_init(&o);
  o.version = 99;
  tram_analyzer *an = (tram_analyzer *)1;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_EVERSION);
  ck_assert_ptr_null(an);
  tram_options_init(&o);
  o.lang = 42;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_ELANG);
}
END_TEST

START_TEST(empty_input) {
  tram_doc *doc = analyze("", 0, TRAM_LANG_FR);
  size_t n = 99;
  ck_assert_ptr_null(tram_doc_tokens(doc, &n));
  ck_assert_uint_eq(n, 0);
  tram_doc_sentences(doc, &n);
  ck_assert_uint_eq(n, 0);
  tram_doc_free(doc);
  tram_options o;
  tram_options_init(&o);
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  ck_assert_int_eq(tram_analyze(an, NULL, 0, &doc), TRAM_OK);
  tram_doc_free(doc);
  ck_assert_int_eq(tram_analyze(an, NULL, 5, &doc), TRAM_EINVAL);
  ck_assert_ptr_null(doc);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(offsets_slice_surface) {
  const char text[] = "L’Eurorégion œuvre — déjà ! Dímelo, col·lecció.";
  tram_doc *doc = analyze(text, sizeof text - 1, TRAM_LANG_FR);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_gt(n, 5);
  for (size_t i = 0; i < n; i++) {
    ck_assert_uint_eq(strlen(t[i].text), t[i].end - t[i].start);
    ck_assert(memcmp(text + t[i].start, t[i].text, t[i].end - t[i].start) == 0);
    ck_assert_uint_le(t[i].cend - t[i].cstart, t[i].end - t[i].start);
  }
  tram_doc_free(doc);
}
END_TEST

START_TEST(invalid_utf8_keeps_offsets) {
  const char text[] = "a\xff\xfe b\xc3 caf\xc3\xa9";
  tram_doc *doc = analyze(text, sizeof text - 1, TRAM_LANG_FR);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  size_t covered = 0;
  for (size_t i = 0; i < n; i++)
    covered += t[i].end - t[i].start;
  /* Every non-space byte is in a token: nothing dropped. */
  ck_assert_uint_eq(covered, sizeof text - 1 - 2);
  ck_assert_str_eq(t[n - 1].text, "café");
  ck_assert_uint_eq(t[n - 1].start, sizeof text - 1 - 5);
  tram_doc_free(doc);
}
END_TEST

START_TEST(strict_utf8_fails) {
  tram_options o;
  tram_options_init(&o);
  o.flags = TRAM_OPT_STRICT_UTF8;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, "ab\xc3", 3, &doc), TRAM_EUTF8);
  ck_assert(strstr(tram_analyzer_errmsg(an), "byte 2") != NULL);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(huge_input_refused_clearly) {
  tram_options o;
  tram_options_init(&o);
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  /* calloc'd pages are never touched: the size is refused up front. */
  char *big = calloc(TRAM_MAX_INPUT + 1, 1);
  ck_assert_ptr_nonnull(big);
  tram_doc *doc = (tram_doc *)1;
  ck_assert_int_eq(tram_analyze(an, big, TRAM_MAX_INPUT + 1, &doc),
                   TRAM_ETOOBIG);
  ck_assert_ptr_null(doc);
  ck_assert(strstr(tram_analyzer_errmsg(an), "split it") != NULL);
  free(big);
  /* The analyzer still works. */
  ck_assert_int_eq(tram_analyze(an, "Bonjour.", 8, &doc), TRAM_OK);
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(nul_bytes_are_text) {
  const char text[] = "un\0deux trois";
  tram_doc *doc = analyze(text, sizeof text - 1, TRAM_LANG_FR);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(t[2].text, "trois");
  ck_assert_uint_eq(t[2].start, 8);
  tram_doc_free(doc);
}
END_TEST

START_TEST(one_shot_and_json) {
  tram_doc *doc;
  const char *text = "Le Mouves a rencontré l'Ajuntament.";
  ck_assert_int_eq(tram_analyze_text(text, strlen(text), NULL, &doc), 0);
  char *json;
  size_t len;
  ck_assert_int_eq(tram_doc_write(doc, TRAM_FORMAT_JSON, &json, &len), 0);
  ck_assert(strstr(json, "\"schema\":\"tramuntana/1\"") != NULL);
  ck_assert_uint_eq(strlen(json), len);
  tram_free(json);
  ck_assert_int_eq(tram_doc_write(doc, 99, &json, &len), TRAM_EINVAL);
  tram_doc_free(doc);
}
END_TEST

START_TEST(model_rejects_garbage) {
  tram_model *m = (tram_model *)1;
  tram_error err;
  ck_assert_int_eq(tram_model_load_memory("nope", 4, &m, &err), TRAM_EMODEL);
  ck_assert_ptr_null(m);
  ck_assert(strlen(err.message) > 0);
  ck_assert_int_eq(tram_model_load("/nonexistent/x.model", &m, &err), TRAM_EIO);
}
END_TEST

int main(void) {
  Suite *s = suite_create("api");
  TCase *tc = tcase_create("api");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, statuses_have_messages);
  tcase_add_test(tc, free_accepts_null);
  tcase_add_test(tc, options_version_checked);
  tcase_add_test(tc, empty_input);
  tcase_add_test(tc, offsets_slice_surface);
  tcase_add_test(tc, invalid_utf8_keeps_offsets);
  tcase_add_test(tc, strict_utf8_fails);
  tcase_add_test(tc, nul_bytes_are_text);
  tcase_add_test(tc, huge_input_refused_clearly);
  tcase_add_test(tc, one_shot_and_json);
  tcase_add_test(tc, model_rejects_garbage);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
