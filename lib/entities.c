/*
 * entities.c — the entities stage: named-entity mentions (PER, LOC, ORG,
 * MISC) from the model's sequence labeller (lib/ner/tagger.c), then a
 * document pass that turns ORG mentions into organisations.
 *
 * Takes the normalised tokens of a doc; gives doc->entities (mentions in
 * text order, each with a score: the mean confidence of its tokens) and
 * doc->orgs. The document is labelled with the weights of its language
 * (falling back to any language the model has).
 *
 * The document pass (after Ratinov & Roth 2009's non-local features and
 * the usual "one sense per discourse" heuristics):
 *  1. key: an ORG mention's tokens after a leading article or elided
 *     article (cue class "article"), lower-cased and accent-folded, joined
 *     by spaces; mentions with one key are one organisation;
 *  2. acronyms: an upper-case word of 2–8 letters that spells the initials
 *     of an organisation's key (connectors, articles and stop words
 *     skipped) joins that organisation;
 *  3. propagation: every other occurrence of an organisation's key (or of
 *     its acronym) becomes a mention of it — a lower-case or differently
 *     cased repetition too when the key has two words or more — replacing
 *     the mentions it covers;
 *  4. each organisation gets its canonical name (the mention with the most
 *     key words; ties: more capitals, then more frequent, then first),
 *     its aliases (the other written forms, one per folded form) and its
 *     mention count; ORG entities point at it, the others hold -1.
 * The user's gazetteer (tram_options.gazetteer_path) is loaded once per
 * analyzer and adds gazetteer features next to the model's own.
 *
 * Before the mentions are built, a document type pass (tram__ner_docfix,
 * entities.h) corrects the labels with evidence the labeller weighs only
 * locally, in the spirit of the non-local features above and of rule
 * post-processing in FreeLing or spaCy's entity ruler, but data-driven:
 * gazetteer and place lists (a known place typed as a person; a place of
 * several words the labeller broke), the words around a mention (a
 * preposition of place, a title, an initial, a given name, a superlative
 * that makes a word a common noun), the shape of a word (inner capitals:
 * brand-like), the rest of the document (a surname of a person named in
 * full; "X Y" after the organisation "X"; a word used as a common noun
 * once is one everywhere; the mentions of one name take their majority
 * type), enumerations that mix organisations with unknown names, and
 * organisation head nouns of another language. Its word
 * lists are the model sections "ner/docpass" and "ner/places".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "entities.h"

typedef struct ner_state {
  tram_ner_lex user; /* gazetteer from the options */
  bool has_user;
  tram_buf low, tmp;
  tram_vec toks;        /* tram_ner_tok */
  tram_vec labels;      /* uint8_t */
  tram_vec scores;      /* float */
  tram_vec fold;        /* uint64_t: hash of the folded lower form per token */
  tram_vec ments;       /* mention */
  tram_vec keys;        /* okey */
  tram_vec hpool;       /* uint64_t: key token hashes */
  tram_vec parent;      /* int: union-find over key groups */
  tram_vec chain;       /* int: mentions per organisation (chain_orgs) */
  tram_ner_docpass *dp; /* word lists of the type pass (section
                           ner/docpass), loaded on first use */
  bool dp_loaded;
  tram_buf key; /* gazetteer keys of the type pass */
} ner_state;

typedef struct mention {
  uint32_t first, count;
  int type;
  float score;
  int group; /* key group, -1 */
} mention;

typedef struct okey {
  uint32_t off, len; /* into hpool */
  int group;
  char initials[12];
  bool branch; /* "X Y" where X is another organisation: a branch of X */
} okey;

static void state_free(ner_state *s) {
  if (!s)
    return;
  tram__ner_lex_free(&s->user);
  tram__buf_free(&s->low);
  tram__buf_free(&s->tmp);
  tram__vec_free(&s->toks);
  tram__vec_free(&s->labels);
  tram__vec_free(&s->scores);
  tram__vec_free(&s->fold);
  tram__vec_free(&s->ments);
  tram__vec_free(&s->keys);
  tram__vec_free(&s->hpool);
  tram__vec_free(&s->parent);
  tram__vec_free(&s->chain);
  tram__ner_docpass_free(s->dp);
  tram__buf_free(&s->key);
  tram__free(s);
}

void tram__entities_free(tram_analyzer *an) {
  if (!an)
    return;
  state_free(an->ner_state);
  an->ner_state = NULL;
}

static ner_state *state_of(tram_analyzer *an) {
  if (an->ner_state)
    return an->ner_state;
  ner_state *s = tram__calloc(1, sizeof *s);
  if (!s)
    return NULL;
  tram__buf_init(&s->low);
  tram__buf_init(&s->tmp);
  tram__buf_init(&s->key);
  tram__vec_init(&s->toks, sizeof(tram_ner_tok));
  tram__vec_init(&s->labels, 1);
  tram__vec_init(&s->scores, sizeof(float));
  tram__vec_init(&s->fold, sizeof(uint64_t));
  tram__vec_init(&s->ments, sizeof(mention));
  tram__vec_init(&s->keys, sizeof(okey));
  tram__vec_init(&s->hpool, sizeof(uint64_t));
  tram__vec_init(&s->parent, sizeof(int));
  tram__vec_init(&s->chain, sizeof(int));
  an->ner_state = s;
  return s;
}

int tram__entities_init(tram_analyzer *an, const char *gazetteer_path) {
  ner_state *s = state_of(an);
  if (!s)
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  if (!gazetteer_path)
    return TRAM_OK;
  tram_buf b;
  int rc = tram__read_file(gazetteer_path, &b);
  if (rc)
    return tram__fail(an, rc, "cannot %s gazetteer %s",
                      rc == TRAM_EIO ? "open or read" : "load", gazetteer_path);
  size_t bad = 0;
  rc = tram__ner_lex_add_gazetteer(&s->user, b.data ? b.data : "", b.len, &bad);
  tram__buf_free(&b);
  if (rc == TRAM_EDATA)
    return tram__fail(an, rc,
                      "%s:%zu: expected name<TAB>PER|LOC|ORG|MISC[<TAB>lang]",
                      gazetteer_path, bad);
  if (rc)
    return tram__fail(an, rc, "out of memory");
  s->has_user = true;
  return TRAM_OK;
}

/* Hash of the accent-folded lower form (ASCII fast path; otherwise each
 * code point's canonical decomposition, keeping its first character). */
static uint64_t fold_hash(const tram_analyzer *an, const char *s, size_t n,
                          tram_buf *tmp) {
  size_t i = 0;
  for (; i < n; i++)
    if ((unsigned char)s[i] >= 0x80)
      break;
  if (i == n)
    return tram__hash(s, n);
  tmp->len = 0;
  tram__buf_put(tmp, s, i);
  while (i < n) {
    uint32_t cp;
    bool valid;
    size_t k =
        tram__utf8_decode((const unsigned char *)s + i, n - i, &cp, &valid);
    i += k;
    UChar d[8];
    UErrorCode st = U_ZERO_ERROR;
    int32_t dl =
        an->nfd ? unorm2_getDecomposition(an->nfd, (UChar32)cp, d, 8, &st) : -1;
    if (dl > 0 && U_SUCCESS(st) && !U16_IS_SURROGATE(d[0]))
      cp = d[0];
    char enc[4];
    tram__buf_put(tmp, enc, tram__utf8_encode(cp, enc));
  }
  return tram__hash(tmp->data ? tmp->data : "", tmp->len);
}

/* Punctuation that ends a name ("|", ",", ";", brackets, quotes…): all
 * but hyphens, periods, ampersands, apostrophes and middle dots. */
static bool inner_break(const tram_ner_tok *t) {
  if (!(t->flags & TRAM_NER_F_PUNCT))
    return false;
  return !(t->len == 1 && strchr("-.&'/", t->text[0])) &&
         strcmp(t->text, "\xc2\xb7") != 0 &&
         strcmp(t->text, "\xe2\x80\x99") != 0;
}

/* Words that cannot open or close a name: punctuation, connectors,
 * articles, elided forms ("d'"). */
