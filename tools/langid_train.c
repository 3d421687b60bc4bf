/*
 * langid_train.c — trains the language-identification model of langid.c.
 *
 *   langid_train -o OUT [-b BITS] [-a ALPHA] [-c CLIP] [-s SEED] [-n MIN:MAX]
 *                [-N NAMEW] [-P PRIORS] [-W] [-H EVERY] [-p PROVENANCE]
 * LABEL=FILE ...
 *
 * Each LABEL=FILE gives running text of one label, one sentence or
 * paragraph per line (a .conllu file gives its "# text = " lines); a label
 * may have several files. LABEL is an ISO 639-1 code; codes that are not a
 * tram_lang (it, pt, en, …) are read as "other" by the library.
 *
 * Method (multinomial naive Bayes, see langid.c): every line's features
 * (langid.h) are counted per label in 2^BITS buckets (default 19); the
 * weight of bucket b for label c is log((n[b][c] + ALPHA) / (N[c] +
 * ALPHA·2^BITS)) (default ALPHA 0.05), centred over the labels, clipped to
 * ±CLIP nats (default 8) and quantised to a signed byte. The label biases
 * are the log-priors given by -P (e.g. "fr=4,es=4,ca=4,oc=2,en=1",
 * normalised; 1 for a label not named): the prior is what decides one- and
 * two-word inputs, so it encodes what the library expects to read.
 * Features of name-like words (langid.h) count NAMEW (default 0.25) in
 * training and weigh NAMEW in classification.
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

typedef struct trainer {
  tram_langid_params p;
  size_t nl;
  char codes[TRAM_LANGID_MAX_LABELS][8];
  float *counts; /* bucket × label */
  double name_weight;
  double total[TRAM_LANGID_MAX_LABELS];
  size_t lines[TRAM_LANGID_MAX_LABELS];
  int cur;
  line *held;
  size_t nheld, capheld;
  line *train; /* kept for the discriminative epochs */
  size_t ntrain, captrain;
} trainer;

static void die(const char *msg, const char *arg);

static void push_line(line **v, size_t *n, size_t *cap, line l) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 1024;
    *v = realloc(*v, *cap * sizeof **v);
    if (!*v)
      die("out of memory", NULL);
  }
  (*v)[(*n)++] = l;
}

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "langid_train: %s%s%s\n", msg, arg ? ": " : "",
          arg ? arg : "");
  exit(2);
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

