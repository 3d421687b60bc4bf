/* Entities stage: the document pass that turns ORG mentions into
 * organisations (keys, articles and elision, acronyms, propagation,
 * canonical names), the labeller on the embedded model, and the NER model
 * loader's checks. Sentences written for these tests. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "entities.h"

static tram_model *model;

static void setup(void) {
  ck_assert_int_eq(tram_model_new_default(&model), TRAM_OK);
}
static void teardown(void) { tram_model_free(model); }

/* Analyses `text` without entities, then runs the document pass with the
 * labels given as "word=LABEL" marks: every token whose text is listed in
 * `b` (space-separated, "Word@k" for its k-th occurrence) gets B-/I- of
 * `type` through `span` tokens. */
typedef struct mark {
  const char *word;
  int nth; /* 1-based occurrence */
  int span, type;
} mark;

static tram_doc *doc_with(const char *text, int lang, const mark *marks,
                          size_t nmarks) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  size_t n;
  const tram_token *t = tram_doc_tokens(doc, &n);
  uint8_t *lab = calloc(n + 1, 1);
  for (size_t k = 0; k < nmarks; k++) {
    int seen = 0;
    size_t i = 0;
    for (; i < n; i++)
      if (strcmp(t[i].text, marks[k].word) == 0 && ++seen == marks[k].nth)
        break;
    ck_assert_msg(i < n, "no token %s #%d", marks[k].word, marks[k].nth);
    for (int j = 0; j < marks[k].span; j++)
      lab[i + j] =
          (uint8_t)(j ? TRAM_NER_I(marks[k].type) : TRAM_NER_B(marks[k].type));
  }
  ck_assert_int_eq(tram__entities_from_labels(an, doc, lab), TRAM_OK);
  free(lab);
  tram_analyzer_free(an);
  return doc;
}

static const tram_organisation *org_named(const tram_doc *doc,
                                          const char *name) {
  size_t n;
  const tram_organisation *o = tram_doc_organisations(doc, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(o[i].name, name) == 0)
      return &o[i];
  return NULL;
}

static bool has_alias(const tram_organisation *o, const char *a) {
  for (uint32_t i = 0; i < o->alias_count; i++)
    if (strcmp(o->aliases[i], a) == 0)
      return true;
  return false;
}

static const char fr_text[] =
    "La Fédération des Jardins Ouvriers a tenu son congrès à Lille. "
    "Selon la fédération des jardins ouvriers, les parcelles manquent. "
    "La FJO demande des terrains. "
    "Des membres de l’Union des Jardiniers Bénévoles sont venus aussi.";

START_TEST(grouping_article_propagation_acronym) {
  /* The mentions the labeller might give: the first with its article inside
   * the span, the lower-case repetition and the acronym unlabelled, the
   * second organisation with its elided article. */
  const mark m[] = {{"La", 1, 5, TRAM_ENT_ORG},
                    {"Lille", 1, 1, TRAM_ENT_LOC},
                    {"l’", 1, 5, TRAM_ENT_ORG}};
  tram_doc *doc = doc_with(fr_text, TRAM_LANG_FR, m, 3);
  size_t no, ne;
  const tram_organisation *orgs = tram_doc_organisations(doc, &no);
  const tram_entity *e = tram_doc_entities(doc, &ne);
  ck_assert_uint_eq(no, 2);
  /* canonical name: the most complete, capitalised form */
  const tram_organisation *f =
      org_named(doc, "La Fédération des Jardins Ouvriers");
  if (!f)
    f = org_named(doc, "Fédération des Jardins Ouvriers");
  ck_assert_ptr_nonnull(f);
  /* the lower-case repetition and the acronym were propagated to it */
  ck_assert_uint_eq(f->mentions, 3);
  ck_assert(has_alias(f, "FJO"));
  ck_assert(has_alias(f, "fédération des jardins ouvriers"));
  /* the elided article is not part of the second organisation's name */
  const tram_organisation *u = org_named(doc, "Union des Jardiniers Bénévoles");
  ck_assert_ptr_nonnull(u);
  ck_assert_uint_eq(u->mentions, 1);
  ck_assert_uint_eq(u->alias_count, 0);
  ck_assert_int_ne(f->id, u->id);
  /* every ORG entity points at an organisation, the others at -1 */
  int orgs_seen = 0;
  for (size_t i = 0; i < ne; i++) {
    if (e[i].type == TRAM_ENT_ORG) {
      ck_assert_int_ge(e[i].org, 0);
      ck_assert_int_lt(e[i].org, (int)no);
      orgs_seen++;
    } else {
      ck_assert_int_eq(e[i].org, -1);
    }
    ck_assert_uint_eq(e[i].end - e[i].start, strlen(e[i].text));
    ck_assert(memcmp(fr_text + e[i].start, e[i].text, strlen(e[i].text)) == 0);
  }
  ck_assert_int_eq(orgs_seen, 4);
  (void)orgs;
  tram_doc_free(doc);
}
END_TEST

