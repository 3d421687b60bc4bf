/*
 * api.c — the public handles: status strings, versions, languages, model
 * loading, analyzer set-up and the pipeline driver tram_analyze, which runs
 * the stages of internal.h in order.
 */
#include <libstemmer.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "langid.h"
#include "ner/ner.h"
#include "themes/taxonomy.h"

/* Generated at build time from data/ (tools/mkmodel.c). */
extern const unsigned char tram__default_model[];
extern const size_t tram__default_model_len;

/* --------------------------------------------------------------- status */

const char *tram_strerror(int status) {
  switch (status) {
#define TRAM__STATUS_CASE(name, value, msg)                                    \
  case value:                                                                  \
    return msg;
    TRAM_STATUS_LIST(TRAM__STATUS_CASE)
#undef TRAM__STATUS_CASE
  default:
    return "unknown status";
  }
}

int tram__fail(tram_analyzer *an, int status, const char *fmt, ...) {
  if (an) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(an->errmsg, sizeof an->errmsg, fmt, ap);
    va_end(ap);
  }
  return status;
}

const char *tram_version(void) { return TRAM_VERSION_STRING; }
int tram_version_number(void) { return TRAM_VERSION_NUMBER; }
const char *tram_schema(void) { return "tramuntana/1"; }

/* ------------------------------------------------------------ languages */

static const char *const lang_codes[TRAM_LANG_COUNT] = {"auto", "fr", "es",
                                                        "ca",   "oc", "other"};

const char *tram_lang_code(int lang) {
  return lang >= 0 && lang < TRAM_LANG_COUNT ? lang_codes[lang] : "other";
}

int tram_lang_from_code(const char *code) {
  static const struct {
    const char *code;
    int lang;
  } alias[] = {{"fra", TRAM_LANG_FR},     {"fre", TRAM_LANG_FR},
               {"french", TRAM_LANG_FR},  {"spa", TRAM_LANG_ES},
               {"spanish", TRAM_LANG_ES}, {"cat", TRAM_LANG_CA},
               {"catalan", TRAM_LANG_CA}, {"oci", TRAM_LANG_OC},
               {"occitan", TRAM_LANG_OC}};
  if (!code)
    return -1;
  for (int i = 0; i < TRAM_LANG_COUNT; i++)
    if (strcasecmp(code, lang_codes[i]) == 0)
      return i;
  for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
    if (strcasecmp(code, alias[i].code) == 0)
      return alias[i].lang;
  return -1;
}

static const char *const kind_names[TRAM_KIND_COUNT] = {
    "word", "number", "ordinal", "percent", "punct", "symbol",
    "url",  "email",  "handle",  "hashtag", "emoji", "other"};

const char *tram_kind_name(int kind) {
  return kind >= 0 && kind < TRAM_KIND_COUNT ? kind_names[kind] : "other";
}

const char *tram_token_flag_name(uint32_t flag) {
  static const char *const names[] = {"stop",      "space_after", "capitalized",
                                      "upper",     "elided",      "clitic",
                                      "multiword", "replaced",    "sent_start",
                                      "abbrev",    "hyphenated"};
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
    if (flag == (1u << i))
      return names[i];
  return NULL;
}

const char *tram_entity_type_name(int type) {
  static const char *const names[] = {"PER", "LOC", "ORG", "MISC"};
  return type >= 0 && type < 4 ? names[type] : NULL;
}

void tram_options_init(tram_options *opts) {
  if (!opts)
    return;
  tram_options d = TRAM_OPTIONS_INIT;
  *opts = d;
}

/* ---------------------------------------------------------------- model */

