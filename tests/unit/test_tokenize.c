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

/* The rest of an elided word goes the way of the same word alone (the
 * front's plain words included): its kind, flags, norm, stem and words,
 * in a first document and in a second one where the front knows it. */
START_TEST(elided_rest_as_a_word) {
  tram_options o;
  tram_options_init(&o);
  o.lang = TRAM_LANG_FR;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  const char *text = "l'Hommes hommes jusqu'au bout qu'il l'homme Hommes";
  for (int pass = 0; pass < 2; pass++) {
    tram_doc *doc;
    ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
    size_t n;
    const tram_token *t = tram_doc_tokens(doc, &n);
    const tram_word *w = tram_doc_words(doc, NULL);
    ck_assert_uint_eq(n, 11);
    static const size_t rest[] = {1, 4, 7, 9}; /* Hommes, au, il, homme */
    for (size_t k = 0; k < 4; k++) {
      const tram_token *r = &t[rest[k]];
      ck_assert_int_eq(r->kind, TRAM_KIND_WORD);
      ck_assert_uint_eq(r->flags & (TRAM_TOKEN_ELIDED | TRAM_TOKEN_CLITIC), 0);
      ck_assert(t[rest[k] - 1].flags & TRAM_TOKEN_ELIDED);
    }
    ck_assert_str_eq(t[1].norm, "hommes");
    ck_assert_str_eq(t[1].stem, "homm");
    ck_assert_uint_eq(t[1].flags & TRAM_TOKEN_CAPITALIZED,
                      TRAM_TOKEN_CAPITALIZED);
    ck_assert_str_eq(t[1].stem, t[2].stem);
    ck_assert_str_eq(t[1].stem, t[9].stem);
    ck_assert_str_eq(t[1].stem, t[10].stem);
    ck_assert_uint_eq(t[4].word_count, 2); /* au = à le */
    ck_assert_str_eq(w[t[4].word_first].form, "à");
    ck_assert(t[7].flags & TRAM_TOKEN_STOP); /* il */
    tram_doc_free(doc);
  }
  tram_analyzer_free(an);
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

/* The doc's tokens have exactly the kinds want[0..n); returns them. */
static const tram_token *check_kinds(const tram_doc *doc, const int *want,
                                     size_t n) {
  size_t got;
  const tram_token *t = tram_doc_tokens(doc, &got);
  ck_assert_uint_eq(got, n);
  for (size_t i = 0; i < n; i++)
    ck_assert_msg(t[i].kind == want[i], "token %zu '%s' kind %s", i, t[i].text,
                  tram_kind_name(t[i].kind));
  return t;
}

START_TEST(kinds) {
  const char *text = "Mira https://exemple.org/a?b=1, escriu a "
                     "anna.puig@exemple.cat, @tramuntana #nlp 🙂 el 3r 12 %";
  tram_doc *doc = analyze_opts(text, strlen(text), TRAM_LANG_CA, 0);
  check_offsets(doc, text, strlen(text));
  static const int want[] = {
      TRAM_KIND_WORD,    TRAM_KIND_URL,   TRAM_KIND_PUNCT, TRAM_KIND_WORD,
      TRAM_KIND_WORD,    TRAM_KIND_EMAIL, TRAM_KIND_PUNCT, TRAM_KIND_HANDLE,
      TRAM_KIND_HASHTAG, TRAM_KIND_EMOJI, TRAM_KIND_WORD,  TRAM_KIND_ORDINAL,
      TRAM_KIND_PERCENT, TRAM_KIND_PUNCT};
  const tram_token *t = check_kinds(doc, want, sizeof want / sizeof *want);
  ck_assert_str_eq(t[1].text, "https://exemple.org/a?b=1");
  tram_doc_free(doc);
}
END_TEST

/* The fast paths of tokenize_sentence: a word goes straight to emit_word
 * unless the next unit may extend it (' ’ ʼ - ‐ ‑ / .), and match_special
 * is asked only after h/f + t or w + w (any case), '@', '#' or an '@'
 * ahead. Each joining character after a word (French joins no slash: km|/|h),
 * and URLs in odd cases. */
START_TEST(fast_path_joiners) {
  CUT(TRAM_LANG_FR,
      "Pyrénées\xe2\x80\x90Méditerranée porte\xe2\x80\x91"
      "clés "
      "Est\xe2\x80\x90il l\xe2\x80\x99"
      "ami av. J.-C., km/h",
      "Pyrénées\xe2\x80\x90Méditerranée|porte\xe2\x80\x91"
      "clés|Est|"
      "\xe2\x80\x90il|l\xe2\x80\x99|ami|av.|J.-C.|,|km|/|h");
  CUT(TRAM_LANG_ES, "Ford/Honda y R.E.M. dijo", "Ford/Honda|y|R.E.M.|dijo");
  const char *text = "HTTP://A.ORG/x Www.b.cat, fTp://c.es hTtPs://d.fr/ "
                     "hola web fue http wwwx.";
  tram_doc *doc = analyze_opts(text, strlen(text), TRAM_LANG_ES, 0);
  static const int want[] = {TRAM_KIND_URL,  TRAM_KIND_URL,  TRAM_KIND_PUNCT,
                             TRAM_KIND_URL,  TRAM_KIND_URL,  TRAM_KIND_WORD,
                             TRAM_KIND_WORD, TRAM_KIND_WORD, TRAM_KIND_WORD,
                             TRAM_KIND_WORD, TRAM_KIND_PUNCT};
  const tram_token *t = check_kinds(doc, want, sizeof want / sizeof *want);
  ck_assert_str_eq(t[4].text, "hTtPs://d.fr/");
  tram_doc_free(doc);
}
END_TEST

/* Every printable ASCII character alone between spaces (classify and
 * case_flags answer these inline): letters words, digits numbers, $ + < =
 * > ^ ` | ~ symbols, the rest punctuation; a lone capital is capitalised,
 * not upper case, a lone lower-case letter or mark neither. */
START_TEST(ascii_kinds_and_case) {
  char text[4 * 96];
  size_t len = 0;
  for (int c = '!'; c < 0x7F; c++) {
    if (c == '@' || c == '#') /* handles and hashtags: not alone */
      continue;
    text[len++] = (char)c;
    text[len++] = ' ';
  }
  text[len] = 0;
  tram_doc *doc = analyze_opts(text, len, TRAM_LANG_FR, TRAM_OPT_NO_SPLIT);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_eq(n, len / 2);
  for (size_t i = 0; i < n; i++) {
    int c = (unsigned char)t[i].text[0];
    int want = (c | 32) >= 'a' && (c | 32) <= 'z' ? TRAM_KIND_WORD
               : c >= '0' && c <= '9'             ? TRAM_KIND_NUMBER
               : strchr("$+<=>^`|~", c)           ? TRAM_KIND_SYMBOL
                                                  : TRAM_KIND_PUNCT;
    ck_assert_msg(t[i].kind == want, "'%s' kind %s", t[i].text,
                  tram_kind_name(t[i].kind));
    uint32_t caps = t[i].flags & (TRAM_TOKEN_CAPITALIZED | TRAM_TOKEN_UPPER);
    ck_assert_msg(caps == (c >= 'A' && c <= 'Z' ? TRAM_TOKEN_CAPITALIZED : 0),
                  "'%s' flags %x", t[i].text, (unsigned)t[i].flags);
  }
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

/* ---- The word cache's front (front.h: the tokenizer's "plain" mark, the
 * normaliser's norm, stem and stop flag, filled by the tokenizer for a
 * plain word) is per analyzer and kept between documents: whatever an
 * analyzer saw before, a text must come out exactly as from a fresh
 * analyzer. */

/* Every field of every token and word, one line per token. */
static char *dump(const tram_doc *doc) {
  size_t n, cap = 1 << 16, o = 0;
  const tram_token *t = tram_doc_tokens(doc, &n);
  const tram_word *w = tram_doc_words(doc, NULL);
  char *s = malloc(cap);
  ck_assert_ptr_nonnull(s);
  s[0] = 0;
  for (size_t i = 0; i < n; i++) {
    char line[1024];
    int k = snprintf(line, sizeof line, "%zu-%zu %zu-%zu %s k%d l%d f%x %s %s",
                     t[i].start, t[i].end, t[i].cstart, t[i].cend, t[i].text,
                     t[i].kind, t[i].lang, (unsigned)t[i].flags, t[i].norm,
                     t[i].stem);
    for (uint32_t j = 0; j < t[i].word_count && k < 900; j++)
      k += snprintf(line + k, sizeof line - (size_t)k, " %s%s", j ? "+" : "=",
                    w[t[i].word_first + j].form);
    size_t l = strlen(line);
    if (o + l + 2 > cap) {
      cap = 2 * (o + l + 2);
      s = realloc(s, cap);
      ck_assert_ptr_nonnull(s);
    }
    memcpy(s + o, line, l);
    o += l;
    s[o++] = '\n';
    s[o] = 0;
  }
  return s;
}

static tram_analyzer *new_an(int lang) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  return an;
}

/* Analyses text with an (which keeps its front) and returns dump(). */
static char *dump_with(tram_analyzer *an, const char *text) {
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  check_offsets(doc, text, strlen(text));
  char *d = dump(doc);
  tram_doc_free(doc);
  return d;
}

/* For every pair (i, j): texts[j] after texts[i] on one analyzer (and after
 * itself) == texts[j] on a fresh one. */
static void same_after_priming(int lang, const char *const *texts, size_t n) {
  for (size_t j = 0; j < n; j++) {
    tram_analyzer *fresh = new_an(lang);
    char *want = dump_with(fresh, texts[j]);
    tram_analyzer_free(fresh);
    for (size_t i = 0; i < n; i++) {
      tram_analyzer *an = new_an(lang);
      free(dump_with(an, texts[i]));
      char *got = dump_with(an, texts[j]);
      ck_assert_msg(strcmp(got, want) == 0,
                    "lang %d: \"%s\" after \"%s\":\n%s\nfresh:\n%s", lang,
                    texts[j], texts[i], got, want);
      free(got);
      got = dump_with(an, texts[j]); /* and again, after itself */
      ck_assert_str_eq(got, want);
      free(got);
      tram_analyzer_free(an);
    }
    free(want);
  }
}

/* The same surface where its cut depends on the context (sentence start,
 * previous word, apostrophe, hyphen, period), in words of 16, 17, 26, 27
 * and 28 UTF-16 units (the front holds up to 26) and with a non-BMP
 * character. */
START_TEST(memo_same_in_every_context) {
  static const char *const fr[] = {
      "la liste des noms avec des amis, des",
      "Est-il venu ? il est venu, Il dit-il, a-t-il mangé ? t il",
      "aujourd hui et aujourd'hui, l'on et on, l' ami, qu'il ami",
      "M. Dupont et M Dupont, vol. 3 et le vol, etc. et etc",
      "Du vin. du vin, le Du Bellay et du pain",
      "anticonstitutionnel anticonstitutionnelle, "
      "l'anticonstitutionnel-anticonstitutionnelle.",
      "l'\xf0\x9d\x90\x80mi \xf0\x9d\x90\x80mi-\xf0\x9d\x90\x80mi "
      "\xf0\x9d\x90\x80mi.",
      /* the rest of an elided word, plain or a contraction */
      "jusqu'au bout, au bout, jusqu'aux amis, l'homme et homme, d'Homme, "
      "qu'Il et Il, l'on, l'Au",
      /* 26 units (front-eligible) */
      "intergouvernementalisation l'intergouvernementalisation, "
      "Intergouvernementalisation intergouvernementalisations",
      /* 27 and 28 units */
      "intergouvernementalisations l'intergouvernementalisations, "
      "Intergouvernementalisations intergouvernementalisationss "
      "l'intergouvernementalisationss",
  };
  static const char *const es[] = {
      "Carlos vio a Carlos y Dámelo dijo Ana. Dámelo ahora. dámelo",
      "Del Bosque habló del partido. Al Gore fue al cine. Del al",
      "hacerlo y Hacerlo. Hacerlo bien, hacer lo",
      /* 16 units, 17 and 15 */
      "Desestabilizarlo ahora. Quiere Desestabilizarlo y desestabilizarlo",
      "Desestabilizarlos ahora. Quiere Desestabilizarlos y "
      "desestabilizarlos",
      "desestabilizarl desestabilizar desestabilizarlo desestabiliza",
      /* same first and last four units as comprarlos (one hash slot) */
      "compzzrlos y comprarlos, Comprarlos. Comprarlos",
      /* 26 units (front-eligible) */
      "Desinternacionalizándosela ahora. Quiere "
      "desinternacionalizándosela y Desinternacionalizándosela",
      /* 27 units and 28 */
      "Desinternacionalizándoselas ahora. Quiere "
      "desinternacionalizándoselas y desinternacionalizándoselass, "
      "Desinternacionalizándoselass",
  };
  static const char *const ca[] = {
      "cal anar a cal Pere, cal",
      "porta'ls i digues-ho, porta i digues, fer-ho i fer",
      "al mercat dels nens pel camí, Al Pere, al, dels, pel",
      "col·lecció, col, lecció i coŀlecció",
  };
  same_after_priming(TRAM_LANG_FR, fr, sizeof fr / sizeof *fr);
  same_after_priming(TRAM_LANG_ES, es, sizeof es / sizeof *es);
  same_after_priming(TRAM_LANG_CA, ca, sizeof ca / sizeof *ca);
  /* And the cuts themselves, after priming with the plain occurrences. */
  tram_analyzer *an = new_an(TRAM_LANG_ES);
  free(dump_with(an,
                 "desestabilizar comprar compzzrlos Del Al Desestabilizarlo "
                 "dijo Desestabilizarlo"));
  tram_doc *doc;
  const char *text = "Desestabilizarlo, comprarlos y del";
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_uint_eq(t[0].word_count, 2); /* Desestabilizar + lo */
  ck_assert_uint_eq(t[2].word_count, 2); /* comprar + los */
  ck_assert_uint_eq(t[4].word_count, 2); /* de + el */
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

/* A contraction whose words are the same in every context is held in the
 * front with its words (tokenize.c, TRAM_FRONT_WORDS); one written with a
 * capital (a name inside a sentence) or with a `contraction_ctx` entry
 * (French "des", Catalan "cal") is not: each occurrence after the first,
 * which the front answers, is cut as the first was. */
START_TEST(front_contraction_words) {
  tram_analyzer *an = new_an(TRAM_LANG_ES);
  const char *text = "Del Bosque llegó del club. Habló con Del Bosque del club "
                     "y del resto, del.";
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  const tram_word *w = tram_doc_words(doc, NULL);
  int dels = 0, names = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(t[i].text, "Del") == 0) {
      /* first at the sentence start (De el), then a name */
      ck_assert_uint_eq(t[i].word_count, names++ ? 1 : 2);
    } else if (strcmp(t[i].text, "del") == 0) {
      dels++;
      ck_assert_uint_eq(t[i].word_count, 2);
      ck_assert_str_eq(w[t[i].word_first].form, "de");
      ck_assert_str_eq(w[t[i].word_first + 1].form, "el");
      ck_assert(t[i].flags & TRAM_TOKEN_MULTIWORD);
      ck_assert(t[i].flags & TRAM_TOKEN_STOP);
      ck_assert_str_eq(t[i].norm, "del");
      ck_assert_str_eq(t[i].stem, "del");
    }
  }
  ck_assert_int_eq(dels, 4);
  ck_assert_int_eq(names, 2);
  tram_doc_free(doc);
  /* "cal" has `contraction_ctx` entries: "a cal Pere" is ca + el, "cal
   * anar" one word, in every order. */
  tram_analyzer_free(an);
  an = new_an(TRAM_LANG_CA);
  text = "Anem a cal Pere. Cal anar-hi. No cal. Anem a cal Joan, cal dir.";
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  t = tram_doc_tokens(doc, &n);
  static const uint32_t want[] = {2, 1, 1, 2, 1};
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].text, "cal") == 0 || strcmp(t[i].text, "Cal") == 0) {
      ck_assert_uint_lt(k, 5);
      ck_assert_uint_eq(t[i].word_count, want[k++]);
    }
  ck_assert_uint_eq(k, 5);
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

