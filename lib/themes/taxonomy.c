/*
 * taxonomy.c — loads the themes stage's model: the keyphrase lexicons
 * (model sections "keyphrase/<code>", lines "word<TAB>link|stop") and a
 * theme taxonomy (model section "taxonomy", or a user file named by
 * tram_options.taxonomy_path).
 *
 * A taxonomy is an INI-like UTF-8 text (data/taxonomy/README.md):
 * "[id]" opens a theme; "label.<en|fr|es|ca|oc> = text" names it;
 * "weight = x" scales it; "<fr|es|ca|oc> = term | term | …" lists terms
 * (repeatable). Each term is lower-cased, split into words at white space
 * and after apostrophes (l'atur → l' + atur), its link words (articles,
 * prepositions, conjunctions of the keyphrase lexicon) dropped, and its
 * remaining words stemmed with the language's Snowball stemmer — the same
 * stems the normalize stage gives tokens. The stems of all terms sit in one
 * array; a hash map from "<lang byte><first stem>" to a chain of terms lets
 * the matcher (themes.c) test each token in O(1) plus the few terms that
 * start with its stem.
 *
 * Errors carry "name:line: problem" so a user can fix a file.
 */
#include <libstemmer.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>

#include "themes/taxonomy.h"

static const char *const lang_keys[TRAM_LANG_COUNT] = {"en", "fr", "es",
                                                       "ca", "oc", NULL};

static tram_taxonomy *tx_new(void) {
  tram_taxonomy *t = tram__calloc(1, sizeof *t);
  if (!t)
    return NULL;
  tram__arena_init(&t->strings);
  tram__vec_init(&t->themes, sizeof(tram_tx_theme));
  tram__vec_init(&t->terms, sizeof(tram_tx_term));
  tram__vec_init(&t->stems, sizeof(const char *));
  return t;
}

void tram__taxonomy_free(tram_taxonomy *t) {
  if (!t)
    return;
  for (int l = 0; l < TRAM_LANG_COUNT; l++) {
    tram__map_free(t->kp[l]);
    tram__buf_free(&t->kp_suffix[l]);
    tram__map_free(t->df_map[l]);
  }
  tram__map_free(t->index);
  tram__vec_free(&t->themes);
  tram__vec_free(&t->terms);
  tram__vec_free(&t->stems);
  tram__arena_free(&t->strings);
  tram__free(t);
}

/* A 12-bit fingerprint of a word: length, first and last bytes. Most
 * content words miss the lexicon's bits and skip the hash lookup. */
static unsigned kp_bit(const char *w, size_t n) {
  return (unsigned)(n * 131u + (unsigned char)w[0] * 31u +
                    (unsigned char)w[n - 1]) &
         4095u;
}

int tram__kp_role(const tram_taxonomy *t, int lang, const char *norm) {
  uintptr_t v;
  if (!t || lang < 0 || lang >= TRAM_LANG_COUNT || !t->kp[lang])
    return 0;
  size_t n = strlen(norm);
  if (!n)
    return 0;
  unsigned b = kp_bit(norm, n);
  if ((t->kp_filter[lang][b >> 6] >> (b & 63)) & 1)
    if (tram__map_get(t->kp[lang], norm, n, &v))
      return (int)v;
  unsigned char last = (unsigned char)norm[n - 1];
  if (!((t->kp_suffix_last[lang][last >> 6] >> (last & 63)) & 1))
    return 0;
  const tram_buf *sb = &t->kp_suffix[lang];
  for (size_t i = 0; i < sb->len;) {
    const char *suf = sb->data + i;
    size_t sl = strlen(suf);
    if (n >= sl + 3 && memcmp(norm + n - sl, suf, sl) == 0)
      return TRAM_KP_STOP;
    i += sl + 1;
  }
  return 0;
}

/* The background df of a stem, 0 if unseen. */
static unsigned long df_lookup(const tram_taxonomy *t, int l,
                               const char *stem) {
  uintptr_t v = 0;
  tram__map_get(t->df_map[l], stem, strlen(stem), &v);
  return (unsigned long)v;
}