static int model_build(tram_model *m, tram_error *err) {
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++) {
    int rc = tram__lang_tables_load(&m->box, l, &m->lang[l], err);
    if (rc)
      return rc;
  }
  const tram_section *s = tram__container_find(&m->box, "langid");
  if (s) {
    int rc = tram__langid_load(s->data, s->len, &m->langid, err);
    if (rc)
      return rc;
  }
  {
    int rc = tram__taxonomy_model_load(m, err);
    if (rc)
      return rc;
  }
  {
    int rc = tram__ner_load(&m->box, &m->ner, err);
    if (rc)
      return rc;
  }
  tram_buf d;
  tram__buf_init(&d);
  tram__buf_printf(&d, "format: %u.%u\nsections:", m->box.major, m->box.minor);
  for (size_t i = 0; i < m->box.count; i++)
    tram__buf_printf(&d, " %s", m->box.sections[i].name);
  tram__buf_putc(&d, '\n');
  s = tram__container_find(&m->box, "meta");
  if (s)
    tram__buf_put(&d, (const char *)s->data, s->len);
  for (int l = 0; m->ner && l < TRAM_LANG_COUNT; l++)
    if (m->ner->model[l])
      tram__buf_printf(&d, "ner/%s: %s\n", tram_lang_code(l),
                       m->ner->model[l]->provenance);
  if (d.failed) {
    tram__buf_free(&d);
    return tram__set_error(err, TRAM_ENOMEM, 0, "", "out of memory");
  }
  m->description = d.data;
  return TRAM_OK;
}

static int model_open(const void *data, size_t len, bool copy, tram_model **out,
                      tram_error *err) {
  if (!out)
    return tram__set_error(err, TRAM_EINVAL, 0, "", "out is NULL");
  *out = NULL;
  tram_model *m = tram__calloc(1, sizeof *m);
  if (!m)
    return tram__set_error(err, TRAM_ENOMEM, 0, "", "out of memory");
  int rc = tram__container_parse(&m->box, data, len, copy, err);
  if (rc == TRAM_OK)
    rc = model_build(m, err);
  if (rc) {
    tram_model_free(m);
    return rc;
  }
  *out = m;
  return TRAM_OK;
}

int tram_model_new_default(tram_model **out) {
  return model_open(tram__default_model, tram__default_model_len, false, out,
                    NULL);
}

int tram_model_load_memory(const void *data, size_t len, tram_model **out,
                           tram_error *err) {
  if (!data && len)
    return tram__set_error(err, TRAM_EINVAL, 0, "", "data is NULL");
  return model_open(data, len, true, out, err);
}

int tram_model_load(const char *path, tram_model **out, tram_error *err) {
  if (!path || !out)
    return tram__set_error(err, TRAM_EINVAL, 0, "", "path or out is NULL");
  *out = NULL;
  tram_buf b;
  int rc = tram__read_file(path, &b);
  if (rc)
    return tram__set_error(err, rc, 0, path, "cannot %s %s",
                           rc == TRAM_EIO ? "open or read" : "load", path);
  /* The buffer becomes the container's own copy. */
  rc = model_open(b.data, b.len, true, out, err);
  tram__buf_free(&b);
  return rc;
}

void tram_model_free(tram_model *m) {
  if (!m)
    return;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram__lang_tables_free(m->lang[l]);
  tram__langid_free(m->langid);
  tram__ner_free(m->ner);
  tram__taxonomy_free(m->taxonomy);
  tram__container_free(&m->box);
  tram__free(m->description);
  tram__free(m);
}

const char *tram_model_describe(const tram_model *m) {
  return m && m->description ? m->description : "";
}

int tram_identify(const tram_model *m, const char *text, size_t len, int *lang,
                  double *confidence) {
  if (!m || (!text && len) || !lang)
    return TRAM_EINVAL;
  double c = 0;
  *lang = TRAM_LANG_OTHER;
  if (m->langid) {
    int rc = tram__langid_classify(m->langid, text ? text : "", len, lang, &c);
    if (rc)
      return rc;
  }
  if (confidence)
    *confidence = c;
  return TRAM_OK;
}

/* ------------------------------------------------------------- analyzer */

static int add_word(void *ctx, const char *line, size_t n, size_t lineno) {
  (void)lineno;
  tram_map *m = ctx;
  char low[256];
  if (n >= sizeof low)
    return 0;
  for (size_t i = 0; i < n; i++)
    low[i] =
        (line[i] >= 'A' && line[i] <= 'Z') ? (char)(line[i] + 32) : line[i];
  return tram__map_slot(m, low, n, true) ? 0 : TRAM_ENOMEM;
}