/* lang=auto: one surface, three languages ("del", "al", "cal", "con" cut or
 * stop word in one language, plain in another), in one document and in
 * documents after one another. */
START_TEST(memo_per_language) {
  static const char *const texts[] = {
      "Le chanteur del groupe est arrivé al concert avec con ami. Il a "
      "chanté pendant toute la soirée devant un public très nombreux.",
      "El presidente del gobierno fue al congreso con sus ministros. La "
      "sesión duró varias horas y todos los diputados estaban presentes.",
      "El president del govern va anar al parlament amb els consellers. Cal "
      "dir que la sessió va durar moltes hores i que tothom hi era.",
  };
  same_after_priming(TRAM_LANG_AUTO, texts, 3);
  /* All three in one document, each order: the Spanish and Catalan "del"
   * are de+el whatever came before. */
  static const int orders[][3] = {{0, 1, 2}, {2, 1, 0}, {1, 0, 2}};
  for (size_t k = 0; k < 3; k++) {
    char buf[2048];
    snprintf(buf, sizeof buf, "%s\n\n%s\n\n%s", texts[orders[k][0]],
             texts[orders[k][1]], texts[orders[k][2]]);
    tram_analyzer *an = new_an(TRAM_LANG_AUTO);
    tram_doc *doc;
    ck_assert_int_eq(tram_analyze(an, buf, strlen(buf), &doc), TRAM_OK);
    size_t n;
    const tram_token *t = tram_doc_tokens(doc, &n);
    int dels = 0;
    for (size_t i = 0; i < n; i++) {
      if (strcmp(t[i].text, "del") != 0)
        continue;
      dels++;
      ck_assert_uint_eq(t[i].word_count, t[i].lang == TRAM_LANG_FR ? 1 : 2);
    }
    ck_assert_int_eq(dels, 3);
    tram_doc_free(doc);
    tram_analyzer_free(an);
  }
}
END_TEST