double tram__kp_idf(const tram_taxonomy *t, int lang, const char *stem) {
  if (!t || lang < 0 || lang >= TRAM_LANG_COUNT || !t->df[lang])
    return 1.0;
  double v = (double)df_lookup(t, lang, stem);
  double n = t->df_docs[lang];
  return log((n + 1) / (v + 1)) / log(n + 1);
}

double tram__kp_idf_hashed(const tram_taxonomy *t, int lang, const char *stem,
                           size_t n, uint64_t hash) {
  if (!t || lang < 0 || lang >= TRAM_LANG_COUNT || !t->df[lang])
    return 1.0;
  uintptr_t v = 0;
  tram__map_get_hashed(t->df_map[lang], stem, n, hash, &v);
  double d = t->df_docs[lang];
  return log((d + 1) / ((double)v + 1)) / t->df_lognorm[lang];
}

/* ---- keyphrase lexicons */

typedef struct kp_ctx {
  tram_map *map;
  uint64_t *filter, *suffix_last;
  tram_buf *suffix;
  char bad[160];
} kp_ctx;

static int kp_line(void *ctx, const char *line, size_t n, size_t lineno) {
  kp_ctx *k = ctx;
  const char *tab = memchr(line, '\t', n);
  if (!tab) {
    snprintf(k->bad, sizeof k->bad, "line %zu: expected word<TAB>role", lineno);
    return TRAM_EMODEL;
  }
  size_t wl = (size_t)(tab - line), rl = n - wl - 1;
  int role = 0;
  if (rl == 4 && memcmp(tab + 1, "link", 4) == 0)
    role = TRAM_KP_LINK;
  else if (rl == 4 && memcmp(tab + 1, "stop", 4) == 0)
    role = TRAM_KP_STOP;
  if (!role || !wl) {
    snprintf(k->bad, sizeof k->bad, "line %zu: role must be link or stop",
             lineno);
    return TRAM_EMODEL;
  }
  if (line[0] == '-' && wl > 1) {
    if (role != TRAM_KP_STOP) {
      snprintf(k->bad, sizeof k->bad, "line %zu: a suffix must be stop",
               lineno);
      return TRAM_EMODEL;
    }
    unsigned char last = (unsigned char)line[wl - 1];
    k->suffix_last[last >> 6] |= 1ull << (last & 63);
    tram__buf_put(k->suffix, line + 1, wl - 1);
    tram__buf_putc(k->suffix, 0);
    return k->suffix->failed ? TRAM_ENOMEM : 0;
  }
  uintptr_t *slot = tram__map_slot(k->map, line, wl, true);
  if (!slot)
    return TRAM_ENOMEM;
  unsigned b = kp_bit(line, wl);
  k->filter[b >> 6] |= 1ull << (b & 63);
  if (*slot != TRAM_KP_LINK) /* link wins over stop */
    *slot = (uintptr_t)role;
  return 0;
}

/* ---- taxonomy parsing */

typedef struct parse_ctx {
  const tram_model *m;
  tram_taxonomy *t;
  struct sb_stemmer *stemmer[TRAM_LANG_COUNT];
  const char *name;
  char *msg;
  size_t msgsz;
  int status;
  tram_buf word; /* scratch */
  tram_vec tmp;  /* const char * stems of the term being built */
  size_t theme_terms;
  const char *last_form; /* lower-case form of the last content word */
} parse_ctx;

static int perr(parse_ctx *p, size_t lineno, const char *what) {
  if (p->msg && p->msgsz)
    snprintf(p->msg, p->msgsz, "%s:%zu: %s", p->name, lineno, what);
  p->status = TRAM_EDATA;
  return TRAM_EDATA;
}

static int nomem(parse_ctx *p) {
  if (p->msg && p->msgsz)
    snprintf(p->msg, p->msgsz, "out of memory loading %s", p->name);
  p->status = TRAM_ENOMEM;
  return TRAM_ENOMEM;
}

static bool is_space(char c) { return c == ' ' || c == '\t'; }

