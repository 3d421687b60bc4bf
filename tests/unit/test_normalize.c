/* normalize.c: norms (NFC, lower-case, apostrophes, accent folding), stop
 * flags (model lists and the user's), stems per language, long tokens
 * without truncation, the bounded stem cache, out-of-memory paths. */
#include <check.h>
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ustring.h>

#include "internal.h"

static tram_model *model;

static void setup(void) { ck_assert_int_eq(tram_model_new_default(&model), 0); }
static void teardown(void) { tram_model_free(model); }

static tram_analyzer *analyzer(int lang, uint32_t flags, const char *stop) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = flags | TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  o.stopwords = stop;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  return an;
}

/* Analyses text and returns the token whose surface text is `surface`. */
static const tram_token *find(tram_doc *doc, const char *surface) {
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(t[i].text, surface) == 0)
      return &t[i];
  ck_abort_msg("no token %s", surface);
  return NULL;
}

static tram_doc *run(tram_analyzer *an, const char *text) {
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  return doc;
}

static bool is_stop(const tram_token *t) {
  return (t->flags & TRAM_TOKEN_STOP) != 0;
}

START_TEST(lower_case_and_nfc) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  /* "ÉCOLE", a decomposed "école" (e + U+0301), Turkish dotted İ (full
   * lower-case mapping: i + U+0307) and Greek capitals. */
  tram_doc *doc = run(an, "ÉCOLE e\xcc\x81"
                          "cole \xc4\xb0zmir \xce\x91\xce\x98\xce\x97\xce\x9d"
                          "\xce\x91");
  ck_assert_str_eq(find(doc, "ÉCOLE")->norm, "école");
  const tram_token *t = find(doc, "e\xcc\x81"
                                  "cole");
  ck_assert_str_eq(t->norm, "école"); /* composed */
  ck_assert_str_eq(t->stem, "écol");
  ck_assert_str_eq(find(doc, "\xc4\xb0zmir")->norm, "i\xcc\x87zmir");
  ck_assert_str_eq(find(doc, "\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91")->norm,
                   "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1");
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(apostrophes_fold) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  tram_doc *doc = run(an, "L\xe2\x80\x99"
                          "école et l\xca\xbc"
                          "été.");
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_ge(n, 5);
  ck_assert_str_eq(t[0].text, "L\xe2\x80\x99");
  ck_assert_str_eq(t[0].norm, "l'");
  ck_assert(is_stop(&t[0]));
  ck_assert_str_eq(t[3].text, "l\xca\xbc");
  ck_assert_str_eq(t[3].norm, "l'");
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(fold_accents) {
  tram_analyzer *plain = analyzer(TRAM_LANG_ES, 0, NULL);
  tram_analyzer *fold = analyzer(TRAM_LANG_ES, TRAM_OPT_FOLD_ACCENTS, NULL);
  const char *text = "Él comió ñandú con Ångström y PINGÜINOS";
  tram_doc *a = run(plain, text), *b = run(fold, text);
  ck_assert_str_eq(find(a, "comió")->norm, "comió");
  ck_assert_str_eq(find(b, "comió")->norm, "comio");
  ck_assert_str_eq(find(b, "ñandú")->norm, "nandu");
  ck_assert_str_eq(find(b, "Ångström")->norm, "angstrom");
  ck_assert_str_eq(find(b, "PINGÜINOS")->norm, "pinguinos");
  /* Stems and stop flags still come from the unfolded norm. */
  ck_assert_str_eq(find(a, "PINGÜINOS")->stem, find(b, "PINGÜINOS")->stem);
  ck_assert_str_eq(find(b, "PINGÜINOS")->stem, "pingüin");
  ck_assert(is_stop(find(b, "Él")));
  ck_assert_str_eq(find(b, "Él")->norm, "el");
  tram_doc_free(a);
  tram_doc_free(b);
  tram_analyzer_free(plain);
  tram_analyzer_free(fold);
}
END_TEST

