/*
 * ner_clusters — learns hierarchical word clusters from unlabelled text for
 * the NER labeller's cluster features, and writes them in the "paths"
 * format of Brown-cluster tools (Liang 2005): one line per word,
 * "bit-path<TAB>word<TAB>count", so any Brown-cluster file can stand in.
 *
 *   ner_clusters --lang es --out clusters.tsv [--vocab 60000] [--min 3]
 *     [--context 1000] [--depth 16] FILE...
 *
 * Input: .conll (first column), .conllu (FORM; a multi-word token's
 * surface line stands for its parts) or plain text, one paragraph a line,
 * cut into tokens by a small tokenizer of its own (white space; leading
 * and trailing punctuation split off one character at a time; an elided
 * article or pronoun of one or two letters plus apostrophe, "l'", "d'",
 * "qu'", split off as the library's tokenizer does for ca and fr). It
 * does not use the library's tokenizer on purpose: the default model
 * refuses to load while its NER weights were trained with other feature
 * templates, and the clusters are needed to retrain them. Words are
 * lower-cased as the labeller does (tram__ner_lower).
 *
 * Method: each of the `--vocab` commonest words (seen at least `--min`
 * times) gets a sparse context vector: the commonest `--context` words
 * (plus sentence boundary and "other") at positions -2, -1, +1, +2,
 * weighted by positive pointwise mutual information with a smoothed
 * context distribution (exponent 0.75; Levy, Goldberg & Dagan 2015), the
 * outer positions at half weight, each vector of unit length. The words
 * are then split top-down in two, recursively, to `--depth` levels:
 * principal-direction divisive partitioning (Boley 1998: the sign of the
 * projection on the first principal axis of the node's vectors, by power
 * iteration) refined by a few rounds of spherical 2-means. A word's path
 * is the left/right choices from the root, so prefixes of it are
 * clusters of several granularities, as with Brown clusters (Brown et al.
 * 1992; their use in NER: Miller et al. 2004, Ratinov & Roth 2009).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>

#include "internal.h"
#include "ner/ner.h"

typedef struct word {
  char *s;
  uint64_t h;
  uint32_t count;
} word;

/* Vocabulary: open-addressing table on the lower form's hash. */
typedef struct vocab {
  word *w;
  size_t n, cap;
  uint32_t *slot; /* 1 + index, 0 empty */
  size_t mask;
} vocab;

static size_t vocab_id(vocab *v, const char *s, size_t len, uint64_t h) {
  if (2 * (v->n + 1) > v->mask + 1) {
    size_t nm = v->mask ? 2 * v->mask + 1 : 65535;
    uint32_t *ns = calloc(nm + 1, sizeof *ns);
    for (size_t i = 0; i < v->n; i++) {
      size_t j = (size_t)v->w[i].h & nm;
      while (ns[j])
        j = (j + 1) & nm;
      ns[j] = (uint32_t)(i + 1);
    }
    free(v->slot);
    v->slot = ns;
    v->mask = nm;
  }
  size_t j = (size_t)h & v->mask;
  while (v->slot[j]) {
    word *w = &v->w[v->slot[j] - 1];
    if (w->h == h && strlen(w->s) == len && !memcmp(w->s, s, len))
      return v->slot[j] - 1;
    j = (j + 1) & v->mask;
  }
  if (v->n == v->cap) {
    v->cap = v->cap ? 2 * v->cap : 4096;
    v->w = realloc(v->w, v->cap * sizeof *v->w);
  }
  word *w = &v->w[v->n];
  w->s = malloc(len + 1);
  memcpy(w->s, s, len);
  w->s[len] = 0;
  w->h = h;
  w->count = 0;
  v->slot[j] = (uint32_t)(v->n + 1);
  return v->n++;
}

/* The token stream: word ids, UINT32_MAX between sentences. */
typedef struct stream {
  uint32_t *id;
  size_t n, cap;
} stream;

static void push(stream *s, uint32_t id) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1 << 20;
    s->id = realloc(s->id, s->cap * sizeof *s->id);
  }
  s->id[s->n++] = id;
}

