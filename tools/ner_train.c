/*
 * ner_train — trains one language's NER weights (averaged perceptron,
 * greedy two-pass decoding; lib/ner/tagger.c has the features) from
 * two-column IOB2 .conll files and writes a "ner/<code>" model section
 * (layout in lib/ner/ner.h).
 *
 *   ner_train --lang ca --out data/models/ner-ca.bin \
 *     --cues data/gazetteer/cues.tsv --gazetteer data/gazetteer/gazetteer.tsv \
 *     --provenance "corpora and licences" --epochs 12 --bits 18 \
 *     [--clusters PATHS.tsv] --dev DEV.conll[:M:A:B] TRAIN.conll[:M:A:B] ...
 *
 * FILE:M:A:B keeps the blocks of --block sentences whose index modulo M is
 * in [A, B) — a deterministic split of a file that has no official one.
 * Each epoch visits the training documents in a fixed shuffled order; the
 * weights of the epoch with the best dev F1 (averaged) are written. Both
 * decoding passes are trained: pass 1 without, pass 2 with the
 * document-label features computed from pass 1's output.
 *
 * --viterbi trains a first-order Viterbi labeller (structured perceptron,
 * one update per sentence; the label features see the previous label
 * only) in place of the greedy one.
 * --train-gaz K compiles a gazetteer from the training files' gold
 * entities and stores it in the model (marked after the other
 * gazetteers); in training, each document sees the gazetteer of the other
 * K-1 folds only (jackknife), so that the weights do not learn that every
 * name is listed.
 * --ext adds the extended feature templates (TRAM_NER_FSET_EXT; more
 * affixes, word and shape trigrams, character trigrams, wider cluster
 * window, neighbours' document labels).
 * --keep-spans flags the model TRAM_NER_FSET_KEEP_SPANS: the library
 * does not extend its ORG spans through capitalised runs afterwards
 * (tram__ner_refine; the dev figures follow the library).
 * --clusters reads word clusters in the Brown "paths" format
 * (bit-path<TAB>word<TAB>count; tools/ner_clusters.c writes it), stores
 * them in the model and gives the tokens their cluster-path features.
 */
#include <math.h>

#include "ner_common.h"

typedef struct trainer {
  uint32_t bits;
  uint64_t mask;
  size_t nw;
  float *w;     /* weights */
  double *u;    /* timestamped update sums, for averaging */
  double c;     /* update clock */
  uint8_t *cnt; /* occurrences per bucket (saturating), for the cut-off */
  unsigned cut; /* buckets seen fewer times are never updated */
  double noise; /* probability of a random previous label in training */
  uint64_t rng;
} trainer;

static void greedy_f(const float *w, uint64_t mask, tram_ner_tok *toks,
                     size_t n, bool pass2, uint8_t *out, const uint8_t *gold,
                     trainer *tr) {
  uint64_t f[TRAM_NER_MAX_FEATS];
  int prev = 0, prev2 = 0;
  for (size_t i = 0; i < n; i++) {
    if (toks[i].flags & TRAM_NER_F_START)
      prev = prev2 = 0;
    size_t k = tram__ner_features(toks, n, i, pass2, f);
    int hp = prev, hp2 = prev2;
    if (tr && tr->noise > 0) {
      /* history noise: the training-time history is nearly always right,
       * the test-time one is not; corrupt it now and then */
      tr->rng = tr->rng * 6364136223846793005ULL + 1442695040888963407ULL;
      if ((double)(tr->rng >> 11) / 9007199254740992.0 < tr->noise)
        hp = (int)((tr->rng >> 33) % TRAM_NER_NLABELS);
    }
    k += tram__ner_label_features(toks, i, hp, hp2, f + k);
    float s[TRAM_NER_NLABELS] = {0};
    for (size_t j = 0; j < k; j++) {
      const float *ww = w + (f[j] & mask) * TRAM_NER_NLABELS;
      for (int l = 0; l < TRAM_NER_NLABELS; l++)
        s[l] += ww[l];
    }
    int best = 0;
    float bs = -INFINITY;
    for (int l = 0; l < TRAM_NER_NLABELS; l++)
      if (tram__ner_allowed(prev, l) && s[l] > bs) {
        bs = s[l];
        best = l;
      }
    if (tr) {
      tr->c += 1;
      int g = gold[i];
      if (g != best) {
        for (size_t j = 0; j < k; j++) {
          if (tr->cnt && tr->cnt[f[j] & mask] < tr->cut)
            continue;
          size_t b = (size_t)(f[j] & mask) * TRAM_NER_NLABELS;
          tr->w[b + g] += 1;
          tr->u[b + g] += tr->c;
          tr->w[b + best] -= 1;
          tr->u[b + best] -= tr->c;
        }
      }
    }
    out[i] = (uint8_t)best;
    prev2 = prev;
    prev = best;
  }
}

