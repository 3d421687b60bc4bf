/* Tokeniser (lib/tokenize.c): tokens and syntactic words per language as
 * the UD treebanks cut them, kinds, offsets, pathological inputs. The
 * sentences are written for these tests. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tramuntana.h"

/* Allocation-failure injection (lib/util/util.c, linked in statically). */
void tram__alloc_fail_at(long n);
long tram__alloc_count(void);

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

static tram_doc *analyze_opts(const char *text, size_t len, int lang,
                              uint32_t flags) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = flags | TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, len, &doc), TRAM_OK);
  tram_analyzer_free(an);
  return doc;
}

/* Every token must be its own slice of the input, in order. */
static void check_offsets(const tram_doc *doc, const char *text, size_t len) {
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  size_t prev = 0, prevc = 0;
  for (size_t i = 0; i < n; i++) {
    ck_assert_uint_le(prev, t[i].start);
    ck_assert_uint_lt(t[i].start, t[i].end);
    ck_assert_uint_le(t[i].end, len);
    ck_assert_uint_le(prevc, t[i].cstart);
    ck_assert_uint_lt(t[i].cstart, t[i].cend);
    if (!(t[i].flags & TRAM_TOKEN_REPLACED))
      ck_assert(strlen(t[i].text) == t[i].end - t[i].start &&
                memcmp(t[i].text, text + t[i].start, t[i].end - t[i].start) ==
                    0);
    ck_assert_uint_ge(t[i].word_count, 1);
    prev = t[i].end;
    prevc = t[i].cend;
  }
}

/* Tokens joined by '|'; a multiword token as "du=de+le". */
static char *render(const char *text, int lang) {
  tram_doc *doc = analyze_opts(text, strlen(text), lang, TRAM_OPT_NO_STEM);
  check_offsets(doc, text, strlen(text));
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  const tram_word *w = tram_doc_words(doc, NULL);
  static char out[4096];
  size_t o = 0;
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "",
                          t[i].text);
    if (t[i].word_count > 1)
      for (uint32_t k = 0; k < t[i].word_count; k++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", k ? "+" : "=",
                              w[t[i].word_first + k].form);
  }
  tram_doc_free(doc);
  return out;
}

#define CUT(lang, text, expect) ck_assert_str_eq(render(text, lang), expect)

START_TEST(fr_elision) {
  CUT(TRAM_LANG_FR, "L’Eurorégion d'aujourd'hui qu'il voit jusqu'à l'hôtel",
      "L’|Eurorégion|d'|aujourd'hui|qu'|il|voit|jusqu'|à|l'|hôtel");
  /* Any case, the three apostrophes, lexical exceptions kept whole. */
  CUT(TRAM_LANG_FR, "L'AMI D’EMMA sʼen va", "L'|AMI|D’|EMMA|sʼ|en|va");
  CUT(TRAM_LANG_FR, "si l'on veut, c'est-à-dire demain",
      "si|l'on|veut|,|c'est-à-dire|demain");
  /* Before a digit or a quote. */
  CUT(TRAM_LANG_FR, "l'«accord» et l'1", "l'|«|accord|»|et|l'|1");
}
END_TEST

START_TEST(fr_clitics_and_contractions) {
  CUT(TRAM_LANG_FR, "Est-il venu ? Que fait-on ? Dis-moi où a-t-il mangé",
      "Est|-il|venu|?|Que|fait|-on|?|Dis|-moi|où|a|-t-il|mangé");
  CUT(TRAM_LANG_FR, "Le prix du pain au marché aux puces",
      "Le|prix|du=de+le|pain|au=à+le|marché|aux=à+les|puces");
  /* "des": de + les after a noun, the article after a preposition. */
  CUT(TRAM_LANG_FR, "la liste des noms avec des amis",
      "la|liste|des=de+les|noms|avec|des|amis");
  CUT(TRAM_LANG_FR, "Du vin", "Du=De+le|vin");
  CUT(TRAM_LANG_FR, "Pyrénées-Méditerranée et la co-création",
      "Pyrénées-Méditerranée|et|la|co-création");
}
END_TEST

START_TEST(fr_numbers) {
  CUT(TRAM_LANG_FR, "7 000 habitants, 1.234,56 euros, 12 % et -0,8 point",
      "7 000|habitants|,|1.234,56|euros|,|12|%|et|-0,8|point");
  CUT(TRAM_LANG_FR, "le 1er mai à 23h30, le XXe siècle, la saison 1971-72",
      "le|1er|mai|à|23|h|30|,|le|XXe|siècle|,|la|saison|1971-72");
  CUT(TRAM_LANG_FR, "Attends... non -- oui", "Attends|...|non|--|oui");
}
END_TEST

START_TEST(fr_abbreviations) {
  CUT(TRAM_LANG_FR, "M. Dupont et J. Martin, av. J.-C. et R.E.M. etc.",
      "M.|Dupont|et|J.|Martin|,|av.|J.-C.|et|R.E.M.|etc.");
}
END_TEST