static void trim(const char **s, size_t *n) {
  while (*n && is_space(**s)) {
    (*s)++;
    (*n)--;
  }
  while (*n && is_space((*s)[*n - 1]))
    (*n)--;
}

/* Lower-cases UTF-8 s[0..n) into p->word (NUL-terminated). */
static int lower_into(parse_ctx *p, const char *s, size_t n) {
  p->word.len = 0;
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    bool ok;
    i += tram__utf8_decode((const unsigned char *)s + i, n - i, &cp, &ok);
    char enc[4];
    size_t el = tram__utf8_encode((uint32_t)u_tolower((UChar32)cp), enc);
    tram__buf_put(&p->word, enc, el);
  }
  tram__buf_putc(&p->word, 0);
  return p->word.failed ? TRAM_ENOMEM : 0;
}

/* Adds one content word (lower-case, NUL-terminated) of a term as a stem. */
static int add_word(parse_ctx *p, int lang, const char *w, size_t n) {
  if (!n)
    return 0;
  char save = ((char *)w)[n];
  ((char *)w)[n] = 0;
  int role = tram__kp_role(p->m->taxonomy, lang, w);
  const char *st = w;
  size_t sl = n;
  if (role != TRAM_KP_LINK && p->stemmer[lang]) {
    const sb_symbol *r =
        sb_stemmer_stem(p->stemmer[lang], (const sb_symbol *)w, (int)n);
    if (!r) {
      ((char *)w)[n] = save;
      return nomem(p);
    }
    st = (const char *)r;
    sl = (size_t)sb_stemmer_length(p->stemmer[lang]);
  }
  int rc = 0;
  if (role != TRAM_KP_LINK) {
    p->last_form = tram__arena_strndup(&p->t->strings, w, n);
    char *copy =
        p->last_form ? tram__arena_strndup(&p->t->strings, st, sl) : NULL;
    const char **slot = copy ? tram__vec_push(&p->tmp) : NULL;
    if (!slot)
      rc = nomem(p);
    else
      *slot = copy;
  }
  ((char *)w)[n] = save;
  return rc;
}

/* Compiles one term of `lang` for the current theme. */
static int add_term(parse_ctx *p, int lang, const char *s, size_t n,
                    size_t lineno) {
  trim(&s, &n);
  bool exact = n && s[0] == '=';
  if (exact) {
    s++;
    n--;
    trim(&s, &n);
  }
  if (!n)
    return perr(p, lineno, "empty term");
  if (lower_into(p, s, n))
    return nomem(p);
  p->tmp.len = 0;
  char *w = p->word.data;
  size_t wn = strlen(w);
  size_t i = 0;
  while (i < wn) {
    while (i < wn && is_space(w[i]))
      i++;
    size_t j = i;
    while (j < wn && !is_space(w[j])) {
      /* An apostrophe ends an elided word: l'atur → l' + atur. */
      if (w[j] == '\'') {
        j++;
        break;
      }
      if ((unsigned char)w[j] == 0xE2 && j + 2 < wn &&
          (unsigned char)w[j + 1] == 0x80 &&
          (unsigned char)w[j + 2] == 0x99) { /* ’ → ' */
        w[j] = '\'';
        memmove(w + j + 1, w + j + 3, wn - j - 2);
        wn -= 2;
        j++;
        break;
      }
      j++;
    }
    if (add_word(p, lang, w + i, j - i))
      return p->status;
    i = j;
  }
  if (p->tmp.len == 0)
    return perr(p, lineno, "term has no content word");
  if (p->tmp.len > 8)
    return perr(p, lineno, "term longer than 8 words");
  size_t first = p->t->stems.len;
  if (tram__vec_reserve(&p->t->stems, p->tmp.len))
    return nomem(p);
  memcpy((const char **)p->t->stems.data + first, p->tmp.data,
         p->tmp.len * sizeof(const char *));
  p->t->stems.len += p->tmp.len;
  tram_tx_term *term = tram__vec_push(&p->t->terms);
  if (!term)
    return nomem(p);
  term->form = p->tmp.len == 1 ? p->last_form : NULL;
  term->exact = exact && p->tmp.len == 1;
  term->theme = (uint32_t)(p->t->themes.len - 1);
  term->first_stem = (uint32_t)first;
  term->nstems = (uint16_t)p->tmp.len;
  term->lang = (uint8_t)lang;
  /* Multiword terms are more specific than single words. */
  term->weight = p->tmp.len > 1 ? 1.5f : 1.0f;
  p->theme_terms++;
  return 0;
}