START_TEST(stop_words_per_language) {
  tram_analyzer *fr = analyzer(TRAM_LANG_FR, 0, NULL);
  tram_analyzer *es = analyzer(TRAM_LANG_ES, 0, NULL);
  tram_analyzer *ca = analyzer(TRAM_LANG_CA, 0, NULL);
  tram_doc *d = run(fr, "Le chat est-il dans la maison ?");
  ck_assert(is_stop(find(d, "Le")));
  ck_assert(is_stop(find(d, "-il")));
  ck_assert(is_stop(find(d, "dans")));
  ck_assert(!is_stop(find(d, "chat")));
  ck_assert(!is_stop(find(d, "maison")));
  ck_assert(!is_stop(find(d, "?")));
  tram_doc_free(d);
  d = run(es, "Los gatos del barrio duermen en la plaza.");
  ck_assert(is_stop(find(d, "Los")));
  ck_assert(is_stop(find(d, "del")));
  ck_assert(!is_stop(find(d, "gatos")));
  ck_assert(!is_stop(find(d, "plaza")));
  tram_doc_free(d);
  d = run(ca, "Els gats de l'escola dormen a la plaça.");
  ck_assert(is_stop(find(d, "Els")));
  ck_assert(is_stop(find(d, "l'")));
  ck_assert(!is_stop(find(d, "gats")));
  ck_assert(!is_stop(find(d, "escola")));
  tram_doc_free(d);
  /* Lists are per language: Catalan "els" is not a French stop word. */
  d = run(fr, "els");
  ck_assert(!is_stop(find(d, "els")));
  tram_doc_free(d);
  tram_analyzer_free(fr);
  tram_analyzer_free(es);
  tram_analyzer_free(ca);
}
END_TEST

START_TEST(user_stop_words) {
  /* The user's list is normalised like norms: case, NFC, apostrophes. */
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0,
                               "Chat\n# a comment\n\nMAISON  \nqu\xe2\x80\x99\n"
                               "e\xcc\x81t\xc3\xa9 \n");
  tram_doc *d = run(an, "Le chat qu'on voit à la maison cet été, et le chien.");
  ck_assert(is_stop(find(d, "chat")));
  ck_assert(is_stop(find(d, "maison")));
  ck_assert(is_stop(find(d, "qu'")));
  ck_assert(is_stop(find(d, "été")));
  ck_assert(is_stop(find(d, "Le"))); /* the model's list still applies */
  ck_assert(!is_stop(find(d, "chien")));
  ck_assert(!is_stop(find(d, "voit")));
  tram_doc_free(d);
  tram_analyzer_free(an);
}
END_TEST

/* A token of one ASCII character but a letter gets its norm (itself), no
 * stem and its stop flag in the tokenizer (tram__ascii_stops), the user's
 * list included, as the normaliser would give them; with accent folding
 * the normaliser gives them. */
START_TEST(ascii_tokens_own_norm) {
  for (int fold = 0; fold < 2; fold++) {
    tram_analyzer *an =
        analyzer(TRAM_LANG_FR, fold ? TRAM_OPT_FOLD_ACCENTS : 0, ",\n+\n");
    tram_doc *d = run(an, "Un, deux ; trois. 7 + 8 = 15 $, et 9 + 1.");
    size_t n;
    const tram_token *t = tram_doc_tokens(d, &n);
    int seen = 0;
    for (size_t i = 0; i < n; i++) {
      if (strlen(t[i].text) != 1 || (t[i].text[0] | 32) >= 'a')
        continue;
      seen++;
      ck_assert_str_eq(t[i].norm, t[i].text);
      ck_assert_str_eq(t[i].stem, "");
      bool stop = t[i].text[0] == ',' || t[i].text[0] == '+';
      ck_assert_msg(is_stop(&t[i]) == stop, "%s", t[i].text);
    }
    ck_assert_int_eq(seen, 13);
    tram_doc_free(d);
    tram_analyzer_free(an);
  }
}
END_TEST