static void add_token(vocab *v, stream *s, const char *t, size_t len,
                      tram_buf *low) {
  low->len = 0;
  tram__ner_lower(t, len, low);
  uint64_t h = tram__hash(low->data, low->len);
  size_t id = vocab_id(v, low->data, low->len, h);
  v->w[id].count++;
  push(s, (uint32_t)id);
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && !strcmp(s + a - b, suf);
}

/* Code point at s[i..n) and its byte length. */
static size_t cp_at(const char *s, size_t n, size_t i, uint32_t *cp) {
  bool valid;
  const unsigned char *u = (const unsigned char *)s;
  if (u[i] < 0x80) {
    *cp = u[i];
    return 1;
  }
  return tram__utf8_decode(u + i, n - i, cp, &valid);
}
static bool is_apos(uint32_t c) { return c == '\'' || c == 0x2019; }
static bool is_word_cp(uint32_t c) {
  return u_isalnum((UChar32)c) || u_charType((UChar32)c) == U_NON_SPACING_MARK;
}

/* The small tokenizer of plain text (see the essay above). */
static void tokenize_line(const char *p, size_t n, bool elide, vocab *v,
                          stream *s, tram_buf *low) {
  size_t i = 0;
  while (i < n) {
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
      i++;
    size_t j = i;
    while (j < n && p[j] != ' ' && p[j] != '\t')
      j++;
    /* chunk [i, j): leading punctuation */
    size_t a = i, b = j;
    while (a < b) {
      uint32_t c;
      size_t k = cp_at(p, b, a, &c);
      if (is_word_cp(c))
        break;
      add_token(v, s, p + a, k, low);
      a += k;
    }
    /* trailing punctuation, kept in order */
    size_t tail = b;
    while (tail > a) {
      size_t k = tail - 1;
      while (k > a && ((unsigned char)p[k] & 0xC0) == 0x80)
        k--;
      uint32_t c;
      cp_at(p, b, k, &c);
      if (is_word_cp(c))
        break;
      tail = k;
    }
    if (a < tail && elide) {
      /* one or two letters (or "qu") + apostrophe + a letter */
      for (size_t k = a + 1; k < tail && k <= a + 3; k++) {
        uint32_t c;
        size_t kl = cp_at(p, tail, k, &c);
        if (is_apos(c) && k + kl < tail) {
          add_token(v, s, p + a, k + kl - a, low);
          a = k + kl;
          break;
        }
        if (!u_isalpha((UChar32)c))
          break;
      }
    }
    if (a < tail)
      add_token(v, s, p + a, tail - a, low);
    while (tail < b) {
      uint32_t c;
      size_t k = cp_at(p, b, tail, &c);
      add_token(v, s, p + tail, k, low);
      tail += k;
    }
    i = j;
  }
}

static int read_file(const char *path, int lang, vocab *v, stream *s) {
  tram_buf file;
  if (tram__read_file(path, &file) != TRAM_OK) {
    fprintf(stderr, "cannot read %s\n", path);
    return -1;
  }
  tram_buf low;
  tram__buf_init(&low);
  bool conll = ends_with(path, ".conll"), conllu = ends_with(path, ".conllu");
  unsigned long skip_to = 0;
  char *p = file.data, *end = file.data + file.len;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      nl = end;
    size_t ll = (size_t)(nl - p);
    if (ll && p[ll - 1] == '\r')
      ll--;
    if (conll || conllu) {
      if (ll == 0) {
        push(s, UINT32_MAX);
        skip_to = 0;
      } else if (conll) {
        char *tab = memchr(p, '\t', ll);
        add_token(v, s, p, tab ? (size_t)(tab - p) : ll, &low);
      } else if (p[0] != '#') {
        char *t1 = memchr(p, '\t', ll);
        char *t2 = t1 ? memchr(t1 + 1, '\t', ll - (size_t)(t1 + 1 - p)) : NULL;
        if (t2) {
          char *dash = memchr(p, '-', (size_t)(t1 - p));
          char *dot = memchr(p, '.', (size_t)(t1 - p));
          unsigned long id = strtoul(p, NULL, 10);
          if (dot) {
            /* empty node: no surface */
          } else if (dash) {
            skip_to = strtoul(dash + 1, NULL, 10);
            add_token(v, s, t1 + 1, (size_t)(t2 - t1 - 1), &low);
          } else if (id > skip_to) {
            add_token(v, s, t1 + 1, (size_t)(t2 - t1 - 1), &low);
          }
        }
      }
    } else if (ll) {
      tokenize_line(p, ll, lang == TRAM_LANG_CA || lang == TRAM_LANG_FR, v, s,
                    &low);
      push(s, UINT32_MAX);
    }
    p = nl + 1;
  }
  push(s, UINT32_MAX);
  tram__buf_free(&low);
  tram__buf_free(&file);
  return 0;
}

