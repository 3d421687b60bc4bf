/*
 * langid_train.c — trains the language-identification model of langid.c.
 *
 *   langid_train -o OUT [-b BITS] [-B WBITS] [-a ALPHA] [-A WALPHA]
 *                [-c CLIP] [-C WCLIP] [-m MINCOUNT] [-g NFACTOR] [-k KFACTOR]
 * [-T]
 *                [-s SEED] [-n MIN:MAX] [-N NAMEW] [-P PRIORS] [-W]
 *                [-H EVERY] [-p PROVENANCE] LABEL=FILE ...
 *
 * Each LABEL=FILE gives running text of one label, one sentence or
 * paragraph per line (a .conllu file gives its "# text = " lines); a label
 * may have several files. LABEL is an ISO 639-1 code; codes that are not a
 * tram_lang (it, pt, en, …) are read as "other" by the library.
 *
 * Method (naive Bayes, see langid.c). Words (langid.h) are counted per
 * label; names (title-case words inside a sentence) count NAMEW (default
 * 0.25). The word table keeps the words seen at least MINCOUNT times
 * (default 3), most frequent first, up to 70% of its 2^WBITS slots
 * (default 17); the weight of word w for label c is log((n[w][c] + WALPHA)
 * / (N[c] + WALPHA·V)) (V distinct words; default WALPHA 0.1), centred
 * over the labels, clipped to ±WCLIP nats (default 10) and quantised to a
 * signed byte. The n-gram table counts the n-grams (langid.h) of every word
 * (with -T: only of the words the word table lacks, the ones it will
 * serve) in 2^BITS buckets (default 18); the weight of bucket b for label
 * c is log((n[b][c] + ALPHA) / (N[c] + ALPHA·2^BITS)) (default ALPHA
 * 0.05), centred, clipped to ±CLIP nats (default 8), quantised. NFACTOR
 * (default 0.1) scales the n-gram evidence of a word down to the scale of
 * one word's log-probability. The label biases are the log-priors given by
 * -P (e.g. "fr=4,es=4,ca=4,oc=2,en=1", normalised; 1 for a label not
 * named): the prior decides one- and two-word inputs, so it encodes what
 * the library expects to read.
 * Every EVERY-th line (default 40) is held out: the temperature of the
 * confidence is the one minimising the log-loss of the true label on the
 * held-out lines and on their first one, two and five words (a grid
 * search), so that confidences mean the same for a word and a paragraph.
 * Writes the "langid" section (layout in langid.h) to OUT and prints
 * held-out accuracy per label to stderr.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "langid.h"

typedef struct text {
  char *data;
  size_t len;
} text;

typedef struct line {
  const char *s;
  size_t n;
  int label;
} line;

/* Word counts: open addressing on the 32-bit word key. */
typedef struct wmap {
  uint32_t *keys;
  float *counts; /* slot × label */
  size_t cap, used, nl;
} wmap;

typedef struct trainer {
  tram_langid_params p;
  size_t nl;
  char codes[TRAM_LANGID_MAX_LABELS][8];
  float *counts; /* n-gram bucket × label */
  double name_weight;
  double total[TRAM_LANGID_MAX_LABELS];  /* n-grams counted per label */
  double wtotal[TRAM_LANGID_MAX_LABELS]; /* words counted per label */
  size_t lines[TRAM_LANGID_MAX_LABELS];
  int cur;
  int pass;       /* 1: words, 2: n-grams */
  bool tail_only; /* -T */
  wmap words;
  const wmap *vocab; /* pass 2 with -T: the kept words */
  line *held;
  size_t nheld, capheld;
  line *train;
  size_t ntrain, captrain;
} trainer;

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "langid_train: %s%s%s\n", msg, arg ? ": " : "",
          arg ? arg : "");
  exit(2);
}

static void push_line(line **v, size_t *n, size_t *cap, line l) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 1024;
    *v = realloc(*v, *cap * sizeof **v);
    if (!*v)
      die("out of memory", NULL);
  }
  (*v)[(*n)++] = l;
}