START_TEST(stems_per_language) {
  static const struct {
    int lang;
    const char *text, *word, *stem;
  } cases[] = {
      {TRAM_LANG_FR, "Les maisons nationales.", "maisons", "maison"},
      {TRAM_LANG_FR, "Les maisons nationales.", "nationales", "national"},
      {TRAM_LANG_ES, "Las ciudades nacionales.", "ciudades", "ciudad"},
      {TRAM_LANG_ES, "Las ciudades nacionales.", "nacionales", "nacional"},
      {TRAM_LANG_CA, "Les ciutats nacionals.", "ciutats", "ciut"},
      {TRAM_LANG_CA, "Les ciutats nacionals.", "nacionals", "nacion"},
      {TRAM_LANG_CA, "Les col·leccions.", "col·leccions", "col.lec"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tram_analyzer *an = analyzer(cases[i].lang, 0, NULL);
    tram_doc *d = run(an, cases[i].text);
    ck_assert_str_eq(find(d, cases[i].word)->stem, cases[i].stem);
    ck_assert_str_eq(find(d, ".")->stem, ""); /* punctuation: no stem */
    tram_doc_free(d);
    tram_analyzer_free(an);
  }
  /* Elided forms and clitics keep their norm as stem (not "-t-el"). */
  tram_analyzer *cl = analyzer(TRAM_LANG_FR, 0, NULL);
  tram_doc *d = run(cl, "L’usine a-t-elle fermé ?");
  ck_assert_str_eq(find(d, "-t-elle")->stem, "-t-elle");
  ck_assert_str_eq(find(d, "L’")->stem, "l'");
  ck_assert_str_eq(find(d, "fermé")->stem, "ferm");
  tram_doc_free(d);
  tram_analyzer_free(cl);
  /* Same word, different language, different stem. */
  tram_analyzer *fr = analyzer(TRAM_LANG_FR, 0, NULL);
  tram_analyzer *es = analyzer(TRAM_LANG_ES, 0, NULL);
  tram_doc *a = run(fr, "universidades"), *b = run(es, "universidades");
  ck_assert_str_eq(find(a, "universidades")->stem, "universidad");
  ck_assert_str_eq(find(b, "universidades")->stem, "univers");
  tram_doc_free(a);
  tram_doc_free(b);
  tram_analyzer_free(fr);
  tram_analyzer_free(es);
}
END_TEST

START_TEST(no_stem_option_and_numbers) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, TRAM_OPT_NO_STEM, NULL);
  tram_doc *d = run(an, "Les Maisons 2024");
  ck_assert_str_eq(find(d, "Maisons")->stem, "");
  ck_assert_str_eq(find(d, "Maisons")->norm, "maisons");
  tram_doc_free(d);
  tram_analyzer_free(an);
  an = analyzer(TRAM_LANG_FR, 0, NULL);
  d = run(an, "Les Maisons 2024");
  ck_assert_str_eq(find(d, "2024")->stem, "");
  ck_assert_str_eq(find(d, "2024")->norm, "2024");
  tram_doc_free(d);
  tram_analyzer_free(an);
}
END_TEST

START_TEST(other_language_has_norm_but_no_stem) {
  tram_analyzer *an = analyzer(TRAM_LANG_OTHER, 0, "house\n");
  tram_doc *d = run(an, "The Houses house");
  ck_assert_str_eq(find(d, "Houses")->norm, "houses");
  ck_assert_str_eq(find(d, "Houses")->stem, "");
  ck_assert(is_stop(find(d, "house")));
  tram_doc_free(d);
  const char *s;
  size_t sl;
  ck_assert_int_eq(tram__stem(an, TRAM_LANG_OTHER, "houses", 6, &s, &sl),
                   TRAM_ELANG);
  ck_assert_int_eq(tram__stem(an, TRAM_LANG_FR, "maisons", 7, &s, &sl), 0);
  ck_assert_str_eq(s, "maison");
  ck_assert_uint_eq(sl, 6);
  tram_analyzer_free(an);
}
END_TEST

