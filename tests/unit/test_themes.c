/*
 * test_themes.c — keyphrases and taxonomy themes (lib/themes.c,
 * lib/themes/): candidate boundaries, stem grouping, the taxonomy loader's
 * errors, a user taxonomy replacing the default, evidence spans, and the
 * cross-lingual check over tests/golden/parallel (fr/es/ca passages written
 * for this test must share their top-3 themes for >= 90% of passages).
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "themes/keyphrase.h"

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

static tram_doc *analyze_opts(const char *text, tram_options *o) {
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  tram_analyzer_free(an);
  return doc;
}

static tram_doc *analyze(const char *text, int lang) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.max_themes = 40;
  o.max_keyphrases = 50;
  return analyze_opts(text, &o);
}

static bool has_theme(const tram_doc *d, const char *id) {
  size_t n;
  const tram_theme *t = tram_doc_themes(d, &n);
  for (size_t i = 0; i < n; i++)
    if (!strcmp(t[i].id, id))
      return true;
  return false;
}

static const char *kp_role_words[] = {"de", "la", "le", "les", "du",   "des",
                                      "et", "à",  "l'", "d'",  "pour", "une"};

static bool is_function_word(const char *w) {
  for (size_t i = 0; i < sizeof kp_role_words / sizeof *kp_role_words; i++)
    if (!strcmp(w, kp_role_words[i]))
      return true;
  return false;
}

START_TEST(candidates_respect_stop_words) {
  const char *text =
      "Les ateliers pour l'accès à la culture ouvrent ce soir. L'accès à la "
      "culture reste un droit, et la destruction de la biodiversité une "
      "menace pour la culture.";
  tram_doc *d = analyze(text, TRAM_LANG_FR);
  tram_kp_set s;
  tram__kp_set_init(&s);
  ck_assert_int_eq(tram__kp_collect(model->taxonomy, d, &s), TRAM_OK);
  bool inner = false, bio = false;
  for (size_t i = 0; i < s.cands.len; i++) {
    tram_kp_cand *c = TRAM_VEC_AT(&s.cands, tram_kp_cand, i);
    ck_assert_ptr_nonnull(tram__kp_text(&s, c));
    char buf[256];
    snprintf(buf, sizeof buf, "%s", c->text);
    /* First and last word must not be function words. */
    char *first = strtok(buf, " ");
    char *last = first, *w;
    while ((w = strtok(NULL, " ")))
      last = w;
    ck_assert_msg(!is_function_word(first) && !is_function_word(last),
                  "candidate with a function word at an edge: '%s'", c->text);
    ck_assert_msg(!strstr(c->text, ". ") && !strstr(c->text, ","),
                  "candidate crosses punctuation: '%s'", c->text);
    inner |= !strcmp(c->text, "accès à la culture");
    bio |= !strcmp(c->text, "destruction de la biodiversité");
  }
  ck_assert_msg(inner, "'accès à la culture' is not a candidate");
  ck_assert_msg(bio, "'destruction de la biodiversité' is not a candidate");
  tram__kp_set_free(&s);
  tram_doc_free(d);
  /* Catalan: "i" may sit inside a phrase. */
  d = analyze("L'economia social i solidària creix. Parlem d'economia social "
              "i solidària amb les cooperatives.",
              TRAM_LANG_CA);
  tram__kp_set_init(&s);
  ck_assert_int_eq(tram__kp_collect(model->taxonomy, d, &s), TRAM_OK);
  bool ess = false;
  for (size_t i = 0; i < s.cands.len; i++) {
    tram_kp_cand *c = TRAM_VEC_AT(&s.cands, tram_kp_cand, i);
    if (!strcmp(tram__kp_text(&s, c), "economia social i solidària")) {
      ess = true;
      ck_assert_uint_eq(c->count, 2);
    }
  }
  ck_assert(ess);
  tram__kp_set_free(&s);
  tram_doc_free(d);
}
END_TEST

START_TEST(variants_grouped_by_stem) {
  const char *text =
      "Les entrepreneurs sociaux se réunissent. Un entrepreneur social parle "
      "aux entrepreneurs sociaux espagnols. Chaque entrepreneur social vote.";
  tram_doc *d = analyze(text, TRAM_LANG_FR);
  size_t n;
  const tram_keyphrase *k = tram_doc_keyphrases(d, &n);
  ck_assert_uint_gt(n, 0);
  int found = 0;
  for (size_t i = 0; i < n; i++) {
    ck_assert_msg(strcmp(k[i].text, "entrepreneur social") != 0 ||
                      k[i].count == 4,
                  "variants split");
    if (!strcmp(k[i].text, "entrepreneurs sociaux") ||
        !strcmp(k[i].text, "entrepreneur social")) {
      found++;
      ck_assert_uint_eq(k[i].count, 4);
      ck_assert(k[i].score > 0);
    }
  }
  ck_assert_int_eq(found, 1); /* one group, shown once */
  /* Scores are sorted. */
  for (size_t i = 1; i < n; i++)
    ck_assert(k[i - 1].score >= k[i].score);
  tram_doc_free(d);
}
END_TEST