static bool edge_word(const tram_ner_tok *t) {
  if (t->flags & TRAM_NER_F_PUNCT)
    return true;
  if ((t->flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER)))
    return false;
  return (t->cue & (TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_ARTICLE)) ||
         (t->low_len && t->low[t->low_len - 1] == '\'');
}

static int find(int *p, int x) {
  while (p[x] != x)
    x = p[x] = p[p[x]];
  return x;
}

static bool acronym_like(const tram_ner_tok *t) {
  return (t->flags & TRAM_NER_F_UPPER) && !(t->flags & TRAM_NER_F_DIGIT) &&
         t->low_len >= 2 && t->low_len <= 8;
}

/* A small map from 64-bit hashes to ints (open addressing; 0 = empty). */
typedef struct imap {
  uint64_t *k;
  int *v;
  size_t mask;
} imap;

static int imap_init(imap *m, size_t n) {
  size_t cap = 16;
  while (cap < 2 * n + 2)
    cap <<= 1;
  m->k = tram__calloc(cap, sizeof *m->k);
  m->v = tram__malloc(cap * sizeof *m->v);
  m->mask = cap - 1;
  return m->k && m->v ? TRAM_OK : TRAM_ENOMEM;
}
static void imap_free(imap *m) {
  tram__free(m->k);
  tram__free(m->v);
}
/* Returns the value slot of key (inserted holding -1 when absent). */
static int *imap_slot(imap *m, uint64_t key) {
  key |= 1;
  size_t i = (size_t)(key ^ key >> 29) & m->mask;
  while (m->k[i] && m->k[i] != key)
    i = (i + 1) & m->mask;
  if (!m->k[i]) {
    m->k[i] = key;
    m->v[i] = -1;
  }
  return &m->v[i];
}
static int imap_get(const imap *m, uint64_t key) {
  key |= 1;
  size_t i = (size_t)(key ^ key >> 29) & m->mask;
  while (m->k[i] && m->k[i] != key)
    i = (i + 1) & m->mask;
  return m->k[i] ? m->v[i] : -1;
}

static uint64_t seq_hash(const uint64_t *h, size_t n) {
  uint64_t x = 0x243F6A8885A308D3ULL;
  for (size_t i = 0; i < n; i++)
    x = (x ^ h[i]) * 0x100000001B3ULL + (x >> 31);
  return x;
}

typedef struct orgctx {
  ner_state *s;
  const tram_ner_tok *vt;
  const uint64_t *fold;
  imap keymap;   /* key hash → key index */
  imap inimap;   /* initials hash → key index */
  imap first;    /* first-token hash → head key index of its chain */
  tram_vec next; /* int per key: next key with the same first token */
} orgctx;

/* Adds the key of mention m (a leading article dropped) as a new group, or
 * finds it; returns its group, -1 for an empty key, -2 on ENOMEM. */
static int add_key(orgctx *c, uint32_t first, uint32_t count) {
  ner_state *s = c->s;
  const tram_ner_tok *vt = c->vt;
  uint32_t a = first, b = first + count;
  while (a + 1 < b && (vt[a].cue & TRAM_NER_CUE_ARTICLE))
    a++;
  while (b > a && (vt[b - 1].flags & TRAM_NER_F_PUNCT))
    b--;
  if (a == b)
    return -1;
  int *slot = imap_slot(&c->keymap, seq_hash(c->fold + a, b - a));
  if (*slot >= 0)
    return TRAM_VEC_AT(&s->keys, okey, *slot)->group;
  if (tram__vec_reserve(&s->hpool, b - a))
    return -2;
  okey *o = tram__vec_push(&s->keys);
  int *p = o ? tram__vec_push(&s->parent) : NULL;
  int *nx = p ? tram__vec_push(&c->next) : NULL;
  if (!o || !p || !nx)
    return -2;
  int idx = (int)s->keys.len - 1;
  *slot = idx;
  o->off = (uint32_t)s->hpool.len;
  o->len = b - a;
  o->group = (int)s->parent.len - 1;
  *p = o->group;
  memcpy((uint64_t *)s->hpool.data + s->hpool.len, c->fold + a,
         (b - a) * sizeof(uint64_t));
  s->hpool.len += b - a;
  int *head = imap_slot(&c->first, c->fold[a]);
  *nx = *head;
  *head = idx;
  /* initials: first letters of the words that are not connectors,
   * articles or stop words (accented Latin-1 letters folded) */
  size_t il = 0;
  bool ok = b - a >= 2;
  const uint32_t skip =
      TRAM_NER_CUE_ARTICLE | TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_STOP;
  for (uint32_t i = a; i < b && ok; i++) {
    if ((vt[i].cue & skip) || (vt[i].flags & TRAM_NER_F_PUNCT))
      continue;
    if (!(vt[i].flags & TRAM_NER_F_LETTER) || il + 1 >= sizeof o->initials) {
      ok = false;
      break;
    }
    unsigned char ch = (unsigned char)vt[i].low[0];
    if (ch >= 0x80) {
      uint32_t cp;
      bool valid;
      tram__utf8_decode((const unsigned char *)vt[i].low, vt[i].low_len, &cp,
                        &valid);
      static const char lat1[] = "aaaaaaaceeeeiiii\0nooooo\0ouuuuy\0y";
      ch = cp >= 0xE0 && cp <= 0xFF ? (unsigned char)lat1[cp - 0xE0] : 0;
    }
    if (!ch)
      ok = false;
    else
      o->initials[il++] = (char)ch;
  }
  o->initials[ok && il >= 2 ? il : 0] = 0;
  if (o->initials[0]) {
    int *is = imap_slot(&c->inimap, tram__hash(o->initials, il));
    if (*is < 0)
      *is = idx;
  }
  return o->group;
}

/* Writes a string from the doc text into the doc arena. */
static const char *dup_text(tram_doc *doc, size_t s, size_t e) {
  return tram__arena_strndup_utf8(&doc->strings, doc->text + s, e - s);
}

static int propagate(orgctx *c, size_t n) {
  ner_state *s = c->s;
  const tram_ner_tok *vt = c->vt;
  const uint64_t *fold = c->fold;
  mention *ms = (mention *)s->ments.data;
  size_t nm = s->ments.len, mi = 0;
  tram_vec out;
  tram__vec_init(&out, sizeof(mention));
  if (tram__vec_reserve(&out, nm + 16))
    return TRAM_ENOMEM;
  for (size_t i = 0; i < n;) {
    uint32_t best_len = 0;
    int best_g = -1;
    bool cased = vt[i].flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER);
    for (int k = imap_get(&c->first, fold[i]); k >= 0;
         k = *TRAM_VEC_AT(&c->next, int, k)) {
      okey *o = TRAM_VEC_AT(&s->keys, okey, k);
      if (o->len <= best_len || i + o->len > n)
        continue;
      const uint64_t *h = TRAM_VEC_AT(&s->hpool, uint64_t, o->off);
      if (memcmp(h, fold + i, o->len * sizeof *h) != 0)
        continue;
      if (!cased && o->len < 2)
        continue;
      /* not the start of a longer capitalised name ("X" in "X Y") */
      size_t e = i + o->len;
      if (cased && e < n && !(vt[e].flags & TRAM_NER_F_START) &&
          (vt[e].flags & TRAM_NER_F_LETTER) &&
          (vt[e].flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER)))
        continue;
      best_len = o->len;
      best_g = o->group;
    }
    while (mi < nm && ms[mi].first + ms[mi].count <= i) {
      mention *p = tram__vec_push(&out);
      if (!p)
        goto nomem;
      *p = ms[mi++];
    }
    if (best_len) {
      size_t e = i + best_len;
      bool blocked = false; /* a mention it would cut */
      for (size_t j = mi; j < nm && ms[j].first < e; j++)
        if (ms[j].first < i || ms[j].first + ms[j].count > e)
          blocked = true;
      if (!blocked) {
        float sc = 0.5f;
        while (mi < nm && ms[mi].first < e) {
          if (ms[mi].type == TRAM_ENT_ORG && ms[mi].first == i &&
              ms[mi].count == best_len)
            sc = ms[mi].score;
          mi++;
        }
        mention *p = tram__vec_push(&out);
        if (!p)
          goto nomem;
        *p = (mention){(uint32_t)i, best_len, TRAM_ENT_ORG, sc, best_g};
        i = e;
        continue;
      }
    }
    i++;
  }
  while (mi < nm) {
    mention *p = tram__vec_push(&out);
    if (!p)
      goto nomem;
    *p = ms[mi++];
  }
  tram__vec_free(&s->ments);
  s->ments = out;
  return TRAM_OK;
