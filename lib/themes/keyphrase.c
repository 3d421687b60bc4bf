/*
 * keyphrase.c — unsupervised keyphrase extraction, in the spirit of YAKE
 * (Campos et al., 2020) and TopicRank (Bougouin et al., 2013).
 *
 * Candidates. Each token gets a class: content word, number, link word
 * (articles, prepositions, elided forms and conjunctions, from the
 * keyphrase lexicon "keyphrase/<code>"), stop word (the token's stop flag
 * or the lexicon's "stop" words) or break (punctuation, symbols, URLs…).
 * A candidate is any token run inside one sentence that starts with a
 * content word, ends with a content word or a number, holds at most
 * TRAM_KP_MAX_WORDS (3) content words and numbers and TRAM_KP_MAX_TOKENS
 * (5) words in all, and has link words only inside (at most two in a row):
 * "accès à la culture", "economia social i solidària". Stop words and breaks
 * end runs.
 *
 * Grouping. A candidate's key is the sequence of the Snowball stems of its
 * content words (link words left out), so "entrepreneur social" and
 * "entrepreneurs sociaux" are one candidate; its display text is the
 * commonest written form (sentence-initial capitals lowered unless the word
 * is usually capitalised).
 *
 * Scoring. Each content stem w gets statistics: frequency tf(w), number of
 * sentences holding it, first sentence, share of capitalised occurrences
 * away from the sentence start, and a background inverse document
 * frequency idf(w) in [0, 1] (model sections "keyphrase-df/<code>": stem
 * document frequencies of a general corpus; see data/keyphrase/SOURCE.md).
 * Its weight is
 *     ww(w) = ln(1 + tf(w)/mean_tf) · (1 + spread_w · sent(w)/nsent)
 *             · (1 + case_w · cap(w)) · idf(w)^idf_exp,
 * and a candidate c of n content words scores
 *     S(c) = tf'(c)^tf_exp · Σ ww(w) / n^len_exp
 *            · (1 + pos_weight / (1 + first_sentence(c)))
 *            · (single_pen if n = 1),
 * where tf'(c) counts its maximal occurrences (not inside a longer
 * candidate) fully and the others with weight sub_w. Frequent phrases made
 * of frequent, specific words that appear early win, as in YAKE's
 * frequency, position and casing features, while the sum over member words
 * rewards multiword phrases whose words recur elsewhere, which is what
 * TopicRank's graph over grouped candidates captures. The constants were
 * tuned on the dev half of tools/eval-keyphrase.sh's sets.
 *
 * Selection (tram__kp_select) leaves out a phrase that never occurs outside
 * a better selected one, and a lower-case single word that never opens a
 * run — a modifier, since French, Spanish and Catalan adjectives follow
 * their noun ("sociaux" of "entrepreneurs sociaux") — when a longer phrase
 * among the best holds it. Everything is linear in the tokens except
 * sorting, which quickselects the few best first. For speed each content
 * stem is hashed once per token into a doc-local table that points at the
 * doc's own strings (sized once, no copies) and gives a small word id;
 * candidates are keyed by their word ids packed in one integer; no list of
 * occurrences is kept: the written form of the few selected phrases replays
 * the candidate walk from their first occurrence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "themes/keyphrase.h"

enum {
  C_BREAK = TRAM_KP_C_BREAK,
  C_LINK = TRAM_KP_C_LINK,
  C_STOP = TRAM_KP_C_STOP,
  C_NUM = TRAM_KP_C_NUM,
  C_CONTENT = TRAM_KP_C_CONTENT
};

void tram__kp_params_default(tram_kp_params *p) {
  /* Tuned on the dev half of tools/eval-keyphrase.sh's sets. */
  p->tf_exp = 0.5;
  p->len_exp = 1.0;
  p->pos_weight = 4.0;
  p->spread_w = 0.0;
  p->case_w = 1.0;
  p->single_pen = 0.8;
  p->sub_w = 1.0;
  p->idf_exp = 1.0;
}