START_TEST(cross_lingual_terms) {
  tram_doc *fr = analyze("Le chômage augmente et les demandeurs d'emploi "
                         "s'inquiètent.",
                         TRAM_LANG_FR);
  tram_doc *es = analyze("El desempleo aumenta y los demandantes de empleo "
                         "se preocupan.",
                         TRAM_LANG_ES);
  tram_doc *ca = analyze("L'atur augmenta i els demandants d'ocupació es "
                         "preocupen.",
                         TRAM_LANG_CA);
  ck_assert(has_theme(fr, "sse-employment-integration"));
  ck_assert(has_theme(es, "sse-employment-integration"));
  ck_assert(has_theme(ca, "sse-employment-integration"));
  tram_doc_free(fr);
  tram_doc_free(es);
  tram_doc_free(ca);
}
END_TEST

START_TEST(evidence_spans_slice_text) {
  const char *text =
      "Une coopérative d'énergie renouvelable installe des panneaux "
      "solaires. La transition énergétique avance grâce aux énergies "
      "renouvelables et à l'efficacité énergétique.";
  tram_doc *d = analyze(text, TRAM_LANG_FR);
  size_t nt, ne;
  const tram_theme *t = tram_doc_themes(d, &nt);
  const tram_evidence *ev = tram_doc_evidence(d, &ne);
  ck_assert(has_theme(d, "sdg-7"));
  size_t total = 0;
  for (size_t i = 0; i < nt; i++) {
    ck_assert(t[i].score > 0 && t[i].score < 1);
    ck_assert(t[i].label && t[i].label[0]);
    ck_assert_uint_gt(t[i].evidence_count, 0);
    ck_assert_uint_le(t[i].evidence_first + t[i].evidence_count, ne);
    for (uint32_t k = 0; k < t[i].evidence_count; k++) {
      const tram_evidence *e = &ev[t[i].evidence_first + k];
      ck_assert_uint_le(e->end, strlen(text));
      ck_assert_int_eq((int)strlen(e->term), (int)(e->end - e->start));
      ck_assert(!memcmp(text + e->start, e->term, e->end - e->start));
      ck_assert_uint_le(e->cend - e->cstart, e->end - e->start);
      total++;
    }
  }
  ck_assert_uint_eq(total, ne);
  /* The French label of sdg-7. */
  for (size_t i = 0; i < nt; i++)
    if (!strcmp(t[i].id, "sdg-7"))
      ck_assert_str_eq(t[i].label, "Énergie propre et d'un coût abordable");
  tram_doc_free(d);
}
END_TEST

static char *write_tmp(const char *body) {
  char *path = strdup("/tmp/tram_taxXXXXXX");
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  ck_assert_int_eq((int)write(fd, body, strlen(body)), (int)strlen(body));
  close(fd);
  return path;
}

static void expect_bad(const char *body, int status, const char *needle) {
  char *path = write_tmp(body);
  tram_options o;
  tram_options_init(&o);
  o.taxonomy_path = path;
  tram_analyzer *an = NULL;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), status);
  ck_assert_ptr_nonnull(an); /* kept so the message can be read */
  const char *msg = tram_analyzer_errmsg(an);
  ck_assert_msg(strstr(msg, path) && strstr(msg, needle),
                "message '%s' lacks '%s'", msg, needle);
  tram_analyzer_free(an);
  unlink(path);
  free(path);
}

START_TEST(taxonomy_loader_errors) {
  expect_bad("fr = pauvreté\n", TRAM_EDATA, ":1: key before");
  expect_bad("[t1]\nlabel.en = A\nfr = x\n[t1]\nlabel.en = B\nfr = y\n",
             TRAM_EDATA, ":4: duplicate theme id");
  expect_bad("[t1]\nlabel.en = A\nfr = emploi\nxx = y\n", TRAM_EDATA,
             ":4: unknown key");
  expect_bad("[t1]\nlabel.en = A\nfr = emploi | | chômage\n", TRAM_EDATA,
             ":3: empty term");
  expect_bad("[t1]\nlabel.en = A\n# no terms\n[t2]\nfr = y\n", TRAM_EDATA,
             "no terms");
  expect_bad("[t 1]\nlabel.en = A\nfr = y\n", TRAM_EDATA, ":1: bad theme id");
  expect_bad("[t1]\nlabel.xx = A\nfr = y\n", TRAM_EDATA, ":2: unknown label");
  expect_bad("[t1]\nlabel.en = A\nweight = -3\nfr = y\n", TRAM_EDATA,
             ":3: weight");
  expect_bad("[t1]\nlabel.en = A\nfr = de la\n", TRAM_EDATA,
             ":3: term has no content word");
  expect_bad("", TRAM_EDATA, "no themes");
  /* A file that cannot be read. */
  tram_options o;
  tram_options_init(&o);
  o.taxonomy_path = "/nonexistent/dir/tax.txt";
  tram_analyzer *an = NULL;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_EIO);
  ck_assert_ptr_nonnull(strstr(tram_analyzer_errmsg(an), "/nonexistent"));
  tram_analyzer_free(an);
}
END_TEST