START_TEST(article_and_case_ignored_in_keys) {
  /* Catalan: "l'Associació …" and "Associació …" in another case are one
   * organisation; a LOC label on a repetition is overridden. */
  const char *text =
      "L'Associació de Veïns del Carmel ha presentat un pla. "
      "Els socis de l'ASSOCIACIÓ DE VEÏNS DEL CARMEL hi estan d'acord. "
      "Associació de Veïns del Carmel: una entitat activa.";
  const mark m[] = {{"L'", 1, 6, TRAM_ENT_ORG},
                    {"ASSOCIACIÓ", 1, 5, TRAM_ENT_LOC}};
  tram_doc *doc = doc_with(text, TRAM_LANG_CA, m, 2);
  size_t no;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 1);
  ck_assert_uint_eq(o[0].mentions, 3);
  size_t ne;
  const tram_entity *e = tram_doc_entities(doc, &ne);
  for (size_t i = 0; i < ne; i++)
    ck_assert_int_eq(e[i].type, TRAM_ENT_ORG);
  tram_doc_free(doc);
}
END_TEST

START_TEST(no_acronym_without_expansion) {
  /* An upper-case word that spells nobody's initials stays as labelled;
   * stop words are skipped when computing initials (Banco de la Tierra
   * Unida = BTU, not BDLTU). */
  const char *text = "El Banco de la Tierra Unida abre en Soria. "
                     "El BTU y la ONCE colaboran.";
  const mark m[] = {{"Banco", 1, 5, TRAM_ENT_ORG}};
  tram_doc *doc = doc_with(text, TRAM_LANG_ES, m, 1);
  size_t no;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 1);
  ck_assert_uint_eq(o[0].mentions, 2);
  ck_assert_uint_eq(o[0].alias_count, 1);
  ck_assert_str_eq(o[0].aliases[0], "BTU");
  tram_doc_free(doc);
}
END_TEST

START_TEST(branch_joins_its_organisation) {
  /* "X Y" (a regional branch) joins X; X stays the name. */
  const char *text = "Les adhérents de Terre Vive Gironde ont rejoint Terre "
                     "Vive en mars. Terre Vive compte dix antennes.";
  const mark m[] = {{"Terre", 1, 3, TRAM_ENT_ORG},
                    {"Terre", 2, 2, TRAM_ENT_ORG}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 2);
  size_t no;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 1);
  ck_assert_str_eq(o[0].name, "Terre Vive");
  ck_assert_uint_eq(o[0].mentions, 3);
  ck_assert(has_alias(&o[0], "Terre Vive Gironde"));
  tram_doc_free(doc);
}
END_TEST

START_TEST(apposition_makes_an_organisation) {
  /* "X, cette entreprise …": X is an organisation even when labelled a
   * place; a place followed by a place noun stays one. */
  const char *text =
      "Quant à Terrabela, cette entreprise forme des cuisiniers. "
      "À Lisieux, la ville voisine, on attend.";
  const mark m[] = {{"Terrabela", 1, 1, TRAM_ENT_LOC},
                    {"Lisieux", 1, 1, TRAM_ENT_LOC}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 2);
  size_t ne, no;
  const tram_entity *e = tram_doc_entities(doc, &ne);
  tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(ne, 2);
  ck_assert_str_eq(e[0].text, "Terrabela");
  ck_assert_int_eq(e[0].type, TRAM_ENT_ORG);
  ck_assert_int_eq(e[0].org, 0);
  ck_assert_int_eq(e[1].type, TRAM_ENT_LOC);
  ck_assert_uint_eq(no, 1);
  tram_doc_free(doc);
}
END_TEST

START_TEST(labeller_finds_organisations) {
  /* The embedded model on plain sentences: the org-head nouns and legal
   * forms are cues it learned from its training data. */
  const char *text =
      "L'Ajuntament de Girona i la Fundació Vila Casas han signat un "
      "conveni. Segons l'Ajuntament de Girona, el projecte començarà al "
      "gener.";
  tram_options o;
  tram_options_init(&o);
  o.lang = TRAM_LANG_CA;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(an, text, strlen(text), &doc), TRAM_OK);
  const tram_organisation *aj = org_named(doc, "Ajuntament de Girona");
  ck_assert_ptr_nonnull(aj);
  ck_assert_uint_eq(aj->mentions, 2);
  size_t ne;
  const tram_entity *e = tram_doc_entities(doc, &ne);
  ck_assert_uint_ge(ne, 2);
  for (size_t i = 0; i < ne; i++) {
    ck_assert(e[i].score > 0 && e[i].score <= 1);
    ck_assert_uint_eq(e[i].end - e[i].start, strlen(e[i].text));
  }
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
END_TEST

/* ---- the document type pass (tram__ner_docfix): labels forced as the
 * labeller might give them, the pass corrects their types. */

static const tram_entity *ent_text(const tram_doc *doc, const char *text) {
  size_t n;
  const tram_entity *e = tram_doc_entities(doc, &n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(e[i].text, text) == 0)
      return &e[i];
  return NULL;
}

