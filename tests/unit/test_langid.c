/* Language identification (lib/langid.c): the embedded model loads and
 * reads clear sentences written for this test; damaged models are refused
 * with a message; lang=auto gives per-sentence languages that drive
 * stemming; an explicit language wins. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "langid.h"

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

#define SENT_CONF_FLOOR 0.9 /* lib/api.c's SENT_MIN_CONF */

static int ident(const char *s, double *conf) {
  int lang = -1;
  ck_assert_int_eq(tram_identify(model, s, strlen(s), &lang, conf), TRAM_OK);
  return lang;
}

START_TEST(model_has_classifier) {
  ck_assert_ptr_nonnull(model->langid);
  ck_assert_ptr_nonnull(strstr(tram_model_describe(model), "langid"));
  const char *codes[TRAM_LANGID_MAX_LABELS];
  int langs[TRAM_LANGID_MAX_LABELS];
  size_t n = tram__langid_labels(model->langid, codes, langs);
  ck_assert_uint_ge(n, 5);
  int seen[TRAM_LANG_COUNT] = {0};
  for (size_t i = 0; i < n; i++)
    seen[langs[i]]++;
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++)
    ck_assert_msg(seen[l] > 0, "no label for %s", tram_lang_code(l));
}
END_TEST

static const struct {
  const char *text;
  int lang;
} clear[] = {
    {"Nous avons pris le train de nuit pour rejoindre nos cousins au bord "
     "de la mer.",
     TRAM_LANG_FR},
    {"Il faudrait que vous reveniez demain matin avec les documents signés.",
     TRAM_LANG_FR},
    {"Ayer por la tarde fuimos al mercado a comprar fruta y verduras "
     "frescas.",
     TRAM_LANG_ES},
    {"Los vecinos del barrio se quejaron porque el ruido no les dejaba "
     "dormir.",
     TRAM_LANG_ES},
    {"Aquest estiu anirem a la muntanya amb els nostres amics de la "
     "infància.",
     TRAM_LANG_CA},
    {"Els veïns del poble es van reunir a la plaça per parlar de les "
     "festes.",
     TRAM_LANG_CA},
    {"Ièr al vèspre anèrem al mercat per crompar de frucha e de lieumes.",
     TRAM_LANG_OC},
    {"We took the night train to visit our cousins by the sea last summer.",
     TRAM_LANG_OTHER},
    {"Ieri sera siamo andati al mercato a comprare frutta e verdura fresca.",
     TRAM_LANG_OTHER},
};

START_TEST(clear_sentences) {
  for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++) {
    double conf = -1;
    int lang = ident(clear[i].text, &conf);
    ck_assert_msg(lang == clear[i].lang, "%s: got %s, want %s", clear[i].text,
                  tram_lang_code(lang), tram_lang_code(clear[i].lang));
    ck_assert_msg(conf > 0.9 && conf <= 1.0, "%s: confidence %f", clear[i].text,
                  conf);
  }
}
END_TEST

START_TEST(short_and_empty_inputs) {
  double conf = -1;
  ck_assert_int_eq(ident("", &conf), TRAM_LANG_OTHER);
  ck_assert(conf == 0);
  ck_assert_int_eq(ident("12 345 ... !!", &conf), TRAM_LANG_OTHER);
  ck_assert(conf == 0);
  /* Shorter input, less confidence. */
  double c1, c2;
  ck_assert_int_eq(ident("després", &c1), TRAM_LANG_CA);
  ck_assert_int_eq(ident("Els veïns del poble es van reunir a la plaça per "
                         "parlar de les festes.",
                         &c2),
                   TRAM_LANG_CA);
  ck_assert(c1 < c2);
  int lang;
  ck_assert_int_eq(tram_identify(NULL, "x", 1, &lang, &conf), TRAM_EINVAL);
  ck_assert_int_eq(tram_identify(model, NULL, 3, &lang, &conf), TRAM_EINVAL);
  /* Invalid UTF-8 is read, not rejected. */
  ck_assert_int_eq(
      tram_identify(model, "\xff\xfe la casa \xc3", 12, &lang, &conf), TRAM_OK);
}
END_TEST