void tram__kp_set_init(tram_kp_set *s) {
  memset(s, 0, sizeof *s);
  tram__vec_init(&s->cands, sizeof(tram_kp_cand));
  tram__vec_init(&s->words, sizeof(tram_kp_word));
  tram__arena_init(&s->strings);
  tram__buf_init(&s->buf);
}

void tram__kp_set_free(tram_kp_set *s) {
  tram__vec_free(&s->cands);
  tram__vec_free(&s->words);
  tram__free(s->cls);
  tram__free(s->widx);
  tram__free(s->cslots);
  tram__free(s->wslots);
  tram__arena_free(&s->strings);
  tram__buf_free(&s->buf);
}

static int token_class(const tram_taxonomy *lex, const tram_token *t) {
  switch (t->kind) {
  case TRAM_KIND_WORD: {
    int role = tram__kp_role(lex, t->lang, t->norm);
    if (role == TRAM_KP_LINK)
      return C_LINK;
    if (role == TRAM_KP_STOP ||
        (t->flags & (TRAM_TOKEN_STOP | TRAM_TOKEN_CLITIC | TRAM_TOKEN_ELIDED)))
      return C_STOP;
    /* One letter is never a keyphrase word; neither is a stemless "". */
    if (!t->norm[0] || !t->norm[1])
      return C_STOP;
    return C_CONTENT;
  }
  case TRAM_KIND_NUMBER:
  case TRAM_KIND_ORDINAL:
  case TRAM_KIND_PERCENT:
    return C_NUM;
  default:
    return C_BREAK;
  }
}

static const char *key_of(const tram_token *t) {
  return t->stem && t->stem[0] ? t->stem : t->norm;
}

/* Appends the written form of tokens [a, b] to buf: the original bytes,
 * white space collapsed to one space; a capitalised sentence-initial first
 * word is written in lower case unless `keep_case`. */
static void form_of(const tram_doc *doc, const tram_token *tok, size_t a,
                    size_t b, bool keep_case, tram_buf *buf) {
  for (size_t i = a; i <= b; i++) {
    const tram_token *t = &tok[i];
    if (i > a && t->start > tok[i - 1].end)
      tram__buf_putc(buf, ' ');
    if (i == a && !keep_case)
      tram__buf_puts(buf, t->norm);
    else
      tram__buf_put_utf8(buf, doc->text + t->start, t->end - t->start);
  }
}

#define KEY_WORD_MAX ((1u << 21) - 1)

/* The value slot of a candidate key, inserted as 0 if new; NULL on ENOMEM.
 * Open addressing, linear probing, at most half full. */
static uint32_t *cand_slot(tram_kp_set *s, uint64_t key) {
  if (2 * (s->cands.len + 1) > s->cand_cap) {
    size_t cap = s->cand_cap ? 2 * s->cand_cap : s->cand_hint;
    while (2 * (s->cands.len + 1) > cap)
      cap *= 2;
    struct tram_kp_cslot *t = tram__calloc(cap, sizeof *t);
    if (!t)
      return NULL;
    for (size_t i = 0; i < s->cand_cap; i++) {
      if (!s->cslots[i].key)
        continue;
      size_t h = (size_t)((s->cslots[i].key * 0x9E3779B97F4A7C15ull) >> 20);
      while (t[h & (cap - 1)].key)
        h++;
      t[h & (cap - 1)] = s->cslots[i];
    }
    tram__free(s->cslots);
    s->cslots = t;
    s->cand_cap = cap;
  }
  size_t mask = s->cand_cap - 1;
  size_t h = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20);
  struct tram_kp_cslot *e = &s->cslots[h & mask];
  while (e->key && e->key != key)
    e = &s->cslots[++h & mask];
  e->key = key;
  return &e->val;
}

/* One step of the candidate walk that starts at token i, at token j: it
 * stops at a sentence end, a break or a stop word, after more than two link
 * words in a row or three in all, or past TRAM_KP_MAX_WORDS words; skips a
 * link word; otherwise takes a word (counted in *nw). Pass 2 of
 * tram__kp_collect and occ_at's replay share it, so they cannot drift. */