int tram_analyzer_new(const tram_model *model, const tram_options *opts,
                      tram_analyzer **out) {
  if (!out)
    return TRAM_EINVAL;
  *out = NULL;
  if (!model)
    return TRAM_EINVAL;
  tram_options o = TRAM_OPTIONS_INIT;
  if (opts) {
    if (opts->version != TRAM_OPTIONS_VERSION)
      return TRAM_EVERSION;
    o = *opts;
  }
  if (o.lang < 0 || o.lang >= TRAM_LANG_COUNT)
    return TRAM_ELANG;
  tram_analyzer *an = tram__calloc(1, sizeof *an);
  if (!an)
    return TRAM_ENOMEM;
  an->model = model;
  an->opts = o;
  an->opts.abbreviations = an->opts.stopwords = NULL;
  an->opts.gazetteer_path = an->opts.taxonomy_path = NULL;
  tram__vec_init(&an->spans, sizeof(tram_span16));
  tram__vec_init(&an->sent_spans, sizeof(tram_span16));
  tram__buf_init(&an->scratch);
  tram__arena_init(&an->stem_arena);
  int rc = TRAM_OK;
  if (o.abbreviations) {
    an->extra_abbrev = tram__map_new();
    rc = an->extra_abbrev
             ? tram__each_line(o.abbreviations, strlen(o.abbreviations),
                               add_word, an->extra_abbrev)
             : TRAM_ENOMEM;
  }
  UErrorCode st = U_ZERO_ERROR;
  if (rc == TRAM_OK) {
    an->words = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
    /* Root rules, no locale suppressions: segment.c applies the
     * abbreviation tables itself (ICU's lists match inside words). */
    if (U_SUCCESS(st))
      an->sents = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &st);
    if (U_SUCCESS(st))
      an->nfc = unorm2_getNFCInstance(&st);
    if (U_SUCCESS(st))
      an->nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st))
      rc = st == U_MEMORY_ALLOCATION_ERROR ? TRAM_ENOMEM : TRAM_EICU;
  }
  /* Normalised like token norms (needs an->nfc). */
  if (rc == TRAM_OK && o.stopwords)
    rc = tram__normalize_stopwords(an, o.stopwords, strlen(o.stopwords));
  for (int l = 0; l < TRAM_LANG_COUNT && rc == TRAM_OK; l++) {
    const tram_lang_tables *t = model->lang[l];
    if (!t || !t->stemmer)
      continue;
    an->stemmer[l] = sb_stemmer_new(t->stemmer, "UTF_8");
    an->stem_cache[l] = tram__map_new();
    if (!an->stemmer[l] || !an->stem_cache[l])
      rc = TRAM_ENOMEM;
  }
  if (rc == TRAM_OK && o.gazetteer_path)
    rc = tram__entities_init(an, o.gazetteer_path);
  if (rc == TRAM_OK && o.taxonomy_path)
    rc = tram__taxonomy_load_file(an, o.taxonomy_path, &an->user_taxonomy);
  if (rc == TRAM_EDATA || rc == TRAM_EIO) {
    /* A bad gazetteer or taxonomy file: handed out anyway so that
     * tram_analyzer_errmsg names the file and line. */
    *out = an;
    return rc;
  }
  if (rc) {
    tram_analyzer_free(an);
    return rc;
  }
  *out = an;
  return TRAM_OK;
}

void tram_analyzer_free(tram_analyzer *an) {
  if (!an)
    return;
  tram__map_free(an->extra_abbrev);
  tram__map_free(an->extra_stop);
  tram__entities_free(an);
  tram__taxonomy_free(an->user_taxonomy);
  tram__normalize_free(an);
  if (an->words)
    ubrk_close(an->words);
  if (an->sents)
    ubrk_close(an->sents);
  for (int l = 0; l < TRAM_LANG_COUNT; l++) {
    if (an->stemmer[l])
      sb_stemmer_delete(an->stemmer[l]);
    tram__map_free(an->stem_cache[l]);
  }
  tram__arena_free(&an->stem_arena);
  tram__free(an->u16);
  tram__vec_free(&an->spans);
  tram__vec_free(&an->sent_spans);
  tram__buf_free(&an->scratch);
  tram__free(an);
}

const char *tram_analyzer_errmsg(const tram_analyzer *an) {
  return an ? an->errmsg : "no analyzer";
}

/* ------------------------------------------------------------- analysis */