/* A long document that cycles every front slot many times (12,000
 * distinct filler words), the context-dependent sentences recurring
 * between them: every token as in a fresh analysis of its sentence. */
START_TEST(memo_long_document_evicts) {
  static const char *const tmpl[] = {
      "Dámelo ahora y Carlos dijo Dámelo del Al Gore.",
      "hacerlo y Hacerlo comprarlos Desestabilizarlo del al.",
      "Carlos, del, al, Dámelo, desestabilizarlo.",
  };
  enum { NT = 3, BLOCKS = 300, FILL = 40 };
  char *want[NT];
  for (int k = 0; k < NT; k++) {
    char one[256]; /* as in the document: blank line after */
    snprintf(one, sizeof one, "%s\n\n", tmpl[k]);
    tram_analyzer *fresh = new_an(TRAM_LANG_ES);
    want[k] = dump_with(fresh, one);
    tram_analyzer_free(fresh);
  }
  size_t cap = (size_t)BLOCKS * (FILL * 8 + 80), len = 0;
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  size_t at[BLOCKS];
  unsigned id = 0;
  for (int b = 0; b < BLOCKS; b++) {
    at[b] = len;
    len += (size_t)sprintf(text + len, "%s\n\n", tmpl[b % NT]);
    for (int f = 0; f < FILL; f++, id++) { /* consonants: plain words */
      static const char c[] = "bcdfghjkmnpqrstvwxz";
      char word[8] = {'z', 0};
      int wl = 1;
      for (unsigned v = id; v; v /= 19)
        word[wl++] = c[v % 19];
      word[wl] = 0;
      len += (size_t)sprintf(text + len, "%s ", word);
    }
    len += (size_t)sprintf(text + len, "zz.\n\n");
  }
  tram_analyzer *an = new_an(TRAM_LANG_ES);
  for (int pass = 0; pass < 2; pass++) { /* the second with warm caches */
    tram_doc *doc;
    ck_assert_int_eq(tram_analyze(an, text, len, &doc), TRAM_OK);
    check_offsets(doc, text, len);
    size_t n, i = 0;
    const tram_token *t = tram_doc_tokens(doc, &n);
    for (int b = 0; b < BLOCKS; b++) {
      while (i < n && t[i].start < at[b])
        i++;
      /* Re-dump the block's tokens with offsets relative to the block. */
      size_t j = i;
      while (j < n && t[j].end <= at[b] + strlen(tmpl[b % NT]))
        j++;
      char *got = malloc(1 << 16);
      ck_assert_ptr_nonnull(got);
      size_t o = 0;
      got[0] = 0;
      const tram_word *w = tram_doc_words(doc, NULL);
      size_t cs = t[i].cstart;
      for (size_t q = i; q < j; q++) {
        o += (size_t)snprintf(
            got + o, (1 << 16) - o, "%zu-%zu %zu-%zu %s k%d l%d f%x %s %s",
            t[q].start - at[b], t[q].end - at[b], t[q].cstart - cs,
            t[q].cend - cs, t[q].text, t[q].kind, t[q].lang,
            (unsigned)t[q].flags, t[q].norm, t[q].stem);
        for (uint32_t k = 0; k < t[q].word_count; k++)
          o += (size_t)snprintf(got + o, (1 << 16) - o, " %s%s", k ? "+" : "=",
                                w[t[q].word_first + k].form);
        got[o++] = '\n';
        got[o] = 0;
      }
      ck_assert_msg(strcmp(got, want[b % NT]) == 0,
                    "pass %d block %d:\n%s\nfresh:\n%s", pass, b, got,
                    want[b % NT]);
      free(got);
      i = j;
    }
    tram_doc_free(doc);
  }
  tram_analyzer_free(an);
  for (int k = 0; k < NT; k++)
    free(want[k]);
  free(text);
}
END_TEST