/* The UTF-8 and UTF-16 readers see the same words; with a margin, a
 * clear sentence is decided from its first words, as it is read whole. */
START_TEST(early_exit_and_utf16) {
  const tram_langid *li = model->langid;
  const char *s = clear[5].text; /* Catalan, 15 words */
  size_t n = strlen(s);
  uint16_t u[256];
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    bool valid;
    i += tram__utf8_decode((const unsigned char *)s + i, n - i, &cp, &valid);
    u[k++] = (uint16_t)cp; /* BMP only here */
  }
  double e8[TRAM_LANGID_MAX_LABELS], e16[TRAM_LANGID_MAX_LABELS];
  size_t w8 = tram__langid_evidence(li, s, n, 0, NULL, e8);
  size_t w16 = tram__langid_evidence16(li, u, k, 0, NULL, e16);
  ck_assert_uint_eq(w8, 15);
  ck_assert_uint_eq(w16, w8);
  for (size_t i = 0; i < tram__langid_labels(li, NULL, NULL); i++)
    ck_assert(e8[i] == e16[i]);
  double ev[TRAM_LANGID_MAX_LABELS];
  size_t w =
      tram__langid_evidence16(li, u, k, TRAM_LANGID_SENTENCE_MARGIN, NULL, ev);
  ck_assert_uint_ge(w, TRAM_LANGID_MIN_WORDS);
  ck_assert_uint_lt(w, w16);
  int l1, l2;
  double c1, c2;
  tram__langid_decide(li, ev, w, &l1, &c1);
  tram__langid_decide(li, e16, w16, &l2, &c2);
  ck_assert_int_eq(l1, TRAM_LANG_CA);
  ck_assert_int_eq(l2, TRAM_LANG_CA);
  ck_assert(c1 > SENT_CONF_FLOOR && c1 <= c2);
  /* A prior for French makes the same words no less Catalan. */
  int langs[TRAM_LANGID_MAX_LABELS];
  double prior[TRAM_LANGID_MAX_LABELS] = {0};
  for (size_t i = 0; i < tram__langid_labels(li, NULL, langs); i++)
    prior[i] = langs[i] == TRAM_LANG_FR ? TRAM_LANGID_DOC_PRIOR : 0;
  w = tram__langid_evidence16(li, u, k, TRAM_LANGID_SENTENCE_MARGIN, prior, ev);
  tram__langid_decide(li, ev, w, &l1, &c1);
  ck_assert_int_eq(l1, TRAM_LANG_CA);
}
END_TEST

/* ¿ and ¡ are Spanish words of their own. */
START_TEST(inverted_marks) {
  double c1, c2;
  ck_assert_int_eq(ident("¿Sí?", &c1), TRAM_LANG_ES);
  int l = ident("Sí", &c2);
  ck_assert(l != TRAM_LANG_ES || c2 < c1);
}
END_TEST

/* ---- damaged models */

static unsigned char *section_copy(size_t *len) {
  const tram_section *s = tram__container_find(&model->box, "langid");
  ck_assert_ptr_nonnull(s);
  unsigned char *b = malloc(s->len);
  memcpy(b, s->data, s->len);
  *len = s->len;
  return b;
}

static void reseal(unsigned char *b, size_t len) {
  static const unsigned char zero[4] = {0, 0, 0, 0};
  uint32_t crc = tram__crc32(0, b, 12);
  crc = tram__crc32(crc, zero, 4);
  crc = tram__crc32(crc, b + 16, len - 16);
  for (int i = 0; i < 4; i++)
    b[12 + i] = (unsigned char)(crc >> (8 * i));
}

static void expect_refused(const unsigned char *b, size_t len, int status,
                           const char *words) {
  tram_langid *li = (tram_langid *)1;
  tram_error err;
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(tram__langid_load(b, len, &li, &err), status);
  ck_assert_ptr_null(li);
  ck_assert_int_eq(err.status, status);
  ck_assert_str_eq(err.section, "langid");
  ck_assert_msg(strstr(err.message, words), "message '%s' lacks '%s'",
                err.message, words);
}

