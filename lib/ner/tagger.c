/*
 * tagger.c — features and decoding of the named-entity labeller.
 *
 * Method: an averaged perceptron (Collins 2002) over hashed features
 * ("feature hashing", Weinberger et al. 2009), greedy left-to-right
 * decoding with the two previous labels as features and BIO constraints,
 * in the tradition of the CoNLL-2002/2003 feature-based taggers (Carreras
 * et al. 2002; Ratinov & Roth 2009, whose "two-stage prediction
 * aggregation" the second pass follows):
 *
 *   word: lower form, surface form, short shape (Xx, XX, Xd…), 3-letter
 *     prefix, 2/3/4-letter suffixes, length bucket, capitalisation ×
 *     sentence position;
 *   context: lower forms at ±1, ±2, shapes at ±1, bigrams (w-1 w), (w w+1);
 *   cues: class of the word and its neighbours in per-language lists
 *     (legal forms, organisation/location head nouns, titles, articles,
 *     connectors), and the capitalised run the word sits in (position in
 *     the run × cue classes found in it, e.g. a run holding "fundació" or
 *     ending in "SL");
 *   gazetteer: begin/inside of a gazetteer match of each type, at 0 and ±1;
 *   document: whether the lower form is written capitalised (not
 *     sentence-initially), lower-case or upper-case elsewhere in the
 *     document, whether an upper-case word spells the initials of a
 *     capitalised run of the document; and in the second pass, the type
 *     the first pass gave the other occurrences of the word;
 *   history: previous label, previous two labels, previous label × word,
 *     previous label × shape.
 *   extended templates (models flagged TRAM_NER_FSET_EXT, ner_train
 *     --ext): 1/2/4-letter prefixes, last letter, word trigram (w-1 w w+1),
 *     bigrams (w-2 w-1) and (w+1 w+2), shape trigram, word × case, cluster
 *     paths at ±2, 10-bit paths at ±1, cluster bigram, and in the second
 *     pass the neighbours' document labels.
 *
 * Weights are int16 (scale in the model header), so a label's score is an
 * integer sum: 9 adds per feature, about 45 features per token.
 */
#include <math.h>
#include <string.h>
#include <unicode/uchar.h>

#include "ner/ner.h"

/* Feature template ids; the list below is hashed into the model header so
 * a model trained with other templates is refused. Append, never reorder;
 * change TEMPLATE_NAMES with the list. */
enum {
  T_BIAS = 1,
  T_W,
  T_RAW,
  T_SHAPE,
  T_P3,
  T_S2,
  T_S3,
  T_S4,
  T_LEN,
  T_CAPPOS,
  T_WM1,
  T_WP1,
  T_WM2,
  T_WP2,
  T_SHM1,
  T_SHP1,
  T_BIL,
  T_BIR,
  T_CUE,
  T_CUEM1,
  T_CUEP1,
  T_CUEM2,
  T_CUEP2,
  T_RUN,
  T_GAZ,
  T_GAZM1,
  T_GAZP1,
  T_DOC,
  T_DOCLAB,
  T_DOCLAB_CAP,
  T_PREV,
  T_PREV2,
  T_PREV_W,
  T_PREV_SHAPE,
  T_RUN_W,
  T_WINL,
  T_WINR,
  T_CL4,
  T_CL6,
  T_CL10,
  T_CLF,
  T_CLM1,
  T_CLP1,
  T_CL_CAP,
  /* extended templates (TRAM_NER_FSET_EXT) */
  T_P1,
  T_P2,
  T_P4,
  T_S1,
  T_TRI,
  T_BIL2,
  T_BIR2,
  T_SH3,
  T_W_CAP,
  T_CLM2,
  T_CLP2,
  T_CLM1_10,
  T_CLP1_10,
  T_CL_BI,
  T_DOCLAB_M1,
  T_DOCLAB_P1
};
static const char TEMPLATE_NAMES[] =
    "ner-templates-1: bias w raw shape p3 s2 s3 s4 len cappos w-1 w+1 w-2 w+2 "
    "sh-1 sh+1 bi-l bi-r cue cue-1 cue+1 cue-2 cue+2 run gaz gaz-1 gaz+1 doc "
    "doclab doclab-cap prev prev2 prev-w prev-shape run-w win-l win-r";
/* Added to the list when the model has word clusters: a model without
 * them keeps the hash (and the features) of format 1.0. */
static const char CLUSTER_TEMPLATE_NAMES[] =
    " cl4 cl6 cl10 clf cl-1 cl+1 cl-cap";
/* Added when the model has TRAM_NER_FSET_EXT (the cluster ones only when
 * it also has clusters, the doclab ones in pass 2). */
static const char EXT_TEMPLATE_NAMES[] =
    " ext-1: p1 p2 p4 s1 tri bi-l2 bi-r2 sh3 w-cap cl-2 cl+2 cl10-1 cl10+1 "
    "cl-bi doclab-1 doclab+1";