static text slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot open", path);
  text t = {NULL, 0};
  size_t cap = 0;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (t.len + n + 1 > cap) {
      cap = (t.len + n + 1) * 2;
      t.data = realloc(t.data, cap);
      if (!t.data)
        die("out of memory", NULL);
    }
    memcpy(t.data + t.len, buf, n);
    t.len += n;
  }
  fclose(f);
  if (!t.data)
    t.data = calloc(1, 1);
  return t;
}

static void wmap_init(wmap *m, size_t cap, size_t nl) {
  m->cap = cap;
  m->used = 0;
  m->nl = nl;
  m->keys = calloc(cap, sizeof *m->keys);
  m->counts = calloc(cap * nl, sizeof *m->counts);
  if (!m->keys || !m->counts)
    die("out of memory", NULL);
}

/* The slot of key: its own, or the empty one where it would go. */
static size_t wmap_slot(const wmap *m, uint32_t key) {
  size_t i = (key * 0x9E3779B1u) & (m->cap - 1);
  while (m->keys[i] && m->keys[i] != key)
    i = (i + 1) & (m->cap - 1);
  return i;
}

static float *wmap_add(wmap *m, uint32_t key) {
  size_t i = wmap_slot(m, key);
  if (!m->keys[i]) {
    if (2 * (m->used + 1) > m->cap) {
      wmap bigger;
      wmap_init(&bigger, m->cap * 2, m->nl);
      for (size_t k = 0; k < m->cap; k++)
        if (m->keys[k]) {
          size_t j = wmap_slot(&bigger, m->keys[k]);
          bigger.keys[j] = m->keys[k];
          memcpy(bigger.counts + j * m->nl, m->counts + k * m->nl,
                 m->nl * sizeof(float));
          bigger.used++;
        }
      free(m->keys);
      free(m->counts);
      *m = bigger;
      i = wmap_slot(m, key);
    }
    m->keys[i] = key;
    m->used++;
  }
  return m->counts + i * m->nl;
}

static bool wmap_has(const wmap *m, uint32_t key) {
  return m->keys[wmap_slot(m, key)] == key;
}

static int count_word(void *ctx, const uint32_t *w, size_t n, int name) {
  trainer *tr = ctx;
  double f = name ? tr->name_weight : 1.0;
  uint32_t key = tram__langid_word_key(&tr->p, w, n);
  if (tr->pass == 1) {
    wmap_add(&tr->words, key)[tr->cur] += (float)f;
    tr->wtotal[tr->cur] += f;
    return 0;
  }
  if (tr->tail_only && wmap_has(tr->vocab, key))
    return 0;
  uint32_t b[TRAM_LANGID_NGRAMS_MAX];
  size_t k = tram__langid_ngrams(&tr->p, w, n, b);
  for (size_t q = 0; q < k; q++)
    tr->counts[(size_t)b[q] * tr->nl + (size_t)tr->cur] += (float)f;
  tr->total[tr->cur] += f * (double)k;
  return 0;
}

static int label_index(trainer *tr, const char *code, size_t n) {
  if (n < 2 || n > 7)
    die("bad label", code);
  for (size_t i = 0; i < tr->nl; i++)
    if (strlen(tr->codes[i]) == n && memcmp(tr->codes[i], code, n) == 0)
      return (int)i;
  if (tr->nl == TRAM_LANGID_MAX_LABELS)
    die("too many labels", code);
  memcpy(tr->codes[tr->nl], code, n);
  tr->codes[tr->nl][n] = 0;
  return (int)tr->nl++;
}