START_TEST(ca_words) {
  CUT(TRAM_LANG_CA, "L'home d'Àger i la col·lecció o la coŀlecció",
      "L'|home|d'|Àger|i|la|col·lecció|o|la|coŀlecció");
  CUT(TRAM_LANG_CA, "Vol donar-li i fer-ho sense emportar-se'n res",
      "Vol|donar-li=donar+li|i|fer-ho=fer+ho|sense|"
      "emportar-se'n=emportar+se+ne|res");
  CUT(TRAM_LANG_CA, "en vol comprometre's i se'ls dona",
      "en|vol|comprometre's=comprometre+se|i|se|'ls|dona");
  /* An imperative keeps its clitics apart: porta'ls, digues-ho. */
  CUT(TRAM_LANG_CA, "porta'ls i digues-ho", "porta|'ls|i|digues|-ho");
  CUT(TRAM_LANG_CA, "al mercat dels nens pel camí pels carrers",
      "al=a+el|mercat|dels=de+els|nens|pel=per+el|camí|pels=per+els|"
      "carrers");
  /* "cal" is the verb, "a cal" the house of. */
  CUT(TRAM_LANG_CA, "cal anar a cal Pere", "cal|anar|a|cal=ca+el|Pere");
  CUT(TRAM_LANG_CA, "un 6,5% i el 2'5%", "un|6,5%|i|el|2'5%");
}
END_TEST

START_TEST(es_enclitics) {
  CUT(TRAM_LANG_ES, "Dámelo sin decírselo ni quitárselas, negándose a hacerlo",
      "Dámelo=Da+me+lo|sin|decírselo=decir+se+lo|ni|"
      "quitárselas=quitar+se+las|,|negándose=negando+se|a|hacerlo=hacer+lo");
  CUT(TRAM_LANG_ES, "irse y dárselo", "irse=ir+se|y|dárselo=dar+se+lo");
  /* Look-alikes stay whole. */
  CUT(TRAM_LANG_ES, "parte del arte en la charla con fenómenos",
      "parte|del=de+el|arte|en|la|charla|con|fenómenos");
  CUT(TRAM_LANG_ES, "vio a Carlos al salir", "vio|a|Carlos|al=a+el|salir");
  CUT(TRAM_LANG_ES, "Ganó 2-1 a las 12:00 con el 20% y Honda/Ford",
      "Ganó|2-1|a|las|12:00|con|el|20%|y|Honda/Ford");
}
END_TEST

START_TEST(kinds) {
  const char *text = "Mira https://exemple.org/a?b=1, escriu a "
                     "anna.puig@exemple.cat, @tramuntana #nlp 🙂 el 3r 12 %";
  tram_doc *doc = analyze_opts(text, strlen(text), TRAM_LANG_CA, 0);
  check_offsets(doc, text, strlen(text));
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  int want[] = {TRAM_KIND_WORD,    TRAM_KIND_URL,    TRAM_KIND_PUNCT,
                TRAM_KIND_WORD,    TRAM_KIND_WORD,   TRAM_KIND_EMAIL,
                TRAM_KIND_PUNCT,   TRAM_KIND_HANDLE, TRAM_KIND_HASHTAG,
                TRAM_KIND_EMOJI,   TRAM_KIND_WORD,   TRAM_KIND_ORDINAL,
                TRAM_KIND_PERCENT, TRAM_KIND_PUNCT};
  ck_assert_uint_eq(n, sizeof want / sizeof *want);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(t[i].kind == want[i], "token %zu '%s' kind %s", i, t[i].text,
                  tram_kind_name(t[i].kind));
  ck_assert_str_eq(t[1].text, "https://exemple.org/a?b=1");
  tram_doc_free(doc);
}
END_TEST

START_TEST(no_split_option) {
  const char *text = "l'ami du fer-ho";
  tram_doc *doc = analyze_opts(text, strlen(text), TRAM_LANG_FR,
                               TRAM_OPT_NO_SPLIT | TRAM_OPT_NO_STEM);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_eq(n, 3);
  for (size_t i = 0; i < n; i++)
    ck_assert_uint_eq(t[i].word_count, 1);
  tram_doc_free(doc);
}
END_TEST

START_TEST(invalid_utf8) {
  const char text[] = "l'\xff"
                      "ami d\xe2\x80 \xc3\xa9t\xc3\xa9";
  size_t len = sizeof text - 1;
  tram_doc *doc = analyze_opts(text, len, TRAM_LANG_FR, TRAM_OPT_NO_STEM);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_ge(n, 3);
  ck_assert_uint_eq(t[n - 1].start, len - 5);
  ck_assert_uint_eq(t[n - 1].end, len);
  ck_assert_str_eq(t[n - 1].text, "été");
  /* Code points: l ' FFFD a m i sp d FFFD sp é t é */
  ck_assert_uint_eq(t[n - 1].cstart, 10);
  ck_assert_uint_eq(t[n - 1].cend, 13);
  tram_doc_free(doc);
}
END_TEST