static int count_feature(void *ctx, const uint32_t *b, size_t n, int name) {
  trainer *tr = ctx;
  double w = name ? tr->name_weight : 1.0;
  for (size_t k = 0; k < n; k++)
    tr->counts[(size_t)b[k] * tr->nl + (size_t)tr->cur] += (float)w;
  tr->total[tr->cur] += w * (double)n;
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

/* Counts the lines of one file; every `every`-th line is held out. */
static void learn_file(trainer *tr, int label, text t, bool conllu,
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
    if (every && ++k % every == 0) {
      push_line(&tr->held, &tr->nheld, &tr->capheld,
                (line){b, (size_t)(e - b), label});
      continue;
    }
    push_line(&tr->train, &tr->ntrain, &tr->captrain,
              (line){b, (size_t)(e - b), label});
    tr->cur = label;
    tram__langid_features(&tr->p, b, (size_t)(e - b), count_feature, tr);
    tr->lines[label]++;
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

typedef struct feats {
  uint32_t *b;
  unsigned char *name;
  size_t n, cap;
} feats;

static int collect(void *ctx, const uint32_t *b, size_t n, int name) {
  feats *f = ctx;
  for (size_t k = 0; k < n; k++) {
    if (f->n == f->cap) {
      f->cap = f->cap ? f->cap * 2 : 4096;
      f->b = realloc(f->b, f->cap * sizeof *f->b);
      f->name = realloc(f->name, f->cap);
      if (!f->b || !f->name)
        die("out of memory", NULL);
    }
    f->b[f->n] = b[k];
    f->name[f->n++] = (unsigned char)name;
  }
  return 0;
}

static uint64_t next_rand(uint64_t *x) {
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* Discriminative epochs: softmax regression by stochastic gradient descent
 * from the naive Bayes weights, on the training lines and on their first
 * one, two or five words (so that short inputs are learnt too). */
static void sgd(trainer *tr, float *W, const double *bias, unsigned epochs,
                double lr) {
  size_t nl = tr->nl;
  uint64_t rng = 0x9e3779b97f4a7c15ull;
  feats f = {NULL, NULL, 0, 0};
  size_t *order = malloc(tr->ntrain * sizeof *order);
  if (!order && tr->ntrain)
    die("out of memory", NULL);
  for (size_t i = 0; i < tr->ntrain; i++)
    order[i] = i;
  for (unsigned ep = 0; ep < epochs; ep++) {
    for (size_t i = tr->ntrain; i > 1; i--) {
      size_t j = next_rand(&rng) % i, t = order[i - 1];
      order[i - 1] = order[j];
      order[j] = t;
    }
    double rate = lr / (1.0 + ep), loss = 0;
    size_t wrong = 0;
    for (size_t k = 0; k < tr->ntrain; k++) {
      const line *L = &tr->train[order[k]];
      static const int cuts[] = {0, 0, 1, 2, 3, 5};
      int cw = cuts[next_rand(&rng) % 6];
      size_t n = cw ? first_words(L->s, L->n, cw) : L->n;
      f.n = 0;
      tram__langid_features(&tr->p, L->s, n, collect, &f);
      if (!f.n)
        continue;
      double sc[TRAM_LANGID_MAX_LABELS], top = -INFINITY, z = 0;
      for (size_t c = 0; c < nl; c++)
        sc[c] = bias[c];
      for (size_t q = 0; q < f.n; q++) {
        const float *row = W + (size_t)f.b[q] * nl;
        double w = f.name[q] ? tr->name_weight : 1.0;
        for (size_t c = 0; c < nl; c++)
          sc[c] += w * row[c];
      }
      size_t arg = 0;
      for (size_t c = 0; c < nl; c++)
        if (sc[c] > top) {
          top = sc[c];
          arg = c;
        }
      wrong += arg != (size_t)L->label;
      for (size_t c = 0; c < nl; c++)
        z += (sc[c] = exp(sc[c] - top));
      loss -= log(sc[L->label] / z + 1e-12);
      double g[TRAM_LANGID_MAX_LABELS];
      bool any = false;
      for (size_t c = 0; c < nl; c++) {
        g[c] = sc[c] / z - (c == (size_t)L->label);
        any |= fabs(g[c]) > 1e-4;
      }
      if (!any)
        continue;
      for (size_t q = 0; q < f.n; q++) {
        float *row = W + (size_t)f.b[q] * nl;
        double w = rate * (f.name[q] ? tr->name_weight : 1.0);
        for (size_t c = 0; c < nl; c++)
          row[c] -= (float)(w * g[c]);
      }
    }
    fprintf(stderr, "epoch %u: loss %.4f, training errors %.2f%%\n", ep + 1,
            loss / (double)tr->ntrain,
            100.0 * (double)wrong / (double)tr->ntrain);
  }
  free(order);
  free(f.b);
  free(f.name);
}

int main(int argc, char **argv) {
  trainer tr;
  memset(&tr, 0, sizeof tr);
  tr.p = (tram_langid_params){18, 0x7a6d7572u, 1, 5, TRAM_LANGID_WORDS};
  double alpha = 0.05, clip = 8, lr = 0.05;
  unsigned epochs = 0;
  tr.name_weight = 0.25;
  unsigned every = 40;
  const char *out = NULL, *prov = "", *priors = NULL;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; i++) {
    const char *o = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(o, "-W")) {
      tr.p.flags &= ~TRAM_LANGID_WORDS;
      continue;
    }
    if (!v)
      die("missing value of", o);
    i++;
    if (!strcmp(o, "-o"))
      out = v;
    else if (!strcmp(o, "-b"))
      tr.p.bits = (unsigned)atoi(v);
    else if (!strcmp(o, "-a"))
      alpha = atof(v);
    else if (!strcmp(o, "-E"))
      epochs = (unsigned)atoi(v);
    else if (!strcmp(o, "-L"))
      lr = atof(v);
    else if (!strcmp(o, "-P"))
      priors = v;
    else if (!strcmp(o, "-N"))
      tr.name_weight = atof(v);
    else if (!strcmp(o, "-c"))
      clip = atof(v);
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
  if (!out || i >= argc || tr.p.bits < 8 || tr.p.bits > 24 ||
      tr.p.min_order < 1 || tr.p.max_order < tr.p.min_order ||
      tr.p.max_order > 8 || !(alpha > 0) || !(clip > 0))
    die("usage: langid_train -o OUT [-b BITS] [-a ALPHA] [-c CLIP] "
        "[-s SEED] [-n MIN:MAX] [-N NAMEW] [-P PRIORS] [-W] [-H EVERY] [-p "
        "TEXT] "
        "LABEL=FILE ...",
        NULL);
  /* First pass over the arguments to fix the label order. */
  for (int k = i; k < argc; k++) {
    const char *eq = strchr(argv[k], '=');
    if (!eq)
      die("expected LABEL=FILE", argv[k]);
    label_index(&tr, argv[k], (size_t)(eq - argv[k]));
  }
  size_t buckets = (size_t)1 << tr.p.bits, nl = tr.nl;
  tr.counts = calloc(buckets * nl, sizeof *tr.counts);
  text *texts = calloc((size_t)argc, sizeof *texts);
  if (!tr.counts || !texts)
    die("out of memory", NULL);
  for (int k = i; k < argc; k++) {
    const char *eq = strchr(argv[k], '=');
    int label = label_index(&tr, argv[k], (size_t)(eq - argv[k]));
    texts[k] = slurp(eq + 1);
    size_t pl = strlen(eq + 1);
    bool conllu = pl > 7 && !strcmp(eq + 1 + pl - 7, ".conllu");
    learn_file(&tr, label, texts[k], conllu, every);
  }
  for (size_t c = 0; c < nl; c++)
    fprintf(stderr, "%s: %zu lines, %.0f features\n", tr.codes[c], tr.lines[c],
            tr.total[c]);

  /* Section layout. */
  size_t plen = strlen(prov);
  size_t toff = (TRAM_LANGID_HEADER + 12 * nl + plen + 7) / 8 * 8;
  size_t stride = TRAM_LANGID_STRIDE(nl);
  size_t len = toff + buckets * stride;
  unsigned char *b = calloc(len, 1);
  if (!b)
    die("out of memory", NULL);
  double scale = clip / 127.0;
  signed char *table = (signed char *)(b + toff);
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
  /* Naive Bayes weights, centred, in place of the counts. */
  float *W = tr.counts;
  double logden[TRAM_LANGID_MAX_LABELS];
  for (size_t c = 0; c < nl; c++)
    logden[c] = log(tr.total[c] + alpha * (double)buckets);
  for (size_t k = 0; k < buckets; k++) {
    double w[TRAM_LANGID_MAX_LABELS], mean = 0;
    for (size_t c = 0; c < nl; c++) {
      w[c] = log(W[k * nl + c] + alpha) - logden[c];
      mean += w[c];
    }
    mean /= (double)nl;
    for (size_t c = 0; c < nl; c++)
      W[k * nl + c] = (float)(w[c] - mean);
  }
  if (epochs)
    sgd(&tr, W, bias, epochs, lr);
  for (size_t k = 0; k < buckets; k++) {
    double mean = 0;
    for (size_t c = 0; c < nl; c++)
      mean += W[k * nl + c];
    mean /= (double)nl;
    for (size_t c = 0; c < nl; c++) {
      double q = round((W[k * nl + c] - mean) / scale);
      table[k * stride + c] = (signed char)(q > 127    ? 127
                                            : q < -127 ? -127
                                                       : q);
    }
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
  putf32(b + 36, (float)scale);
  putf32(b + 40, 1.0f);
  putf32(b + 52, (float)tr.name_weight);
  put32(b + 44, (uint32_t)plen);
  put32(b + 48, (uint32_t)toff);
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
  for (double t = 0.5; t <= 64; t *= 1.05) {
    double loss = 0;
    for (size_t h = 0; h < tr.nheld * ncut; h++) {
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
  fprintf(stderr, "temperature %.3f (mean log-loss %.4f), %zu bytes\n", best_t,
          tr.nheld ? best_loss / (double)(tr.nheld * ncut) : 0, len);

  FILE *f = fopen(out, "wb");
  if (!f || fwrite(b, 1, len, f) != len || fclose(f) != 0)
    die("cannot write", out);
  for (int k = i; k < argc; k++)
    free(texts[k].data);
  free(texts);
  free(sc);
  free(b);
  free(tr.counts);
  free(tr.held);
  free(tr.train);
  return 0;
}
