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
 */
#include <stdio.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include "internal.h"
#include "ner/ner.h"

typedef struct ner_state {
  tram_ner_lex user; /* gazetteer from the options */
  bool has_user;
  tram_buf low, tmp;
  tram_vec toks;   /* tram_ner_tok */
  tram_vec labels; /* uint8_t */
  tram_vec scores; /* float */
  tram_vec fold;   /* uint64_t: hash of the folded lower form per token */
  tram_vec ments;  /* mention */
  tram_vec keys;   /* okey */
  tram_vec hpool;  /* uint64_t: key token hashes */
  tram_vec parent; /* int: union-find over key groups */
  tram_vec chain;  /* int: mentions per organisation (chain_orgs) */
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