/* Long tokens keep their whole norm (no fixed-size buffer). */
START_TEST(long_tokens_not_truncated) {
  size_t n = 20000;
  /* "AÉ" repeated: the fast path; then "É" decomposed: the ICU path. */
  for (int variant = 0; variant < 2; variant++) {
    const char *unit = variant ? "Ae\xcc\x81" : "A\xc3\x89";
    size_t ul = strlen(unit);
    char *text = malloc(n * ul + 1);
    for (size_t i = 0; i < n; i++)
      memcpy(text + i * ul, unit, ul);
    text[n * ul] = 0;
    tram_analyzer *an = analyzer(TRAM_LANG_FR, TRAM_OPT_FOLD_ACCENTS, NULL);
    tram_doc *d;
    ck_assert_int_eq(tram_analyze(an, text, n * ul, &d), TRAM_OK);
    size_t nt;
    const tram_token *t = tram_doc_tokens(d, &nt);
    ck_assert_uint_eq(nt, 1);
    ck_assert_uint_eq(strlen(t[0].norm), 2 * n); /* "ae" n times */
    for (size_t i = 0; i < n; i++)
      ck_assert(t[0].norm[2 * i] == 'a' && t[0].norm[2 * i + 1] == 'e');
    ck_assert_uint_gt(strlen(t[0].stem), n); /* stemmed whole */
    tram_doc_free(d);
    tram_analyzer_free(an);
    free(text);
  }
}
END_TEST

START_TEST(norm16_and_surrogates) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  /* "Ꭰ😀É" with an unpaired surrogate at the end. */
  UChar u[] = {0x13A0, 0xD83D, 0xDE00, 0x00C9, 0xD800};
  const char *out;
  size_t len;
  ck_assert_int_eq(tram__norm16(an, u, 5, false, &out, &len), 0);
  ck_assert_str_eq(out, "\xea\xad\xb0\xf0\x9f\x98\x80\xc3\xa9\xef\xbf\xbd");
  ck_assert_uint_eq(len, strlen(out));
  ck_assert_int_eq(tram__norm16(an, u + 3, 1, true, &out, &len), 0);
  ck_assert_str_eq(out, "e");
  tram_analyzer_free(an);
}
END_TEST

/* The fast path (code units below U+0300) gives exactly ICU's full
 * lower-case mapping + NFC (+ the apostrophe fold), for every such
 * character, alone and after a capital letter. */
START_TEST(fast_path_matches_icu) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
  ck_assert(U_SUCCESS(st));
  for (UChar c = 1; c < 0x300; c++) {
    UChar in[2] = {'E', c}, low[8], norm[16];
    for (int32_t k = 1; k <= 2; k++) {
      const UChar *src = k == 1 ? in + 1 : in;
      st = U_ZERO_ERROR;
      int32_t m = u_strToLower(low, 8, src, k, "", &st);
      int32_t n = unorm2_normalize(nfc, low, m, norm, 16, &st);
      ck_assert(U_SUCCESS(st));
      for (int32_t i = 0; i < n; i++) /* ’ and ʼ fold to ' by design */
        if (norm[i] == 0x2019 || norm[i] == 0x02BC)
          norm[i] = '\'';
      char want[64];
      int32_t wl;
      u_strToUTF8(want, sizeof want, &wl, norm, n, &st);
      ck_assert(U_SUCCESS(st));
      const char *got;
      size_t gl;
      ck_assert_int_eq(tram__norm16(an, src, k, false, &got, &gl), 0);
      ck_assert_msg(gl == (size_t)wl && memcmp(got, want, gl) == 0,
                    "U+%04X: got %s, ICU %s", c, got, want);
    }
  }
  tram_analyzer_free(an);
}
END_TEST