/* Splits the lines of one file; every `every`-th line is held out. */
static void read_file(trainer *tr, int label, text t, bool conllu,
                      unsigned every) {
  const char *s = t.data, *end = t.data + t.len;
  size_t k = 0;
  while (s < end) {
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    const char *e = nl ? nl : end;
    const char *b = s;
    s = nl ? nl + 1 : end;
    if (conllu) {
      if ((size_t)(e - b) < 9 || memcmp(b, "# text = ", 9) != 0)
        continue;
      b += 9;
    }
    if (e == b)
      continue;
    line L = {b, (size_t)(e - b), label};
    if (every && ++k % every == 0)
      push_line(&tr->held, &tr->nheld, &tr->capheld, L);
    else
      push_line(&tr->train, &tr->ntrain, &tr->captrain, L);
  }
}

static void count_lines(trainer *tr, int pass) {
  tr->pass = pass;
  for (size_t i = 0; i < tr->ntrain; i++) {
    tr->cur = tr->train[i].label;
    tram__langid_words(tr->train[i].s, tr->train[i].n, count_word, tr);
    if (pass == 1)
      tr->lines[tr->cur]++;
  }
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void putf32(unsigned char *p, float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  put32(p, u);
}

static void seal(unsigned char *b, size_t len) {
  static const unsigned char zero[4] = {0, 0, 0, 0};
  uint32_t crc = tram__crc32(0, b, 12);
  crc = tram__crc32(crc, zero, 4);
  crc = tram__crc32(crc, b + 16, len - 16);
  put32(b + 12, crc);
}

/* Length in bytes of the first `words` words of s[0..n) (whitespace). */
static size_t first_words(const char *s, size_t n, int words) {
  size_t i = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  for (int w = 0; w < words && i < n; w++) {
    while (i < n && s[i] != ' ' && s[i] != '\t')
      i++;
    if (w + 1 < words)
      while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
  }
  return i;
}

/* Quantises centred log-probabilities log((n + alpha) / den[c]) of one row
 * into out. */
static void quantise(const float *cnt, size_t nl, double alpha,
                     const double *logden, double clip, signed char *out) {
  double w[TRAM_LANGID_MAX_LABELS], mean = 0;
  for (size_t c = 0; c < nl; c++) {
    w[c] = log(cnt[c] + alpha) - logden[c];
    mean += w[c];
  }
  mean /= (double)nl;
  for (size_t c = 0; c < nl; c++) {
    double v = w[c] - mean;
    v = v > clip ? clip : v < -clip ? -clip : v;
    double q = round(v / clip * 127.0);
    out[c] = (signed char)q;
  }
}

typedef struct ranked {
  uint32_t key;
  float total;
  size_t slot;
} ranked;

static int by_total(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->total != y->total)
    return x->total < y->total ? 1 : -1;
  return x->key < y->key ? -1 : x->key > y->key;
}