uint32_t tram__ner_template_hash(bool clusters, uint32_t fset) {
  uint64_t h = tram__hash(TEMPLATE_NAMES, sizeof TEMPLATE_NAMES - 1);
  if (fset & TRAM_NER_FSET_EXT)
    h = tram__hash(EXT_TEMPLATE_NAMES, sizeof EXT_TEMPLATE_NAMES - 1) ^
        (h * 0xC2B2AE3D27D4EB4FULL);
  /* Viterbi models read the label before the previous one as O */
  if (fset & TRAM_NER_FSET_VITERBI)
    h = tram__hash("viterbi prev2=O", 15) ^ (h * 0x9E3779B97F4A7C15ULL);
  if (clusters)
    h = tram__hash(CLUSTER_TEMPLATE_NAMES, sizeof CLUSTER_TEMPLATE_NAMES - 1) ^
        (h * 0x9E3779B97F4A7C15ULL);
  return (uint32_t)h;
}

static inline uint64_t mix(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}
static inline uint64_t feat(uint64_t tid, uint64_t v) {
  return mix(v + tid * 0x9E3779B97F4A7C15ULL);
}
static inline uint64_t hstr(const char *s, size_t n) {
  return tram__hash(s, n);
}

int tram__ner_lower(const char *s, size_t n, tram_buf *buf) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    if (u[i] < 0x80) {
      char c = (char)u[i];
      tram__buf_putc(buf, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
      i++;
      continue;
    }
    uint32_t cp;
    bool valid;
    size_t k = tram__utf8_decode(u + i, n - i, &cp, &valid);
    char enc[4];
    if (cp == 0x2019 || cp == 0x02BC)
      cp = 0x27; /* typographic apostrophes read as ASCII */
    size_t m = tram__utf8_encode((uint32_t)u_tolower((UChar32)cp), enc);
    tram__buf_put(buf, enc, m);
    i += k;
  }
  return buf->failed ? TRAM_ENOMEM : TRAM_OK;
}

/* Byte length of the last k code points of s[0..n) (the whole if shorter). */
static size_t last_cps(const char *s, size_t n, int k) {
  size_t i = n;
  while (i > 0 && k > 0) {
    i--;
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
      i--;
    k--;
  }
  return n - i;
}
static size_t first_cps(const char *s, size_t n, int k) {
  size_t i = 0;
  while (i < n && k > 0) {
    i++;
    while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
      i++;
    k--;
  }
  return i;
}

/* Flags, shape and length of one surface form. */
static void word_shape(tram_ner_tok *t) {
  const unsigned char *u = (const unsigned char *)t->text;
  size_t i = 0, n = t->len;
  char shape[24];
  size_t sl = 0;
  unsigned cps = 0;
  bool first_letter = true, any_lower = false;
  while (i < n) {
    uint32_t cp;
    bool valid;
    size_t k = u[i] < 0x80 ? (cp = u[i], 1)
                           : tram__utf8_decode(u + i, n - i, &cp, &valid);
    i += k;
    cps++;
    char c;
    if (u_isalpha((UChar32)cp)) {
      t->flags |= TRAM_NER_F_LETTER;
      bool up = u_isupper((UChar32)cp) || u_istitle((UChar32)cp);
      if (first_letter && up)
        t->flags |= TRAM_NER_F_CAP;
      if (!up)
        any_lower = true;
      first_letter = false;
      c = up ? 'X' : 'x';
    } else if (u_isdigit((UChar32)cp)) {
      t->flags |= TRAM_NER_F_DIGIT;
      c = 'd';
    } else {
      c = cp < 0x80 ? (char)cp : 'o';
    }
    if (sl == 0 || shape[sl - 1] != c) {
      if (sl < sizeof shape)
        shape[sl++] = c;
    }
  }
  if ((t->flags & TRAM_NER_F_LETTER) && !any_lower)
    t->flags |= TRAM_NER_F_UPPER;
  if (!(t->flags & (TRAM_NER_F_LETTER | TRAM_NER_F_DIGIT)))
    t->flags |= TRAM_NER_F_PUNCT;
  t->h_shape = hstr(shape, sl);
  t->len_bucket = (uint8_t)(cps <= 3 ? cps : cps <= 5 ? 4 : cps <= 8 ? 5 : 6);
}

static bool capword(const tram_ner_tok *t) {
  return (t->flags & TRAM_NER_F_LETTER) &&
         (t->flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER));
}

/* Open-addressing table keyed by 64-bit hashes (0 = empty). */
typedef struct htab {
  uint64_t *keys;
  uint16_t (*val)[6];
  size_t mask;
} htab;

static int htab_init(htab *h, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n + 2)
    cap <<= 1;
  h->keys = tram__calloc(cap, sizeof *h->keys);
  h->val = tram__calloc(cap, sizeof *h->val);
  h->mask = cap - 1;
  if (!h->keys || !h->val) {
    tram__free(h->keys);
    tram__free(h->val);
    return TRAM_ENOMEM;
  }
  return TRAM_OK;
}
static void htab_free(htab *h) {
  tram__free(h->keys);
  tram__free(h->val);
}
static uint16_t *htab_slot(htab *h, uint64_t key) {
  key |= 1; /* never 0 */
  size_t i = (size_t)mix(key) & h->mask;
  while (h->keys[i] && h->keys[i] != key)
    i = (i + 1) & h->mask;
  h->keys[i] = key;
  return h->val[i];
}
static inline void inc(uint16_t *v) {
  if (*v < 65535)
    (*v)++;
}