/* Sparse rows (CSR). */
typedef struct matrix {
  size_t rows, dims;
  size_t *start; /* rows + 1 */
  uint32_t *col;
  float *val;
} matrix;

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}
static int cmp_count(const void *a, const void *b) {
  const word *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->s, y->s);
}

static float dot_dense(const matrix *m, size_t r, const float *d) {
  float s = 0;
  for (size_t k = m->start[r]; k < m->start[r + 1]; k++)
    s += m->val[k] * d[m->col[k]];
  return s;
}
static void axpy_dense(const matrix *m, size_t r, float a, float *d) {
  for (size_t k = m->start[r]; k < m->start[r + 1]; k++)
    d[m->col[k]] += a * m->val[k];
}
static void normalize(float *d, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++)
    s += (double)d[i] * d[i];
  float inv = s > 0 ? (float)(1.0 / sqrt(s)) : 0;
  for (size_t i = 0; i < n; i++)
    d[i] *= inv;
}

typedef struct splitter {
  const matrix *m;
  uint16_t *path;
  uint8_t *depth;
  unsigned maxdepth;
  float *mean, *v, *v2, *c0, *c1;
  uint8_t *side;
  uint64_t rng;
} splitter;

/* Splits rows[0..n) in place into [0, k) and [k, n); returns k. */
static size_t split2(splitter *sp, uint32_t *rows, size_t n) {
  const matrix *m = sp->m;
  size_t D = m->dims;
  memset(sp->mean, 0, D * sizeof(float));
  for (size_t i = 0; i < n; i++)
    axpy_dense(m, rows[i], 1.0f / (float)n, sp->mean);
  for (size_t d = 0; d < D; d++) { /* deterministic pseudo-random start */
    sp->rng = sp->rng * 6364136223846793005ULL + 1442695040888963407ULL;
    sp->v[d] = (float)((sp->rng >> 40) & 0xffff) / 65536.0f - 0.5f;
  }
  normalize(sp->v, D);
  /* power iteration on the covariance: v <- sum (x_i - m)((x_i - m).v) */
  for (int it = 0; it < 12; it++) {
    float mv = 0;
    for (size_t d = 0; d < D; d++)
      mv += sp->mean[d] * sp->v[d];
    memset(sp->v2, 0, D * sizeof(float));
    float ysum = 0;
    for (size_t i = 0; i < n; i++) {
      float y = dot_dense(m, rows[i], sp->v) - mv;
      axpy_dense(m, rows[i], y, sp->v2);
      ysum += y;
    }
    for (size_t d = 0; d < D; d++)
      sp->v2[d] -= ysum * sp->mean[d];
    normalize(sp->v2, D);
    float *t = sp->v;
    sp->v = sp->v2;
    sp->v2 = t;
  }
  float mv = 0;
  for (size_t d = 0; d < D; d++)
    mv += sp->mean[d] * sp->v[d];
  for (size_t i = 0; i < n; i++)
    sp->side[i] = dot_dense(m, rows[i], sp->v) - mv > 0;
  /* spherical 2-means refinement */
  for (int it = 0; it < 6; it++) {
    memset(sp->c0, 0, D * sizeof(float));
    memset(sp->c1, 0, D * sizeof(float));
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++) {
      axpy_dense(m, rows[i], 1.0f, sp->side[i] ? sp->c1 : sp->c0);
      n1 += sp->side[i];
    }
    if (n1 == 0 || n1 == n)
      break;
    normalize(sp->c0, D);
    normalize(sp->c1, D);
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
      uint8_t s = dot_dense(m, rows[i], sp->c1) > dot_dense(m, rows[i], sp->c0);
      changed += s != sp->side[i];
      sp->side[i] = s;
    }
    if (!changed)
      break;
  }
  /* stable partition: side 0 first (rows stay in frequency order) */
  uint32_t *tmp = malloc(n * sizeof *tmp);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!sp->side[i])
      tmp[k++] = rows[i];
  size_t k0 = k;
  for (size_t i = 0; i < n; i++)
    if (sp->side[i])
      tmp[k++] = rows[i];
  memcpy(rows, tmp, n * sizeof *rows);
  free(tmp);
  return k0;
}