static inline void upd(trainer *tr, const uint64_t *f, size_t k, int l,
                       double d) {
  for (size_t j = 0; j < k; j++) {
    size_t b = (size_t)(f[j] & tr->mask) * TRAM_NER_NLABELS + (size_t)l;
    tr->w[b] += (float)d;
    tr->u[b] += d * tr->c;
  }
}

/* First-order Viterbi per sentence over the same features (the label
 * features see the previous label; the one before it is always O); with
 * `tr`, a structured-perceptron update (Collins 2002) when the best
 * sequence is not the gold one. */
static void viterbi_f(const float *w, uint64_t mask, tram_ner_tok *toks,
                      size_t n, bool pass2, uint8_t *out, const uint8_t *gold,
                      trainer *tr) {
  enum { L = TRAM_NER_NLABELS, LF = 4 };
  size_t s0 = 0;
  while (s0 < n) {
    size_t e = s0 + 1;
    while (e < n && !(toks[e].flags & TRAM_NER_F_START))
      e++;
    size_t m = e - s0;
    uint64_t(*fs)[TRAM_NER_MAX_FEATS] = malloc(m * sizeof *fs);
    size_t *ks = malloc(m * sizeof *ks);
    uint64_t(*fl)[L][LF] = malloc(m * sizeof *fl);
    float(*st)[L] = malloc(m * sizeof *st);
    float(*lab)[L][L] = malloc(m * sizeof *lab);
    float(*dl)[L] = malloc(m * sizeof *dl);
    uint8_t(*bp)[L] = malloc(m * sizeof *bp);
    for (size_t i = 0; i < m; i++) {
      ks[i] = tram__ner_features(toks, n, s0 + i, pass2, fs[i]);
      for (int l = 0; l < L; l++)
        st[i][l] = 0;
      for (size_t j = 0; j < ks[i]; j++) {
        const float *ww = w + (fs[i][j] & mask) * L;
        for (int l = 0; l < L; l++)
          st[i][l] += ww[l];
      }
      for (int p = 0; p < (i ? L : 1); p++) {
        tram__ner_label_features(toks, s0 + i, p, 0, fl[i][p]);
        for (int l = 0; l < L; l++)
          lab[i][p][l] = 0;
        for (size_t j = 0; j < LF; j++) {
          const float *ww = w + (fl[i][p][j] & mask) * L;
          for (int l = 0; l < L; l++)
            lab[i][p][l] += ww[l];
        }
      }
    }
    for (int l = 0; l < L; l++)
      dl[0][l] = tram__ner_allowed(0, l) ? st[0][l] + lab[0][0][l] : -INFINITY;
    for (size_t i = 1; i < m; i++)
      for (int l = 0; l < L; l++) {
        float best = -INFINITY;
        int arg = 0;
        for (int p = 0; p < L; p++) {
          if (!tram__ner_allowed(p, l) || dl[i - 1][p] == -INFINITY)
            continue;
          float v = dl[i - 1][p] + lab[i][p][l];
          if (v > best) {
            best = v;
            arg = p;
          }
        }
        dl[i][l] = best == -INFINITY ? best : best + st[i][l];
        bp[i][l] = (uint8_t)arg;
      }
    int cur = 0;
    for (int l = 1; l < L; l++)
      if (dl[m - 1][l] > dl[m - 1][cur])
        cur = l;
    for (size_t i = m; i-- > 0;) {
      out[s0 + i] = (uint8_t)cur;
      cur = i ? bp[i][cur] : 0;
    }
    if (tr) {
      tr->c += 1;
      bool same = true;
      for (size_t i = 0; i < m; i++)
        same = same && out[s0 + i] == gold[s0 + i];
      for (size_t i = 0; i < m && !same; i++) {
        int g = gold[s0 + i], p = out[s0 + i];
        int gp = i ? gold[s0 + i - 1] : 0, pp = i ? out[s0 + i - 1] : 0;
        if (g != p) {
          upd(tr, fs[i], ks[i], g, 1);
          upd(tr, fs[i], ks[i], p, -1);
        }
        if (g != p || gp != pp) {
          upd(tr, fl[i][gp], LF, g, 1);
          upd(tr, fl[i][pp], LF, p, -1);
        }
      }
    }
    free(fs);
    free(ks);
    free(fl);
    free(st);
    free(lab);
    free(dl);
    free(bp);
    s0 = e;
  }
}