static uint32_t cue_of(const tram_ner_lex *lex, int lang, const char *s,
                       size_t n) {
  uintptr_t v;
  if (lang >= 0 && lang < TRAM_LANG_COUNT && lex->cues[lang] &&
      tram__map_get(lex->cues[lang], s, n, &v))
    return (uint32_t)v;
  return 0;
}

/* Marks gazetteer matches (longest first, left to right). */
static int gazetteer(const tram_ner_lex *lex, tram_ner_tok *toks, size_t n,
                     tram_buf *key) {
  if (!lex || !lex->gaz || !lex->gaz_first)
    return TRAM_OK;
  for (size_t i = 0; i < n; i++) {
    if (!capword(&toks[i]) || toks[i].gaz)
      continue;
    uintptr_t maxlen;
    if (!tram__map_get(lex->gaz_first, toks[i].low, toks[i].low_len, &maxlen))
      continue;
    size_t L = maxlen < n - i ? (size_t)maxlen : n - i;
    for (; L >= 1; L--) {
      key->len = 0;
      for (size_t j = i; j < i + L; j++) {
        if (j > i)
          tram__buf_putc(key, ' ');
        tram__buf_put(key, toks[j].low, toks[j].low_len);
      }
      if (key->failed)
        return TRAM_ENOMEM;
      uintptr_t types;
      if (!tram__map_get(lex->gaz, key->data, key->len, &types))
        continue;
      static const int pref[4] = {TRAM_ENT_ORG, TRAM_ENT_LOC, TRAM_ENT_PER,
                                  TRAM_ENT_MISC};
      int t = TRAM_ENT_MISC;
      for (int p = 0; p < 4; p++)
        if (types & ((uintptr_t)1 << pref[p])) {
          t = pref[p];
          break;
        }
      for (size_t j = i; j < i + L; j++)
        if (!toks[j].gaz)
          toks[j].gaz = (uint8_t)(j == i ? 1 + 2 * t : 2 + 2 * t);
      i += L - 1;
      break;
    }
  }
  return TRAM_OK;
}

int tram__ner_gazetteer_mark(const tram_ner_lex *lex, tram_ner_tok *toks,
                             size_t n) {
  tram_buf key;
  tram__buf_init(&key);
  int rc = gazetteer(lex, toks, n, &key);
  tram__buf_free(&key);
  return rc;
}