nomem:
  tram__vec_free(&out);
  return TRAM_ENOMEM;
}

/* Organisations from the key groups: canonical name, aliases, counts. */
static int name_orgs(tram_doc *doc, orgctx *c) {
  ner_state *s = c->s;
  const tram_ner_tok *vt = c->vt;
  const tram_token *tk = (const tram_token *)doc->tokens.data;
  mention *ms = (mention *)s->ments.data;
  size_t nm = s->ments.len, ng = s->parent.len;
  int *p = (int *)s->parent.data;
  int *org_of = tram__malloc((ng + 1) * sizeof *org_of);
  uint64_t *th = tram__malloc((nm + 1) * sizeof *th); /* exact text */
  uint64_t *fh = tram__malloc((nm + 1) * sizeof *fh); /* folded form */
  int *freq = tram__malloc((nm + 1) * sizeof *freq);
  imap tm = {0}, seen = {0};
  int rc = org_of && th && fh && freq ? imap_init(&tm, nm) : TRAM_ENOMEM;
  if (rc == TRAM_OK)
    rc = imap_init(&seen, nm);
  int norgs = 0;
  if (rc)
    goto done;
  for (size_t g = 0; g < ng; g++)
    org_of[g] = -1;
  for (size_t i = 0; i < nm; i++) {
    if (ms[i].type != TRAM_ENT_ORG || ms[i].group < 0) {
      ms[i].group = -1;
      continue;
    }
    int r = find(p, ms[i].group);
    if (org_of[r] < 0)
      org_of[r] = norgs++;
    bool branch = TRAM_VEC_AT(&s->keys, okey, ms[i].group)->branch;
    ms[i].group = org_of[r];
    size_t a = tk[ms[i].first].start, e = tk[ms[i].first + ms[i].count - 1].end;
    th[i] = tram__hash(doc->text + a, e - a) ^ (uint64_t)ms[i].group;
    fh[i] = seq_hash(c->fold + ms[i].first, ms[i].count) +
            (uint64_t)ms[i].group * 0x9E3779B97F4A7C15ULL;
    int *f = imap_slot(&tm, th[i]);
    *f = *f < 0 ? 1 : *f + 1;
    freq[i] = branch ? -3 : 0; /* a branch form never names the org */
  }
  if (!norgs)
    goto done;
  int *best = tram__malloc((size_t)norgs * 4 * sizeof *best);
  if (!best || tram__vec_reserve(&doc->orgs, (size_t)norgs)) {
    tram__free(best);
    rc = TRAM_ENOMEM;
    goto done;
  }
  for (int o = 0; o < norgs; o++)
    best[4 * o] = -1;
  for (size_t i = 0; i < nm; i++) {
    if (ms[i].group < 0)
      continue;
    int *b = &best[4 * ms[i].group];
    int words = 0, caps = 0;
    for (uint32_t t = ms[i].first; t < ms[i].first + ms[i].count; t++) {
      words += !(vt[t].flags & TRAM_NER_F_PUNCT) &&
               !(vt[t].cue & TRAM_NER_CUE_ARTICLE);
      caps += !!(vt[t].flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER));
    }
    if (freq[i] == -3)
      words = -1 - words;
    freq[i] = imap_get(&tm, th[i]);
    if (b[0] < 0 || words > b[1] ||
        (words == b[1] && (caps > b[2] || (caps == b[2] && freq[i] > b[3])))) {
      b[0] = (int)i;
      b[1] = words;
      b[2] = caps;
      b[3] = freq[i];
    }
  }
  for (int o = 0; o < norgs; o++) {
    tram_organisation *org = tram__vec_push(&doc->orgs);
    const mention *bm = &ms[best[4 * o]];
    org->id = o;
    org->name =
        dup_text(doc, tk[bm->first].start, tk[bm->first + bm->count - 1].end);
    *imap_slot(&seen, fh[best[4 * o]]) = 1;
    if (!org->name)
      rc = TRAM_ENOMEM;
  }
  tram__free(best);
  /* aliases: one per folded form other than the name's, in text order */
  tram_organisation *orgs = (tram_organisation *)doc->orgs.data;
  for (size_t i = 0; i < nm && rc == TRAM_OK; i++) {
    if (ms[i].group < 0)
      continue;
    tram_organisation *org = &orgs[ms[i].group];
    org->mentions++;
    int *sn = imap_slot(&seen, fh[i]);
    if (*sn >= 0)
      continue;
    *sn = 1;
    freq[i] = -2; /* marks a new alias */
    org->alias_count++;
  }
  for (int o = 0; o < norgs && rc == TRAM_OK; o++) {
    if (orgs[o].alias_count) {
      orgs[o].aliases = tram__arena_alloc(
          &doc->strings, orgs[o].alias_count * sizeof(const char *));
      if (!orgs[o].aliases)
        rc = TRAM_ENOMEM;
      orgs[o].alias_count = 0;
    }
  }
  for (size_t i = 0; i < nm && rc == TRAM_OK; i++) {
    if (ms[i].group < 0 || freq[i] != -2)
      continue;
    tram_organisation *org = &orgs[ms[i].group];
    const char *a = dup_text(doc, tk[ms[i].first].start,
                             tk[ms[i].first + ms[i].count - 1].end);
    if (!a)
      rc = TRAM_ENOMEM;
    else
      ((const char **)org->aliases)[org->alias_count++] = a;
  }
done:
  imap_free(&tm);
  imap_free(&seen);
  tram__free(org_of);
  tram__free(th);
  tram__free(fh);
  tram__free(freq);
  return rc;
}

static int build_orgs(tram_doc *doc, ner_state *s, tram_ner_tok *vt, size_t n) {
  mention *ms = (mention *)s->ments.data;
  size_t nm = s->ments.len;
  orgctx c = {s, vt, (const uint64_t *)s->fold.data, {0}, {0}, {0}, {0}};
  tram__vec_init(&c.next, sizeof(int));
  s->keys.len = s->hpool.len = s->parent.len = 0;
  size_t nacro = 0;
  for (size_t i = 0; i < n; i++)
    nacro += acronym_like(&vt[i]);
  int rc = imap_init(&c.keymap, nm + nacro);
  if (rc == TRAM_OK)
    rc = imap_init(&c.inimap, nm + nacro);
  if (rc == TRAM_OK)
    rc = imap_init(&c.first, nm + nacro);
  /* 1. keys of ORG mentions */
  for (size_t i = 0; i < nm && rc == TRAM_OK; i++) {
    ms[i].group = -1;
    if (ms[i].type != TRAM_ENT_ORG)
      continue;
    int g = add_key(&c, ms[i].first, ms[i].count);
    if (g == -2)
      rc = TRAM_ENOMEM;
    ms[i].group = g;
  }
  if (rc || !s->keys.len)
    goto done;
  /* 2. acronyms: one-word keys, then upper-case words, that spell the
   * initials of another key join its group */
  for (size_t i = 0; i < n && rc == TRAM_OK; i++) {
    if (!acronym_like(&vt[i]))
      continue;
    int q = imap_get(&c.inimap, tram__hash(vt[i].low, vt[i].low_len));
    if (q < 0)
      continue;
    int g = add_key(&c, (uint32_t)i, 1);
    if (g == -2) {
      rc = TRAM_ENOMEM;
      break;
    }
    int *p = (int *)s->parent.data;
    int qg = TRAM_VEC_AT(&s->keys, okey, q)->group;
    p[find(p, g)] = find(p, qg);
  }
  /* 2b. branches: "X Y" where X is the whole key of another organisation
   * and Y goes on capitalised ("Red Cross Lyon" after "Red Cross") joins
   * X, unless X is a bare head noun or a word also written in lower case */
  for (size_t k = 0; k < s->keys.len && rc == TRAM_OK; k++) {
    okey *b = TRAM_VEC_AT(&s->keys, okey, k);
    const uint64_t *bh = TRAM_VEC_AT(&s->hpool, uint64_t, b->off);
    for (int a = imap_get(&c.first, bh[0]); a >= 0;
         a = *TRAM_VEC_AT(&c.next, int, a)) {
      okey *x = TRAM_VEC_AT(&s->keys, okey, a);
      if ((size_t)a == k || x->len >= b->len ||
          memcmp(TRAM_VEC_AT(&s->hpool, uint64_t, x->off), bh,
                 x->len * sizeof *bh) != 0)
        continue;
      /* find a mention of b to read its words */
      bool ok = false;
      for (size_t i = 0; i < nm && !ok; i++) {
        if (ms[i].group != b->group || ms[i].type != TRAM_ENT_ORG)
          continue;
        uint32_t f0 = ms[i].first;
        while (f0 + 1 < ms[i].first + ms[i].count &&
               (vt[f0].cue & TRAM_NER_CUE_ARTICLE))
          f0++;
        const tram_ner_tok *next = &vt[f0 + x->len];
        ok = (next->flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER)) &&
             !(next->cue & (TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_ARTICLE));
        for (uint32_t t = f0; t < f0 + x->len && ok; t++)
          ok = !(vt[t].cue & TRAM_NER_CUE_ORGHEAD) &&
               !(vt[t].doc & TRAM_NER_D_LOWER);
      }
      if (!ok)
        continue;
      int *p = (int *)s->parent.data;
      p[find(p, b->group)] = find(p, x->group);
      b->branch = true;
      break;
    }
  }
  /* 3. propagation, 4. organisations */
  if (rc == TRAM_OK)
    rc = propagate(&c, n);
  if (rc == TRAM_OK)
    rc = name_orgs(doc, &c);