static int finish_theme(parse_ctx *p, size_t lineno) {
  if (p->t->themes.len == 0)
    return 0;
  tram_tx_theme *th =
      TRAM_VEC_AT(&p->t->themes, tram_tx_theme, p->t->themes.len - 1);
  if (p->theme_terms == 0)
    return perr(p, lineno, "theme has no terms");
  bool any = false;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    any |= th->label[l] != NULL;
  if (!any)
    return perr(p, lineno, "theme has no label");
  return 0;
}

static bool valid_id(const char *s, size_t n) {
  if (!n || n > 64)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
          c == ':'))
      return false;
  }
  return true;
}

static int parse_line(void *ctx, const char *line, size_t n, size_t lineno) {
  parse_ctx *p = ctx;
  if (line[0] == '[') {
    if (line[n - 1] != ']')
      return perr(p, lineno, "theme header must be [id]");
    const char *id = line + 1;
    size_t idn = n - 2;
    trim(&id, &idn);
    if (!valid_id(id, idn))
      return perr(p, lineno, "bad theme id (letters, digits, - _ . :)");
    if (finish_theme(p, lineno - 1))
      return p->status;
    for (size_t i = 0; i < p->t->themes.len; i++) {
      const char *o = TRAM_VEC_AT(&p->t->themes, tram_tx_theme, i)->id;
      if (strlen(o) == idn && memcmp(o, id, idn) == 0)
        return perr(p, lineno, "duplicate theme id");
    }
    tram_tx_theme *th = tram__vec_push(&p->t->themes);
    if (!th || !(th->id = tram__arena_strndup(&p->t->strings, id, idn)))
      return nomem(p);
    th->weight = 1.0;
    p->theme_terms = 0;
    return 0;
  }
  const char *eq = memchr(line, '=', n);
  if (!eq)
    return perr(p, lineno, "expected [id] or key = value");
  if (p->t->themes.len == 0)
    return perr(p, lineno, "key before the first [id]");
  tram_tx_theme *th =
      TRAM_VEC_AT(&p->t->themes, tram_tx_theme, p->t->themes.len - 1);
  const char *key = line, *val = eq + 1;
  size_t kn = (size_t)(eq - line), vn = n - kn - 1;
  trim(&key, &kn);
  trim(&val, &vn);
  if (kn > 6 && memcmp(key, "label.", 6) == 0) {
    for (int l = 0; l < TRAM_LANG_COUNT; l++)
      if (lang_keys[l] && strlen(lang_keys[l]) == kn - 6 &&
          memcmp(key + 6, lang_keys[l], kn - 6) == 0) {
        if (!vn)
          return perr(p, lineno, "empty label");
        th->label[l] = tram__arena_strndup(&p->t->strings, val, vn);
        return th->label[l] ? 0 : nomem(p);
      }
    return perr(p, lineno, "unknown label language (en, fr, es, ca, oc)");
  }
  if (kn == 6 && memcmp(key, "weight", 6) == 0) {
    char buf[32];
    if (vn == 0 || vn >= sizeof buf)
      return perr(p, lineno, "bad weight");
    memcpy(buf, val, vn);
    buf[vn] = 0;
    char *end;
    double w = strtod(buf, &end);
    if (*end || !(w > 0 && w <= 100))
      return perr(p, lineno, "weight must be a number in (0, 100]");
    th->weight = w;
    return 0;
  }
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_OTHER; l++)
    if (strlen(lang_keys[l]) == kn && memcmp(key, lang_keys[l], kn) == 0) {
      size_t i = 0;
      while (i <= vn) {
        size_t j = i;
        while (j < vn && val[j] != '|')
          j++;
        if (add_term(p, l, val + i, j - i, lineno))
          return p->status;
        i = j + 1;
      }
      return 0;
    }
  return perr(p, lineno, "unknown key (label.<lang>, weight, fr, es, ca, oc)");
}