static tram_doc *doc_new(void) {
  tram_doc *d = tram__calloc(1, sizeof *d);
  if (!d)
    return NULL;
  tram__vec_init(&d->tokens, sizeof(tram_token));
  tram__vec_init(&d->words, sizeof(tram_word));
  tram__vec_init(&d->sentences, sizeof(tram_sentence));
  tram__vec_init(&d->entities, sizeof(tram_entity));
  tram__vec_init(&d->orgs, sizeof(tram_organisation));
  tram__vec_init(&d->keyphrases, sizeof(tram_keyphrase));
  tram__vec_init(&d->themes, sizeof(tram_theme));
  tram__vec_init(&d->evidence, sizeof(tram_evidence));
  tram__arena_init(&d->strings);
  return d;
}

void tram_doc_free(tram_doc *d) {
  if (!d)
    return;
  tram__free(d->text);
  tram__vec_free(&d->tokens);
  tram__vec_free(&d->words);
  tram__vec_free(&d->sentences);
  tram__vec_free(&d->entities);
  tram__vec_free(&d->orgs);
  tram__vec_free(&d->keyphrases);
  tram__vec_free(&d->themes);
  tram__vec_free(&d->evidence);
  tram__arena_free(&d->strings);
  tram__free(d);
}

/* Identification policy (lang=auto with a classifier in the model). The
 * first SEG_PREFIX bytes give a provisional document language, which picks
 * the sentence segmentation rules (read until a lead of PREFIX_MARGIN).
 * Each sentence is then classified on its own, from the UTF-16 text the
 * segmenter read (no byte offsets needed), word by word until one label
 * leads the others by SENT_MARGIN nats, the provisional document language
 * counting SENT_DOC_PRIOR nats ahead (a sentence usually costs its first
 * few words: langid.h); the sum of their evidence is the document's
 * language (a pass over the text costs once, not twice).
 * A sentence keeps its own language unless it is shorter than
 * SENT_MIN_CHARS UTF-16 units or less sure than SENT_MIN_CONF, in which
 * case it takes the document's (thresholds chosen on the langid dev sets).
 * Without a classifier, or with a fixed language in the options, every
 * sentence gets that language (French for auto); a text without letters is
 * French with confidence 0. */
#define SEG_PREFIX 256
#define SENT_MIN_CHARS 15
#define SENT_MIN_CONF 0.9
#define SENT_MARGIN TRAM_LANGID_SENTENCE_MARGIN
#define PREFIX_MARGIN (2 * TRAM_LANGID_SENTENCE_MARGIN)
#define SENT_DOC_PRIOR TRAM_LANGID_DOC_PRIOR

static void identify_doc(tram_analyzer *an, tram_doc *doc) {
  const tram_langid *li = an->model->langid;
  if (an->opts.lang != TRAM_LANG_AUTO || !li) {
    doc->lang = an->opts.lang != TRAM_LANG_AUTO ? an->opts.lang : TRAM_LANG_FR;
    doc->lang_confidence = an->opts.lang != TRAM_LANG_AUTO ? 1.0 : 0.0;
    return;
  }
  size_t n = doc->len;
  if (n > SEG_PREFIX) {
    n = SEG_PREFIX;
    while (n > 0 && ((unsigned char)doc->text[n] & 0xC0) == 0x80)
      n--; /* do not cut a UTF-8 sequence */
  }
  double ev[TRAM_LANGID_MAX_LABELS];
  size_t words =
      tram__langid_evidence(li, doc->text, n, PREFIX_MARGIN, NULL, ev);
  tram__langid_decide(li, ev, words, &doc->lang, &doc->lang_confidence);
  if (doc->lang_confidence == 0) /* no letters at all */
    doc->lang = TRAM_LANG_FR;
}

/* Sentence languages and the final document language (see above).
 * *sent_lang and *sent_conf get one entry per sentence span (tram__free). */