done:
  imap_free(&c.keymap);
  imap_free(&c.inimap);
  imap_free(&c.first);
  tram__vec_free(&c.next);
  return rc;
}

/* ---- the document type pass (labels in, labels out) */

#define DP_GIVEN 1u      /* a given name ("Pierre", "Montserrat") */
#define DP_LOCPREP 2u    /* a preposition before places ("en", "au") */
#define DP_NAMEPREFIX 4u /* a surname prefix before a capital ("Mc") */
#define DP_DEGREE 8u     /* a word of degree before an adjective ("plus") */
#define DP_MAX_COMMON 16 /* words seen used as common nouns, per doc */

struct tram_ner_docpass {
  tram_map *words[TRAM_LANG_COUNT]; /* lower form → DP_* bits */
  tram_ner_lex places;              /* section ner/places: gazetteer lines */
};

void tram__ner_docpass_free(tram_ner_docpass *dp) {
  if (!dp)
    return;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram__map_free(dp->words[l]);
  tram__ner_lex_free(&dp->places);
  tram__free(dp);
}

typedef struct dp_ctx {
  tram_ner_docpass *dp;
  tram_buf low;
  size_t bad;
} dp_ctx;

static int dp_line(void *vctx, const char *line, size_t n, size_t lineno) {
  dp_ctx *c = vctx;
  const char *f[3] = {line, NULL, NULL};
  size_t fl[3] = {0, 0, 0};
  int k = 0;
  for (size_t i = 0, s = 0; i <= n && k < 3; i++)
    if (i == n || line[i] == '\t') {
      f[k] = line + s;
      fl[k++] = i - s;
      s = i + 1;
    }
  static const struct {
    const char *name;
    uint32_t bit;
  } cls[] = {{"given", DP_GIVEN},
             {"locprep", DP_LOCPREP},
             {"nameprefix", DP_NAMEPREFIX},
             {"degree", DP_DEGREE}};
  uint32_t bit = 0;
  for (size_t i = 0; k >= 2 && i < sizeof cls / sizeof *cls; i++)
    if (strlen(cls[i].name) == fl[1] && !memcmp(cls[i].name, f[1], fl[1]))
      bit = cls[i].bit;
  if (!bit || !fl[0]) {
    c->bad = lineno;
    return TRAM_EDATA;
  }
  unsigned langs = ~0u;
  if (k == 3 && !(fl[2] == 1 && f[2][0] == '*')) {
    langs = 0;
    for (size_t i = 0, s = 0; i <= fl[2]; i++)
      if (i == fl[2] || f[2][i] == ',') {
        char code[8] = {0};
        if (i - s < sizeof code) {
          memcpy(code, f[2] + s, i - s);
          int l = tram_lang_from_code(code);
          if (l > 0)
            langs |= 1u << l;
        }
        s = i + 1;
      }
  }
  c->low.len = 0;
  if (tram__ner_lower(f[0], fl[0], &c->low) || c->low.failed)
    return TRAM_ENOMEM;
  for (int l = 0; l < TRAM_LANG_COUNT; l++) {
    if (!(langs & (1u << l)))
      continue;
    if (!c->dp->words[l] && !(c->dp->words[l] = tram__map_new()))
      return TRAM_ENOMEM;
    uintptr_t *v =
        tram__map_slot(c->dp->words[l], c->low.data, c->low.len, true);
    if (!v)
      return TRAM_ENOMEM;
    *v |= bit;
  }
  return TRAM_OK;
}

int tram__ner_docpass_new(const tram_model *model, tram_ner_docpass **out,
                          size_t *bad_line) {
  *out = NULL;
  tram_ner_docpass *dp = tram__calloc(1, sizeof *dp);
  if (!dp)
    return TRAM_ENOMEM;
  const tram_section *s =
      model ? tram__container_find(&model->box, "ner/docpass") : NULL;
  int rc = TRAM_OK;
  if (s) {
    dp_ctx c = {dp, {0}, 0};
    tram__buf_init(&c.low);
    rc = tram__each_line((const char *)s->data, s->len, dp_line, &c);
    tram__buf_free(&c.low);
    if (bad_line)
      *bad_line = c.bad;
  }
  s = rc == TRAM_OK && model ? tram__container_find(&model->box, "ner/places")
                             : NULL;
  if (s) {
    size_t bad = 0;
    rc = tram__ner_lex_add_gazetteer(&dp->places, (const char *)s->data, s->len,
                                     &bad);
    if (rc == TRAM_EDATA && bad_line)
      *bad_line = bad;
  }
  if (rc) {
    tram__ner_docpass_free(dp);
    return rc;
  }
  *out = dp;
  return TRAM_OK;
}

static uint32_t dp_bits(const tram_ner_docpass *dp, int lang,
                        const tram_ner_tok *t) {
  uintptr_t v;
  if (!dp || lang < 0 || lang >= TRAM_LANG_COUNT || !dp->words[lang] ||
      !tram__map_get(dp->words[lang], t->low, t->low_len, &v))
    return 0;
  return (uint32_t)v;
}

static bool capword(const tram_ner_tok *t) {
  return (t->flags & TRAM_NER_F_LETTER) &&
         (t->flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER));
}

typedef struct dpass {
  const tram_ner_docpass *dp;
  const tram_ner_lex *lex, *lex2;
  int lang;
  const tram_ner_tok *vt;
  size_t n;
  uint8_t *lab;
  tram_buf *key;
  const uint64_t *surnames; /* h_low of the last words of persons, sorted */
  size_t nsur;
  uint64_t common[DP_MAX_COMMON]; /* h_low of words used as common nouns */
  size_t ncommon;
} dpass;

/* Gazetteer types (bit per type) of tokens [a, b): the name as written,
 * then with its words joined by hyphens ("Pays Bas" for "Pays-Bas"), then
 * with a plural "s" of its last word dropped; 0 when none matches. */