static int build_index(tram_taxonomy *t) {
  t->index = tram__map_new();
  if (!t->index)
    return TRAM_ENOMEM;
  char key[256];
  /* Walk backwards so chains list terms in file order. */
  for (size_t i = t->terms.len; i-- > 0;) {
    tram_tx_term *term = TRAM_VEC_AT(&t->terms, tram_tx_term, i);
    const char *s = *TRAM_VEC_AT(&t->stems, const char *, term->first_stem);
    size_t sl = strlen(s);
    if (sl + 1 >= sizeof key)
      continue;
    key[0] = (char)('0' + term->lang);
    memcpy(key + 1, s, sl);
    uintptr_t *slot = tram__map_slot(t->index, key, sl + 1, true);
    if (!slot)
      return TRAM_ENOMEM;
    term->next = (uint32_t)*slot;
    *slot = (uintptr_t)(i + 1);
  }
  return TRAM_OK;
}

int tram__taxonomy_parse(const tram_model *m, const char *text, size_t len,
                         const char *name, tram_taxonomy **out, char *msg,
                         size_t msgsz) {
  *out = NULL;
  parse_ctx p;
  memset(&p, 0, sizeof p);
  p.m = m;
  p.name = name;
  p.msg = msg;
  p.msgsz = msgsz;
  tram__buf_init(&p.word);
  tram__vec_init(&p.tmp, sizeof(const char *));
  p.t = tx_new();
  if (!p.t)
    return nomem(&p);
  for (int l = 0; l < TRAM_LANG_COUNT && !p.status; l++) {
    const tram_lang_tables *lt = m->lang[l];
    if (lt && lt->stemmer) {
      p.stemmer[l] = sb_stemmer_new(lt->stemmer, "UTF_8");
      if (!p.stemmer[l])
        nomem(&p);
    }
  }
  size_t lines = 0;
  for (size_t i = 0; i < len; i++)
    lines += text[i] == '\n';
  if (!p.status)
    tram__each_line(text, len, parse_line, &p);
  if (!p.status)
    finish_theme(&p, lines + 1);
  if (!p.status && p.t->themes.len == 0)
    perr(&p, lines + 1, "no themes");
  if (!p.status && build_index(p.t))
    nomem(&p);
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    if (p.stemmer[l])
      sb_stemmer_delete(p.stemmer[l]);
  tram__buf_free(&p.word);
  tram__vec_free(&p.tmp);
  if (p.status) {
    tram__taxonomy_free(p.t);
    return p.status;
  }
  *out = p.t;
  return TRAM_OK;
}