/* ---- UTF-8 decoding (text.c, 16 ASCII bytes at a time) and the offset
 * cursor (tokenize.c, runs of up to 16 ASCII bytes), checked against a
 * byte-by-byte decoder written here: one U+FFFD per maximal invalid
 * subpart (Unicode 3.9, table 3-7). */

/* Length of the UTF-8 unit at s[0..n): a whole valid character or one
 * maximal invalid subpart (*valid false). */
static size_t ref_unit(const unsigned char *s, size_t n, bool *valid) {
  unsigned char b = s[0];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  *valid = true;
  if (b < 0x80)
    return 1;
  if (b >= 0xC2 && b <= 0xDF)
    need = 1;
  else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0)
      lo = 0xA0;
    if (b == 0xED)
      hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0)
      lo = 0x90;
    if (b == 0xF4)
      hi = 0x8F;
  } else {
    *valid = false;
    return 1;
  }
  size_t k = 1;
  for (; k <= need; k++) {
    if (k >= n || s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xBF)) {
      *valid = false;
      return k;
    }
  }
  return k;
}

/* Code points in s[0..n) and, into out (when not NULL), its text with each
 * invalid subpart as U+FFFD. */
static size_t ref_decode(const char *s, size_t n, char *out) {
  size_t cps = 0, o = 0;
  for (size_t i = 0; i < n; cps++) {
    bool valid;
    size_t k = ref_unit((const unsigned char *)s + i, n - i, &valid);
    if (out) {
      if (valid)
        memcpy(out + o, s + i, k);
      else
        memcpy(out + o, "\xef\xbf\xbd", 3);
      o += valid ? k : 3;
    }
    i += k;
  }
  if (out)
    out[o] = 0;
  return cps;
}