static unsigned gaz_types(const dpass *p, size_t a, size_t b) {
  const tram_ner_tok *vt = p->vt;
  for (int var = 0; var < 4; var++) {
    tram_buf *k = p->key;
    k->len = 0;
    for (size_t j = a; j < b; j++) {
      bool hy = vt[j].len == 1 && vt[j].text[0] == '-';
      bool hy_before = j > a && vt[j - 1].len == 1 && vt[j - 1].text[0] == '-';
      if (j > a && !hy && !hy_before)
        tram__buf_putc(k, (var & 1) ? '-' : ' ');
      size_t len = vt[j].low_len;
      if ((var & 2) && j + 1 == b && len > 2 && vt[j].low[len - 1] == 's')
        len--;
      tram__buf_put(k, vt[j].low, len);
    }
    if (k->failed)
      return 0;
    unsigned types = 0;
    const tram_ner_lex *lx[3] = {p->lex, p->lex2,
                                 p->dp ? &p->dp->places : NULL};
    for (int i = 0; i < 3; i++) {
      uintptr_t v;
      if (lx[i] && lx[i]->gaz && k->len &&
          tram__map_get(lx[i]->gaz, k->data, k->len, &v))
        types |= (unsigned)v;
    }
    if (types)
      return types;
  }
  return 0;
}
#define GAZ(t) (1u << (t))

/* A title before or inside, an initial, or a given name: the words say
 * person. */
static bool person_cue(const dpass *p, size_t a, size_t b) {
  const tram_ner_tok *vt = p->vt;
  if (a > 0 && (vt[a - 1].cue & TRAM_NER_CUE_PERTITLE))
    return true;
  for (size_t i = a; i < b; i++) {
    if ((vt[i].cue & TRAM_NER_CUE_PERTITLE) ||
        (capword(&vt[i]) && (dp_bits(p->dp, p->lang, &vt[i]) & DP_GIVEN)))
      return true;
    /* an initial or an abbreviated title: "J. Martin", "M. Martin" */
    bool letter = (vt[i].flags & TRAM_NER_F_UPPER) && vt[i].len <= 2 &&
                  (vt[i].len == 1 || vt[i].text[1] == '.');
    if (letter && i + 1 < b &&
        (vt[i].len == 2 || (vt[i + 1].len == 1 && vt[i + 1].text[0] == '.')))
      return true;
  }
  return false;
}

/* A lower-case letter, a capital and a lower-case letter inside one word
 * ("WebCorp"), not after a surname prefix ("McBride", "DiMaggio"). ASCII
 * letters only. */
static bool camel(const dpass *p, const tram_ner_tok *t) {
  if ((t->flags & TRAM_NER_F_UPPER) || !(t->flags & TRAM_NER_F_CAP))
    return false;
  for (uint32_t i = 1; i + 1 < t->len; i++) {
    unsigned char c = (unsigned char)t->text[i],
                  d = (unsigned char)t->text[i + 1];
    unsigned char e = i + 2 < t->len ? (unsigned char)t->text[i + 2] : 0;
    if (!(c >= 'a' && c <= 'z' && d >= 'A' && d <= 'Z' && e >= 'a' && e <= 'z'))
      continue;
    if (p->dp && p->lang >= 0 && p->lang < TRAM_LANG_COUNT &&
        p->dp->words[p->lang]) {
      uintptr_t v;
      if (tram__map_get(p->dp->words[p->lang], t->low, i + 1, &v) &&
          (v & DP_NAMEPREFIX))
        return false;
    }
    return true;
  }
  return false;
}

static void set_span(uint8_t *lab, size_t a, size_t b, int type) {
  for (size_t i = a; i < b; i++)
    lab[i] =
        type < 0 ? 0 : (uint8_t)(i == a ? TRAM_NER_B(type) : TRAM_NER_I(type));
}

/* End of the span that starts at i (labels of one type). */
static size_t span_end(const uint8_t *lab, size_t n, size_t i) {
  int t = TRAM_NER_TYPE(lab[i]);
  size_t j = i + 1;
  while (j < n && lab[j] == TRAM_NER_I(t))
    j++;
  return j;
}

static bool in_sorted(const uint64_t *v, size_t n, uint64_t x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t m = (lo + hi) / 2;
    if (v[m] < x)
      lo = m + 1;
    else
      hi = m;
  }
  return lo < n && v[lo] == x;
}

static bool surname(const dpass *p, const tram_ner_tok *t) {
  return in_sorted(p->surnames, p->nsur, t->h_low);
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return a < b ? -1 : a > b;
}

/* One mention's type from its own words and their neighbours. */
static void fix_span(dpass *p, size_t a, size_t b) {
  const tram_ner_tok *vt = p->vt;
  int t = TRAM_NER_TYPE(p->lab[a]);
  const uint32_t fn = TRAM_NER_CUE_CONNECT | TRAM_NER_CUE_ARTICLE |
                      TRAM_NER_CUE_COORD | TRAM_NER_CUE_COMMON;
  /* a span that opens with lower-case function words ("de X") is cut
   * there; when the rest is a known place, it is that place */
  bool cut = false;
  while (a + 1 < b && !capword(&vt[a]) && (vt[a].cue & fn)) {
    p->lab[a++] = 0;
    cut = true;
  }
  if (cut) {
    set_span(p->lab, a, b, t);
    if (capword(&vt[a]) && (gaz_types(p, a, b) & GAZ(TRAM_ENT_LOC))) {
      set_span(p->lab, a, b, TRAM_ENT_LOC);
      return;
    }
  }
  /* a function word alone ("Et", "Pour") is no name */
  if (b - a == 1 && (vt[a].cue & fn) && !(vt[a].flags & TRAM_NER_F_UPPER)) {
    p->lab[a] = 0;
    return;
  }
  /* a word used as a common noun: after a superlative ("le plus grand
   * X") a single word names a kind, not one thing; the document pass
   * drops its other occurrences too */
  if (b - a == 1 && a > 2 && (vt[a - 3].cue & TRAM_NER_CUE_ARTICLE) &&
      (dp_bits(p->dp, p->lang, &vt[a - 2]) & DP_DEGREE) &&
      !capword(&vt[a - 1]) && (vt[a - 1].flags & TRAM_NER_F_LETTER) &&
      !(vt[a - 1].flags & TRAM_NER_F_PUNCT)) {
    p->lab[a] = 0;
    if (p->ncommon < DP_MAX_COMMON)
      p->common[p->ncommon++] = vt[a].h_low;
    return;
  }
  /* a number then a word ("12 Rues") is no place nor person */
  if ((t == TRAM_ENT_LOC || t == TRAM_ENT_PER) &&
      (vt[a].flags & TRAM_NER_F_DIGIT) && !(vt[a].flags & TRAM_NER_F_LETTER) &&
      !(gaz_types(p, a, b))) {
    set_span(p->lab, a, b, -1);
    return;
  }
  const uint32_t headcue = TRAM_NER_CUE_LOCHEAD | TRAM_NER_CUE_ORGHEAD;
  /* a plural head noun then a place: "Provinces X" names the place */
  if (b - a >= 2 && capword(&vt[a]) && vt[a].low_len > 3 &&
      (vt[a].low[vt[a].low_len - 1] == 's' ||
       vt[a].low[vt[a].low_len - 1] == 'x') &&
      p->lex->cues[p->lang]) {
    uintptr_t c;
    if (tram__map_get(p->lex->cues[p->lang], vt[a].low, vt[a].low_len - 1,
                      &c) &&
        (c & headcue) && (gaz_types(p, a + 1, b) & GAZ(TRAM_ENT_LOC))) {
      set_span(p->lab, a, a + 1, -1);
      set_span(p->lab, a + 1, b, TRAM_ENT_LOC);
      return;
    }
  }
  /* "X de Y" as a place where only Y is a known place and X is no place
   * noun: Y alone ("le plus grand atelier d'Europe") */
  if (t == TRAM_ENT_LOC && b - a >= 3) {
    for (size_t c = a + 1; c + 1 < b; c++) {
      if (!(vt[c].cue & TRAM_NER_CUE_CONNECT) ||
          (vt[c].cue & TRAM_NER_CUE_COORD))
        continue;
      bool head = false;
      for (size_t j = a; j < c; j++)
        head |= (vt[j].cue & headcue) != 0;
      if (!head && !gaz_types(p, a, b) && !gaz_types(p, a, c) &&
          (gaz_types(p, c + 1, b) & GAZ(TRAM_ENT_LOC))) {
        set_span(p->lab, a, c + 1, -1);
        set_span(p->lab, c + 1, b, TRAM_ENT_LOC);
        return;
      }
      break;
    }
  }
  if (t != TRAM_ENT_PER && t != TRAM_ENT_LOC && t != TRAM_ENT_MISC)
    return;
  if (person_cue(p, a, b))
    return;
  unsigned g = capword(&vt[a]) ? gaz_types(p, a, b) : 0;
  /* a known place typed as a person or a thing, unless the word ends a
   * person's name elsewhere in the document ("Ana Soria" … "Soria") */
  if (t != TRAM_ENT_LOC && (g & GAZ(TRAM_ENT_LOC)) &&
      !(g & GAZ(TRAM_ENT_PER)) &&
      !(t == TRAM_ENT_PER && b - a == 1 && surname(p, &vt[a]))) {
    set_span(p->lab, a, b, TRAM_ENT_LOC);
    return;
  }
  /* a "person" after a preposition of place ("en X", "au X") */
  if (t == TRAM_ENT_PER && a > 0 &&
      (dp_bits(p->dp, p->lang, &vt[a - 1]) & DP_LOCPREP) && !g &&
      !(b - a == 1 && surname(p, &vt[a]))) {
    set_span(p->lab, a, b, TRAM_ENT_LOC);
    return;
  }
  /* a brand-like word ("WebCorp") typed as a person or an unknown place */
  if (t != TRAM_ENT_MISC && b - a == 1 && !g && camel(p, &vt[a]))
    set_span(p->lab, a, b, TRAM_ENT_ORG);
}