enum { WALK_STOP, WALK_SKIP, WALK_WORD };
static int walk_step(const tram_token *tok, const unsigned char *cls, size_t i,
                     size_t j, size_t *run, size_t *links, size_t *nw) {
  if (tok[j].sentence != tok[i].sentence || cls[j] == C_BREAK ||
      cls[j] == C_STOP)
    return WALK_STOP;
  if (cls[j] == C_LINK)
    return ++*run > 2 || ++*links > 3 ? WALK_STOP : WALK_SKIP;
  *run = 0;
  return ++*nw > TRAM_KP_MAX_WORDS ? WALK_STOP : WALK_WORD;
}

int tram__kp_collect(const tram_taxonomy *lex, const tram_doc *doc,
                     tram_kp_set *s) {
  size_t n = doc->tokens.len;
  const tram_token *tok = doc->tokens.data;
  unsigned char *cls = s->cls = tram__malloc(n ? n : 1);
  uint32_t *widx = s->widx = tram__malloc((n ? n : 1) * sizeof *widx);
  s->doc = doc;
  if (!cls || !widx || tram__vec_reserve(&s->cands, n + 1) ||
      tram__vec_reserve(&s->words, n / 2 + 1))
    return TRAM_ENOMEM;
  s->nsent = n ? tok[n - 1].sentence + 1 : 0;
  /* Pass 1a: classes; the tables are sized from the content tokens (at
   * most 2^16 slots to start, so a huge doc grows them with its words). */
  size_t ncontent = 0;
  for (size_t i = 0; i < n; i++) {
    cls[i] = (unsigned char)token_class(lex, &tok[i]);
    widx[i] = UINT32_MAX;
    ncontent += cls[i] == C_CONTENT || cls[i] == C_NUM;
  }
  size_t cap = 16;
  while (cap < 2 * ncontent + 2 && cap < 65536)
    cap *= 2;
  struct tram_kp_wslot *ws = s->wslots = tram__calloc(cap, sizeof *ws);
  if (!ws)
    return TRAM_ENOMEM;
  s->wcap = cap;
  /* Candidates: about two per content word; the table at most half full. */
  s->cand_hint = 64;
  while (s->cand_hint < 5 * ncontent && s->cand_hint < 65536)
    s->cand_hint *= 2;
  size_t mask = cap - 1;
  /* Pass 1b: word statistics, each stem hashed once per token. */
  for (size_t i = 0; i < n; i++) {
    if (cls[i] != C_CONTENT && cls[i] != C_NUM)
      continue;
    if (2 * (s->words.len + 1) > s->wcap) { /* at most half full */
      size_t nc = 2 * s->wcap;
      struct tram_kp_wslot *t = tram__calloc(nc, sizeof *t);
      if (!t)
        return TRAM_ENOMEM;
      for (size_t q = 0; q < s->wcap; q++) {
        if (!ws[q].key)
          continue;
        size_t a = (size_t)(ws[q].hash ^ (ws[q].hash >> 29)) & (nc - 1);
        while (t[a].key)
          a = (a + 1) & (nc - 1);
        t[a] = ws[q];
      }
      tram__free(ws);
      ws = s->wslots = t;
      s->wcap = nc;
      mask = nc - 1;
    }
    const char *k = key_of(&tok[i]);
    size_t kl = strlen(k);
    uint64_t h = tram__hash(k, kl);
    size_t at = (size_t)(h ^ (h >> 29)) & mask;
    while (ws[at].key && !(ws[at].hash == h && ws[at].len == kl &&
                           memcmp(ws[at].key, k, kl) == 0))
      at = (at + 1) & mask;
    if (!ws[at].key) {
      tram_kp_word *w = tram__vec_push(&s->words);
      if (!w)
        return TRAM_ENOMEM;
      w->first_sent = tok[i].sentence;
      w->last_sent = UINT32_MAX;
      w->idf = tram__kp_idf_hashed(lex, tok[i].lang, k, kl, h);
      ws[at].hash = h;
      ws[at].key = k;
      ws[at].len = (uint32_t)kl;
      ws[at].word = (uint32_t)s->words.len - 1;
    }
    widx[i] = ws[at].word;
    tram_kp_word *w = TRAM_VEC_AT(&s->words, tram_kp_word, widx[i]);
    w->tf++;
    if (w->last_sent != tok[i].sentence) {
      w->nsent++;
      w->last_sent = tok[i].sentence;
    }
    if ((tok[i].flags & TRAM_TOKEN_CAPITALIZED) &&
        !(tok[i].flags & TRAM_TOKEN_SENT_START))
      w->ncap++;
  }
  int rc = TRAM_OK;
  /* Pass 2: candidates. The longest candidate from a start is a maximal
   * occurrence unless an earlier start's longest one covers it. */
  size_t cover_end = 0;
  bool covered = false;
  for (size_t i = 0; i < n && !rc; i++) {
    if (cls[i] != C_CONTENT)
      continue;
    size_t nw = 0, links = 0, run = 0, last_j = 0, last_c = SIZE_MAX;
    uint64_t key = 0;
    /* Does a word (not a link) precede it in its run? */
    size_t b = i;
    while (b > 0 && cls[b - 1] == C_LINK &&
           tok[b - 1].sentence == tok[i].sentence)
      b--;
    bool head = b == 0 || tok[b - 1].sentence != tok[i].sentence ||
                (cls[b - 1] != C_CONTENT && cls[b - 1] != C_NUM);
    for (size_t j = i; j < n && j - i < TRAM_KP_MAX_TOKENS; j++) {
      int step = walk_step(tok, cls, i, j, &run, &links, &nw);
      if (step == WALK_STOP)
        break;
      if (step == WALK_SKIP)
        continue;
      /* The candidate's identity: its word indices (one per stem). */
      if (widx[j] >= KEY_WORD_MAX)
        break; /* beyond 2^21 distinct words: no longer phrases */
      key = j == i ? 0 : key;
      key |= (uint64_t)(widx[j] + 1) << (21 * (nw - 1));
      uint32_t *slot = cand_slot(s, key);
      if (!slot) {
        rc = TRAM_ENOMEM;
        break;
      }
      tram_kp_cand *c;
      if (!*slot) {
        c = tram__vec_push(&s->cands);
        if (!c) {
          rc = TRAM_ENOMEM;
          break;
        }
        c->id = (uint32_t)s->cands.len - 1;
        c->first = (uint32_t)i;
        c->last = (uint32_t)j;
        c->first_sent = tok[i].sentence;
        for (size_t k = i; k <= j; k++)
          if (cls[k] == C_CONTENT || cls[k] == C_NUM)
            c->words[c->nwords++] = widx[k];
        *slot = (uint32_t)s->cands.len;
      }
      size_t ci = *slot - 1;
      c = TRAM_VEC_AT(&s->cands, tram_kp_cand, ci);
      c->count++;
      c->nhead += head;
      last_j = j;
      last_c = ci;
    }
    if (last_c != SIZE_MAX && (!covered || last_j > cover_end)) {
      tram_kp_cand *c = TRAM_VEC_AT(&s->cands, tram_kp_cand, last_c);
      c->nmax++;
      c->maximal = true;
      cover_end = last_j;
      covered = true;
    }
  }
  return rc;
}