START_TEST(user_taxonomy_replaces_default) {
  char *path = write_tmp("# a user's taxonomy\n"
                         "[bikes]\n"
                         "label.en = Cycling\n"
                         "label.fr = Vélo\n"
                         "fr = vélo | piste cyclable | =VTT\n"
                         "es = bicicleta | carril bici\n");
  const char *text = "La ville construit une piste cyclable pour le vélo. "
                     "Le chômage baisse et les demandeurs d'emploi aussi.";
  tram_options o;
  tram_options_init(&o);
  o.lang = TRAM_LANG_FR;
  tram_doc *d = analyze_opts(text, &o);
  ck_assert(has_theme(d, "sse-employment-integration"));
  ck_assert(!has_theme(d, "bikes"));
  tram_doc_free(d);
  o.taxonomy_path = path;
  d = analyze_opts(text, &o);
  size_t n, ne;
  const tram_theme *t = tram_doc_themes(d, &n);
  const tram_evidence *ev = tram_doc_evidence(d, &ne);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(t[0].id, "bikes");
  ck_assert_str_eq(t[0].label, "Vélo");
  ck_assert_uint_eq(t[0].evidence_count, 2);
  ck_assert_str_eq(ev[0].term, "piste cyclable");
  ck_assert_str_eq(ev[1].term, "vélo");
  tram_doc_free(d);
  unlink(path);
  free(path);
}
END_TEST

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  static char buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return strdup(buf);
}

/* Sorted, comma-joined ids of the top-3 themes. */
static void top3(const char *text, int lang, char *out, size_t cap) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.max_themes = 3;
  o.flags = TRAM_OPT_NO_ENTITIES;
  tram_doc *d = analyze_opts(text, &o);
  size_t n;
  const tram_theme *t = tram_doc_themes(d, &n);
  const char *ids[3];
  for (size_t i = 0; i < n; i++)
    ids[i] = t[i].id;
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
      const char *x = ids[j];
      ids[j] = ids[j - 1];
      ids[j - 1] = x;
    }
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    strncat(out, ids[i], cap - strlen(out) - 2);
    strcat(out, ",");
  }
  tram_doc_free(d);
}

START_TEST(parallel_passages_share_themes) {
  const char *dir = TRAM_SOURCE_DIR "/tests/golden/parallel";
  DIR *dd = opendir(dir);
  ck_assert_ptr_nonnull(dd);
  struct dirent *e;
  int total = 0, same = 0;
  while ((e = readdir(dd))) {
    size_t l = strlen(e->d_name);
    if (l < 8 || strcmp(e->d_name + l - 7, ".fr.txt"))
      continue;
    char base[512], path[1024], t[3][256];
    snprintf(base, sizeof base, "%s/%.*s", dir, (int)(l - 7), e->d_name);
    static const char *codes[3] = {"fr", "es", "ca"};
    for (int k = 0; k < 3; k++) {
      snprintf(path, sizeof path, "%s.%s.txt", base, codes[k]);
      char *text = slurp(path);
      ck_assert_msg(text != NULL, "missing %s", path);
      top3(text, tram_lang_from_code(codes[k]), t[k], sizeof t[k]);
      free(text);
    }
    total++;
    ck_assert_msg(t[0][0], "%s: no theme in French", base);
    if (!strcmp(t[0], t[1]) && !strcmp(t[1], t[2]))
      same++;
    else
      printf("parallel %s: fr {%s} es {%s} ca {%s}\n", e->d_name, t[0], t[1],
             t[2]);
  }
  closedir(dd);
  ck_assert_int_ge(total, 10);
  printf("parallel passages with the same top-3 themes: %d/%d (%.0f%%)\n", same,
         total, 100.0 * same / total);
  ck_assert_msg(same * 10 >= total * 9, "only %d of %d passages agree", same,
                total);
}
END_TEST

START_TEST(themes_off_costs_nothing) {
  tram_options o;
  tram_options_init(&o);
  o.lang = TRAM_LANG_FR;
  o.flags = TRAM_OPT_NO_THEMES;
  tram_doc *d = analyze_opts("Le chômage et la pauvreté reculent.", &o);
  size_t n;
  tram_doc_keyphrases(d, &n);
  ck_assert_uint_eq(n, 0);
  tram_doc_themes(d, &n);
  ck_assert_uint_eq(n, 0);
  tram_doc_free(d);
}
END_TEST