/* The stem cache stays bounded over an endless stream of new words, and
 * stems stay right across the resets. */
START_TEST(stem_cache_bounded) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  char w[32];
  size_t max = 0;
  for (long i = 0; i < 140000; i++) {
    int k = snprintf(w, sizeof w, "maison%ldes", i);
    const char *s;
    size_t sl;
    ck_assert_int_eq(tram__stem(an, TRAM_LANG_FR, w, (size_t)k, &s, &sl), 0);
    size_t c = tram__map_count(an->stem_cache[TRAM_LANG_FR]);
    if (c > max)
      max = c;
  }
  ck_assert_uint_le(max, 131072);
  ck_assert_uint_gt(max, 100000);
  const char *s;
  size_t sl;
  ck_assert_int_eq(tram__stem(an, TRAM_LANG_FR, "maisons", 7, &s, &sl), 0);
  ck_assert_str_eq(s, "maison");
  tram_analyzer_free(an);
}
END_TEST

/* A front hit gives what the full path gave: the second occurrence of each
 * word (found in the front by its surface) against the first (computed),
 * for norms that are and are not the surface, stems that are the norm, a
 * prefix of it or neither, stop words, elided forms, and surfaces near the
 * size the front holds. */
START_TEST(front_hits_match_first_occurrences) {
  static const char *const words[] = {
      "maisons",
      "Maisons",
      "MAISONS",
      "la",
      "La",
      "l'",
      "L’",
      "étés",
      "Étés",
      "nación",
      "NACIÓN",
      "está",
      "Está",
      "Ρόδος",
      "x",
      "anticonstitutionnellement",
      "Anticonstitutionnellement",
      "intergouvernementalisations",                            /* 27 bytes */
      "Intergouvernementalisationsintergouvernementalisation",  /* 53 */
      "Intergouvernementalisationsintergouvernementalisations", /* 54 */
      "Intergouvernementalisationsintergouvernementalisationss"};
  size_t nw = sizeof words / sizeof *words;
  for (int lang = TRAM_LANG_FR; lang <= TRAM_LANG_CA; lang++) {
    tram_analyzer *an = analyzer(lang, 0, NULL);
    char text[2048] = "";
    for (int round = 0; round < 3; round++)
      for (size_t i = 0; i < nw; i++) {
        strcat(text, words[i]);
        strcat(text, " ");
      }
    tram_doc *doc = run(an, text);
    size_t n;
    const tram_token *t = tram_doc_tokens(doc, &n);
    ck_assert_uint_eq(n % 3, 0);
    for (size_t i = 0; i < n / 3; i++)
      for (size_t r = 1; r < 3; r++) {
        const tram_token *u = &t[i + r * (n / 3)];
        ck_assert_str_eq(u->text, t[i].text);
        ck_assert_str_eq(u->norm, t[i].norm);
        ck_assert_str_eq(u->stem, t[i].stem);
        ck_assert_uint_eq(u->flags & TRAM_TOKEN_STOP,
                          t[i].flags & TRAM_TOKEN_STOP);
      }
    ck_assert_str_eq(t[2].norm, "maisons");
    if (lang == TRAM_LANG_FR)
      ck_assert_str_eq(t[0].stem, "maison");
    tram_doc_free(doc);
    tram_analyzer_free(an);
  }
}
END_TEST

/* A plain word whose norm the front knows gets norm, stem and stop flag in
 * the tokenizer (front.h), on the second document here: every token of it
 * as in the first (all made by the normaliser), for each language and
 * option set (stems off, accents folded, user stop words), with norms that
 * are and are not the surface, stems that are the norm, begin it or not. */