static int by_score(const void *a, const void *b) {
  const tram_kp_cand *x = a, *y = b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return x->first < y->first ? -1 : x->first > y->first;
}

void tram__kp_score(tram_kp_set *s, const tram_kp_params *p, size_t keep) {
  size_t nw = s->words.len;
  if (!nw)
    return;
  double sum = 0;
  for (size_t i = 0; i < nw; i++)
    sum += TRAM_VEC_AT(&s->words, tram_kp_word, i)->tf;
  double mean = sum / (double)nw;
  double nsent = s->nsent ? s->nsent : 1;
  /* Word weights once per word (kept in idf's place), then candidates. */
  for (size_t i = 0; i < nw; i++) {
    tram_kp_word *w = TRAM_VEC_AT(&s->words, tram_kp_word, i);
    double x = log1p(w->tf / mean);
    x *= 1 + p->spread_w * w->nsent / nsent;
    x *= 1 + p->case_w * w->ncap / (double)w->tf;
    x *= p->idf_exp == 1.0 ? w->idf : pow(w->idf, p->idf_exp);
    w->weight = x;
  }
  double len_div[TRAM_KP_MAX_WORDS + 1];
  for (int k = 1; k <= TRAM_KP_MAX_WORDS; k++)
    len_div[k] = pow(k, p->len_exp);
  for (size_t i = 0; i < s->cands.len; i++) {
    tram_kp_cand *c = TRAM_VEC_AT(&s->cands, tram_kp_cand, i);
    double ww = 0;
    for (uint32_t k = 0; k < c->nwords; k++)
      ww += TRAM_VEC_AT(&s->words, tram_kp_word, c->words[k])->weight;
    double tf = c->nmax + p->sub_w * (c->count - c->nmax);
    double sc = (p->tf_exp == 0.5 ? sqrt(tf) : pow(tf, p->tf_exp)) * ww /
                len_div[c->nwords];
    sc *= 1 + p->pos_weight / (1 + c->first_sent);
    if (c->nwords == 1)
      sc *= p->single_pen;
    c->score = sc;
  }
  if (s->cands.len < 2) /* data is NULL when empty: qsort's UB */
    return;
  /* Only the best `keep` need an order: quickselect them to the front,
   * then sort those. */
  tram_kp_cand *a = s->cands.data;
  size_t n = s->cands.len, lo = 0, hi = n;
  if (keep && keep < n) {
    while (hi - lo > 1) {
      tram_kp_cand pivot = a[lo + (hi - lo) / 2], tmp;
      size_t i = lo, j = hi - 1;
      while (i <= j) {
        while (by_score(&a[i], &pivot) < 0)
          i++;
        while (by_score(&a[j], &pivot) > 0)
          j--;
        if (i <= j) {
          tmp = a[i];
          a[i] = a[j];
          a[j] = tmp;
          i++;
          if (j == 0)
            break;
          j--;
        }
      }
      if (keep <= j)
        hi = j + 1;
      else if (keep >= i)
        lo = i;
      else
        break;
    }
    n = keep;
  }
  qsort(a, n, sizeof(tram_kp_cand), by_score);
}