static bool use_viterbi;

/* The decoder in use: greedy, or with --viterbi first-order Viterbi and
 * structured-perceptron updates (the model is flagged
 * TRAM_NER_FSET_VITERBI and the library decodes it the same way). */
static void decode_f(const float *w, uint64_t mask, tram_ner_tok *toks,
                     size_t n, bool pass2, uint8_t *out, const uint8_t *gold,
                     trainer *tr) {
  if (use_viterbi)
    viterbi_f(w, mask, toks, n, pass2, out, gold, tr);
  else
    greedy_f(w, mask, toks, n, pass2, out, gold, tr);
}

static void average(const trainer *tr, float *avg) {
  for (size_t i = 0; i < tr->nw; i++)
    avg[i] = (float)(tr->w[i] - tr->u[i] / tr->c);
}

static tram_ner_model clusters; /* cluster table and optional parts only */

static int prepare_set(const tram_ner_lex *lex, int lang, conll_set *s,
                       tram_buf **bufs) {
  *bufs = calloc(s->ndocs, sizeof **bufs);
  for (size_t d = 0; d < s->ndocs; d++) {
    tram__buf_init(&(*bufs)[d]);
    if (tram__ner_prepare(lex, NULL, lang, s->docs[d].toks, s->docs[d].n,
                          &(*bufs)[d]))
      return -1;
    tram__ner_clusters_apply(&clusters, s->docs[d].toks, s->docs[d].n);
  }
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gazetteer TSV ("name<TAB>type" lines) of the gold entities of docs[i]
 * for the i with i % k != skip (all of them when skip >= k): each name
 * once, with its commonest type (ties: the first in PER, LOC, ORG, MISC
 * order); names of more than 8 tokens are left out. Returns a malloc'd
 * string. */
static char *gold_gazetteer(conll_doc **docs, size_t ndocs, size_t k,
                            size_t skip) {
  static const char *const tn[] = {"PER", "LOC", "ORG", "MISC"};
  size_t cap = 1024, n = 0;
  char **e = malloc(cap * sizeof *e);
  for (size_t d = 0; d < ndocs; d++) {
    if (skip < k && d % k == skip)
      continue;
    conll_doc *doc = docs[d];
    for (size_t i = 0; i < doc->n;) {
      int g = doc->gold[i];
      if (!TRAM_NER_IS_B(g)) {
        i++;
        continue;
      }
      size_t j = i + 1;
      while (j < doc->n && doc->gold[j] == g + 1 &&
             !(doc->toks[j].flags & TRAM_NER_F_START))
        j++;
      if (j - i <= 8) {
        size_t len = 8;
        for (size_t t = i; t < j; t++)
          len += doc->toks[t].len + 1;
        char *s = malloc(len), *p = s;
        for (size_t t = i; t < j; t++) {
          if (t > i)
            *p++ = ' ';
          for (uint32_t c = 0; c < doc->toks[t].len; c++) {
            char ch = doc->toks[t].text[c];
            *p++ = ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch;
          }
        }
        *p++ = '\t';
        *p++ = (char)('0' + TRAM_NER_TYPE(g));
        *p = 0;
        if (n == cap)
          e = realloc(e, (cap *= 2) * sizeof *e);
        e[n++] = s;
      }
      i = j;
    }
  }
  qsort(e, n, sizeof *e, cmp_str);
  tram_buf out;
  tram__buf_init(&out);
  for (size_t i = 0; i < n;) {
    size_t nl = strchr(e[i], '\t') - e[i], j = i;
    unsigned cnt[4] = {0};
    while (j < n && !strncmp(e[j], e[i], nl) && e[j][nl] == '\t') {
      cnt[e[j][nl + 1] - '0']++;
      j++;
    }
    int best = 0;
    for (int t = 1; t < 4; t++)
      if (cnt[t] > cnt[best])
        best = t;
    if (e[i][0] != '#') {
      tram__buf_put(&out, e[i], nl + 1);
      tram__buf_put(&out, tn[best], strlen(tn[best]));
      tram__buf_putc(&out, '\n');
    }
    i = j;
  }
  for (size_t i = 0; i < n; i++)
    free(e[i]);
  free(e);
  tram__buf_putc(&out, 0);
  return out.data;
}

/* Reads a Brown "paths" file into the cluster table; returns the number of
 * words or -1. */
static long load_clusters(const char *path, uint32_t **tab, uint32_t *cbits) {
  size_t len;
  char *text = slurp_file(path, &len);
  if (!text) {
    fprintf(stderr, "cannot read %s\n", path);
    return -1;
  }
  size_t cap = 1024, n = 0;
  uint64_t *h = malloc(cap * sizeof *h);
  uint16_t *p = malloc(cap * sizeof *p);
  uint8_t *l = malloc(cap);
  tram_buf low;
  tram__buf_init(&low);
  for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
    char *t1 = strchr(line, '\t');
    char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (line[0] == '#' || !t1)
      continue;
    size_t wl = t2 ? (size_t)(t2 - t1 - 1) : strlen(t1 + 1);
    if (n == cap) {
      cap *= 2;
      h = realloc(h, cap * sizeof *h);
      p = realloc(p, cap * sizeof *p);
      l = realloc(l, cap);
    }
    low.len = 0;
    tram__ner_lower(t1 + 1, wl, &low);
    h[n] = tram__hash(low.data, low.len);
    uint16_t bits = 0;
    uint8_t k = 0;
    for (char *c = line; c < t1 && k < 16; c++)
      if (*c == '0' || *c == '1')
        bits |= (uint16_t)((*c == '1') << (15 - k++));
    p[n] = bits;
    l[n++] = k;
  }
  tram__buf_free(&low);
  free(text);
  if (tram__ner_clusters_build(h, p, l, n, tab, cbits))
    return -1;
  free(h);
  free(p);
  free(l);
  return (long)n;
}