int main(int argc, char **argv) {
  trainer tr;
  memset(&tr, 0, sizeof tr);
  tr.p = (tram_langid_params){18, 0x7a6d7572u, 1, 5, TRAM_LANGID_WORDS};
  double alpha = 0.05, clip = 8, walpha = 0.1, wclip = 10, mincount = 3,
         nfactor = 0.1, kfactor = 0;
  unsigned wbits = 17;
  tr.name_weight = 0.25;
  unsigned every = 40;
  bool whole_only = false;
  const char *out = NULL, *prov = "", *priors = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *o = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(o, "-W")) {
      tr.p.flags &= ~TRAM_LANGID_WORDS;
      continue;
    }
    if (!strcmp(o, "-T")) {
      tr.tail_only = true;
      continue;
    }
    if (!strcmp(o, "-F")) {
      whole_only = true;
      continue;
    }
    if (!v)
      die("missing value of", o);
    i++;
    if (!strcmp(o, "-o"))
      out = v;
    else if (!strcmp(o, "-b"))
      tr.p.bits = (unsigned)atoi(v);
    else if (!strcmp(o, "-B"))
      wbits = (unsigned)atoi(v);
    else if (!strcmp(o, "-a"))
      alpha = atof(v);
    else if (!strcmp(o, "-A"))
      walpha = atof(v);
    else if (!strcmp(o, "-m"))
      mincount = atof(v);
    else if (!strcmp(o, "-g"))
      nfactor = atof(v);
    else if (!strcmp(o, "-k"))
      kfactor = atof(v);
    else if (!strcmp(o, "-P"))
      priors = v;
    else if (!strcmp(o, "-N"))
      tr.name_weight = atof(v);
    else if (!strcmp(o, "-c"))
      clip = atof(v);
    else if (!strcmp(o, "-C"))
      wclip = atof(v);
    else if (!strcmp(o, "-s"))
      tr.p.seed = (uint32_t)strtoul(v, NULL, 0);
    else if (!strcmp(o, "-H"))
      every = (unsigned)atoi(v);
    else if (!strcmp(o, "-p"))
      prov = v;
    else if (!strcmp(o, "-n")) {
      if (sscanf(v, "%u:%u", &tr.p.min_order, &tr.p.max_order) != 2)
        die("bad -n", v);
    } else
      die("unknown option", o);
  }
  if (!out || i >= argc || tr.p.bits < 8 || tr.p.bits > 24 || wbits < 4 ||
      wbits > 24 || tr.p.min_order < 1 || tr.p.max_order < tr.p.min_order ||
      tr.p.max_order > 8 || !(alpha > 0) || !(clip > 0) || !(walpha > 0) ||
      !(wclip > 0) || !(nfactor > 0 && nfactor <= 1) ||
      !(kfactor >= 0 && kfactor <= 1))
    die("usage: langid_train -o OUT [-b BITS] [-B WBITS] [-a ALPHA] "
        "[-A WALPHA] [-c CLIP] [-C WCLIP] [-m MINCOUNT] [-g NFACTOR] [-k "
        "KFACTOR] [-T] "
        "[-s SEED] [-n MIN:MAX] [-N NAMEW] [-P PRIORS] [-W] [-H EVERY] "
        "[-p TEXT] LABEL=FILE ...",
        NULL);
  /* First pass over the arguments to fix the label order. */
  for (int k = i; k < argc; k++) {
    const char *eq = strchr(argv[k], '=');
    if (!eq)
      die("expected LABEL=FILE", argv[k]);
    label_index(&tr, argv[k], (size_t)(eq - argv[k]));
  }
  size_t buckets = (size_t)1 << tr.p.bits, nl = tr.nl;
  size_t wslots = (size_t)1 << wbits;
  tr.counts = calloc(buckets * nl, sizeof *tr.counts);
  text *texts = calloc((size_t)argc, sizeof *texts);
  if (!tr.counts || !texts)
    die("out of memory", NULL);
  wmap_init(&tr.words, 1 << 16, nl);
  for (int k = i; k < argc; k++) {
    const char *eq = strchr(argv[k], '=');
    int label = label_index(&tr, argv[k], (size_t)(eq - argv[k]));
    texts[k] = slurp(eq + 1);
    size_t pl = strlen(eq + 1);
    bool conllu = pl > 7 && !strcmp(eq + 1 + pl - 7, ".conllu");
    read_file(&tr, label, texts[k], conllu, every);
  }
  count_lines(&tr, 1);

  /* The word table: the most frequent words seen MINCOUNT times. */
  ranked *rk = malloc(tr.words.used * sizeof *rk);
  size_t nr = 0;
  if (!rk && tr.words.used)
    die("out of memory", NULL);
  for (size_t k = 0; k < tr.words.cap; k++) {
    if (!tr.words.keys[k])
      continue;
    float t = 0;
    for (size_t c = 0; c < nl; c++)
      t += tr.words.counts[k * nl + c];
    if (t >= mincount)
      rk[nr++] = (ranked){tr.words.keys[k], t, k};
  }
  qsort(rk, nr, sizeof *rk, by_total);
  size_t keep = nr < wslots * 7 / 10 ? nr : wslots * 7 / 10;
  wmap vocab;
  wmap_init(&vocab, 1 << 4, 1);
  for (size_t k = 0; k < keep; k++)
    wmap_add(&vocab, rk[k].key);
  tr.vocab = &vocab;
  count_lines(&tr, 2);
  for (size_t c = 0; c < nl; c++)
    fprintf(stderr, "%s: %zu lines, %.0f words, %.0f n-grams\n", tr.codes[c],
            tr.lines[c], tr.wtotal[c], tr.total[c]);
  fprintf(stderr, "%zu distinct words, %zu seen %g times, %zu kept\n",
          tr.words.used, nr, mincount, keep);

  /* Section layout. */
  size_t plen = strlen(prov);
  size_t toff = (TRAM_LANGID_HEADER + 12 * nl + plen + 7) / 8 * 8;
  size_t stride = TRAM_LANGID_STRIDE(nl);
  size_t woff = toff + buckets * stride;
  size_t wslot = 8 + stride; /* key, 4 zero bytes, weights */
  size_t len = woff + wslots * wslot;
  unsigned char *b = calloc(len, 1);
  if (!b)
    die("out of memory", NULL);
  double prior[TRAM_LANGID_MAX_LABELS], bias[TRAM_LANGID_MAX_LABELS];
  double psum = 0;
  for (size_t c = 0; c < nl; c++) {
    prior[c] = 1;
    for (const char *q = priors; q && *q;) {
      size_t cl = strlen(tr.codes[c]);
      if (!strncmp(q, tr.codes[c], cl) && q[cl] == '=')
        prior[c] = atof(q + cl + 1);
      q = strchr(q, ',');
      q = q ? q + 1 : NULL;
    }
    if (!(prior[c] > 0))
      die("bad prior", tr.codes[c]);
    psum += prior[c];
  }
  for (size_t c = 0; c < nl; c++)
    bias[c] = log(prior[c] / psum);
  /* N-gram weights. */
  double logden[TRAM_LANGID_MAX_LABELS];
  for (size_t c = 0; c < nl; c++)
    logden[c] = log(tr.total[c] + alpha * (double)buckets);
  signed char *table = (signed char *)(b + toff);
  for (size_t k = 0; k < buckets; k++)
    quantise(tr.counts + k * nl, nl, alpha, logden, clip, table + k * stride);
  /* Word table: home slot = top bits of the key, linear probing. */
  for (size_t c = 0; c < nl; c++)
    logden[c] = log(tr.wtotal[c] + walpha * (double)tr.words.used);
  unsigned char *wt = b + woff;
  uint32_t probe = 0;
  for (size_t k = 0; k < keep; k++) {
    uint32_t key = rk[k].key;
    size_t s = key >> (32 - wbits), d = 0;
    while (wt[s * wslot] | wt[s * wslot + 1] | wt[s * wslot + 2] |
           wt[s * wslot + 3]) {
      s = (s + 1) & (wslots - 1);
      d++;
    }
    probe = d > probe ? (uint32_t)d : probe;
    put32(wt + s * wslot, key);
    quantise(tr.words.counts + rk[k].slot * nl, nl, walpha, logden, wclip,
             (signed char *)(wt + s * wslot + 8));
  }
  memcpy(b, TRAM_LANGID_MAGIC, 8);
  b[8] = TRAM_LANGID_MAJOR;
  b[10] = TRAM_LANGID_MINOR;
  put32(b + 16, (uint32_t)len);
  put32(b + 20, (uint32_t)nl);
  put32(b + 24, tr.p.bits);
  put32(b + 28, tr.p.seed);
  b[32] = (unsigned char)tr.p.min_order;
  b[33] = (unsigned char)tr.p.max_order;
  b[34] = (unsigned char)tr.p.flags;
  putf32(b + 36, (float)(clip / 127.0));
  putf32(b + 40, 1.0f);
  put32(b + 44, (uint32_t)plen);
  put32(b + 48, (uint32_t)toff);
  putf32(b + 52, (float)tr.name_weight);
  put32(b + 56, wbits);
  put32(b + 60, (uint32_t)woff);
  putf32(b + 64, (float)(wclip / 127.0));
  putf32(b + 68, (float)nfactor);
  put32(b + 72, probe);
  putf32(b + 76, (float)kfactor);
  for (size_t c = 0; c < nl; c++) {
    memcpy(b + TRAM_LANGID_HEADER + 8 * c, tr.codes[c], 8);
    putf32(b + TRAM_LANGID_HEADER + 8 * nl + 4 * c, (float)bias[c]);
  }
  memcpy(b + TRAM_LANGID_HEADER + 12 * nl, prov, plen);
  seal(b, len);

  /* Held-out scores, then the temperature. */
  tram_langid *li;
  tram_error err;
  if (tram__langid_load(b, len, &li, &err))
    die("cannot reload the model", err.message);
  int langs[TRAM_LANGID_MAX_LABELS];
  tram__langid_labels(li, NULL, langs);
  static const int cuts[] = {0, 1, 2, 5};
  size_t ncut = sizeof cuts / sizeof cuts[0];
  double *sc = malloc(tr.nheld * ncut * nl * sizeof *sc);
  size_t right[TRAM_LANGID_MAX_LABELS][4] = {{0}};
  size_t seen[TRAM_LANGID_MAX_LABELS] = {0};
  if (!sc && tr.nheld)
    die("out of memory", NULL);
  for (size_t h = 0; h < tr.nheld; h++) {
    line *L = &tr.held[h];
    seen[L->label]++;
    for (size_t u = 0; u < ncut; u++) {
      size_t n = cuts[u] ? first_words(L->s, L->n, cuts[u]) : L->n;
      double *s = sc + (h * ncut + u) * nl;
      tram__langid_scores(li, L->s, n, s);
      size_t best = 0;
      for (size_t c = 1; c < nl; c++)
        if (s[c] > s[best])
          best = c;
      if (langs[best] == langs[L->label])
        right[L->label][u]++;
    }
  }
  double best_t = 1, best_loss = INFINITY;
  for (double t = 0.05; t <= 64; t *= 1.05) {
    double loss = 0;
    for (size_t h = 0; h < tr.nheld * ncut; h++) {
      if (whole_only && h % ncut)
        continue;
      const double *s = sc + h * nl;
      double top = s[0];
      for (size_t c = 1; c < nl; c++)
        top = s[c] > top ? s[c] : top;
      double z = 0, pt = 0;
      int truth = langs[tr.held[h / ncut].label];
      for (size_t c = 0; c < nl; c++) {
        double e = exp((s[c] - top) / t);
        z += e;
        if (langs[c] == truth)
          pt += e;
      }
      loss -= log(pt / z + 1e-12);
    }
    if (loss < best_loss) {
      best_loss = loss;
      best_t = t;
    }
  }
  tram__langid_free(li);
  putf32(b + 40, (float)best_t);
  seal(b, len);
  fprintf(stderr, "held-out accuracy (full / 1 / 2 / 5 words):\n");
  for (size_t c = 0; c < nl; c++)
    fprintf(stderr, "  %s %5zu lines  %.4f %.4f %.4f %.4f\n", tr.codes[c],
            seen[c], seen[c] ? (double)right[c][0] / (double)seen[c] : 0,
            seen[c] ? (double)right[c][1] / (double)seen[c] : 0,
            seen[c] ? (double)right[c][2] / (double)seen[c] : 0,
            seen[c] ? (double)right[c][3] / (double)seen[c] : 0);
  fprintf(stderr,
          "temperature %.3f (mean log-loss %.4f), longest probe %u, %zu "
          "bytes\n",
          best_t, tr.nheld ? best_loss / (double)(tr.nheld * ncut) : 0, probe,
          len);

  FILE *f = fopen(out, "wb");
  if (!f || fwrite(b, 1, len, f) != len || fclose(f) != 0)
    die("cannot write", out);
  for (int k = i; k < argc; k++)
    free(texts[k].data);
  free(texts);
  free(sc);
  free(b);
  free(rk);
  free(tr.counts);
  free(tr.words.keys);
  free(tr.words.counts);
  free(vocab.keys);
  free(vocab.counts);
  free(tr.held);
  free(tr.train);
  return 0;
}