static int identify(tram_analyzer *an, tram_doc *doc, int **sent_lang,
                    double **sent_conf) {
  size_t ns = an->sent_spans.len;
  int *sl = tram__malloc((ns ? ns : 1) * sizeof *sl);
  double *sc = tram__malloc((ns ? ns : 1) * sizeof *sc);
  size_t *chars = tram__malloc((ns ? ns : 1) * sizeof *chars);
  if (!sl || !sc || !chars) {
    tram__free(sl);
    tram__free(sc);
    tram__free(chars);
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  }
  const tram_langid *li = an->model->langid;
  bool detect = an->opts.lang == TRAM_LANG_AUTO && li;
  double total[TRAM_LANGID_MAX_LABELS] = {0};
  double prior[TRAM_LANGID_MAX_LABELS] = {0};
  int langs[TRAM_LANGID_MAX_LABELS];
  size_t nfeat = 0, nl = detect ? tram__langid_labels(li, NULL, langs) : 0;
  for (size_t k = 0; k < nl; k++)
    prior[k] = langs[k] == doc->lang ? SENT_DOC_PRIOR : 0;
  for (size_t i = 0; i < ns; i++) {
    sl[i] = doc->lang;
    sc[i] = doc->lang_confidence;
    if (!detect)
      continue;
    tram_span16 sp = *TRAM_VEC_AT(&an->sent_spans, tram_span16, i);
    chars[i] = (size_t)(sp.e - sp.s);
    if (chars[i] < SENT_MIN_CHARS)
      continue; /* takes the document's language whatever it reads */
    double ev[TRAM_LANGID_MAX_LABELS] = {0};
    size_t n = tram__langid_evidence16(li, an->u16 + sp.s, chars[i],
                                       SENT_MARGIN, prior, ev);
    for (size_t k = 0; k < TRAM_LANGID_MAX_LABELS; k++)
      total[k] += ev[k];
    nfeat += n;
    tram__langid_decide(li, ev, n, &sl[i], &sc[i]);
  }
  if (detect && nfeat) {
    tram__langid_decide(li, total, nfeat, &doc->lang, &doc->lang_confidence);
    for (size_t i = 0; i < ns; i++)
      if (chars[i] < SENT_MIN_CHARS ||
          (sl[i] != doc->lang && sc[i] < SENT_MIN_CONF)) {
        sl[i] = doc->lang;
        sc[i] = doc->lang_confidence;
      }
  }
  tram__free(chars);
  *sent_lang = sl;
  *sent_conf = sc;
  return TRAM_OK;
}

int tram_analyze(tram_analyzer *an, const char *text, size_t len,
                 tram_doc **out) {
  if (!out)
    return tram__fail(an, TRAM_EINVAL, "out is NULL");
  *out = NULL;
  if (!an)
    return TRAM_EINVAL;
  if (!text && len)
    return tram__fail(an, TRAM_EINVAL, "text is NULL but len is %zu", len);
  if (len > TRAM_MAX_INPUT) /* refused before copying a gigabyte */
    return tram__fail(an, TRAM_ETOOBIG,
                      "input of %zu bytes exceeds the %zu-byte limit of one "
                      "document; split it into documents",
                      len, TRAM_MAX_INPUT);
  an->errmsg[0] = 0;
  an->scratch.failed = 0;
  tram_doc *doc = doc_new();
  if (!doc)
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  doc->text = tram__malloc(len + 1);
  if (!doc->text) {
    tram_doc_free(doc);
    return tram__fail(an, TRAM_ENOMEM, "out of memory copying %zu bytes", len);
  }
  if (len)
    memcpy(doc->text, text, len);
  doc->text[len] = 0;
  doc->len = len;
  int *sent_lang = NULL;
  double *sent_conf = NULL;
  int seg_lang = an->opts.lang != TRAM_LANG_AUTO ? an->opts.lang : TRAM_LANG_FR;
  int rc = tram__text_decode(an, doc);
  if (rc == TRAM_OK) {
    identify_doc(an, doc);
    /* Segment with the document's language rules. */
    if (an->opts.lang == TRAM_LANG_AUTO)
      seg_lang = an->model->lang[doc->lang] ? doc->lang : TRAM_LANG_OTHER;
  }
  if (rc == TRAM_OK)
    rc = tram__segment(an, doc, seg_lang);
  if (rc == TRAM_OK)
    rc = identify(an, doc, &sent_lang, &sent_conf);
  if (rc == TRAM_OK)
    rc = tram__tokenize(an, doc, sent_lang, sent_conf);
  tram__free(sent_conf);
  tram__free(sent_lang);
  if (rc == TRAM_OK)
    rc = tram__normalize(an, doc);
  if (rc == TRAM_OK && !(an->opts.flags & TRAM_OPT_NO_ENTITIES))
    rc = tram__entities(an, doc);
  if (rc == TRAM_OK && !(an->opts.flags & TRAM_OPT_NO_THEMES))
    rc = tram__themes(an, doc);
  /* A failed allocation in the stages' shared look-up buffer is sticky and
   * would silently skip look-ups: report it. */
  if (rc == TRAM_OK && an->scratch.failed)
    rc = tram__fail(an, TRAM_ENOMEM, "out of memory (scratch buffer)");
  if (rc) {
    tram_doc_free(doc);
    return rc;
  }
  *out = doc;
  return TRAM_OK;
}