START_TEST(docpass_known_place_over_person) {
  /* a gazetteer place typed as a person becomes a place, also written
   * without its hyphen and with a stray plural; a surname of a person
   * named in full elsewhere stays a person */
  const char *text = "Valladolid a reçu les délégués du Pays Bas. "
                     "Ana Soria dirige le salon. Soria a remercié tout le "
                     "monde.";
  const mark m[] = {{"Valladolid", 1, 1, TRAM_ENT_PER},
                    {"Pays", 1, 2, TRAM_ENT_PER},
                    {"Ana", 1, 2, TRAM_ENT_PER},
                    {"Soria", 2, 1, TRAM_ENT_PER}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 4);
  const tram_entity *v = ent_text(doc, "Valladolid");
  const tram_entity *p = ent_text(doc, "Pays Bas");
  const tram_entity *s = ent_text(doc, "Soria");
  ck_assert_ptr_nonnull(v);
  ck_assert_ptr_nonnull(p);
  ck_assert_ptr_nonnull(s);
  ck_assert_int_eq(v->type, TRAM_ENT_LOC);
  ck_assert_int_eq(p->type, TRAM_ENT_LOC);
  ck_assert_int_eq(s->type, TRAM_ENT_PER);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_place_preposition) {
  /* an unknown "person" right after "en" is a place; one with a given
   * name or an initial stays a person */
  const char *text = "Elle a vécu en Zembla puis à Pierre Vautrin de "
                     "verser la somme, et à J. Corvel aussi.";
  const mark m[] = {{"Zembla", 1, 1, TRAM_ENT_PER},
                    {"Pierre", 1, 2, TRAM_ENT_PER},
                    {"J.", 1, 2, TRAM_ENT_PER}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 3);
  size_t n;
  const tram_entity *e = tram_doc_entities(doc, &n);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(e[0].text, "Zembla");
  ck_assert_int_eq(e[0].type, TRAM_ENT_LOC);
  ck_assert_int_eq(e[1].type, TRAM_ENT_PER);
  ck_assert_int_eq(e[2].type, TRAM_ENT_PER);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_brand_like_word) {
  /* inner capitals make a brand, not a person; a surname prefix does
   * not */
  const char *text = "Le projet WebCorp recrute, dit McBride hier.";
  const mark m[] = {{"WebCorp", 1, 1, TRAM_ENT_PER},
                    {"McBride", 1, 1, TRAM_ENT_PER}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 2);
  const tram_entity *w = ent_text(doc, "WebCorp");
  const tram_entity *b = ent_text(doc, "McBride");
  ck_assert_ptr_nonnull(w);
  ck_assert_ptr_nonnull(b);
  ck_assert_int_eq(w->type, TRAM_ENT_ORG);
  ck_assert_int_ge(w->org, 0);
  ck_assert_int_eq(b->type, TRAM_ENT_PER);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_enumeration) {
  /* a list with a brand-like item: its unknown items are organisations
   * (labelled or not); a list of known places with one organisation is
   * left alone */
  const char *text = "Les partenaires (Axiona, Belvento, TerraNova, Quirel) "
                     "signent. Ils passent par Lyon, Nantes, Rennes et "
                     "Brest.";
  const mark m[] = {{"Axiona", 1, 1, TRAM_ENT_LOC},
                    {"Lyon", 1, 1, TRAM_ENT_LOC},
                    {"Nantes", 1, 1, TRAM_ENT_ORG},
                    {"Rennes", 1, 1, TRAM_ENT_LOC}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 4);
  const char *orgs[] = {"Axiona", "Belvento", "TerraNova", "Quirel"};
  for (size_t i = 0; i < 4; i++) {
    const tram_entity *e = ent_text(doc, orgs[i]);
    ck_assert_msg(e && e->type == TRAM_ENT_ORG, "%s", orgs[i]);
  }
  ck_assert_int_eq(ent_text(doc, "Lyon")->type, TRAM_ENT_LOC);
  ck_assert_int_eq(ent_text(doc, "Rennes")->type, TRAM_ENT_LOC);
  size_t no;
  tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 5); /* the four, and the labeller's Nantes */
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_place_inside_other_words) {
  /* "X de Y" typed as a place where only Y is one; a plural head noun
   * before a place; a span opening with "de"; a known place of two
   * words the labeller missed */
  const char *text = "Le grand Atelier de Lisbonne ouvre. Les Régions "
                     "Bretagne et Normandie votent. Les élus de Catalogne "
                     "partent vers les Îles Canaries demain.";
  const mark m[] = {{"Atelier", 1, 3, TRAM_ENT_LOC},
                    {"Régions", 1, 2, TRAM_ENT_ORG},
                    {"de", 2, 2, TRAM_ENT_ORG}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 3);
  size_t n, no;
  const tram_entity *e = tram_doc_entities(doc, &n);
  tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 0);
  const char *locs[] = {"Lisbonne", "Bretagne", "Catalogne", "Îles Canaries"};
  for (size_t i = 0; i < 4; i++) {
    const tram_entity *x = ent_text(doc, locs[i]);
    ck_assert_msg(x && x->type == TRAM_ENT_LOC, "%s", locs[i]);
  }
  for (size_t i = 0; i < n; i++)
    ck_assert_ptr_null(strstr(e[i].text, "Atelier"));
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_common_noun_uses) {
  /* a lone function word, a word after a superlative (and its other
   * occurrences), a number then a word: no names */
  const char *text = "Et voilà. On visite le plus grand Makerlab du pays. "
                     "Le Makerlab forme des jeunes. Il compte 3 Salles.";
  const mark m[] = {{"Et", 1, 1, TRAM_ENT_MISC},
                    {"Makerlab", 1, 1, TRAM_ENT_ORG},
                    {"Makerlab", 2, 1, TRAM_ENT_ORG},
                    {"3", 1, 2, TRAM_ENT_LOC}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 4);
  size_t n;
  tram_doc_entities(doc, &n);
  ck_assert_uint_eq(n, 0);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_branch_of_organisation) {
  /* "X Y" typed as a thing, where X alone is an organisation: a branch of
   * X */
  const char *text = "Terravia ouvre un site. Terravia Lisieux recrute.";
  const mark m[] = {{"Terravia", 1, 1, TRAM_ENT_ORG},
                    {"Terravia", 2, 2, TRAM_ENT_MISC}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 2);
  size_t no;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 1);
  ck_assert_str_eq(o[0].name, "Terravia");
  ck_assert_uint_eq(o[0].mentions, 2);
  ck_assert(has_alias(&o[0], "Terravia Lisieux"));
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_foreign_organisation_head) {
  /* in French, a Catalan or Spanish organisation head noun opens a name
   * kept in its language; in Spanish the same noun is a common noun */
  const char *fr = "Ensuite Cooperativa solidària accueille les visiteurs.";
  tram_doc *doc = doc_with(fr, TRAM_LANG_FR, NULL, 0);
  size_t no;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 1);
  ck_assert_str_eq(o[0].name, "Cooperativa solidària");
  tram_doc_free(doc);
  const char *es = "Ayer Cooperativa solidaria abrió sus puertas.";
  doc = doc_with(es, TRAM_LANG_ES, NULL, 0);
  tram_doc_organisations(doc, &no);
  ck_assert_uint_eq(no, 0);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_majority_type) {
  /* one sense per discourse: the mentions of a name take the type most of
   * them have */
  const char *text = "Hier, Brandelo a signé. Selon Brandelo, tout va bien. "
                     "Le contrat de Brandelo expire.";
  const mark m[] = {{"Brandelo", 1, 1, TRAM_ENT_ORG},
                    {"Brandelo", 2, 1, TRAM_ENT_ORG},
                    {"Brandelo", 3, 1, TRAM_ENT_PER}};
  tram_doc *doc = doc_with(text, TRAM_LANG_FR, m, 3);
  size_t no, ne;
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  tram_doc_entities(doc, &ne);
  ck_assert_uint_eq(ne, 3);
  ck_assert_uint_eq(no, 1);
  ck_assert_uint_eq(o[0].mentions, 3);
  tram_doc_free(doc);
}
END_TEST