START_TEST(tokenizer_fill_matches_normaliser) {
  static const char text[] =
      "Maisons maisons MAISONS la La les nación NACIÓN está Está étés Étés "
      "casa Casa cases x X Ρόδος anticonstitutionnellement "
      "Anticonstitutionnellement intergouvernementalisations "
      "Intergouvernementalisations intergouvernementalisationss, et "
      "\xc3\xa9t\xc3\xa9 \xc3\x89t\xc3\xa9 l'ami l'Ami.";
  static const uint32_t flags[] = {0, TRAM_OPT_NO_STEM, TRAM_OPT_FOLD_ACCENTS,
                                   0};
  for (int lang = TRAM_LANG_FR; lang <= TRAM_LANG_CA; lang++)
    for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
      tram_analyzer *an =
          analyzer(lang, flags[f], f == 3 ? "maisons\nCasa\nX" : NULL);
      tram_doc *first = run(an, text);
      tram_doc *second = run(an, text);
      size_t n, m;
      const tram_token *a = tram_doc_tokens(first, &n);
      const tram_token *b = tram_doc_tokens(second, &m);
      ck_assert_uint_eq(n, m);
      for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(b[i].text, a[i].text);
        ck_assert_str_eq(b[i].norm, a[i].norm);
        ck_assert_str_eq(b[i].stem, a[i].stem);
        ck_assert_uint_eq(b[i].flags, a[i].flags);
      }
      const tram_token *t = find(second, "Maisons");
      ck_assert_str_eq(t->norm, "maisons");
      ck_assert_uint_eq(is_stop(t), f == 3);
      if (lang == TRAM_LANG_FR && flags[f] == 0)
        ck_assert_str_eq(t->stem, "maison");
      if (flags[f] == TRAM_OPT_NO_STEM)
        ck_assert_str_eq(t->stem, "");
      if (flags[f] == TRAM_OPT_FOLD_ACCENTS)
        ck_assert_str_eq(find(second, "NACIÓN")->norm, "nacion");
      tram_doc_free(first);
      tram_doc_free(second);
      tram_analyzer_free(an);
    }
}
END_TEST

/* French and Spanish norms of Latin-1 characters are stemmed by Snowball's
 * ISO-8859-1 stemmers (faster there): the stems must be the UTF-8
 * stemmers' own, for words with and without accents, with characters above
 * U+00FF (UTF-8 route) and at the length limit. */
START_TEST(latin1_stemmers_agree) {
  static const char *const words[] = {"nationalités",
                                      "maisons",
                                      "éléphants",
                                      "cœurs",
                                      "ça",
                                      "naïveté",
                                      "noël",
                                      "français",
                                      "niños",
                                      "canción",
                                      "corazón",
                                      "pingüino",
                                      "relámpagos",
                                      "ñandú",
                                      "ŀlegalitat",
                                      "a",
                                      "é",
                                      "ÿ",
                                      "œuvres",
                                      "québécoises",
                                      "ΡΌΔΟΣ",
                                      "x\xc2\xb7y",
                                      "caminábamos",
                                      "àéîõü"};
  static const struct {
    int lang;
    const char *algorithm;
  } langs[] = {{TRAM_LANG_FR, "french"},
               {TRAM_LANG_ES, "spanish"},
               {TRAM_LANG_CA, "catalan"}};
  for (size_t l = 0; l < 3; l++) {
    tram_analyzer *an = analyzer(langs[l].lang, 0, NULL);
    struct sb_stemmer *ref = sb_stemmer_new(langs[l].algorithm, "UTF_8");
    ck_assert_ptr_nonnull(ref);
    char longw[257];
    memset(longw, 'a', 256); /* STEM_MAX_BYTES */
    longw[254] = '\xc3';
    longw[255] = '\xa9';
    longw[256] = 0;
    for (size_t i = 0; i <= sizeof words / sizeof *words; i++) {
      const char *w = i < sizeof words / sizeof *words ? words[i] : longw;
      const char *s;
      size_t sl;
      ck_assert_int_eq(tram__stem(an, langs[l].lang, w, strlen(w), &s, &sl),
                       TRAM_OK);
      const sb_symbol *r =
          sb_stemmer_stem(ref, (const sb_symbol *)w, (int)strlen(w));
      ck_assert_ptr_nonnull(r);
      ck_assert_uint_eq(sl, (size_t)sb_stemmer_length(ref));
      ck_assert_msg(memcmp(s, r, sl) == 0, "%s: %.*s", w, (int)sl, s);
    }
    sb_stemmer_delete(ref);
    tram_analyzer_free(an);
  }
}
END_TEST