int tram_analyze_text(const char *text, size_t len, const tram_options *opts,
                      tram_doc **out) {
  if (!out)
    return TRAM_EINVAL;
  *out = NULL;
  tram_model *m;
  int rc = tram_model_new_default(&m);
  if (rc)
    return rc;
  tram_analyzer *an;
  rc = tram_analyzer_new(m, opts, &an);
  if (rc == TRAM_OK) {
    rc = tram_analyze(an, text, len, out);
    tram_analyzer_free(an);
  }
  tram_model_free(m);
  return rc;
}

/* ------------------------------------------------------------ accessors */

#define TRAM__ACCESSOR(fn, T, field)                                           \
  const T *fn(const tram_doc *doc, size_t *n) {                                \
    size_t len = doc ? doc->field.len : 0;                                     \
    if (n)                                                                     \
      *n = len;                                                                \
    return len ? (const T *)doc->field.data : NULL;                            \
  }
TRAM__ACCESSOR(tram_doc_tokens, tram_token, tokens)
TRAM__ACCESSOR(tram_doc_words, tram_word, words)
TRAM__ACCESSOR(tram_doc_sentences, tram_sentence, sentences)
TRAM__ACCESSOR(tram_doc_entities, tram_entity, entities)
TRAM__ACCESSOR(tram_doc_organisations, tram_organisation, orgs)
TRAM__ACCESSOR(tram_doc_keyphrases, tram_keyphrase, keyphrases)
TRAM__ACCESSOR(tram_doc_themes, tram_theme, themes)
TRAM__ACCESSOR(tram_doc_evidence, tram_evidence, evidence)
#undef TRAM__ACCESSOR

const char *tram_doc_text(const tram_doc *doc, size_t *len) {
  if (len)
    *len = doc ? doc->len : 0;
  return doc ? doc->text : NULL;
}

int tram_doc_lang(const tram_doc *doc, double *confidence) {
  if (confidence)
    *confidence = doc ? doc->lang_confidence : 0;
  return doc ? doc->lang : TRAM_LANG_OTHER;
}

int tram_doc_write(const tram_doc *doc, int format, char **out, size_t *len) {
  if (!out)
    return TRAM_EINVAL;
  *out = NULL;
  if (len)
    *len = 0;
  if (!doc)
    return TRAM_EINVAL;
  tram_buf b;
  tram__buf_init(&b);
  int rc;
  switch (format) {
  case TRAM_FORMAT_JSON:
    rc = tram__write_json(doc, &b);
    break;
  case TRAM_FORMAT_TEXT:
    rc = tram__write_text(doc, &b);
    break;
  case TRAM_FORMAT_TSV:
    rc = tram__write_tsv(doc, &b);
    break;
  case TRAM_FORMAT_CONLLU:
    rc = tram__write_conllu(doc, &b);
    break;
  default:
    return TRAM_EINVAL;
  }
  if (rc == TRAM_OK && b.failed)
    rc = TRAM_ENOMEM;
  if (rc == TRAM_OK && !b.data) {
    b.data = tram__malloc(1);
    if (!b.data)
      rc = TRAM_ENOMEM;
    else
      b.data[0] = 0;
  }
  if (rc) {
    tram__buf_free(&b);
    return rc;
  }
  *out = b.data;
  if (len)
    *len = b.len;
  return TRAM_OK;
}

void tram_free(void *p) { tram__free(p); }