/* Tokens, words and norms of text, checked against the reference decoder:
 * byte offsets slice the surface, code-point offsets count the reference's
 * code points, a REPLACED surface is the reference's text. */
static char *checked_dump(const char *text, size_t len) {
  tram_doc *doc = analyze_opts(text, len, TRAM_LANG_CA, 0);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  check_offsets(doc, text, len);
  size_t cap = 16 * len + 4096, o = 0;
  char *s = malloc(cap), *ref = malloc(3 * len + 1);
  ck_assert_ptr_nonnull(s);
  ck_assert_ptr_nonnull(ref);
  for (size_t i = 0; i < n; i++) {
    ck_assert_uint_eq(t[i].cstart, ref_decode(text, t[i].start, NULL));
    ck_assert_uint_eq(
        t[i].cend - t[i].cstart,
        ref_decode(text + t[i].start, t[i].end - t[i].start, ref));
    ck_assert_str_eq(t[i].text, ref);
    ck_assert_uint_eq((t[i].flags & TRAM_TOKEN_REPLACED) != 0,
                      memcmp(ref, text + t[i].start, t[i].end - t[i].start) ||
                          strlen(ref) != t[i].end - t[i].start);
    o += (size_t)snprintf(s + o, cap - o, "%zu %s k%d f%x %s %s|", t[i].cstart,
                          t[i].text, t[i].kind, (unsigned)t[i].flags, t[i].norm,
                          t[i].stem);
    ck_assert_uint_lt(o, cap);
  }
  free(ref);
  tram_doc_free(doc);
  return s;
}