/* CPU seconds to analyse `reps` copies of `unit`. */
static double cost(const char *unit, size_t reps, int lang, size_t *ntok) {
  size_t ul = strlen(unit), len = ul * reps;
  char *text = malloc(len + 1);
  ck_assert_ptr_nonnull(text);
  for (size_t i = 0; i < reps; i++)
    memcpy(text + i * ul, unit, ul);
  text[len] = 0;
  clock_t c0 = clock();
  tram_doc *doc = analyze_opts(text, len, lang, TRAM_OPT_NO_STEM);
  double s = (double)(clock() - c0) / CLOCKS_PER_SEC;
  tram_doc_tokens(doc, ntok);
  tram_doc_free(doc);
  free(text);
  return s;
}

/* Doubling the input must not quadruple the time. */
START_TEST(pathological_linear) {
  static const struct {
    const char *unit;
    int lang;
  } cases[] = {{"a", TRAM_LANG_FR},      {"l'", TRAM_LANG_FR},
               {"a-", TRAM_LANG_CA},     {"fer-se'n-", TRAM_LANG_CA},
               {"1 000 ", TRAM_LANG_FR}, {".", TRAM_LANG_ES},
               {"J.", TRAM_LANG_FR},     {"dámelosela", TRAM_LANG_ES},
               {"Sr. ", TRAM_LANG_CA},   {"\"a. B ", TRAM_LANG_ES},
               {"l'1", TRAM_LANG_CA},    {"a/", TRAM_LANG_ES}};
  bool sanitized = getenv("TRAM_SANITIZED") != NULL;
  size_t base = sanitized ? 20000 : 50000;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t n1, n2;
    double t1 = cost(cases[i].unit, base, cases[i].lang, &n1);
    double t2 = cost(cases[i].unit, 4 * base, cases[i].lang, &n2);
    ck_assert_uint_ge(n2, n1);
    /* Linear: ~4x; quadratic would be ~16x. Small times are noise. */
    ck_assert_msg(t2 < 8 * t1 + 0.3, "'%s': %.3fs then %.3fs for 4x input",
                  cases[i].unit, t1, t2);
  }
  /* A million elisions in a row: every one split off. */
  size_t n, m = sanitized ? 200000 : 1000000;
  cost("l'", m, TRAM_LANG_FR, &n);
  ck_assert_uint_eq(n, m);
}
END_TEST

/* An allocation failure must fail the analysis, never skip a look-up:
 * "L’ÉCOLE" once stayed one token when the table-key buffer could not grow
 * (keys now live on the stack). Every allocation of the analysis is failed
 * in turn on a fresh analyzer; each run either returns TRAM_ENOMEM with no
 * doc or the right tokens. */
START_TEST(oom_in_keys) {
  const char *text = "L\xe2\x80\x99\xc3\x89"
                     "COLE du quartier, l\xe2\x80\x99"
                     "a-t-il dit.";
  bool done = false;
  long k, failed = 0;
  for (k = 1; k < 2000 && !done; k++) {
    tram_options o;
    tram_options_init(&o);
    o.lang = TRAM_LANG_FR;
    o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
    tram_analyzer *an;
    ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
    tram_doc *doc = NULL;
    tram__alloc_fail_at(k);
    int rc = tram_analyze(an, text, strlen(text), &doc);
    done = tram__alloc_count() < k;
    tram__alloc_fail_at(0);
    ck_assert_msg(rc == TRAM_OK || rc == TRAM_ENOMEM, "k=%ld rc=%d", k, rc);
    if (rc == TRAM_OK) {
      size_t n;
      const tram_token *t = tram_doc_tokens(doc, &n);
      ck_assert_msg(n == 10 && strcmp(t[0].text, "L\xe2\x80\x99") == 0,
                    "k=%ld: %zu tokens, first '%s'", k, n, t[0].text);
      ck_assert_str_eq(t[2].text, "du");
      ck_assert_uint_eq(t[2].word_count, 2);
      ck_assert_str_eq(t[7].text, "-t-il");
    } else {
      ck_assert_ptr_null(doc);
      failed++;
    }
    tram_doc_free(doc);
    tram_analyzer_free(an);
  }
  ck_assert(done);
  ck_assert_int_gt(failed, 5); /* the injection did reach the analysis */
}
END_TEST

int main(void) {
  Suite *s = suite_create("tokenize");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, fr_elision);
  tcase_add_test(tc, fr_clitics_and_contractions);
  tcase_add_test(tc, fr_numbers);
  tcase_add_test(tc, fr_abbreviations);
  tcase_add_test(tc, ca_words);
  tcase_add_test(tc, es_enclitics);
  tcase_add_test(tc, kinds);
  tcase_add_test(tc, no_split_option);
  tcase_add_test(tc, invalid_utf8);
  tcase_add_test(tc, pathological_linear);
  tcase_add_test(tc, oom_in_keys);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