int tram__ner_prepare(const tram_ner_lex *lex, const tram_ner_lex *gaz2,
                      int lang, tram_ner_tok *toks, size_t n, tram_buf *buf) {
  buf->len = 0;
  for (size_t i = 0; i < n; i++) {
    tram_ner_tok *t = &toks[i];
    t->flags &= TRAM_NER_F_START;
    t->low_off = (uint32_t)buf->len;
    if (tram__ner_lower(t->text, t->len, buf))
      return TRAM_ENOMEM;
    t->low_len = (uint32_t)(buf->len - t->low_off);
    tram__buf_putc(buf, 0);
    word_shape(t);
    t->gaz = t->run = t->run_cue = t->doc = 0;
    t->doclab = -1;
    t->cl = 0;
    t->cl_len = TRAM_NER_NOTABLE;
  }
  if (buf->failed)
    return TRAM_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    tram_ner_tok *t = &toks[i];
    const char *low = buf->data + t->low_off;
    size_t ll = t->low_len;
    t->low = low;
    t->h_low = hstr(low, ll);
    t->h_raw = hstr(t->text, t->len);
    t->h_p3 = hstr(low, first_cps(low, ll, 3));
    t->h_s2 = hstr(low + ll - last_cps(low, ll, 2), last_cps(low, ll, 2));
    t->h_s3 = hstr(low + ll - last_cps(low, ll, 3), last_cps(low, ll, 3));
    t->h_s4 = hstr(low + ll - last_cps(low, ll, 4), last_cps(low, ll, 4));
    t->cue = lex ? cue_of(lex, lang, low, ll) : 0;
  }
  /* Capitalised runs, joined through lower-case connectors. */
  for (size_t i = 0; i < n;) {
    if (!capword(&toks[i])) {
      i++;
      continue;
    }
    size_t j = i + 1;
    for (;;) {
      if (j < n && capword(&toks[j]) && !(toks[j].flags & TRAM_NER_F_START)) {
        j++;
        continue;
      }
      /* up to three connectors/articles ("de la", "per a l'") then a capital */
      size_t k = j;
      while (k < n && k < j + 3 && !capword(&toks[k]) &&
             (toks[k].cue & (TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_ARTICLE)))
        k++;
      if (k > j && k < n && capword(&toks[k]) &&
          !(toks[k].flags & TRAM_NER_F_START)) {
        j = k + 1;
        continue;
      }
      break;
    }
    uint8_t rc = 0;
    for (size_t k = i; k < j; k++) {
      if (toks[k].cue & TRAM_NER_CUE_LEGAL)
        rc |= 1;
      if (toks[k].cue & TRAM_NER_CUE_ORGHEAD)
        rc |= 2;
      if (toks[k].cue & TRAM_NER_CUE_LOCHEAD)
        rc |= 4;
    }
    if (i > 0 && (toks[i - 1].cue & TRAM_NER_CUE_PERTITLE))
      rc |= 8;
    if (j < n && (toks[j].cue & TRAM_NER_CUE_LEGAL))
      rc |= 1;
    if (i > 0 && (toks[i - 1].cue & TRAM_NER_CUE_ORGHEAD))
      rc |= 16;
    for (size_t k = i; k < j; k++) {
      toks[k].run = (uint8_t)(j - i == 1 ? 1 : k == i ? 2 : k + 1 == j ? 4 : 3);
      toks[k].run_cue = rc;
    }
    i = j;
  }
  /* gazetteer keys go to their own buffer: `buf` holds the lower forms */
  tram_buf key;
  tram__buf_init(&key);
  int rc = gazetteer(lex, toks, n, &key);
  if (rc == TRAM_OK && gaz2)
    rc = gazetteer(gaz2, toks, n, &key);
  tram__buf_free(&key);
  if (rc)
    return rc;
  /* Document statistics per lower form: capitalised non-initial, lower,
   * upper; and the initials of runs. */
  htab h, acro;
  if (htab_init(&h, n))
    return TRAM_ENOMEM;
  if (htab_init(&acro, n)) {
    htab_free(&h);
    return TRAM_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    tram_ner_tok *t = &toks[i];
    if (!(t->flags & TRAM_NER_F_LETTER))
      continue;
    uint16_t *v = htab_slot(&h, t->h_low);
    if (t->flags & TRAM_NER_F_UPPER)
      inc(&v[2]);
    else if ((t->flags & TRAM_NER_F_CAP) && !(t->flags & TRAM_NER_F_START))
      inc(&v[0]);
    else if (!(t->flags & TRAM_NER_F_CAP))
      inc(&v[1]);
  }
  for (size_t i = 0; i < n;) {
    if (toks[i].run < 2) {
      i++;
      continue;
    }
    char ini[16];
    size_t il = 0, j = i;
    for (; j < n && toks[j].run >= 2 && (j == i || toks[j].run != 2); j++) {
      if (toks[j].cue &
          (TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_ARTICLE | TRAM_NER_CUE_STOP))
        continue;
      if (il < sizeof ini && toks[j].low[0] &&
          !((unsigned char)toks[j].low[0] & 0x80))
        ini[il++] = toks[j].low[0];
    }
    if (il >= 2 && il < sizeof ini)
      htab_slot(&acro, hstr(ini, il))[0] = 1;
    i = j;
  }
  for (size_t i = 0; i < n; i++) {
    tram_ner_tok *t = &toks[i];
    if (!(t->flags & TRAM_NER_F_LETTER))
      continue;
    uint16_t *v = htab_slot(&h, t->h_low);
    bool up = t->flags & TRAM_NER_F_UPPER;
    bool cap = (t->flags & TRAM_NER_F_CAP) && !(t->flags & TRAM_NER_F_START);
    bool lo = !(t->flags & TRAM_NER_F_CAP);
    if (v[0] > (cap && !up ? 1 : 0))
      t->doc |= TRAM_NER_D_CAP;
    if (v[1] > (lo ? 1 : 0))
      t->doc |= TRAM_NER_D_LOWER;
    if (v[2] > (up ? 1 : 0))
      t->doc |= TRAM_NER_D_UPPER;
    if (up && t->low_len >= 2 && t->low_len <= 8 &&
        htab_slot(&acro, t->h_low)[0])
      t->doc |= TRAM_NER_D_ACRO;
  }
  htab_free(&h);
  htab_free(&acro);
  return TRAM_OK;
}

void tram__ner_clusters_apply(const tram_ner_model *m, tram_ner_tok *toks,
                              size_t n) {
  for (size_t i = 0; i < n; i++) {
    tram_ner_tok *t = &toks[i];
    t->cl = 0;
    t->cl_len = m && m->cl ? TRAM_NER_NOCL : TRAM_NER_NOTABLE;
    t->flags = m && (m->fset & TRAM_NER_FSET_EXT) ? t->flags | TRAM_NER_F_EXT
                                                  : t->flags & ~TRAM_NER_F_EXT;
    if (!m || !m->cl)
      continue;
    uint32_t check = (uint32_t)(t->h_low >> 32) | 1u;
    size_t j = (size_t)(t->h_low & m->cl_mask);
    /* the table is at most 2/3 full: a probe always meets an empty slot */
    while (m->cl[2 * j]) {
      if (m->cl[2 * j] == check) {
        t->cl = (uint16_t)m->cl[2 * j + 1];
        t->cl_len = (uint8_t)(m->cl[2 * j + 1] >> 16);
        break;
      }
      j = (j + 1) & m->cl_mask;
    }
  }
}

/* Path prefix of at most k bits (the whole path when shorter), with its
 * length; an unknown word gives its own value. */
static inline uint64_t cl_prefix(const tram_ner_tok *t, unsigned k) {
  if (t->cl_len == TRAM_NER_NOCL)
    return 0xfffff;
  unsigned l = t->cl_len < k ? t->cl_len : k;
  uint32_t p = l ? (uint32_t)t->cl >> (16 - l) : 0;
  return (uint64_t)l << 16 | p;
}