/* Are the words of a a contiguous part of the words of b? */
static bool key_inside(const tram_kp_cand *a, const tram_kp_cand *b) {
  for (uint32_t s = 0; s + a->nwords <= b->nwords; s++) {
    uint32_t k = 0;
    while (k < a->nwords && a->words[k] == b->words[s + k])
      k++;
    if (k == a->nwords)
      return true;
  }
  return false;
}

const char *tram__kp_key(tram_kp_set *s, tram_kp_cand *c) {
  if (c->key || !c->count)
    return c->key;
  const tram_token *tok = s->doc->tokens.data;
  s->buf.len = 0;
  for (size_t k = c->first; k <= c->last; k++)
    if (s->cls[k] == C_CONTENT || s->cls[k] == C_NUM) {
      if (s->buf.len)
        tram__buf_putc(&s->buf, ' ');
      tram__buf_puts(&s->buf, key_of(&tok[k]));
    }
  if (s->buf.failed)
    return NULL;
  c->key = tram__arena_strndup(&s->strings, s->buf.data, s->buf.len);
  return c->key;
}

size_t tram__kp_select(const tram_kp_set *s, size_t max, uint32_t *sel) {
  size_t n = 0;
  for (size_t i = 0; i < s->cands.len && n < max; i++) {
    const tram_kp_cand *c = TRAM_VEC_AT(&s->cands, tram_kp_cand, i);
    if (c->score <= 0)
      break;
    /* Left out: a part of a better phrase that never stands alone, and a
     * word that never opens a phrase (a modifier: "sociaux" of
     * "entrepreneurs sociaux") inside a well-ranked longer phrase. */
    bool redundant = false;
    for (size_t k = 0; c->nmax == 0 && k < n && !redundant; k++) {
      const tram_kp_cand *d = TRAM_VEC_AT(&s->cands, tram_kp_cand, sel[k]);
      redundant = key_inside(c, d);
    }
    const tram_kp_word *w = TRAM_VEC_AT(&s->words, tram_kp_word, c->words[0]);
    bool modifier = c->nhead == 0 && c->nwords == 1 && 2 * w->ncap < w->tf;
    size_t horizon = 3 * max < s->cands.len ? 3 * max : s->cands.len;
    for (size_t k = 0; modifier && k < horizon && !redundant; k++) {
      const tram_kp_cand *d = TRAM_VEC_AT(&s->cands, tram_kp_cand, k);
      redundant = k != i && d->nwords > c->nwords && key_inside(c, d);
    }
    if (!redundant)
      sel[n++] = (uint32_t)i;
  }
  return n;
}