START_TEST(docpass_word_lists_loaded) {
  /* the default model has the pass's word lists; a model without them
   * gives an empty list, and the pass still runs */
  tram_ner_docpass *dp = NULL;
  size_t bad = 0;
  ck_assert_int_eq(tram__ner_docpass_new(model, &dp, &bad), TRAM_OK);
  ck_assert_ptr_nonnull(dp);
  tram__ner_docpass_free(dp);
  ck_assert_int_eq(tram__ner_docpass_new(NULL, &dp, &bad), TRAM_OK);
  tram_ner_tok t[2];
  memset(t, 0, sizeof t);
  uint8_t lab[2] = {TRAM_NER_B(TRAM_ENT_PER), 0};
  tram_buf key;
  tram__buf_init(&key);
  ck_assert_int_eq(
      tram__ner_docfix(dp, NULL, NULL, TRAM_LANG_FR, t, 2, lab, &key), TRAM_OK);
  ck_assert_int_eq(lab[0], TRAM_NER_B(TRAM_ENT_PER));
  tram__buf_free(&key);
  tram__ner_docpass_free(dp);
}
END_TEST

/* A tiny valid weight blob (2^8 buckets). */
static tram_buf small_blob(void) {
  size_t nw = ((size_t)1 << 8) * TRAM_NER_NLABELS;
  float *w = calloc(nw, sizeof *w);
  for (size_t i = 0; i < nw; i++)
    w[i] = (float)((int)(i % 7) - 3);
  tram_buf b;
  tram__buf_init(&b);
  ck_assert_int_eq(tram__ner_model_write(&b, TRAM_LANG_FR, 8, w, "test"),
                   TRAM_OK);
  free(w);
  return b;
}