static double evaluate(const float *w, uint64_t mask, conll_set *s,
                       ner_score *sc, ner_score *sc1) {
  memset(sc, 0, sizeof *sc);
  memset(sc1, 0, sizeof *sc1);
  for (size_t d = 0; d < s->ndocs; d++) {
    conll_doc *doc = &s->docs[d];
    uint8_t *pred = malloc(doc->n);
    decode_f(w, mask, doc->toks, doc->n, false, pred, NULL, NULL);
    score_add(sc1, doc->toks, doc->gold, pred, doc->n);
    tram__ner_doclab(doc->toks, doc->n, pred);
    decode_f(w, mask, doc->toks, doc->n, true, pred, NULL, NULL);
    if (!(clusters.fset & TRAM_NER_FSET_KEEP_SPANS))
      tram__ner_refine(doc->toks, doc->n, pred); /* as the library does */
    score_add(sc, doc->toks, doc->gold, pred, doc->n);
    free(pred);
  }
  return score_overall(sc);
}

static int read_spec(const char *spec, size_t block, conll_set *s) {
  char path[4096];
  size_t m = 0, a = 0, b = 0;
  snprintf(path, sizeof path, "%s", spec);
  char *colon = strchr(path, ':');
  if (colon) {
    *colon = 0;
    if (sscanf(colon + 1, "%zu:%zu:%zu", &m, &a, &b) != 3) {
      fprintf(stderr, "bad split spec %s\n", spec);
      return -1;
    }
  }
  return conll_read(path, block, s, m, a, b);
}