START_TEST(section_reloads) {
  size_t len;
  unsigned char *b = section_copy(&len);
  tram_langid *li;
  ck_assert_int_eq(tram__langid_load(b, len, &li, NULL), TRAM_OK);
  int lang;
  double conf;
  ck_assert_int_eq(tram__langid_classify(li, clear[4].text,
                                         strlen(clear[4].text), &lang, &conf),
                   TRAM_OK);
  ck_assert_int_eq(lang, TRAM_LANG_CA);
  tram__langid_free(li);
  tram__langid_free(NULL);
  free(b);
}
END_TEST

START_TEST(truncated_refused) {
  size_t len;
  unsigned char *b = section_copy(&len);
  expect_refused(b, 0, TRAM_EMODEL, "not a language-identification model");
  expect_refused(b, 40, TRAM_EMODEL, "not a language-identification model");
  expect_refused(b, 100, TRAM_EMODEL, "truncated");
  expect_refused(b, len - 1, TRAM_EMODEL, "truncated");
  /* Truncated and the length field rewritten to match: the layout check. */
  size_t cut = len / 2;
  for (int i = 0; i < 4; i++)
    b[16 + i] = (unsigned char)(cut >> (8 * i));
  reseal(b, cut);
  expect_refused(b, cut, TRAM_EMODEL, "bad layout");
  free(b);
}
END_TEST

START_TEST(corrupt_refused) {
  size_t len;
  unsigned char *b = section_copy(&len);
  b[len - 100] ^= 0x40; /* a weight */
  expect_refused(b, len, TRAM_EMODEL, "checksum");
  b[len - 100] ^= 0x40;
  b[0] = 'X';
  expect_refused(b, len, TRAM_EMODEL, "not a language-identification model");
  b[0] = 'T';
  /* Header fields with a valid checksum: each is checked on its own. */
  unsigned char *c = malloc(len);
  struct {
    size_t off;
    unsigned char val;
    int status;
    const char *words;
  } cases[] = {
      {8, 3, TRAM_EVERSION, "langid format 3"},    /* major version */
      {8, 1, TRAM_EVERSION, "langid format 1"},    /* the old format */
      {20, 0, TRAM_EMODEL, "label count"},         /* no labels */
      {20, 99, TRAM_EMODEL, "label count"},        /* too many labels */
      {24, 30, TRAM_EMODEL, "hash size"},          /* 2^30 buckets */
      {24, 16, TRAM_EMODEL, "bad layout"},         /* size disagrees */
      {33, 9, TRAM_EMODEL, "n-gram orders"},       /* order 9 */
      {34, 0x80, TRAM_EMODEL, "flags"},            /* unknown flag */
      {43, 0xff, TRAM_EMODEL, "temperature"},      /* NaN temperature */
      {55, 0x7f, TRAM_EMODEL, "name weight"},      /* huge name weight */
      {56, 30, TRAM_EMODEL, "word-table size"},    /* 2^30 word slots */
      {56, 15, TRAM_EMODEL, "bad layout"},         /* size disagrees */
      {67, 0xff, TRAM_EMODEL, "word weight"},      /* NaN word scale */
      {71, 0x7f, TRAM_EMODEL, "n-gram factor"},    /* huge factor */
      {72, 0, TRAM_EMODEL, "from home"},           /* probes too short */
      {75, 0x7f, TRAM_EMODEL, "probe length"},     /* probes too long */
      {79, 0x7f, TRAM_EMODEL, "table words"},      /* NaN factor */
      {80, 'F', TRAM_EMODEL, "bad label 0"},       /* upper-case label */
      {len - 12, 1, TRAM_EMODEL, "reserved word"}, /* last slot pad */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memcpy(c, b, len);
    c[cases[i].off] = cases[i].val;
    reseal(c, len);
    expect_refused(c, len, cases[i].status, cases[i].words);
  }
  free(c);
  free(b);
}
END_TEST

/* A whole model whose container is sound but whose langid section is not:
 * the model load fails and names the section. */