/* Over more words than the front holds (32,768: evictions, both ways), every
 * token's stem is Snowball's stem of its norm, as a second analyzer that
 * only stems says. */
START_TEST(front_evictions) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  tram_analyzer *ref = analyzer(TRAM_LANG_FR, 0, NULL);
  static const char *const ends[] = {"ations", "ement", "euses", "ités",
                                     "er",     "ais",   "aient", "é"};
  tram_buf b;
  tram__buf_init(&b);
  unsigned x = 1;
  for (int i = 0; i < 100000; i++) {
    x = x * 1103515245u + 12345u; /* many words, then a few over and over */
    unsigned w = (x >> 8) % (i < 70000 ? 48000u : 400u);
    tram__buf_printf(&b, "%s%c%c%c%c%s ", w % 3 ? "par" : "Par",
                     'a' + (int)(w % 26), 'a' + (int)(w / 26 % 26),
                     'a' + (int)(w / 676 % 26), 'a' + (int)(w / 17576 % 26),
                     ends[w % 8]);
  }
  ck_assert(!b.failed);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, b.data, b.len, &doc), 0);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  ck_assert_uint_eq(n, 100000);
  for (size_t i = 0; i < n; i++) {
    const char *s;
    size_t sl;
    ck_assert_int_eq(
        tram__stem(ref, TRAM_LANG_FR, t[i].norm, strlen(t[i].norm), &s, &sl),
        0);
    ck_assert_str_eq(t[i].stem, s);
  }
  tram_doc_free(doc);
  tram__buf_free(&b);
  tram_analyzer_free(ref);
  tram_analyzer_free(an);
}
END_TEST

/* A word first met where no stem is asked for (a number token, say) is in
 * the word cache and its front without a stem; the same surface as a word
 * token later must get its stem all the same. The tokenizer gives a
 * surface one kind, so the doc is made by hand here. */