START_TEST(corrupt_model_rejected) {
  tram_buf b = small_blob();
  tram_ner_model *m = NULL;
  tram_error err = {0};
  ck_assert_int_eq(
      tram__ner_model_parse(b.data, b.len, "ner/fr", true, &m, &err), TRAM_OK);
  ck_assert_int_eq(m->lang, TRAM_LANG_FR);
  ck_assert_str_eq(m->provenance, "test");
  tram__ner_model_free(m);
  unsigned char *c = malloc(b.len);
  /* flipped weight byte: checksum */
  memcpy(c, b.data, b.len);
  c[b.len - 3] ^= 0x40;
  ck_assert_int_eq(tram__ner_model_parse(c, b.len, "ner/fr", true, &m, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_null(m);
  ck_assert_ptr_nonnull(strstr(err.message, "checksum"));
  /* bad magic, truncation, label count, template hash, version */
  struct {
    size_t at;
    unsigned char val;
    size_t len;
    int status;
    const char *says;
  } cases[] = {{0, 'X', 0, TRAM_EMODEL, "magic"},
               {0, 'T', 40, TRAM_EMODEL, "magic"},
               {20, 7, 0, TRAM_EMODEL, "labels"},
               {28, 0x55, 0, TRAM_EMODEL, "templates"},
               {12, 9, 0, TRAM_EVERSION, "format"},
               {0, 'T', 1, TRAM_EMODEL, "length"}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    memcpy(c, b.data, b.len);
    c[cases[k].at] = cases[k].val;
    size_t len = cases[k].len == 1 ? b.len - 2
                 : cases[k].len    ? cases[k].len
                                   : b.len;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(tram__ner_model_parse(c, len, "ner/fr", true, &m, &err),
                     cases[k].status);
    ck_assert_ptr_null(m);
    ck_assert_msg(strstr(err.message, cases[k].says), "case %zu: %s", k,
                  err.message);
    ck_assert_str_eq(err.section, "ner/fr");
  }
  free(c);
  /* inside a model container: a blob for another language is refused */
  const char *names[] = {"ner/es"};
  const unsigned char *data[] = {(const unsigned char *)b.data};
  size_t lens[] = {b.len};
  FILE *f = tmpfile();
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq(tram__container_write(f, names, data, lens, 1), TRAM_OK);
  long fl = ftell(f);
  rewind(f);
  unsigned char *file = malloc((size_t)fl);
  ck_assert_uint_eq(fread(file, 1, (size_t)fl, f), (size_t)fl);
  fclose(f);
  tram_model *tm = NULL;
  ck_assert_int_eq(tram_model_load_memory(file, (size_t)fl, &tm, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_null(tm);
  ck_assert_str_eq(err.section, "ner/es");
  free(file);
  tram__buf_free(&b);
}
END_TEST

/* Word clusters travel inside the weight blob (format 1.1): built from
 * hashes and paths, written, parsed back and given to tokens; a word
 * not in the table stays unknown; a bad table size is refused. */
START_TEST(word_clusters_round_trip) {
  const char *words[] = {"banco", "ministerio", "juan"};
  uint64_t h[3];
  uint16_t path[3] = {0xA000, 0xA400, 0x4000};
  uint8_t len[3] = {6, 6, 2};
  for (int i = 0; i < 3; i++)
    h[i] = tram__hash(words[i], strlen(words[i]));
  uint32_t *tab = NULL, cbits = 0;
  ck_assert_int_eq(tram__ner_clusters_build(h, path, len, 3, &tab, &cbits),
                   TRAM_OK);
  size_t nw = ((size_t)1 << 8) * TRAM_NER_NLABELS;
  float *w = calloc(nw, sizeof *w);
  tram_buf b;
  tram__buf_init(&b);
  ck_assert_int_eq(
      tram__ner_model_write_cl(&b, TRAM_LANG_ES, 8, w, tab, cbits, 3, "cl"),
      TRAM_OK);
  free(w);
  tram__free(tab);
  tram_ner_model *m = NULL;
  tram_error err = {0};
  ck_assert_int_eq(
      tram__ner_model_parse(b.data, b.len, "ner/es", true, &m, &err), TRAM_OK);
  ck_assert_uint_eq(m->cl_words, 3);
  ck_assert_ptr_nonnull(m->cl);
  tram_ner_tok t[4];
  memset(t, 0, sizeof t);
  const char *text[] = {"Banco", "del", "Ministerio", "Juan"};
  for (int i = 0; i < 4; i++) {
    t[i].text = text[i];
    t[i].len = (uint32_t)strlen(text[i]);
  }
  tram_buf buf;
  tram__buf_init(&buf);
  ck_assert_int_eq(tram__ner_prepare(NULL, NULL, TRAM_LANG_ES, t, 4, &buf),
                   TRAM_OK);
  ck_assert_uint_eq(t[0].cl_len, TRAM_NER_NOTABLE); /* not before apply */
  uint64_t fn[TRAM_NER_MAX_FEATS];
  size_t kn = tram__ner_features(t, 4, 0, false, fn);
  tram__ner_clusters_apply(m, t, 4);
  ck_assert_uint_eq(t[0].cl, 0xA000);
  ck_assert_uint_eq(t[0].cl_len, 6);
  ck_assert_uint_eq(t[1].cl_len, TRAM_NER_NOCL);
  ck_assert_uint_eq(t[2].cl, 0xA400);
  ck_assert_uint_eq(t[3].cl, 0x4000);
  ck_assert_uint_eq(t[3].cl_len, 2);
  /* features of "Banco" with the path of "Ministerio" (same 4-bit
   * prefix): the 6-, 10-, 16-bit and 6-bit × case features change, the
   * 4-bit one and all the others stay */
  uint64_t f0[TRAM_NER_MAX_FEATS], f1[TRAM_NER_MAX_FEATS];
  size_t k0 = tram__ner_features(t, 4, 0, false, f0);
  t[0].cl = 0xA400;
  size_t k1 = tram__ner_features(t, 4, 0, false, f1);
  ck_assert_uint_eq(k0, k1);
  ck_assert_uint_eq(k0, kn + 7); /* the table adds 7 features */
  size_t differ = 0;
  for (size_t i = 0; i < k0; i++)
    differ += f0[i] != f1[i];
  ck_assert_uint_eq(differ, 4);
  /* an unknown word: every own cluster feature changes (5) */
  t[0].cl_len = TRAM_NER_NOCL;
  k1 = tram__ner_features(t, 4, 0, false, f1);
  differ = 0;
  for (size_t i = 0; i < k0; i++)
    differ += f0[i] != f1[i];
  ck_assert_uint_eq(differ, 5);
  tram__buf_free(&buf);
  tram__ner_model_free(m);
  /* a table bigger than the blob is refused */
  unsigned char *c = malloc(b.len);
  memcpy(c, b.data, b.len);
  c[52] = 20;
  ck_assert_int_eq(tram__ner_model_parse(c, b.len, "ner/es", false, &m, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_null(m);
  free(c);
  tram__buf_free(&b);
}
END_TEST

START_TEST(user_gazetteer_checked) {
  char path[] = "/tmp/tram_gaz_XXXXXX";
  FILE *f = fopen(path, "w");
  if (!f) {
    snprintf(path, sizeof path, "tram_gaz.tsv");
    f = fopen(path, "w");
  }
  ck_assert_ptr_nonnull(f);
  fputs("Associació Les Faves\tORG\tca\nbad line without type\n", f);
  fclose(f);
  tram_options o;
  tram_options_init(&o);
  o.gazetteer_path = path;
  tram_analyzer *an = NULL;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_EDATA);
  /* handed out anyway, so that its message names file and line */
  if (an) {
    ck_assert_ptr_nonnull(strstr(tram_analyzer_errmsg(an), ":2:"));
    tram_analyzer_free(an);
    an = NULL;
  }
  f = fopen(path, "w");
  fputs("Associació Les Faves\tORG\tca\n", f);
  fclose(f);
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  tram_analyzer_free(an);
  remove(path);
  o.gazetteer_path = "/nonexistent/gazetteer.tsv";
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_EIO);
  tram_analyzer_free(an);
}
END_TEST

/* A model may carry its own gazetteer (names compiled from its training
 * corpora): it travels in the blob, is marked by tram__ner_tag after the
 * gazetteers already applied (a token marked before keeps its mark), and
 * a damaged one or an unknown optional part is refused. */
START_TEST(model_gazetteer_round_trip) {
  size_t nw = ((size_t)1 << 8) * TRAM_NER_NLABELS;
  float *w = calloc(nw, sizeof *w);
  tram_buf b;
  tram__buf_init(&b);
  ck_assert_int_eq(tram__ner_model_write_ex(&b, TRAM_LANG_CA, 8, w, NULL, 0, 0,
                                            0, "Caixa Rural\tORG\n", "g"),
                   TRAM_OK);
  free(w);
  tram_ner_model *m = NULL;
  tram_error err = {0};
  ck_assert_int_eq(
      tram__ner_model_parse(b.data, b.len, "ner/ca", true, &m, &err), TRAM_OK);
  ck_assert_ptr_nonnull(m->gaz);
  ck_assert_uint_eq(m->fset, TRAM_NER_FSET_GAZ);
  const char *text[] = {"la", "Caixa", "Rural", "paga", "Caixa", "Rural"};
  tram_ner_tok t[6];
  memset(t, 0, sizeof t);
  for (int i = 0; i < 6; i++) {
    t[i].text = text[i];
    t[i].len = (uint32_t)strlen(text[i]);
  }
  tram_buf buf;
  tram__buf_init(&buf);
  ck_assert_int_eq(tram__ner_prepare(NULL, NULL, TRAM_LANG_CA, t, 6, &buf),
                   TRAM_OK);
  ck_assert_uint_eq(t[1].gaz, 0);
  t[4].gaz = 1 + 2 * TRAM_ENT_LOC; /* marked by an earlier gazetteer */
  uint8_t lab[6];
  ck_assert_int_eq(tram__ner_tag(m, t, 6, lab, NULL), TRAM_OK);
  ck_assert_uint_eq(t[1].gaz, 1 + 2 * TRAM_ENT_ORG);
  ck_assert_uint_eq(t[2].gaz, 2 + 2 * TRAM_ENT_ORG);
  ck_assert_uint_eq(t[0].gaz, 0);
  ck_assert_uint_eq(t[4].gaz, 1 + 2 * TRAM_ENT_LOC);
  ck_assert_uint_eq(t[5].gaz, 0);
  tram__buf_free(&buf);
  tram__ner_model_free(m);
  unsigned char *c = malloc(b.len);
  /* an unknown optional part */
  memcpy(c, b.data, b.len);
  c[60] |= 0x80;
  ck_assert_int_eq(tram__ner_model_parse(c, b.len, "ner/ca", false, &m, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_nonnull(strstr(err.message, "optional"));
  /* the gazetteer's length pointing past the blob */
  memcpy(c, b.data, b.len);
  size_t at =
      b.len - 24; /* u32 length: 4 + 17 bytes + 3 padding before the end */
  ck_assert_uint_eq(c[at], 17);
  c[at] = 200;
  ck_assert_int_eq(tram__ner_model_parse(c, b.len, "ner/ca", false, &m, &err),
                   TRAM_EMODEL);
  ck_assert_ptr_null(m);
  ck_assert_ptr_nonnull(strstr(err.message, "gazetteer"));
  free(c);
  tram__buf_free(&b);
}
END_TEST

/* A Viterbi model (TRAM_NER_FSET_VITERBI) is decoded per sentence with
 * the BIO constraints: whatever its weights, no I- label follows O or
 * another type, a sentence never opens with I-, and each score is a
 * confidence in [0, 1]. The flag is part of the template hash: a greedy
 * blob relabelled as Viterbi is refused. */
START_TEST(viterbi_model_decodes_valid_bio) {
  size_t nw = ((size_t)1 << 10) * TRAM_NER_NLABELS;
  float *w = calloc(nw, sizeof *w);
  uint64_t r = 7;
  for (size_t i = 0; i < nw; i++) {
    r = r * 6364136223846793005ULL + 1442695040888963407ULL;
    w[i] = (float)((int)(r >> 59) - 16);
  }
  tram_buf b;
  tram__buf_init(&b);
  ck_assert_int_eq(tram__ner_model_write_ex(&b, TRAM_LANG_ES, 10, w, NULL, 0, 0,
                                            TRAM_NER_FSET_VITERBI, NULL, "v"),
                   TRAM_OK);
  tram_ner_model *m = NULL;
  tram_error err = {0};
  ck_assert_int_eq(
      tram__ner_model_parse(b.data, b.len, "ner/es", true, &m, &err), TRAM_OK);
  ck_assert_uint_eq(m->fset, TRAM_NER_FSET_VITERBI);
  const char *words[] = {"El",  "Banco", "de",    "España", "y",
                         "la",  "ONU",   "dicen", "que",    "Pedro",
                         "Gil", "vive",  "en",    "Madrid", "."};
  enum { N = 45 };
  tram_ner_tok t[N];
  memset(t, 0, sizeof t);
  for (int i = 0; i < N; i++) {
    t[i].text = words[i % 15];
    t[i].len = (uint32_t)strlen(words[i % 15]);
    t[i].flags = i % 15 == 0 ? TRAM_NER_F_START : 0;
  }
  tram_buf buf;
  tram__buf_init(&buf);
  ck_assert_int_eq(tram__ner_prepare(NULL, NULL, TRAM_LANG_ES, t, N, &buf),
                   TRAM_OK);
  uint8_t lab[N];
  float sc[N];
  ck_assert_int_eq(tram__ner_tag(m, t, N, lab, sc), TRAM_OK);
  size_t ents = 0;
  for (int i = 0; i < N; i++) {
    int prev = i % 15 == 0 ? 0 : lab[i - 1];
    bool inside = lab[i] > 0 && !(lab[i] & 1); /* I-X: after B-X or I-X */
    ck_assert_msg(!inside || prev == lab[i] || prev == lab[i] - 1,
                  "label %d after %d at %d", lab[i], prev, i);
    ck_assert(sc[i] >= 0 && sc[i] <= 1); /* not NaN either */
    ents += lab[i] != 0;
  }
  ck_assert_uint_gt(ents, 0); /* random weights: some names */
  tram__buf_free(&buf);
  tram__ner_model_free(m);
  /* the same weights written for greedy decoding, then flagged Viterbi */
  tram_buf g;
  tram__buf_init(&g);
  ck_assert_int_eq(tram__ner_model_write_ex(&g, TRAM_LANG_ES, 10, w, NULL, 0, 0,
                                            0, NULL, "v"),
                   TRAM_OK);
  g.data[60] |= (char)TRAM_NER_FSET_VITERBI;
  ck_assert_int_eq(
      tram__ner_model_parse(g.data, g.len, "ner/es", false, &m, &err),
      TRAM_EMODEL);
  ck_assert_ptr_nonnull(strstr(err.message, "templates"));
  tram__buf_free(&g);
  tram__buf_free(&b);
  free(w);
}
END_TEST

/* Extended templates (TRAM_NER_FSET_EXT): applying such a model flags the
 * tokens and adds 9 word features, 5 cluster ones with a table and 2
 * document-label ones in pass 2, the base features unchanged; a model
 * without the flag clears it again. The flag is part of the template hash:
 * a blob relabelled as extended is refused. */
START_TEST(ext_model_adds_features) {
  size_t nw = ((size_t)1 << 10) * TRAM_NER_NLABELS;
  float *w = calloc(nw, sizeof *w);
  tram_buf b, g;
  tram__buf_init(&b);
  tram__buf_init(&g);
  ck_assert_int_eq(tram__ner_model_write_ex(
                       &b, TRAM_LANG_ES, 10, w, NULL, 0, 0,
                       TRAM_NER_FSET_VITERBI | TRAM_NER_FSET_EXT, NULL, "x"),
                   TRAM_OK);
  ck_assert_int_eq(tram__ner_model_write_ex(&g, TRAM_LANG_ES, 10, w, NULL, 0, 0,
                                            TRAM_NER_FSET_VITERBI, NULL, "v"),
                   TRAM_OK);
  tram_ner_model *m = NULL, *mg = NULL;
  tram_error err = {0};
  ck_assert_int_eq(
      tram__ner_model_parse(b.data, b.len, "ner/es", true, &m, &err), TRAM_OK);
  ck_assert_uint_eq(m->fset, TRAM_NER_FSET_VITERBI | TRAM_NER_FSET_EXT);
  ck_assert_int_eq(
      tram__ner_model_parse(g.data, g.len, "ner/es", true, &mg, &err), TRAM_OK);
  const char *text[] = {"El", "Banco", "de", "España"};
  tram_ner_tok t[4];
  memset(t, 0, sizeof t);
  for (int i = 0; i < 4; i++) {
    t[i].text = text[i];
    t[i].len = (uint32_t)strlen(text[i]);
  }
  t[0].flags = TRAM_NER_F_START;
  tram_buf buf;
  tram__buf_init(&buf);
  ck_assert_int_eq(tram__ner_prepare(NULL, NULL, TRAM_LANG_ES, t, 4, &buf),
                   TRAM_OK);
  uint64_t f0[TRAM_NER_MAX_FEATS], f1[TRAM_NER_MAX_FEATS];
  tram__ner_clusters_apply(mg, t, 4);
  size_t k0 = tram__ner_features(t, 4, 1, false, f0);
  size_t p0 = tram__ner_features(t, 4, 1, true, f0);
  tram__ner_clusters_apply(m, t, 4);
  ck_assert(t[1].flags & TRAM_NER_F_EXT);
  size_t k1 = tram__ner_features(t, 4, 1, false, f1);
  ck_assert_uint_eq(k1, k0 + 9);
  ck_assert_mem_eq(f0, f1, k0 * sizeof *f0); /* the base ones come first */
  ck_assert_uint_eq(tram__ner_features(t, 4, 1, true, f1), p0 + 9 + 2);
  tram__ner_clusters_apply(mg, t, 4);
  ck_assert(!(t[1].flags & TRAM_NER_F_EXT));
  ck_assert_uint_eq(tram__ner_features(t, 4, 1, false, f1), k0);
  tram__ner_model_free(m);
  tram__ner_model_free(mg);
  /* keeping the spans is a decoding choice, outside the template hash */
  g.data[60] |= (char)TRAM_NER_FSET_KEEP_SPANS;
  ck_assert_int_eq(
      tram__ner_model_parse(g.data, g.len, "ner/es", false, &m, &err), TRAM_OK);
  ck_assert_uint_eq(m->fset, TRAM_NER_FSET_VITERBI | TRAM_NER_FSET_KEEP_SPANS);
  tram__ner_model_free(m);
  g.data[60] |= (char)TRAM_NER_FSET_EXT;
  ck_assert_int_eq(
      tram__ner_model_parse(g.data, g.len, "ner/es", false, &m, &err),
      TRAM_EMODEL);
  ck_assert_ptr_nonnull(strstr(err.message, "templates"));
  tram__buf_free(&buf);
  tram__buf_free(&g);
  tram__buf_free(&b);
  free(w);
}
END_TEST

int main(void) {
  Suite *s = suite_create("entities");
  TCase *tc = tcase_create("core");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 20);
  tcase_add_test(tc, grouping_article_propagation_acronym);
  tcase_add_test(tc, ext_model_adds_features);
  tcase_add_test(tc, article_and_case_ignored_in_keys);
  tcase_add_test(tc, no_acronym_without_expansion);
  tcase_add_test(tc, branch_joins_its_organisation);
  tcase_add_test(tc, apposition_makes_an_organisation);
  tcase_add_test(tc, labeller_finds_organisations);
  tcase_add_test(tc, corrupt_model_rejected);
  tcase_add_test(tc, user_gazetteer_checked);
  tcase_add_test(tc, docpass_known_place_over_person);
  tcase_add_test(tc, docpass_place_preposition);
  tcase_add_test(tc, docpass_brand_like_word);
  tcase_add_test(tc, docpass_enumeration);
  tcase_add_test(tc, docpass_place_inside_other_words);
  tcase_add_test(tc, docpass_common_noun_uses);
  tcase_add_test(tc, docpass_branch_of_organisation);
  tcase_add_test(tc, docpass_word_lists_loaded);
  tcase_add_test(tc, docpass_foreign_organisation_head);
  tcase_add_test(tc, docpass_majority_type);
  tcase_add_test(tc, word_clusters_round_trip);
  tcase_add_test(tc, model_gazetteer_round_trip);
  tcase_add_test(tc, viterbi_model_decodes_valid_bio);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