static int load_lex(tram_ner_lex *lex, const char *cues, const char *gaz) {
  size_t len, bad = 0;
  if (cues) {
    char *t = slurp_file(cues, &len);
    if (!t || tram__ner_lex_add_cues(lex, t, len, &bad)) {
      fprintf(stderr, "bad cue file %s (line %zu)\n", cues, bad);
      return -1;
    }
    free(t);
  }
  if (gaz) {
    char *t = slurp_file(gaz, &len);
    if (!t || tram__ner_lex_add_gazetteer(lex, t, len, &bad)) {
      fprintf(stderr, "bad gazetteer %s (line %zu)\n", gaz, bad);
      return -1;
    }
    free(t);
  }
  return 0;
}

int main(int argc, char **argv) {
  const char *lang_code = NULL, *out = NULL, *cues = NULL, *gaz = NULL;
  const char *prov = "unknown", *dev = NULL, *cl_path = NULL;
  size_t train_gaz = 0; /* --train-gaz K: jackknife folds */
  unsigned epochs = 12, bits = 18, seed = 1, cut = 1;
  double noise = 0;
  bool last = false; /* write the last epoch, the dev set only reports */
  size_t block = 20;
  const char *train[64];
  size_t ntrain = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--lang") && v)
      lang_code = argv[++i];
    else if (!strcmp(a, "--out") && v)
      out = argv[++i];
    else if (!strcmp(a, "--cues") && v)
      cues = argv[++i];
    else if (!strcmp(a, "--gazetteer") && v)
      gaz = argv[++i];
    else if (!strcmp(a, "--provenance") && v)
      prov = argv[++i];
    else if (!strcmp(a, "--viterbi"))
      use_viterbi = true;
    else if (!strcmp(a, "--ext"))
      clusters.fset |= TRAM_NER_FSET_EXT;
    else if (!strcmp(a, "--keep-spans"))
      clusters.fset |= TRAM_NER_FSET_KEEP_SPANS;
    else if (!strcmp(a, "--train-gaz") && v)
      train_gaz = (size_t)atoi(argv[++i]);
    else if (!strcmp(a, "--clusters") && v)
      cl_path = argv[++i];
    else if (!strcmp(a, "--dev") && v)
      dev = argv[++i];
    else if (!strcmp(a, "--epochs") && v)
      epochs = (unsigned)atoi(argv[++i]);
    else if (!strcmp(a, "--bits") && v)
      bits = (unsigned)atoi(argv[++i]);
    else if (!strcmp(a, "--block") && v)
      block = (size_t)atoi(argv[++i]);
    else if (!strcmp(a, "--noise") && v)
      noise = atof(argv[++i]);
    else if (!strcmp(a, "--last"))
      last = true;
    else if (!strcmp(a, "--cut") && v)
      cut = (unsigned)atoi(argv[++i]);
    else if (!strcmp(a, "--seed") && v)
      seed = (unsigned)atoi(argv[++i]);
    else if (a[0] != '-' && ntrain < 64)
      train[ntrain++] = a;
    else {
      fprintf(stderr, "ner_train: bad argument %s\n", a);
      return 2;
    }
  }
  int lang = lang_code ? tram_lang_from_code(lang_code) : -1;
  if (lang <= 0 || !out || !ntrain || bits < 8 || bits > 24) {
    fprintf(stderr, "usage: ner_train --lang fr|es|ca --out FILE [--cues F] "
                    "[--gazetteer F] [--provenance S] [--dev F] [--epochs N] "
                    "[--bits B] [--block N] TRAIN.conll[:M:A:B]...\n");
    return 2;
  }
  tram_ner_lex lex = {0};
  if (load_lex(&lex, cues, gaz))
    return 1;
  uint32_t *cl_tab = NULL, cbits = 0;
  long cl_words = 0;
  if (cl_path) {
    cl_words = load_clusters(cl_path, &cl_tab, &cbits);
    if (cl_words < 0)
      return 1;
    clusters.cl = cl_tab;
    clusters.cl_mask = ((uint64_t)1 << cbits) - 1;
    clusters.cl_words = (uint32_t)cl_words;
  }
  /* Training documents from every file. */
  conll_set sets[64];
  size_t ndocs = 0, ntoks = 0;
  for (size_t i = 0; i < ntrain; i++) {
    if (read_spec(train[i], block, &sets[i]))
      return 1;
    ndocs += sets[i].ndocs;
    ntoks += sets[i].ntoks;
  }
  conll_doc **docs = malloc(ndocs * sizeof *docs);
  size_t k = 0;
  for (size_t i = 0; i < ntrain; i++) {
    tram_buf *bufs;
    if (prepare_set(&lex, lang, &sets[i], &bufs)) {
      fprintf(stderr, "out of memory\n");
      return 1;
    }
    for (size_t d = 0; d < sets[i].ndocs; d++)
      docs[k++] = &sets[i].docs[d];
  }
  conll_set devset = {0};
  if (dev) {
    tram_buf *bufs;
    if (read_spec(dev, block, &devset) ||
        prepare_set(&lex, lang, &devset, &bufs))
      return 1;
  }
  char *gaz_text = NULL;
  size_t gaz_names = 0;
  if (train_gaz) {
    size_t bad = 0;
    for (size_t f = 0; f < train_gaz; f++) {
      char *t = gold_gazetteer(docs, ndocs, train_gaz, f);
      tram_ner_lex fl = {0};
      if (tram__ner_lex_add_gazetteer(&fl, t, strlen(t), &bad)) {
        fprintf(stderr, "bad gold gazetteer line %zu\n", bad);
        return 1;
      }
      for (size_t d = f; d < ndocs; d += train_gaz)
        if (tram__ner_gazetteer_mark(&fl, docs[d]->toks, docs[d]->n))
          return 1;
      tram__ner_lex_free(&fl);
      free(t);
    }
    gaz_text = gold_gazetteer(docs, ndocs, train_gaz, train_gaz);
    for (const char *p = gaz_text; *p; p++)
      gaz_names += *p == '\n';
    tram_ner_lex fl = {0};
    if (tram__ner_lex_add_gazetteer(&fl, gaz_text, strlen(gaz_text), &bad))
      return 1;
    for (size_t d = 0; d < devset.ndocs; d++)
      if (tram__ner_gazetteer_mark(&fl, devset.docs[d].toks, devset.docs[d].n))
        return 1;
    tram__ner_lex_free(&fl);
  }
  fprintf(stderr, "ner_train %s: %zu documents, %zu tokens; dev %zu tokens\n",
          lang_code, ndocs, ntoks, devset.ntoks);
  trainer tr = {0};
  tr.bits = bits;
  tr.mask = ((uint64_t)1 << bits) - 1;
  tr.nw = ((size_t)1 << bits) * TRAM_NER_NLABELS;
  tr.w = calloc(tr.nw, sizeof(float));
  tr.u = calloc(tr.nw, sizeof(double));
  float *avg = calloc(tr.nw, sizeof(float));
  float *best = calloc(tr.nw, sizeof(float));
  if (!tr.w || !tr.u || !avg || !best) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  if (cut > 1) {
    /* feature cut-off: count each bucket's occurrences once (pass-2
     * features included, with the gold labels standing in for pass 1) */
    tr.cut = cut;
    tr.cnt = calloc((size_t)1 << bits, 1);
    uint64_t f[TRAM_NER_MAX_FEATS];
    for (size_t d = 0; d < ndocs; d++) {
      conll_doc *doc = docs[d];
      tram__ner_doclab(doc->toks, doc->n, doc->gold);
      for (size_t i = 0; i < doc->n; i++) {
        size_t nf = tram__ner_features(doc->toks, doc->n, i, true, f);
        int p = i ? doc->gold[i - 1] : 0, p2 = i > 1 ? doc->gold[i - 2] : 0;
        nf += tram__ner_label_features(doc->toks, i, p, p2, f + nf);
        for (size_t j = 0; j < nf; j++)
          if (tr.cnt[f[j] & tr.mask] < 255)
            tr.cnt[f[j] & tr.mask]++;
      }
    }
  }
  tr.noise = noise;
  tr.rng = seed;
  double best_f = -1;
  unsigned best_e = 0;
  uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (unsigned e = 1; e <= epochs; e++) {
    for (size_t i = ndocs; i > 1; i--) { /* Fisher–Yates, xorshift */
      rng ^= rng << 13;
      rng ^= rng >> 7;
      rng ^= rng << 17;
      size_t j = (size_t)(rng % i);
      conll_doc *t = docs[i - 1];
      docs[i - 1] = docs[j];
      docs[j] = t;
    }
    long err = 0;
    for (size_t d = 0; d < ndocs; d++) {
      conll_doc *doc = docs[d];
      uint8_t *pred = malloc(doc->n);
      decode_f(tr.w, tr.mask, doc->toks, doc->n, false, pred, doc->gold, &tr);
      tram__ner_doclab(doc->toks, doc->n, pred);
      decode_f(tr.w, tr.mask, doc->toks, doc->n, true, pred, doc->gold, &tr);
      for (size_t i = 0; i < doc->n; i++)
        err += pred[i] != doc->gold[i];
      free(pred);
    }
    average(&tr, avg);
    double f = -1;
    if (dev) {
      ner_score sc, sc1;
      f = evaluate(avg, tr.mask, &devset, &sc, &sc1);
      fprintf(stderr,
              "epoch %u: token errors %ld, dev F1 %.2f (ORG %.2f), "
              "pass 1 %.2f\n",
              e, err, f, f1of(sc.ok[2], sc.pred[2], sc.gold[2], NULL, NULL),
              score_overall(&sc1));
    } else {
      fprintf(stderr, "epoch %u: token errors %ld\n", e, err);
    }
    if (!dev || f > best_f || (last && e == epochs)) {
      best_f = f;
      best_e = e;
      memcpy(best, avg, tr.nw * sizeof(float));
    }
  }
  char full[8192];
  snprintf(full, sizeof full,
           "%s; trainer: ner_train, averaged perceptron, %u epochs (best %u, "
           "dev F1 %.2f), %s decoding%s, 2^%u buckets, block %zu, %ld word "
           "clusters, "
           "gazetteer of %zu gold names of the training files (jackknife "
           "%zu)",
           prov, epochs, best_e, best_f,
           use_viterbi ? "first-order Viterbi" : "greedy",
           clusters.fset & TRAM_NER_FSET_EXT ? ", extended templates" : "",
           bits, block, cl_words, gaz_names, train_gaz);
  tram_buf b;
  tram__buf_init(&b);
  if (tram__ner_model_write_ex(
          &b, lang, bits, best, cl_tab, cbits, (uint32_t)cl_words,
          (use_viterbi ? TRAM_NER_FSET_VITERBI : 0) | clusters.fset, gaz_text,
          full)) {
    fprintf(stderr, "out of memory\n");
    return 1;
  }
  FILE *f = fopen(out, "wb");
  if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f)) {
    fprintf(stderr, "cannot write %s\n", out);
    return 1;
  }
  fprintf(stderr, "wrote %s (%zu bytes), epoch %u\n", out, b.len, best_e);
  tram__buf_free(&b);
  return 0;
}