START_TEST(stem_asked_after_a_word_without) {
  tram_analyzer *an = analyzer(TRAM_LANG_FR, 0, NULL);
  static const char text[] = "maisons maisons maisons";
  int32_t len = (int32_t)strlen(text);
  an->u16 = tram__malloc(sizeof(UChar) * (size_t)len);
  ck_assert_ptr_nonnull(an->u16);
  for (int32_t i = 0; i < len; i++)
    an->u16[i] = (UChar)text[i];
  an->u16_len = an->u16_cap = len;
  tram_doc *doc = tram__calloc(1, sizeof *doc);
  ck_assert_ptr_nonnull(doc);
  tram__vec_init(&doc->tokens, sizeof(tram_token));
  tram__arena_init(&doc->strings);
  an->spans.len = 0;
  for (int i = 0; i < 3; i++) {
    tram_token *t = tram__vec_push(&doc->tokens);
    tram_span16 *sp = tram__vec_push(&an->spans);
    ck_assert(t && sp);
    t->start = (size_t)(8 * i);
    t->end = t->start + 7;
    t->text = tram__arena_strndup(&doc->strings, "maisons", 7);
    t->kind = i == 0 ? TRAM_KIND_NUMBER : TRAM_KIND_WORD;
    t->lang = TRAM_LANG_FR;
    t->word_count = 1;
    sp->s = 8 * i;
    sp->e = sp->s + 7;
  }
  ck_assert_int_eq(tram__normalize(an, doc), 0);
  const tram_token *t = TRAM_VEC_AT(&doc->tokens, tram_token, 0);
  ck_assert_str_eq(t[0].norm, "maisons");
  ck_assert_ptr_null(t[0].stem);         /* not asked for */
  ck_assert_str_eq(t[1].stem, "maison"); /* computed */
  ck_assert_str_eq(t[2].stem, "maison"); /* from the front */
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

/* Every allocation of analyzer set-up with stop words and of an analysis
 * with accent folding may fail: TRAM_ENOMEM, no crash, no leak (ASan). The
 * loop ends when the failure point lies past the last allocation. */
START_TEST(out_of_memory) {
  const char *text = "L’ÉCOLE e\xcc\x81t\xc3\xa9 des maisons, qu’il dit.";
  bool done = false;
  long k;
  for (k = 1; k < 5000 && !done; k++) {
    tram_options o;
    tram_options_init(&o);
    o.lang = TRAM_LANG_FR;
    o.flags = TRAM_OPT_FOLD_ACCENTS | TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
    o.stopwords = "Chat\nÉté\n";
    tram__alloc_fail_at(k);
    tram_analyzer *an = NULL;
    tram_doc *d = NULL;
    int rc = tram_analyzer_new(model, &o, &an);
    if (rc == TRAM_OK)
      rc = tram_analyze(an, text, strlen(text), &d);
    done = tram__alloc_count() < k;
    tram__alloc_fail_at(0);
    ck_assert_msg(rc == TRAM_OK || rc == TRAM_ENOMEM, "k=%ld rc=%d", k, rc);
    if (done) {
      ck_assert_int_eq(rc, TRAM_OK);
      size_t n;
      const tram_token *t = tram_doc_tokens(d, &n);
      ck_assert_uint_eq(n, 10);
      ck_assert_str_eq(t[1].norm, "ecole");
      ck_assert_str_eq(t[2].norm, "ete");
      ck_assert(is_stop(&t[2]));
    }
    tram_doc_free(d);
    tram_analyzer_free(an);
  }
  ck_assert(done);
  ck_assert_int_gt(k, 20); /* the injection did reach the allocations */
}
END_TEST

static TCase *tcase(Suite *s, const char *name) {
  TCase *tc = tcase_create(name);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  return tc;
}

int main(void) {
  Suite *s = suite_create("normalize");
  TCase *tc = tcase(s, "norm");
  tcase_add_test(tc, lower_case_and_nfc);
  tcase_add_test(tc, apostrophes_fold);
  tcase_add_test(tc, fold_accents);
  tcase_add_test(tc, norm16_and_surrogates);
  tcase_add_test(tc, fast_path_matches_icu);
  tc = tcase(s, "stop");
  tcase_add_test(tc, stop_words_per_language);
  tcase_add_test(tc, user_stop_words);
  tcase_add_test(tc, ascii_tokens_own_norm);
  tc = tcase(s, "stem");
  tcase_add_test(tc, stems_per_language);
  tcase_add_test(tc, latin1_stemmers_agree);
  tcase_add_test(tc, no_stem_option_and_numbers);
  tcase_add_test(tc, other_language_has_norm_but_no_stem);
  tc = tcase(s, "long");
  tcase_add_test(tc, long_tokens_not_truncated);
  tc = tcase(s, "cache");
  tcase_add_test(tc, stem_cache_bounded);
  tcase_add_test(tc, front_hits_match_first_occurrences);
  tcase_add_test(tc, tokenizer_fill_matches_normaliser);
  tcase_add_test(tc, front_evictions);
  tcase_add_test(tc, stem_asked_after_a_word_without);
  tc = tcase(s, "oom");
  tcase_add_test(tc, out_of_memory);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