/* The last token of the occurrence of c that starts at token i, SIZE_MAX if
 * none: the walk of tram__kp_collect's pass 2 from i, replayed. */
static size_t occ_at(const tram_kp_set *s, size_t i, const tram_kp_cand *c) {
  const tram_token *tok = s->doc->tokens.data;
  const unsigned char *cls = s->cls;
  size_t n = s->doc->tokens.len, nw = 0, links = 0, run = 0;
  if (cls[i] != C_CONTENT)
    return SIZE_MAX;
  for (size_t j = i; j < n && j - i < TRAM_KP_MAX_TOKENS; j++) {
    int step = walk_step(tok, cls, i, j, &run, &links, &nw);
    if (step == WALK_STOP)
      break;
    if (step == WALK_SKIP)
      continue;
    if (s->widx[j] >= KEY_WORD_MAX || s->widx[j] != c->words[nw - 1])
      break;
    if (nw == c->nwords)
      return j;
  }
  return SIZE_MAX;
}

const char *tram__kp_text(tram_kp_set *s, tram_kp_cand *c) {
  if (c->text)
    return c->text;
  const tram_token *tok = s->doc->tokens.data;
  /* Count the forms of (at most 64 of) its occurrences; first seen wins a
   * tie. */
  enum { MAXF = 64 };
  size_t start[MAXF], len[MAXF], n = 0;
  uint32_t cnt[MAXF];
  size_t best = 0;
  s->buf.len = 0;
  /* Its occurrences are found again from its first one: no list kept. */
  size_t ntok = s->doc->tokens.len;
  uint32_t seen = 0;
  for (size_t i = c->first; i < ntok && seen < c->count && n < MAXF; i++) {
    if (s->widx[i] != c->words[0])
      continue;
    size_t last = occ_at(s, i, c);
    if (last == SIZE_MAX)
      continue;
    seen++;
    const tram_token *t0 = &tok[i];
    const tram_kp_word *w0 = TRAM_VEC_AT(&s->words, tram_kp_word, c->words[0]);
    bool keep = !(t0->flags & TRAM_TOKEN_SENT_START) ||
                (t0->flags & TRAM_TOKEN_UPPER) ||
                !(t0->flags & TRAM_TOKEN_CAPITALIZED) || 2 * w0->ncap > w0->tf;
    size_t at = s->buf.len;
    form_of(s->doc, tok, i, last, keep, &s->buf);
    if (s->buf.failed)
      return NULL; /* ENOMEM: buf.data may be NULL */
    size_t l = s->buf.len - at;
    size_t f = 0;
    while (f < n && !(len[f] == l &&
                      !memcmp(s->buf.data + start[f], s->buf.data + at, l)))
      f++;
    if (f == n) {
      start[n] = at;
      len[n] = l;
      cnt[n++] = 0;
    } else {
      s->buf.len = at;
    }
    if (++cnt[f] > cnt[best])
      best = f;
  }
  if (s->buf.failed || !n)
    return NULL;
  c->text =
      tram__arena_strndup(&s->strings, s->buf.data + start[best], len[best]);
  return c->text;
}