/* Known places the labeller broke or missed ("Îles | Canaries", "des
 * Îles Canaries" or "Gérone" as nothing): a whole capitalised run, not
 * opening a sentence, that is a gazetteer place, where no span goes past
 * its edges, becomes that place (a single word only when it was
 * unlabelled and is no given name). */
static void fix_gaz_runs(dpass *p) {
  const tram_ner_tok *vt = p->vt;
  size_t n = p->n;
  for (size_t i = 0; i < n; i++) {
    if (!capword(&vt[i]) || (i > 0 && capword(&vt[i - 1])) ||
        (vt[i].flags & TRAM_NER_F_START))
      continue;
    size_t e = i + 1;
    while (e < n && e - i < 6 &&
           (capword(&vt[e]) || (e + 1 < n && capword(&vt[e + 1]) &&
                                ((vt[e].len == 1 && vt[e].text[0] == '-') ||
                                 ((vt[e].cue & TRAM_NER_CUE_CONNECT) &&
                                  !(vt[e].cue & TRAM_NER_CUE_COORD))))))
      e++;
    if ((e - i < 2 && (p->lab[i] || person_cue(p, i, e))) ||
        (e < n && capword(&vt[e])))
      continue;
    if (!(gaz_types(p, i, e) & GAZ(TRAM_ENT_LOC)) ||
        (gaz_types(p, i, e) & ~GAZ(TRAM_ENT_LOC)))
      continue;
    bool whole =
        p->lab[i] == TRAM_NER_B(TRAM_ENT_LOC) && span_end(p->lab, n, i) == e;
    bool crosses = (p->lab[i] && !TRAM_NER_IS_B(p->lab[i])) ||
                   (e < n && p->lab[e] && !TRAM_NER_IS_B(p->lab[e]));
    bool other = false; /* an organisation or a person inside */
    for (size_t j = i; j < e; j++)
      other |= p->lab[j] && TRAM_NER_TYPE(p->lab[j]) != TRAM_ENT_LOC &&
               TRAM_NER_TYPE(p->lab[j]) != TRAM_ENT_MISC &&
               span_end(p->lab, n, j) - j >= e - i;
    if (!whole && !crosses && !other)
      set_span(p->lab, i, e, TRAM_ENT_LOC);
    i = e - 1;
  }
}

/* Branches: "X Y" typed as something else, where X alone is an
 * organisation elsewhere in the document and Y goes on capitalised, is an
 * organisation too ("Acme Lyon" after "Acme"). `orgs` holds the words of
 * the one-word organisations, sorted. */
static void fix_branches(dpass *p, const uint64_t *orgs, size_t norgs) {
  const tram_ner_tok *vt = p->vt;
  size_t n = p->n;
  for (size_t i = 0; i < n && norgs;) {
    if (!p->lab[i]) {
      i++;
      continue;
    }
    size_t e = span_end(p->lab, n, i);
    if (TRAM_NER_TYPE(p->lab[i]) != TRAM_ENT_ORG && e - i >= 2 &&
        capword(&vt[i + 1]) && in_sorted(orgs, norgs, vt[i].h_low))
      set_span(p->lab, i, e, TRAM_ENT_ORG);
    i = e;
  }
}

/* Organisation names kept in another language: in a document of one
 * language, an organisation head noun of another ("cooperativa" in
 * French) that the document's language does not know is no word of the
 * text but the start of a name; with the word after it (a letter word of
 * four letters or more that is no cue word) it is an organisation. */
static void fix_foreign_heads(dpass *p) {
  const tram_ner_tok *vt = p->vt;
  size_t n = p->n;
  for (size_t i = 0; i + 1 < n; i++) {
    const tram_ner_tok *h = &vt[i], *w = &vt[i + 1];
    if (p->lab[i] || p->lab[i + 1] || !(h->flags & TRAM_NER_F_LETTER) ||
        (h->flags & (TRAM_NER_F_UPPER | TRAM_NER_F_DIGIT)) || h->cue ||
        !(w->flags & TRAM_NER_F_LETTER) ||
        (w->flags & (TRAM_NER_F_DIGIT | TRAM_NER_F_PUNCT | TRAM_NER_F_UPPER)) ||
        w->cue || w->low_len < 4)
      continue;
    bool foreign = false;
    for (int l = 1; l < TRAM_LANG_COUNT && !foreign; l++) {
      uintptr_t c;
      foreign = l != p->lang && p->lex->cues[l] &&
                tram__map_get(p->lex->cues[l], h->low, h->low_len, &c) &&
                (c & TRAM_NER_CUE_ORGHEAD);
    }
    if (!foreign)
      continue;
    bool cue2 = false; /* the next word a cue word of the head's languages */
    for (int l = 1; l < TRAM_LANG_COUNT; l++) {
      uintptr_t c;
      cue2 |= p->lex->cues[l] &&
              tram__map_get(p->lex->cues[l], w->low, w->low_len, &c);
    }
    if (!cue2)
      set_span(p->lab, i, i + 2, TRAM_ENT_ORG);
  }
}

/* One sense per discourse: the mentions of one name (the same words) take
 * the type most of them have, when most of them agree — unless one is an
 * organisation: the organisation pass then propagates that type to all
 * (an organisation once named is one everywhere in the document). */
typedef struct vspan {
  uint64_t key;
  uint32_t a, b;
  int type;
} vspan;

static int cmp_vspan(const void *x, const void *y) {
  const vspan *a = x, *b = y;
  if (a->key != b->key)
    return a->key < b->key ? -1 : 1;
  return a->a < b->a ? -1 : a->a > b->a;
}

static int vote_types(dpass *p) {
  const tram_ner_tok *vt = p->vt;
  size_t n = p->n, ns = 0;
  for (size_t i = 0; i < n; i++)
    ns += TRAM_NER_IS_B(p->lab[i]);
  if (ns < 2)
    return TRAM_OK;
  vspan *v = tram__malloc(ns * sizeof *v);
  if (!v)
    return TRAM_ENOMEM;
  ns = 0;
  for (size_t i = 0; i < n;) {
    if (!TRAM_NER_IS_B(p->lab[i])) {
      i++;
      continue;
    }
    size_t e = span_end(p->lab, n, i);
    uint64_t k = 0x9E3779B97F4A7C15ULL;
    for (size_t j = i; j < e; j++)
      k = (k ^ vt[j].h_low) * 0x100000001B3ULL + (k >> 29);
    v[ns++] = (vspan){k, (uint32_t)i, (uint32_t)e, TRAM_NER_TYPE(p->lab[i])};
    i = e;
  }
  qsort(v, ns, sizeof *v, cmp_vspan);
  for (size_t g = 0; g < ns;) {
    size_t h = g;
    int cnt[4] = {0, 0, 0, 0};
    while (h < ns && v[h].key == v[g].key)
      cnt[v[h++].type]++;
    int best = 0;
    for (int t = 1; t < 4; t++)
      if (cnt[t] > cnt[best])
        best = t;
    if (2 * cnt[best] > (int)(h - g) && cnt[best] < (int)(h - g) &&
        !cnt[TRAM_ENT_ORG])
      for (size_t q = g; q < h; q++)
        set_span(p->lab, v[q].a, v[q].b, best);
    g = h;
  }
  tram__free(v);
  return TRAM_OK;
}