#define H_BOS 0x5bd1e995u
#define H_EOS 0x1b873593u

/* The second pass's own features: the first pass's labels elsewhere (with
 * the extended templates, also those of the neighbours). */
static size_t doclab_features(const tram_ner_tok *toks, size_t n, size_t i,
                              uint64_t *f) {
  const tram_ner_tok *t = &toks[i];
  f[0] = feat(T_DOCLAB, (uint64_t)(t->doclab + 1));
  f[1] = feat(T_DOCLAB_CAP, (uint64_t)(t->doclab + 1) << 8 | (t->flags & 7u));
  if (!(t->flags & TRAM_NER_F_EXT))
    return 2;
  f[2] = feat(T_DOCLAB_M1, i > 0 ? (uint64_t)(toks[i - 1].doclab + 1) : 99);
  f[3] = feat(T_DOCLAB_P1, i + 1 < n ? (uint64_t)(toks[i + 1].doclab + 1) : 99);
  return 4;
}

/* Extended templates (TRAM_NER_FSET_EXT), after Ratinov & Roth (2009) and
 * ixa-pipe-nerc: more affixes, word trigram and the bigrams of the outer
 * neighbours, shape trigram, the word × its capitalisation, cluster paths
 * of a wider window. Each group raised CoNLL-2002 dev F1 of the research
 * model; character trigrams lowered it (78.25 -> 77.88) and are left out. */
static size_t ext_features(const tram_ner_tok *toks, size_t n, size_t i,
                           uint64_t wm2, uint64_t wm1, uint64_t wp1,
                           uint64_t wp2, uint64_t *f) {
  const tram_ner_tok *t = &toks[i];
  const char *low = t->low;
  size_t ll = t->low_len, k = 0;
  f[k++] = feat(T_P1, hstr(low, first_cps(low, ll, 1)));
  f[k++] = feat(T_P2, hstr(low, first_cps(low, ll, 2)));
  f[k++] = feat(T_P4, hstr(low, first_cps(low, ll, 4)));
  f[k++] =
      feat(T_S1, hstr(low + ll - last_cps(low, ll, 1), last_cps(low, ll, 1)));
  f[k++] = feat(T_TRI, mix(mix(wm1) ^ t->h_low) ^ wp1);
  f[k++] = feat(T_BIL2, mix(wm2) ^ wm1);
  f[k++] = feat(T_BIR2, mix(wp1) ^ wp2);
  uint64_t shm1 = i > 0 ? toks[i - 1].h_shape : H_BOS;
  uint64_t shp1 = i + 1 < n ? toks[i + 1].h_shape : H_EOS;
  f[k++] = feat(T_SH3, mix(mix(shm1) ^ t->h_shape) ^ shp1);
  f[k++] = feat(T_W_CAP, mix(t->h_low) ^ (t->flags & 7u));
  if (t->cl_len != TRAM_NER_NOTABLE) {
    f[k++] = feat(T_CLM2, i > 1 ? cl_prefix(&toks[i - 2], 6) : H_BOS);
    f[k++] = feat(T_CLP2, i + 2 < n ? cl_prefix(&toks[i + 2], 6) : H_EOS);
    f[k++] = feat(T_CLM1_10, i > 0 ? cl_prefix(&toks[i - 1], 10) : H_BOS);
    f[k++] = feat(T_CLP1_10, i + 1 < n ? cl_prefix(&toks[i + 1], 10) : H_EOS);
    f[k++] = feat(T_CL_BI, mix(i > 0 ? cl_prefix(&toks[i - 1], 6) : H_BOS) ^
                               cl_prefix(t, 6));
  }
  return k;
}