/* Every allocation of the themes stage (and of a user taxonomy's loading)
 * failed in turn must give TRAM_ENOMEM with no crash and no leak (ASan),
 * and the next clean run the same keyphrases and themes. */
static void snapshot(const tram_doc *d, char *out, size_t cap) {
  size_t n, len = 0;
  const tram_keyphrase *k = tram_doc_keyphrases(d, &n);
  for (size_t i = 0; i < n && len < cap; i++)
    len += (size_t)snprintf(out + len, cap - len, "%s|%.6f|%u;", k[i].text,
                            k[i].score, (unsigned)k[i].count);
  const tram_theme *t = tram_doc_themes(d, &n);
  for (size_t i = 0; i < n && len < cap; i++)
    len += (size_t)snprintf(out + len, cap - len, "%s|%.6f|%u;", t[i].id,
                            t[i].score, (unsigned)t[i].evidence_count);
}

START_TEST(themes_alloc_failures) {
  char *path = write_tmp("[bikes]\nlabel.en = Cycling\n"
                         "fr = vélo | piste cyclable | =VTT\n"
                         "es = bicicleta | carril bici\n"
                         "[jobs]\nlabel.fr = Emploi\nfr = chômage | emploi\n");
  /* Enough distinct words to grow every table of the stage. */
  char text[16384];
  size_t len = 0;
  static const char *w[] = {"vélo",    "piste",  "cyclable",  "emploi",
                            "chômage", "ville",  "solidaire", "réseau",
                            "culture", "projet", "quartier",  "énergie"};
  for (int i = 0; i < 160; i++)
    len += (size_t)snprintf(text + len, sizeof text - len,
                            "%s %s de la %s%c %s%d. ", w[i % 12],
                            w[(i * 7 + 3) % 12], w[(i * 5 + 1) % 12],
                            'a' + i % 26, i % 3 ? "Le " : "la mot", i);
  for (int user = 0; user < 2; user++) {
    tram_options o;
    tram_options_init(&o);
    o.lang = TRAM_LANG_FR;
    o.max_keyphrases = 20;
    o.taxonomy_path = user ? path : NULL;
    tram_analyzer *an;
    ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
    tram_doc *d;
    ck_assert_int_eq(tram_analyze(an, text, len, &d), TRAM_OK);
    static char want[8192], got[8192];
    snapshot(d, want, sizeof want);
    ck_assert_uint_gt(d->keyphrases.len, 5);
    ck_assert_uint_gt(d->themes.len, 0);
    int rc = TRAM_ENOMEM;
    long n;
    for (n = 1; rc == TRAM_ENOMEM; n++) {
      d->keyphrases.len = d->themes.len = d->evidence.len = 0;
      tram__alloc_fail_at(n);
      rc = tram__themes(an, d);
      tram__alloc_fail_at(0);
      ck_assert_msg(rc == TRAM_OK || rc == TRAM_ENOMEM, "rc %d at %ld", rc, n);
    }
    ck_assert_int_gt(n, 8); /* the walk met failures */
    snapshot(d, got, sizeof got);
    ck_assert_str_eq(got, want);
    tram_doc_free(d);
    tram_analyzer_free(an);
  }
  /* Loading the user taxonomy. */
  tram_options o;
  tram_options_init(&o);
  o.taxonomy_path = path;
  int rc = TRAM_ENOMEM;
  long n;
  for (n = 1; rc == TRAM_ENOMEM; n++) {
    tram_analyzer *an = NULL;
    tram__alloc_fail_at(n);
    rc = tram_analyzer_new(model, &o, &an);
    tram__alloc_fail_at(0);
    ck_assert_msg(rc == TRAM_OK || rc == TRAM_ENOMEM, "rc %d at %ld", rc, n);
    tram_analyzer_free(an);
  }
  ck_assert_int_gt(n, 8);
  unlink(path);
  free(path);
}
END_TEST

int main(void) {
  Suite *s = suite_create("themes");
  TCase *tc = tcase_create("themes");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, candidates_respect_stop_words);
  tcase_add_test(tc, variants_grouped_by_stem);
  tcase_add_test(tc, cross_lingual_terms);
  tcase_add_test(tc, evidence_spans_slice_text);
  tcase_add_test(tc, taxonomy_loader_errors);
  tcase_add_test(tc, user_taxonomy_replaces_default);
  tcase_add_test(tc, parallel_passages_share_themes);
  tcase_add_test(tc, themes_off_costs_nothing);
  tcase_add_test(tc, themes_alloc_failures);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