static void divide(splitter *sp, uint32_t *rows, size_t n, unsigned depth,
                   uint16_t path) {
  if (depth >= sp->maxdepth || n < 4) {
    for (size_t i = 0; i < n; i++) {
      sp->path[rows[i]] = path;
      sp->depth[rows[i]] = (uint8_t)depth;
    }
    return;
  }
  size_t k = split2(sp, rows, n);
  if (k == 0 || k == n) {
    divide(sp, rows, n, sp->maxdepth, path);
    return;
  }
  divide(sp, rows, k, depth + 1, path);
  divide(sp, rows + k, n - k, depth + 1,
         (uint16_t)(path | (1u << (15 - depth))));
}

int main(int argc, char **argv) {
  const char *lang_code = NULL, *out = NULL;
  size_t maxv = 60000, ctx = 1000;
  unsigned minc = 3, maxdepth = 16;
  const char *files[64];
  size_t nfiles = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool v = i + 1 < argc;
    if (!strcmp(a, "--lang") && v)
      lang_code = argv[++i];
    else if (!strcmp(a, "--out") && v)
      out = argv[++i];
    else if (!strcmp(a, "--vocab") && v)
      maxv = (size_t)atol(argv[++i]);
    else if (!strcmp(a, "--context") && v)
      ctx = (size_t)atol(argv[++i]);
    else if (!strcmp(a, "--min") && v)
      minc = (unsigned)atoi(argv[++i]);
    else if (!strcmp(a, "--depth") && v)
      maxdepth = (unsigned)atoi(argv[++i]);
    else if (a[0] != '-' && nfiles < 64)
      files[nfiles++] = a;
    else {
      fprintf(stderr, "ner_clusters: bad argument %s\n", a);
      return 2;
    }
  }
  int lang = lang_code ? tram_lang_from_code(lang_code) : -1;
  if (lang <= 0 || !out || !nfiles || maxdepth < 1 || maxdepth > 16 ||
      ctx < 10) {
    fprintf(stderr, "usage: ner_clusters --lang fr|es|ca --out FILE [--vocab "
                    "N] [--min N] [--context N] [--depth D<=16] FILE...\n");
    return 2;
  }
  vocab v = {0};
  stream s = {0};
  push(&s, UINT32_MAX);
  for (size_t i = 0; i < nfiles; i++)
    if (read_file(files[i], lang, &v, &s))
      return 1;
  /* rank words by count: new ids in frequency order */
  word *sorted = malloc(v.n * sizeof *sorted);
  memcpy(sorted, v.w, v.n * sizeof *sorted);
  qsort(sorted, v.n, sizeof *sorted, cmp_count);
  uint32_t *rank = malloc(v.n * sizeof *rank);
  for (size_t i = 0; i < v.n; i++) {
    size_t j = (size_t)sorted[i].h & v.mask;
    while (strcmp(v.w[v.slot[j] - 1].s, sorted[i].s))
      j = (j + 1) & v.mask;
    rank[v.slot[j] - 1] = (uint32_t)i;
  }
  size_t nv = 0;
  while (nv < v.n && nv < maxv && sorted[nv].count >= minc)
    nv++;
  if (ctx > nv)
    ctx = nv;
  /* context dims: 4 positions x (ctx words + boundary + other) */
  size_t per = ctx + 2, D = 4 * per;
  uint64_t *ev = NULL;
  size_t nev = 0, evcap = 0;
  static const int offs[4] = {-2, -1, 1, 2};
  for (size_t i = 0; i < s.n; i++) {
    if (s.id[i] == UINT32_MAX)
      continue;
    uint32_t r = rank[s.id[i]];
    if (r >= nv)
      continue;
    for (int p = 0; p < 4; p++) {
      long j = (long)i + offs[p];
      /* stop at a sentence boundary: between i and j */
      bool boundary = false;
      for (long q = offs[p] < 0 ? j : (long)i + 1;
           q <= (offs[p] < 0 ? (long)i - 1 : j); q++)
        if (q < 0 || (size_t)q >= s.n || s.id[q] == UINT32_MAX)
          boundary = true;
      size_t c =
          boundary ? ctx : (rank[s.id[j]] < ctx ? rank[s.id[j]] : ctx + 1);
      if (nev == evcap) {
        evcap = evcap ? 2 * evcap : 1 << 22;
        ev = realloc(ev, evcap * sizeof *ev);
      }
      ev[nev++] = (uint64_t)r * D + (uint64_t)p * per + c;
    }
  }
  qsort(ev, nev, sizeof *ev, cmp_u64);
  matrix m = {nv, D, calloc(nv + 1, sizeof(size_t)), NULL, NULL};
  size_t nnz = 0;
  for (size_t i = 0; i < nev; i++)
    nnz += i == 0 || ev[i] != ev[i - 1];
  m.col = malloc(nnz * sizeof *m.col);
  m.val = malloc(nnz * sizeof *m.val);
  double *colsum = calloc(D, sizeof *colsum),
         *rowsum = calloc(nv, sizeof *rowsum);
  size_t k = 0;
  for (size_t i = 0; i < nev;) {
    size_t j = i;
    while (j < nev && ev[j] == ev[i])
      j++;
    size_t r = (size_t)(ev[i] / D), c = (size_t)(ev[i] % D);
    m.col[k] = (uint32_t)c;
    m.val[k] = (float)(j - i);
    m.start[r + 1] = k + 1;
    colsum[c] += (double)(j - i);
    rowsum[r] += (double)(j - i);
    k++;
    i = j;
  }
  for (size_t r = 1; r <= nv; r++)
    if (m.start[r] < m.start[r - 1])
      m.start[r] = m.start[r - 1];
  free(ev);
  /* PPMI with context smoothing 0.75, outer positions at half weight */
  double total = 0, csm = 0;
  for (size_t c = 0; c < D; c++) {
    total += colsum[c];
    csm += pow(colsum[c], 0.75);
  }
  for (size_t r = 0; r < nv; r++) {
    double sq = 0;
    for (size_t q = m.start[r]; q < m.start[r + 1]; q++) {
      size_t c = m.col[q];
      double pc = pow(colsum[c], 0.75) / csm;
      double pmi = log((m.val[q] / total) / ((rowsum[r] / total) * pc));
      float w = pmi > 0 ? (float)pmi : 0;
      if (c / per == 0 || c / per == 3)
        w *= 0.5f;
      m.val[q] = w;
      sq += (double)w * w;
    }
    float inv = sq > 0 ? (float)(1 / sqrt(sq)) : 0;
    for (size_t q = m.start[r]; q < m.start[r + 1]; q++)
      m.val[q] *= inv;
  }
  fprintf(stderr,
          "ner_clusters %s: %zu tokens, %zu word types, %zu clustered, "
          "%zu non-zeros\n",
          lang_code, s.n, v.n, nv, nnz);
  splitter sp = {&m,
                 calloc(nv, 2),
                 calloc(nv, 1),
                 maxdepth,
                 malloc(D * 4),
                 malloc(D * 4),
                 malloc(D * 4),
                 malloc(D * 4),
                 malloc(D * 4),
                 malloc(nv),
                 12345};
  uint32_t *rows = malloc(nv * sizeof *rows);
  for (size_t i = 0; i < nv; i++)
    rows[i] = (uint32_t)i;
  divide(&sp, rows, nv, 0, 0);
  FILE *f = fopen(out, "w");
  if (!f) {
    fprintf(stderr, "cannot write %s\n", out);
    return 1;
  }
  /* rows is now in path order (the recursion partitions it in place) */
  for (size_t i = 0; i < nv; i++) {
    size_t r = rows[i];
    char bits[17];
    for (unsigned b = 0; b < sp.depth[r]; b++)
      bits[b] = (char)('0' + ((sp.path[r] >> (15 - b)) & 1));
    bits[sp.depth[r]] = 0;
    fprintf(f, "%s\t%s\t%u\n", sp.depth[r] ? bits : "-", sorted[r].s,
            sorted[r].count);
  }
  if (fclose(f)) {
    fprintf(stderr, "cannot write %s\n", out);
    return 1;
  }
  return 0;
}