START_TEST(model_with_corrupt_section_refused) {
  const tram_container *box = &model->box;
  const char **names = calloc(box->count, sizeof *names);
  const unsigned char **data = calloc(box->count, sizeof *data);
  size_t *lens = calloc(box->count, sizeof *lens);
  size_t len;
  unsigned char *bad = section_copy(&len);
  bad[len / 2] ^= 1;
  for (size_t i = 0; i < box->count; i++) {
    names[i] = box->sections[i].name;
    data[i] = box->sections[i].data;
    lens[i] = box->sections[i].len;
    if (!strcmp(names[i], "langid"))
      data[i] = bad;
  }
  FILE *f = tmpfile();
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(tram__container_write(f, names, data, lens, box->count),
                   TRAM_OK);
  long n = ftell(f);
  rewind(f);
  unsigned char *file = malloc((size_t)n);
  ck_assert_uint_eq(fread(file, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  tram_model *m = (tram_model *)1;
  tram_error err;
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(tram_model_load_memory(file, (size_t)n, &m, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_null(m);
  ck_assert_str_eq(err.section, "langid");
  ck_assert_ptr_nonnull(strstr(err.message, "checksum"));
  /* The same file with the section intact loads. */
  for (size_t i = 0; i < box->count; i++)
    if (!strcmp(names[i], "langid"))
      data[i] = box->sections[i].data;
  f = tmpfile();
  ck_assert_int_eq(tram__container_write(f, names, data, lens, box->count),
                   TRAM_OK);
  rewind(f);
  ck_assert_uint_eq(fread(file, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  ck_assert_int_eq(tram_model_load_memory(file, (size_t)n, &m, &err), TRAM_OK);
  ck_assert_ptr_nonnull(m->langid);
  tram_model_free(m);
  free(file);
  free(bad);
  free(names);
  free(data);
  free(lens);
}
END_TEST

/* Random single-byte damage never crashes: refused, or (for a byte the
 * checksum cannot see, none here) loaded. */
START_TEST(random_damage_refused) {
  size_t len;
  unsigned char *b = section_copy(&len);
  unsigned seed = 12345;
  for (int k = 0; k < 48; k++) {
    seed = seed * 1103515245u + 12345u;
    size_t off = k < 32 ? (size_t)k * 2 : (seed >> 8) % len;
    unsigned char old = b[off];
    b[off] ^= (unsigned char)(1u << (k % 8));
    tram_langid *li = NULL;
    tram_error err;
    int rc = tram__langid_load(b, len, &li, &err);
    ck_assert_msg(rc == TRAM_EMODEL || rc == TRAM_EVERSION,
                  "byte %zu: status %d", off, rc);
    ck_assert(err.message[0] != 0);
    b[off] = old;
  }
  free(b);
}
END_TEST

/* ---- analysis with lang=auto */

static tram_doc *analyze(const char *text, int lang) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  tram_analyzer_free(an);
  return doc;
}

static const char mixed[] =
    "La réunion s'est tenue hier soir à la mairie avec les habitants du "
    "quartier. Els representants de l'associació van explicar el projecte "
    "als veïns del barri. Les habitants ont posé beaucoup de questions sur "
    "le calendrier des travaux. Molt bé. We will meet again next month.";

static const tram_token *find(const tram_doc *doc, const char *text) {
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  for (size_t i = 0; i < n; i++)
    if (!strcmp(t[i].text, text))
      return &t[i];
  ck_abort_msg("no token %s", text);
  return NULL;
}

START_TEST(auto_mixed_fr_ca) {
  tram_doc *doc = analyze(mixed, TRAM_LANG_AUTO);
  double conf;
  ck_assert_int_eq(tram_doc_lang(doc, &conf), TRAM_LANG_FR);
  ck_assert(conf > 0.5);
  size_t n;
  const tram_sentence *s = tram_doc_sentences(doc, &n);
  ck_assert_uint_eq(n, 5);
  static const int want[] = {TRAM_LANG_FR, TRAM_LANG_CA, TRAM_LANG_FR,
                             TRAM_LANG_FR, TRAM_LANG_OTHER};
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(s[i].lang == want[i], "sentence %zu: %s, want %s", i,
                  tram_lang_code(s[i].lang), tram_lang_code(want[i]));
  /* "Molt bé." is Catalan on its own but too short to leave the
   * document's language, whose confidence it takes. */
  double c;
  ck_assert_int_eq(ident("Molt bé.", &c), TRAM_LANG_CA);
  ck_assert(s[3].confidence == conf);
  /* Tokens carry their sentence's language and its stemmer. */
  const tram_token *t = find(doc, "representants");
  ck_assert_int_eq(t->lang, TRAM_LANG_CA);
  ck_assert_str_eq(t->stem, "represent");
  t = find(doc, "habitants");
  ck_assert_int_eq(t->lang, TRAM_LANG_FR);
  ck_assert_str_eq(t->stem, "habit");
  /* A language without rules: neutral tokens, no stems. */
  t = find(doc, "meet");
  ck_assert_int_eq(t->lang, TRAM_LANG_OTHER);
  ck_assert_str_eq(t->stem, "");
  tram_doc_free(doc);
}
END_TEST

/* A sentence whose first words are French but most of whose words are
 * English (a quoted motto, written for this test) is read past its first
 * words: it gets "other" in a French document. */
START_TEST(auto_mixed_sentence_read_on) {
  tram_doc *doc = analyze("Le groupe a choisi sa phrase pour la saison. "
                          "Leur slogan : « We never stop, we build ! » "
                          "Les membres se retrouvent chaque jeudi soir.",
                          TRAM_LANG_AUTO);
  size_t n;
  const tram_sentence *s = tram_doc_sentences(doc, &n);
  ck_assert_uint_eq(n, 3);
  ck_assert_int_eq(tram_doc_lang(doc, NULL), TRAM_LANG_FR);
  ck_assert_int_eq(s[0].lang, TRAM_LANG_FR);
  ck_assert_int_eq(s[1].lang, TRAM_LANG_OTHER);
  ck_assert_int_eq(s[2].lang, TRAM_LANG_FR);
  tram_doc_free(doc);
}
END_TEST

START_TEST(explicit_language_wins) {
  tram_doc *doc = analyze(mixed, TRAM_LANG_FR);
  double conf;
  ck_assert_int_eq(tram_doc_lang(doc, &conf), TRAM_LANG_FR);
  ck_assert(conf == 1.0);
  size_t n;
  const tram_sentence *s = tram_doc_sentences(doc, &n);
  for (size_t i = 0; i < n; i++)
    ck_assert_int_eq(s[i].lang, TRAM_LANG_FR);
  tram_doc_free(doc);
}
END_TEST

START_TEST(auto_catalan_document) {
  tram_doc *doc = analyze("Els veïns del poble es van reunir a la plaça. "
                          "Després van sopar plegats.",
                          TRAM_LANG_AUTO);
  ck_assert_int_eq(tram_doc_lang(doc, NULL), TRAM_LANG_CA);
  size_t n;
  const tram_sentence *s = tram_doc_sentences(doc, &n);
  ck_assert_uint_eq(n, 2);
  ck_assert_int_eq(s[0].lang, TRAM_LANG_CA);
  ck_assert_int_eq(s[1].lang, TRAM_LANG_CA);
  tram_doc_free(doc);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("langid");
  TCase *tc = tcase_create("langid");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60); /* the embedded model is large under ASan */
  tcase_add_test(tc, model_has_classifier);
  tcase_add_test(tc, clear_sentences);
  tcase_add_test(tc, short_and_empty_inputs);
  tcase_add_test(tc, early_exit_and_utf16);
  tcase_add_test(tc, inverted_marks);
  tcase_add_test(tc, section_reloads);
  tcase_add_test(tc, truncated_refused);
  tcase_add_test(tc, corrupt_refused);
  tcase_add_test(tc, model_with_corrupt_section_refused);
  tcase_add_test(tc, random_damage_refused);
  tcase_add_test(tc, auto_mixed_fr_ca);
  tcase_add_test(tc, auto_mixed_sentence_read_on);
  tcase_add_test(tc, explicit_language_wins);
  tcase_add_test(tc, auto_catalan_document);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