int tram__taxonomy_model_load(tram_model *m, tram_error *err) {
  m->taxonomy = NULL;
  tram_taxonomy *kp = NULL;
  char name[TRAM_SECTION_NAME_MAX];
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++) {
    snprintf(name, sizeof name, "keyphrase/%s", tram_lang_code(l));
    const tram_section *s = tram__container_find(&m->box, name);
    if (!s)
      continue;
    if (!kp && !(kp = tx_new()))
      return tram__set_error(err, TRAM_ENOMEM, 0, name, "out of memory");
    kp_ctx k = {tram__map_new(), kp->kp_filter[l], kp->kp_suffix_last[l],
                &kp->kp_suffix[l], ""};
    kp->kp[l] = k.map;
    if (!k.map) {
      tram__taxonomy_free(kp);
      return tram__set_error(err, TRAM_ENOMEM, 0, name, "out of memory");
    }
    int rc = tram__each_line((const char *)s->data, s->len, kp_line, &k);
    if (rc) {
      tram__taxonomy_free(kp);
      return tram__set_error(err, rc, s->offset, name, "%s",
                             rc == TRAM_ENOMEM ? "out of memory" : k.bad);
    }
  }
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++) {
    snprintf(name, sizeof name, "keyphrase-df/%s", tram_lang_code(l));
    const tram_section *s = tram__container_find(&m->box, name);
    if (!s)
      continue;
    if (!kp && !(kp = tx_new()))
      return tram__set_error(err, TRAM_ENOMEM, 0, name, "out of memory");
    /* First line "__documents__<TAB>N", then the sorted table. */
    const char *p = (const char *)s->data;
    const char *nl = memchr(p, '\n', s->len);
    double docs = 0;
    if (nl && s->len > 14 && memcmp(p, "__documents__\t", 14) == 0)
      docs = strtod(p + 14, NULL);
    if (!(docs >= 1) || memchr(p, 0, s->len)) {
      tram__taxonomy_free(kp);
      return tram__set_error(err, TRAM_EMODEL, s->offset, name,
                             "bad frequency table");
    }
    kp->df[l] = nl + 1;
    kp->df_len[l] = s->len - (size_t)(nl + 1 - p);
    kp->df_docs[l] = docs;
    kp->df_lognorm[l] = log(docs + 1);
    size_t len = kp->df_len[l];
    kp->df_map[l] = tram__map_new();
    if (!kp->df_map[l]) {
      tram__taxonomy_free(kp);
      return tram__set_error(err, TRAM_ENOMEM, 0, name, "out of memory");
    }
    for (size_t i = 0, at; i < len; i = at) {
      const char *line = kp->df[l] + i;
      const char *e = memchr(line, '\n', len - i);
      at = e ? (size_t)(e - kp->df[l]) + 1 : len;
      const char *tab = memchr(line, '\t', at - i);
      if (!tab)
        continue;
      uintptr_t *slot =
          tram__map_slot(kp->df_map[l], line, (size_t)(tab - line), true);
      if (!slot) {
        tram__taxonomy_free(kp);
        return tram__set_error(err, TRAM_ENOMEM, 0, name, "out of memory");
      }
      *slot = (uintptr_t)strtoul(tab + 1, NULL, 10);
    }
  }
  /* The parser reads the link words through m->taxonomy. */
  m->taxonomy = kp;
  const tram_section *s = tram__container_find(&m->box, "taxonomy");
  if (!s)
    return TRAM_OK;
  tram_taxonomy *t;
  char msg[256];
  int rc = tram__taxonomy_parse(m, (const char *)s->data, s->len, "taxonomy",
                                &t, msg, sizeof msg);
  if (rc) {
    tram__taxonomy_free(kp);
    m->taxonomy = NULL;
    return tram__set_error(err, rc == TRAM_EDATA ? TRAM_EMODEL : rc, s->offset,
                           "taxonomy", "%s", msg);
  }
  if (kp) {
    for (int l = 0; l < TRAM_LANG_COUNT; l++) {
      t->kp[l] = kp->kp[l];
      kp->kp[l] = NULL;
      t->kp_suffix[l] = kp->kp_suffix[l];
      memcpy(t->kp_filter[l], kp->kp_filter[l], sizeof t->kp_filter[l]);
      memcpy(t->kp_suffix_last[l], kp->kp_suffix_last[l],
             sizeof t->kp_suffix_last[l]);
      tram__buf_init(&kp->kp_suffix[l]);
      t->df[l] = kp->df[l];
      t->df_len[l] = kp->df_len[l];
      t->df_map[l] = kp->df_map[l];
      kp->df_map[l] = NULL;
      t->df_docs[l] = kp->df_docs[l];
      t->df_lognorm[l] = kp->df_lognorm[l];
    }
    tram__taxonomy_free(kp);
  }
  m->taxonomy = t;
  return TRAM_OK;
}

int tram__taxonomy_load_file(tram_analyzer *an, const char *path,
                             tram_taxonomy **out) {
  *out = NULL;
  tram_buf b;
  int rc = tram__read_file(path, &b);
  if (rc)
    return tram__fail(an, rc, "cannot %s taxonomy %s",
                      rc == TRAM_EIO ? "open or read" : "load", path);
  rc = tram__taxonomy_parse(an->model, b.data ? b.data : "", b.len, path, out,
                            an->errmsg, sizeof an->errmsg);
  tram__buf_free(&b);
  return rc;
}