size_t tram__ner_features(const tram_ner_tok *toks, size_t n, size_t i,
                          bool pass2, uint64_t *f) {
  const tram_ner_tok *t = &toks[i];
  size_t k = 0;
  uint64_t wm1 = i > 0 ? toks[i - 1].h_low : H_BOS;
  uint64_t wm2 = i > 1 ? toks[i - 2].h_low : H_BOS;
  uint64_t wp1 = i + 1 < n ? toks[i + 1].h_low : H_EOS;
  uint64_t wp2 = i + 2 < n ? toks[i + 2].h_low : H_EOS;
  uint32_t capcls =
      (t->flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER | TRAM_NER_F_START |
                   TRAM_NER_F_LETTER | TRAM_NER_F_DIGIT | TRAM_NER_F_PUNCT));
  uint32_t prevcap = i > 0 ? (toks[i - 1].flags & 0x3fu) : 0x40u;
  f[k++] = feat(T_BIAS, 0);
  f[k++] = feat(T_W, t->h_low);
  f[k++] = feat(T_RAW, t->h_raw);
  f[k++] = feat(T_SHAPE, t->h_shape);
  f[k++] = feat(T_P3, t->h_p3);
  f[k++] = feat(T_S2, t->h_s2);
  f[k++] = feat(T_S3, t->h_s3);
  f[k++] = feat(T_S4, t->h_s4);
  f[k++] = feat(T_LEN, (uint64_t)t->len_bucket << 8 | (t->flags & 3u));
  f[k++] = feat(T_CAPPOS, (uint64_t)capcls << 8 | prevcap);
  f[k++] = feat(T_WM1, wm1);
  f[k++] = feat(T_WP1, wp1);
  f[k++] = feat(T_WM2, wm2);
  f[k++] = feat(T_WP2, wp2);
  f[k++] = feat(T_SHM1, i > 0 ? toks[i - 1].h_shape : H_BOS);
  f[k++] = feat(T_SHP1, i + 1 < n ? toks[i + 1].h_shape : H_EOS);
  f[k++] = feat(T_BIL, mix(wm1) ^ t->h_low);
  f[k++] = feat(T_BIR, mix(t->h_low) ^ wp1);
  if (t->cue)
    f[k++] = feat(T_CUE, t->cue);
  f[k++] = feat(T_CUEM1, i > 0 ? toks[i - 1].cue : 0xffff);
  f[k++] = feat(T_CUEP1, i + 1 < n ? toks[i + 1].cue : 0xffff);
  f[k++] = feat(T_CUEM2, i > 1 ? toks[i - 2].cue : 0xffff);
  f[k++] = feat(T_CUEP2, i + 2 < n ? toks[i + 2].cue : 0xffff);
  f[k++] = feat(T_RUN, (uint64_t)t->run << 8 | t->run_cue);
  if (t->run)
    f[k++] =
        feat(T_RUN_W, mix(t->h_low) ^ ((uint64_t)t->run << 8 | t->run_cue));
  f[k++] = feat(T_GAZ, t->gaz);
  f[k++] = feat(T_GAZM1, i > 0 ? toks[i - 1].gaz : 0xff);
  f[k++] = feat(T_GAZP1, i + 1 < n ? toks[i + 1].gaz : 0xff);
  f[k++] = feat(T_DOC, (uint64_t)t->doc << 8 | (t->flags & 7u));
  /* cue classes in a window of 4 words on each side (appositions:
   * "X, cette entreprise sociale"), × the word's capitalisation */
  uint32_t wl = 0, wr = 0;
  const uint32_t wc = TRAM_NER_CUE_ORGHEAD | TRAM_NER_CUE_LOCHEAD |
                      TRAM_NER_CUE_PERTITLE | TRAM_NER_CUE_LEGAL |
                      TRAM_NER_CUE_ORGCTX;
  for (size_t j = i >= 4 ? i - 4 : 0; j < i; j++)
    wl |= toks[j].cue & wc;
  for (size_t j = i + 1; j < n && j <= i + 4; j++)
    wr |= toks[j].cue & wc;
  f[k++] = feat(T_WINL, (uint64_t)wl << 8 | (t->flags & 3u));
  f[k++] = feat(T_WINR, (uint64_t)wr << 8 | (t->flags & 3u));
  /* word clusters (when the model has them): path prefixes of 4, 6, 10
   * and 16 bits, the neighbours' 6-bit prefixes, the 6-bit prefix ×
   * capitalisation */
  if (t->cl_len != TRAM_NER_NOTABLE) {
    f[k++] = feat(T_CL4, cl_prefix(t, 4));
    f[k++] = feat(T_CL6, cl_prefix(t, 6));
    f[k++] = feat(T_CL10, cl_prefix(t, 10));
    f[k++] = feat(T_CLF, cl_prefix(t, 16));
    f[k++] = feat(T_CLM1, i > 0 ? cl_prefix(&toks[i - 1], 6) : H_BOS);
    f[k++] = feat(T_CLP1, i + 1 < n ? cl_prefix(&toks[i + 1], 6) : H_EOS);
    f[k++] = feat(T_CL_CAP, cl_prefix(t, 6) << 8 | (t->flags & 7u));
  }
  if (t->flags & TRAM_NER_F_EXT)
    k += ext_features(toks, n, i, wm2, wm1, wp1, wp2, f + k);
  if (pass2)
    k += doclab_features(toks, n, i, f + k);
  return k;
}

size_t tram__ner_label_features(const tram_ner_tok *toks, size_t i, int prev,
                                int prev2, uint64_t *f) {
  const tram_ner_tok *t = &toks[i];
  f[0] = feat(T_PREV, (uint64_t)prev);
  f[1] = feat(T_PREV2, (uint64_t)(prev * 16 + prev2));
  f[2] = feat(T_PREV_W, mix(t->h_low) + (uint64_t)prev);
  f[3] = feat(T_PREV_SHAPE, mix(t->h_shape) + (uint64_t)prev);
  return 4;
}