/* A capitalised run from i (an article may open it, connectors may join
 * its words): its end, or i when there is none. At most 6 tokens. */
static size_t cap_run(const dpass *p, size_t i, size_t lim) {
  const tram_ner_tok *vt = p->vt;
  size_t j = i;
  while (j < lim && j - i < 6) {
    if (capword(&vt[j]) && !(vt[j].cue & TRAM_NER_CUE_COMMON) &&
        !(j > i && (vt[j].flags & TRAM_NER_F_START)))
      j++;
    else if (j > i && j + 1 < lim && (vt[j].cue & TRAM_NER_CUE_CONNECT) &&
             !(vt[j].cue & TRAM_NER_CUE_COORD) && !capword(&vt[j]) &&
             capword(&vt[j + 1]))
      j++;
    else
      break;
  }
  return j;
}

/* Enumerations: in "A, B, C" (three items or more, each a capitalised
 * run, the last one possibly after a conjunction) where more items are
 * organisations than persons or places — or as many, when one of them is a
 * brand-like word — the items no word or gazetteer marks as something else
 * are organisations too. A brand-like word counts as an organisation. */
static void fix_lists(dpass *p) {
  const tram_ner_tok *vt = p->vt;
  size_t n = p->n;
  enum { MAXI = 32 };
  size_t ia[MAXI], ib[MAXI];
  for (size_t i = 0; i < n;) {
    size_t e = cap_run(p, i, n);
    if (e == i || (i > 0 && capword(&vt[i - 1]))) {
      i = e > i ? e : i + 1;
      continue;
    }
    size_t k = 0;
    ia[k] = i;
    ib[k++] = e;
    size_t j = e;
    while (k < MAXI && j + 1 < n &&
           ((vt[j].len == 1 && vt[j].text[0] == ',') ||
            (vt[j].cue & TRAM_NER_CUE_COORD))) {
      bool coord = vt[j].cue & TRAM_NER_CUE_COORD;
      size_t f = cap_run(p, j + 1, n);
      if (f == j + 1)
        break;
      ia[k] = j + 1;
      ib[k++] = f;
      j = f;
      if (coord)
        break;
    }
    if (k >= 3) {
      int cnt[4] = {0, 0, 0, 0}, brand = 0;
      for (size_t q = 0; q < k; q++) {
        bool b1 = ib[q] == ia[q] + 1 && camel(p, &vt[ia[q]]) &&
                  !gaz_types(p, ia[q], ib[q]);
        if (p->lab[ia[q]] && span_end(p->lab, n, ia[q]) == ib[q])
          cnt[TRAM_NER_TYPE(p->lab[ia[q]])]++;
        else if (!p->lab[ia[q]] && b1)
          cnt[TRAM_ENT_ORG]++;
        brand +=
            b1 && (!p->lab[ia[q]] || p->lab[ia[q]] == TRAM_NER_B(TRAM_ENT_ORG));
      }
      int other = cnt[TRAM_ENT_PER] > cnt[TRAM_ENT_LOC] ? cnt[TRAM_ENT_PER]
                                                        : cnt[TRAM_ENT_LOC];
      if (cnt[TRAM_ENT_ORG] > other || (brand && cnt[TRAM_ENT_ORG] >= other)) {
        for (size_t q = 0; q < k; q++) {
          if (p->lab[ia[q]] == TRAM_NER_B(TRAM_ENT_ORG) ||
              p->lab[ia[q]] == TRAM_NER_B(TRAM_ENT_MISC))
            continue;
          if (gaz_types(p, ia[q], ib[q]) || person_cue(p, ia[q], ib[q]))
            continue;
          bool inside = false; /* a name that goes on past the item */
          for (size_t t = ia[q]; t < ib[q]; t++)
            inside |= p->lab[t] && span_end(p->lab, n, t) > ib[q];
          if (!inside &&
              !(ia[q] > 0 && p->lab[ia[q]] && !TRAM_NER_IS_B(p->lab[ia[q]])))
            set_span(p->lab, ia[q], ib[q], TRAM_ENT_ORG);
        }
      }
    }
    i = j > e ? j : e;
  }
}

int tram__ner_docfix(const tram_ner_docpass *dp, const tram_ner_lex *lex,
                     const tram_ner_lex *lex2, int lang, const tram_ner_tok *vt,
                     size_t n, uint8_t *labels, tram_buf *key) {
  if (!lex || lang <= 0 || lang >= TRAM_LANG_COUNT)
    return TRAM_OK;
  /* the last words of the persons of two words or more */
  size_t nsur = 0;
  for (size_t i = 0; i < n;) {
    size_t e = labels[i] ? span_end(labels, n, i) : i + 1;
    nsur += labels[i] == TRAM_NER_B(TRAM_ENT_PER) && e - i >= 2;
    i = e;
  }
  uint64_t *sur = NULL;
  if (nsur) {
    sur = tram__malloc(nsur * sizeof *sur);
    if (!sur)
      return TRAM_ENOMEM;
    nsur = 0;
    for (size_t i = 0; i < n;) {
      size_t e = labels[i] ? span_end(labels, n, i) : i + 1;
      if (labels[i] == TRAM_NER_B(TRAM_ENT_PER) && e - i >= 2)
        sur[nsur++] = vt[e - 1].h_low;
      i = e;
    }
    qsort(sur, nsur, sizeof *sur, cmp_u64);
  }
  dpass p = {dp, lex, lex2, lang, vt, n, labels, key, sur, nsur, {0}, 0};
  for (size_t i = 0; i < n;) {
    if (!labels[i]) {
      i++;
      continue;
    }
    size_t e = span_end(labels, n, i);
    fix_span(&p, i, e);
    i = e;
  }
  for (size_t i = 0; i < n && p.ncommon; i++) {
    if (!TRAM_NER_IS_B(labels[i]) || span_end(labels, n, i) != i + 1)
      continue;
    for (size_t c = 0; c < p.ncommon; c++)
      if (p.common[c] == vt[i].h_low)
        labels[i] = 0;
  }
  fix_gaz_runs(&p);
  fix_foreign_heads(&p);
  fix_lists(&p);
  /* the words of the one-word organisations, for the branches */
  size_t norg = 0;
  for (size_t i = 0; i < n;) {
    size_t e = labels[i] ? span_end(labels, n, i) : i + 1;
    norg += labels[i] == TRAM_NER_B(TRAM_ENT_ORG) && e == i + 1;
    i = e;
  }
  uint64_t *ow = norg ? tram__malloc(norg * sizeof *ow) : NULL;
  if (norg && !ow) {
    tram__free(sur);
    return TRAM_ENOMEM;
  }
  norg = 0;
  for (size_t i = 0; i < n && ow;) {
    size_t e = labels[i] ? span_end(labels, n, i) : i + 1;
    if (labels[i] == TRAM_NER_B(TRAM_ENT_ORG) && e == i + 1)
      ow[norg++] = vt[i].h_low;
    i = e;
  }
  if (norg)
    qsort(ow, norg, sizeof *ow, cmp_u64);
  fix_branches(&p, ow, norg);
  tram__free(ow);
  tram__free(sur);
  if (vote_types(&p))
    return TRAM_ENOMEM;
  return key->failed ? TRAM_ENOMEM : TRAM_OK;
}

/* Whether a token is only undecodable bytes (U+FFFD) and control
 * characters. */
static bool junk_token(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  if (!*u)
    return false;
  while (*u) {
    if (*u < 0x20 || *u == 0x7f)
      u++;
    else if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] < 0xa0)
      u += 2;
    else if (u[0] == 0xef && u[1] == 0xbf && u[2] == 0xbd)
      u += 3;
    else
      return false;
  }
  return true;
}