/* Each awkward sequence (invalid bytes, NUL, truncated and overlong
 * sequences, encoded surrogates, 2/3/4-byte characters) at every position
 * 0..47 of ASCII prose (around the 16-byte blocks) and at the very end of
 * the buffer; each text also analysed behind one more leading space, which
 * moves every block boundary by one byte: same tokens, offsets one more. */
START_TEST(decoder_block_boundaries) {
  static const struct {
    const char *b;
    size_t n;
  } seq[] = {
      {"\xff", 1},         {"\x80", 1},
      {"\0", 1},           {"\xc3\xa9", 2},
      {"\xc3", 1},         {"\xe2\x80", 2},
      {"\xe2\x80\x99", 3}, {"\xc0\xaf", 2},
      {"\xed\xa0\x80", 3}, {"\xf0\x9f\x99\x82", 4},
      {"\xf0\x9f\x99", 3}, {"\xf4\x90\x80\x80", 4},
      {"\xef\xbf\xbd", 3}, {"\xc2\xa0", 2},
      {"\xe0\x80\x80", 3},
  };
  static const char prose[] = "la casa del poble es a prop de la platja i "
                              "el mercat obre cada dia fins tard";
  size_t pl = sizeof prose - 1;
  char *buf = malloc(pl + 16), *sh = malloc(pl + 17);
  ck_assert_ptr_nonnull(buf);
  ck_assert_ptr_nonnull(sh);
  for (size_t q = 0; q < sizeof seq / sizeof *seq; q++) {
    for (size_t at = 0; at <= 48; at++) {
      /* at == 48: the prose cut there, the sequence ending the buffer. */
      size_t len;
      if (at < 48) {
        memcpy(buf, prose, at);
        memcpy(buf + at, seq[q].b, seq[q].n);
        memcpy(buf + at + seq[q].n, prose + at, pl - at);
        len = pl + seq[q].n;
      } else {
        for (size_t cut = 15; cut <= 33; cut++) {
          memcpy(buf, prose, cut);
          memcpy(buf + cut, seq[q].b, seq[q].n);
          free(checked_dump(buf, cut + seq[q].n));
        }
        continue;
      }
      char *a = checked_dump(buf, len);
      sh[0] = ' ';
      memcpy(sh + 1, buf, len);
      char *b = checked_dump(sh, len + 1);
      /* b's code-point offsets are one more: compare by rebasing a's. */
      char *ra = malloc(strlen(a) + 4096);
      ck_assert_ptr_nonnull(ra);
      size_t o = 0;
      for (const char *p = a; *p;) {
        char *end;
        unsigned long c = strtoul(p, &end, 10);
        const char *bar = strchr(end, '|');
        o += (size_t)sprintf(ra + o, "%lu%.*s|", c + 1, (int)(bar - end), end);
        p = bar + 1;
      }
      ck_assert_msg(strcmp(ra, b) == 0, "seq %zu at %zu:\n%s\nshifted:\n%s", q,
                    at, ra, b);
      free(ra);
      free(a);
      free(b);
    }
  }
  free(buf);
  free(sh);
}
END_TEST

int main(void) {
  Suite *s = suite_create("tokenize");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, fr_elision);
  tcase_add_test(tc, elided_rest_as_a_word);
  tcase_add_test(tc, fast_path_joiners);
  tcase_add_test(tc, ascii_kinds_and_case);
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
  tcase_add_test(tc, memo_same_in_every_context);
  tcase_add_test(tc, memo_per_language);
  tcase_add_test(tc, front_contraction_words);
  tcase_add_test(tc, memo_long_document_evicts);
  tcase_add_test(tc, decoder_block_boundaries);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