int tram__ner_doclab(tram_ner_tok *toks, size_t n, const uint8_t *labels) {
  htab h;
  if (htab_init(&h, n))
    return TRAM_ENOMEM;
  /* v[0..3] types, v[4] O */
  for (size_t i = 0; i < n; i++) {
    if (!(toks[i].flags & TRAM_NER_F_LETTER))
      continue;
    uint16_t *v = htab_slot(&h, toks[i].h_low);
    inc(&v[labels[i] ? TRAM_NER_TYPE(labels[i]) : 4]);
  }
  for (size_t i = 0; i < n; i++) {
    toks[i].doclab = -1;
    if (!(toks[i].flags & TRAM_NER_F_LETTER))
      continue;
    uint16_t v[5];
    memcpy(v, htab_slot(&h, toks[i].h_low), sizeof v);
    v[labels[i] ? TRAM_NER_TYPE(labels[i]) : 4]--;
    int best = -1;
    unsigned bc = 0;
    for (int t = 0; t < 4; t++)
      if (v[t] > bc) {
        bc = v[t];
        best = t;
      }
    if (best < 0 && v[4])
      best = 4;
    toks[i].doclab = (int8_t)best;
  }
  htab_free(&h);
  return TRAM_OK;
}

static inline void add_w(const tram_ner_model *m, const uint64_t *f, size_t k,
                         int32_t *s) {
  /* the rows are scattered over megabytes: ask for all of them first */
  for (size_t j = 0; j < k; j++)
    __builtin_prefetch(m->w + (f[j] & m->mask) * TRAM_NER_NLABELS);
  for (size_t j = 0; j < k; j++) {
    const int16_t *w = m->w + (f[j] & m->mask) * TRAM_NER_NLABELS;
    for (int l = 0; l < TRAM_NER_NLABELS; l++)
      s[l] += w[l];
  }
}

/* One greedy pass. Pass 1 stores each token's static-feature sums in
 * `cache`; pass 2 reuses them and adds only the document-label and history
 * features (so the second pass costs a fraction of the first). */
static void greedy(const tram_ner_model *m, const tram_ner_tok *toks, size_t n,
                   bool pass2, uint8_t *labels, float *scores,
                   int32_t (*cache)[TRAM_NER_NLABELS]) {
  uint64_t f[TRAM_NER_MAX_FEATS];
  int prev = 0, prev2 = 0;
  for (size_t i = 0; i < n; i++) {
    if (toks[i].flags & TRAM_NER_F_START)
      prev = prev2 = 0;
    int32_t s[TRAM_NER_NLABELS] = {0};
    size_t k;
    if (!pass2) {
      k = tram__ner_features(toks, n, i, false, f);
      add_w(m, f, k, s);
      memcpy(cache[i], s, sizeof s);
      k = 0;
    } else {
      memcpy(s, cache[i], sizeof s);
      k = doclab_features(toks, n, i, f);
    }
    k += tram__ner_label_features(toks, i, prev, prev2, f + k);
    add_w(m, f, k, s);
    int best = 0;
    int32_t bs = INT32_MIN, second = INT32_MIN;
    for (int l = 0; l < TRAM_NER_NLABELS; l++) {
      if (!tram__ner_allowed(prev, l))
        continue;
      if (s[l] > bs) {
        second = bs;
        bs = s[l];
        best = l;
      } else if (s[l] > second) {
        second = s[l];
      }
    }
    labels[i] = (uint8_t)best;
    if (scores) {
      float margin = (float)(bs - second) * m->scale;
      scores[i] = 1.0f / (1.0f + expf(-margin));
    }
    prev2 = prev;
    prev = best;
  }
}

/* Local label scores of token i after label p: its static sums `s` plus
 * the label features (the transition part `trans` is the same for every
 * token: tram__ner_label_features gives the two token-independent
 * features first). */
static void local_scores(const tram_ner_model *m, const tram_ner_tok *toks,
                         size_t i, int p, const int32_t *s,
                         const int32_t (*trans)[TRAM_NER_NLABELS],
                         int32_t *out) {
  uint64_t f[4];
  tram__ner_label_features(toks, i, p, 0, f);
  for (int l = 0; l < TRAM_NER_NLABELS; l++)
    out[l] = s[l] + trans[p][l];
  add_w(m, f + 2, 2, out);
}

/* One Viterbi pass (models trained with ner_train --viterbi, flag
 * TRAM_NER_FSET_VITERBI): first order per sentence, the label features
 * seeing the previous label (the one before it read as O), BIO
 * constraints as transitions. Static sums are cached in pass 1 as in
 * greedy(); `bp` holds the back-pointers (n × labels). */