/* Whether the labeller has anything to read: a document without a letter
 * holds no name (a mention needs a capitalised word), and one where
 * undecodable bytes and control characters make up half the tokens or more
 * is binary data, not prose (10 MB of random bytes make five times the
 * tokens of prose; labelling them cost 60% of their analysis). Normal text
 * never meets either test, so its output is unchanged. */
static bool worth_labelling(const tram_token *tk, size_t n) {
  size_t junk = 0;
  for (size_t i = 0; i < n; i++)
    junk += junk_token(tk[i].text);
  if (2 * junk >= n)
    return false;
  for (size_t i = 0; i < n; i++) {
    const unsigned char *u = (const unsigned char *)tk[i].text;
    for (size_t j = 0, len = strlen(tk[i].text); j < len;) {
      uint32_t cp;
      bool valid;
      j += tram__utf8_decode(u + j, len - j, &cp, &valid);
      if (u_isalpha((UChar32)cp))
        return true;
    }
  }
  return false;
}

/* The stage; `forced` (tests) replaces the labeller's labels. */
static int run(tram_analyzer *an, tram_doc *doc, const uint8_t *forced) {
  const tram_ner *ner = an->model->ner;
  size_t n = doc->tokens.len;
  if (!ner || n == 0 ||
      !worth_labelling((const tram_token *)doc->tokens.data, n))
    return TRAM_OK;
  int lang = doc->lang;
  const tram_ner_model *m =
      lang > 0 && lang < TRAM_LANG_COUNT ? ner->model[lang] : NULL;
  for (int l = TRAM_LANG_FR; !m && l < TRAM_LANG_COUNT; l++)
    if ((m = ner->model[l]))
      lang = l;
  if (!m)
    return TRAM_OK;
  ner_state *s = state_of(an);
  if (!s)
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  s->toks.len = s->labels.len = s->scores.len = s->fold.len = 0;
  s->ments.len = 0;
  doc->entities.len = doc->orgs.len = 0;
  /* The buffers' failure flags are sticky: clear the last analysis's. */
  s->tmp.failed = s->low.failed = 0;
  if (tram__vec_reserve(&s->toks, n) || tram__vec_reserve(&s->labels, n) ||
      tram__vec_reserve(&s->scores, n) || tram__vec_reserve(&s->fold, n))
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  const tram_token *tk = (const tram_token *)doc->tokens.data;
  tram_ner_tok *vt = (tram_ner_tok *)s->toks.data;
  memset(vt, 0, n * sizeof *vt);
  for (size_t i = 0; i < n; i++) {
    vt[i].text = tk[i].text;
    vt[i].len = (uint32_t)strlen(tk[i].text);
    /* a word after a menu bar ("Accueil | Blog") is written like a
     * sentence start */
    if (i == 0 || (tk[i].flags & TRAM_TOKEN_SENT_START) ||
        tk[i].sentence != tk[i - 1].sentence ||
        strcmp(tk[i - 1].text, "|") == 0 ||
        strcmp(tk[i - 1].text, "\xe2\x80\xa2") == 0)
      vt[i].flags = TRAM_NER_F_START;
  }
  s->toks.len = n;
  uint8_t *lab = s->labels.data;
  float *sc = s->scores.data;
  int rc = tram__ner_prepare(&ner->lex, s->has_user ? &s->user : NULL, lang, vt,
                             n, &s->low);
  if (rc == TRAM_OK && forced) {
    memcpy(lab, forced, n);
    for (size_t i = 0; i < n; i++)
      sc[i] = 1;
  } else if (rc == TRAM_OK) {
    rc = tram__ner_tag(m, vt, n, lab, sc);
  }
  if (rc == TRAM_OK && !s->dp_loaded) {
    size_t bad = 0;
    rc = tram__ner_docpass_new(an->model, &s->dp, &bad);
    if (rc == TRAM_EDATA)
      return tram__fail(an, TRAM_EMODEL, "ner/docpass: bad line %zu", bad);
    s->dp_loaded = rc == TRAM_OK;
  }
  if (rc == TRAM_OK) {
    s->key.failed = 0;
    rc = tram__ner_docfix(s->dp, &ner->lex, s->has_user ? &s->user : NULL, lang,
                          vt, n, lab, &s->key);
  }
  if (rc)
    return tram__fail(an, rc, "out of memory");
  uint64_t *fold = s->fold.data;
  for (size_t i = 0; i < n; i++)
    fold[i] =
        (vt[i].flags & TRAM_NER_F_LETTER) && !(vt[i].flags & TRAM_NER_F_PUNCT)
            ? fold_hash(an, vt[i].low, vt[i].low_len, &s->tmp)
            : vt[i].h_low;
  if (s->tmp.failed)
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  /* mentions from BIO labels, cut at punctuation that cannot sit inside a
   * name, trimmed of edge connectors, articles and elided words, kept only
   * when they hold a capitalised word */
  for (size_t i = 0; i < n;) {
    if (!lab[i]) {
      i++;
      continue;
    }
    int t = TRAM_NER_TYPE(lab[i]);
    size_t j = i + 1;
    while (j < n && lab[j] == TRAM_NER_I(t))
      j++;
    for (size_t a = i; a < j;) {
      size_t b = a;
      while (b < j && !(b > a && inner_break(&vt[b])))
        b++;
      size_t x = a, y = b;
      while (x < y && edge_word(&vt[x]))
        x++;
      while (y > x && edge_word(&vt[y - 1]))
        y--;
      bool cased = false;
      float sum = 0;
      for (size_t k = x; k < y; k++) {
        cased |= (vt[k].flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER)) &&
                 (vt[k].flags & TRAM_NER_F_LETTER);
        sum += sc[k];
      }
      if (cased) {
        mention *mm = tram__vec_push(&s->ments);
        if (!mm)
          return tram__fail(an, TRAM_ENOMEM, "out of memory");
        *mm = (mention){(uint32_t)x, (uint32_t)(y - x), t, sum / (float)(y - x),
                        -1};
      }
      a = b < j && inner_break(&vt[b]) ? b + 1 : b;
    }
    i = j;
  }
  /* appositions: "X, cette entreprise …", "X, la fundació …" make X an
   * organisation whatever the labeller said (cue classes article/common
   * for the determiner, orghead for the noun) */
  mention *mv = (mention *)s->ments.data;
  for (size_t i = 0; i < s->ments.len; i++) {
    size_t e = mv[i].first + mv[i].count;
    if (mv[i].type == TRAM_ENT_ORG || e + 2 >= n ||
        strcmp(vt[e].text, ",") != 0)
      continue;
    size_t k = e + 1;
    if (vt[k].cue & (TRAM_NER_CUE_ARTICLE | TRAM_NER_CUE_COMMON))
      k++;
    if (k < n && (vt[k].cue & TRAM_NER_CUE_ORGHEAD) &&
        !(vt[k].flags & (TRAM_NER_F_CAP | TRAM_NER_F_UPPER)))
      mv[i].type = TRAM_ENT_ORG;
  }
  rc = build_orgs(doc, s, vt, n);
  if (rc)
    return tram__fail(an, rc, "out of memory");
  const mention *ms = s->ments.data;
  if (tram__vec_reserve(&doc->entities, s->ments.len))
    return tram__fail(an, TRAM_ENOMEM, "out of memory");
  for (size_t i = 0; i < s->ments.len; i++) {
    const tram_token *a = &tk[ms[i].first];
    const tram_token *b = &tk[ms[i].first + ms[i].count - 1];
    tram_entity *e = tram__vec_push(&doc->entities);
    e->start = a->start;
    e->end = b->end;
    e->cstart = a->cstart;
    e->cend = b->cend;
    e->token_first = ms[i].first;
    e->token_count = ms[i].count;
    e->text = dup_text(doc, a->start, b->end);
    if (!e->text)
      return tram__fail(an, TRAM_ENOMEM, "out of memory");
    e->type = ms[i].type;
    e->score = ms[i].score;
    e->org = ms[i].type == TRAM_ENT_ORG ? ms[i].group : -1;
  }
  return TRAM_OK;
}

int tram__entities(tram_analyzer *an, tram_doc *doc) {
  return run(an, doc, NULL);
}

int tram__entities_from_labels(tram_analyzer *an, tram_doc *doc,
                               const uint8_t *labels) {
  return run(an, doc, labels);
}