static void viterbi(const tram_ner_model *m, const tram_ner_tok *toks, size_t n,
                    bool pass2, uint8_t *labels, float *scores,
                    int32_t (*cache)[TRAM_NER_NLABELS],
                    uint8_t (*bp)[TRAM_NER_NLABELS]) {
  enum { L = TRAM_NER_NLABELS };
  const int64_t none = INT64_MIN / 4;
  if (n == 0)
    return;
  uint64_t f[TRAM_NER_MAX_FEATS];
  int32_t trans[L][L];
  memset(trans, 0, sizeof trans);
  for (int p = 0; p < L; p++) {
    tram__ner_label_features(toks, 0, p, 0, f);
    add_w(m, f, 2, trans[p]);
  }
  int64_t dl[L], nd[L];
  size_t s0 = 0;
  for (size_t i = 0; i < n; i++) {
    int32_t s[L] = {0};
    if (!pass2) {
      size_t k = tram__ner_features(toks, n, i, false, f);
      add_w(m, f, k, s);
      memcpy(cache[i], s, sizeof s);
    } else {
      memcpy(s, cache[i], sizeof s);
      add_w(m, f, doclab_features(toks, n, i, f), s);
    }
    if (i == 0 || (toks[i].flags & TRAM_NER_F_START)) {
      s0 = i;
      int32_t ls[L];
      local_scores(m, toks, i, 0, s, trans, ls);
      for (int l = 0; l < L; l++) {
        dl[l] = tram__ner_allowed(0, l) ? (int64_t)ls[l] : none;
        bp[i][l] = 0;
      }
    } else {
      for (int l = 0; l < L; l++) {
        nd[l] = none;
        bp[i][l] = 0;
      }
      for (int p = 0; p < L; p++) {
        if (dl[p] == none)
          continue;
        int32_t ls[L];
        local_scores(m, toks, i, p, s, trans, ls);
        for (int l = 0; l < L; l++)
          if (tram__ner_allowed(p, l) && dl[p] + ls[l] > nd[l]) {
            nd[l] = dl[p] + ls[l];
            bp[i][l] = (uint8_t)p;
          }
      }
      memcpy(dl, nd, sizeof dl);
    }
    if (i + 1 < n && !(toks[i + 1].flags & TRAM_NER_F_START))
      continue;
    /* end of the sentence: follow the back-pointers */
    int cur = 0;
    for (int l = 1; l < L; l++)
      if (dl[l] > dl[cur])
        cur = l;
    for (size_t j = i + 1; j-- > s0;) {
      labels[j] = (uint8_t)cur;
      cur = j > s0 ? bp[j][cur] : 0;
    }
    if (!scores)
      continue;
    /* confidence: margin of the chosen label over the best other one,
     * given the chosen previous label */
    for (size_t j = s0; j <= i; j++) {
      int32_t sj[L], ls[L];
      memcpy(sj, cache[j], sizeof sj);
      if (pass2)
        add_w(m, f, doclab_features(toks, n, j, f), sj);
      int p = j > s0 ? labels[j - 1] : 0;
      local_scores(m, toks, j, p, sj, trans, ls);
      int64_t other = none;
      for (int l = 0; l < L; l++)
        if (l != labels[j] && tram__ner_allowed(p, l) && ls[l] > other)
          other = ls[l];
      float margin = (float)(ls[labels[j]] - other) * m->scale;
      scores[j] = 1.0f / (1.0f + expf(-margin));
    }
  }
}

void tram__ner_refine(const tram_ner_tok *toks, size_t n, uint8_t *labels) {
  const int org = TRAM_ENT_ORG;

  for (size_t i = 0; i < n; i++) {
    if (labels[i] != TRAM_NER_B(org))
      continue;
    size_t j = i + 1;
    while (j < n && labels[j] == TRAM_NER_I(org))
      j++;
    /* j: first token after the span; extend while the run goes on */
    if (j >= n || !toks[j - 1].run || toks[j - 1].run == 1 ||
        toks[j - 1].run == 4 || toks[j].run < 3)
      continue;
    size_t e = j;
    bool ok = true;
    while (e < n && toks[e].run >= 3) {
      bool orgl = labels[e] == TRAM_NER_B(org) || labels[e] == TRAM_NER_I(org);
      if ((labels[e] && !orgl) || (toks[e].cue & TRAM_NER_CUE_COORD)) {
        ok = false;
        break;
      }
      e++;
      if (toks[e - 1].run == 4)
        break;
    }
    if (!ok || toks[e - 1].run != 4)
      continue;
    for (size_t k = j; k < e; k++)
      labels[k] = (uint8_t)TRAM_NER_I(org);
    i = e - 1;
  }
}

int tram__ner_tag(const tram_ner_model *m, tram_ner_tok *toks, size_t n,
                  uint8_t *labels, float *scores) {
  int32_t(*cache)[TRAM_NER_NLABELS] = tram__malloc((n ? n : 1) * sizeof *cache);
  if (!cache)
    return TRAM_ENOMEM;
  tram__ner_clusters_apply(m, toks, n);
  int rc = m->gaz ? tram__ner_gazetteer_mark(m->gaz, toks, n) : TRAM_OK;
  if (rc) {
    tram__free(cache);
    return rc;
  }
  if (m->fset & TRAM_NER_FSET_VITERBI) {
    uint8_t(*bp)[TRAM_NER_NLABELS] = tram__malloc((n ? n : 1) * sizeof *bp);
    if (!bp) {
      tram__free(cache);
      return TRAM_ENOMEM;
    }
    viterbi(m, toks, n, false, labels, NULL, cache, bp);
    rc = tram__ner_doclab(toks, n, labels);
    if (rc == TRAM_OK)
      viterbi(m, toks, n, true, labels, scores, cache, bp);
    tram__free(bp);
  } else {
    greedy(m, toks, n, false, labels, NULL, cache);
    rc = tram__ner_doclab(toks, n, labels);
    if (rc == TRAM_OK)
      greedy(m, toks, n, true, labels, scores, cache);
  }
  if (rc == TRAM_OK && !(m->fset & TRAM_NER_FSET_KEEP_SPANS))
    tram__ner_refine(toks, n, labels);
  tram__free(cache);
  return rc;
}
