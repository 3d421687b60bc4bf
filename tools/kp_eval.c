/*
 * kp_eval.c — keyphrase evaluation and theme inspection.
 *
 *   kp_eval eval DIR LANG [dev|test|all] [p1,p2,…]
 *       DIR holds docsutf8/<id>.txt and keys/<id>.key (the layout of
 *       ../shared/data/keyphrase). Documents are sorted by file name; "dev"
 *       is every even position (0, 2, 4, …), "test" every odd one. Prints
 *       precision / recall / F1 at 5 and 10, macro-averaged over documents,
 *       for three rankers over the same candidates (themes/keyphrase.c):
 *         tramuntana   the library's ranking (optionally with the scoring
 *                      constants p1,p2,… of tram_kp_params, for tuning),
 *         FirstPhrases maximal candidates in order of first appearance,
 *         TF-IDF       tf(c) · ln(N / df(c)), df counted over all
 *                      documents of DIR (the same collection).
 *       Matching follows the usual protocol (Kim et al. 2010; pke): each
 *       word of a predicted or gold phrase is lower-cased and Snowball
 *       stemmed (the library's own tokens and stems), and a prediction is
 *       correct when its stem sequence equals a gold one. Gold phrases are
 *       deduplicated after stemming and all of them count, including those
 *       absent from the text. C0 control bytes (PDF-extraction residue) are
 *       replaced by spaces before analysis.
 *   kp_eval themes FILE [LANG]   every theme found, with raw evidence.
 *   kp_eval kp FILE [LANG]       the top 20 keyphrases with statistics.
 *   kp_eval bench LANG=FILE…     the cost of the themes stage: documents
 *       separated by blank lines (bench/make_corpus.py's corpus) analysed
 *       with the default options and with TRAM_OPT_NO_THEMES, interleaved
 *       for 5 rounds; prints the median CPU times and the share of themes.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "themes/keyphrase.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (!b || fread(b, 1, (size_t)n, f) != (size_t)n) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  b[n] = 0;
  *len = (size_t)n;
  for (long i = 0; i < n; i++)
    if ((unsigned char)b[i] < 32 && b[i] != '\n' && b[i] != '\t' &&
        b[i] != '\r')
      b[i] = ' ';
  return b;
}

/* Stem sequence of a phrase: stems (or norms) of its word and number
 * tokens, space-separated, in a malloc'd string. */
static char *stem_seq(tram_analyzer *an, const char *s) {
  while (!strncmp(s, "\xEF\xBB\xBF", 3)) /* BOM */
    s += 3;
  tram_doc *d;
  if (tram_analyze(an, s, strlen(s), &d))
    return NULL;
  size_t n;
  const tram_token *t = tram_doc_tokens(d, &n);
  size_t cap = 1;
  for (size_t i = 0; i < n; i++)
    cap += strlen(t[i].norm) + 1;
  char *out = malloc(cap);
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    if (t[i].kind == TRAM_KIND_PUNCT || t[i].kind == TRAM_KIND_SYMBOL)
      continue;
    if (out[0])
      strcat(out, " ");
    strcat(out, t[i].stem && t[i].stem[0] ? t[i].stem : t[i].norm);
  }
  tram_doc_free(d);
  return out;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct doc_cands {
  tram_kp_set set;
  tram_doc *doc; /* kept: candidate texts are read from it */
  char **gold;
  size_t ngold;
} doc_cands;

typedef struct score {
  double p[2], r[2], f[2]; /* @5, @10 sums */
} score;

static void eval_list(tram_analyzer *an, const doc_cands *d,
                      const char *const *pred, size_t npred, score *sc) {
  static const size_t ks[2] = {5, 10};
  char **ps = calloc(npred + 1, sizeof *ps);
  for (size_t i = 0; i < npred; i++)
    ps[i] = stem_seq(an, pred[i]);
  if (getenv("KP_DEBUG")) {
    for (size_t i = 0; i < npred; i++) {
      bool hit = false;
      for (size_t g = 0; g < d->ngold; g++)
        hit |= !strcmp(ps[i], d->gold[g]);
      fprintf(stderr, "%s%s | ", hit ? "+" : "", pred[i]);
    }
    fprintf(stderr, "\n");
  }
  for (int k = 0; k < 2; k++) {
    size_t m = npred < ks[k] ? npred : ks[k], hit = 0;
    for (size_t i = 0; i < m; i++) {
      bool dup = false;
      for (size_t j = 0; j < i; j++)
        dup |= strcmp(ps[i], ps[j]) == 0;
      if (dup)
        continue;
      for (size_t g = 0; g < d->ngold; g++)
        if (strcmp(ps[i], d->gold[g]) == 0) {
          hit++;
          break;
        }
    }
    double p = m ? (double)hit / (double)m : 0;
    double r = d->ngold ? (double)hit / (double)d->ngold : 0;
    sc->p[k] += p;
    sc->r[k] += r;
    sc->f[k] += p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  for (size_t i = 0; i < npred; i++)
    free(ps[i]);
  free(ps);
}

static int by_first(const void *a, const void *b) {
  const tram_kp_cand *x = *(tram_kp_cand *const *)a;
  const tram_kp_cand *y = *(tram_kp_cand *const *)b;
  return x->first < y->first ? -1 : x->first > y->first;
}

static int by_score_desc(const void *a, const void *b) {
  double x = ((const double *)a)[0], y = ((const double *)b)[0];
  return x < y ? 1 : x > y ? -1 : 0;
}

static void print_row(const char *name, const char *split, const char *m,
                      const score *s, size_t n) {
  printf("| %s | %s | %zu | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n",
         name, split, n, m, s->p[0] / n, s->r[0] / n, s->f[0] / n, s->p[1] / n,
         s->r[1] / n, s->f[1] / n);
}

static int cmd_eval(int argc, char **argv) {
  if (argc < 4)
    return 2;
  const char *dir = argv[2];
  int lang = tram_lang_from_code(argv[3]);
  const char *split = argc > 4 ? argv[4] : "all";
  tram_kp_params prm;
  tram__kp_params_default(&prm);
  if (argc > 5) {
    double *f = &prm.tf_exp;
    char *s = argv[5];
    for (int i = 0; i < 8 && *s; i++) {
      f[i] = strtod(s, &s);
      if (*s == ',')
        s++;
    }
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/docsutf8", dir);
  DIR *dd = opendir(path);
  if (!dd) {
    fprintf(stderr, "kp_eval: cannot open %s\n", path);
    return 1;
  }
  char **names = NULL;
  size_t nn = 0;
  struct dirent *e;
  while ((e = readdir(dd))) {
    size_t l = strlen(e->d_name);
    if (l > 4 && !strcmp(e->d_name + l - 4, ".txt")) {
      names = realloc(names, (nn + 1) * sizeof *names);
      names[nn] = malloc(l - 3);
      memcpy(names[nn], e->d_name, l - 4);
      names[nn++][l - 4] = 0;
    }
  }
  closedir(dd);
  qsort(names, nn, sizeof *names, cmpstr);
  tram_model *m;
  if (tram_model_new_default(&m))
    return 1;
  tram_options o = TRAM_OPTIONS_INIT;
  o.lang = lang;
  o.flags = TRAM_OPT_NO_THEMES | TRAM_OPT_NO_ENTITIES;
  tram_analyzer *an;
  if (tram_analyzer_new(m, &o, &an))
    return 1;
  doc_cands *docs = calloc(nn, sizeof *docs);
  tram_map *df = tram__map_new();
  for (size_t i = 0; i < nn; i++) {
    size_t len;
    snprintf(path, sizeof path, "%s/docsutf8/%s.txt", dir, names[i]);
    char *text = slurp(path, &len);
    tram_doc *d;
    if (!text || tram_analyze(an, text, len, &d)) {
      fprintf(stderr, "kp_eval: cannot analyse %s\n", path);
      return 1;
    }
    tram__kp_set_init(&docs[i].set);
    tram__kp_collect(m->taxonomy, d, &docs[i].set);
    for (size_t c = 0; c < docs[i].set.cands.len; c++) {
      tram_kp_cand *k = TRAM_VEC_AT(&docs[i].set.cands, tram_kp_cand, c);
      const char *key = tram__kp_key(&docs[i].set, k);
      ++*tram__map_slot(df, key, strlen(key), true);
    }
    docs[i].doc = d;
    free(text);
    snprintf(path, sizeof path, "%s/keys/%s.key", dir, names[i]);
    char *keys = slurp(path, &len);
    for (char *line = keys ? strtok(keys, "\n") : NULL; line;
         line = strtok(NULL, "\n")) {
      char *st = stem_seq(an, line);
      if (!st || !st[0]) {
        free(st);
        continue;
      }
      bool dup = false;
      for (size_t g = 0; g < docs[i].ngold; g++)
        dup |= !strcmp(docs[i].gold[g], st);
      if (dup) {
        free(st);
        continue;
      }
      docs[i].gold =
          realloc(docs[i].gold, (docs[i].ngold + 1) * sizeof(char *));
      docs[i].gold[docs[i].ngold++] = st;
    }
    free(keys);
  }
  score sys, first, tfidf;
  memset(&sys, 0, sizeof sys);
  memset(&first, 0, sizeof first);
  memset(&tfidf, 0, sizeof tfidf);
  size_t used = 0;
  const char **pred = malloc(10 * sizeof *pred);
  for (size_t i = 0; i < nn; i++) {
    if ((!strcmp(split, "dev") && i % 2) ||
        (!strcmp(split, "test") && !(i % 2)))
      continue;
    used++;
    tram_kp_set *s = &docs[i].set;
    size_t nc = s->cands.len;
    /* FirstPhrases. */
    tram_kp_cand **byf = malloc((nc + 1) * sizeof *byf);
    size_t nf = 0;
    for (size_t c = 0; c < nc; c++) {
      tram_kp_cand *k = TRAM_VEC_AT(&s->cands, tram_kp_cand, c);
      if (k->maximal)
        byf[nf++] = k;
    }
    qsort(byf, nf, sizeof *byf, by_first);
    size_t np = 0;
    for (size_t c = 0; c < nf && np < 10; c++)
      pred[np++] = tram__kp_text(s, byf[c]);
    eval_list(an, &docs[i], pred, np, &first);
    free(byf);
    /* TF-IDF. */
    double *ti = malloc((nc + 1) * 2 * sizeof *ti);
    for (size_t c = 0; c < nc; c++) {
      tram_kp_cand *k = TRAM_VEC_AT(&s->cands, tram_kp_cand, c);
      uintptr_t v = 1;
      const char *key = tram__kp_key(s, k);
      tram__map_get(df, key, strlen(key), &v);
      ti[2 * c] = k->count * log((double)nn / (double)v);
      ti[2 * c + 1] = (double)c;
    }
    qsort(ti, nc, 2 * sizeof *ti, by_score_desc);
    np = 0;
    for (size_t c = 0; c < nc && np < 10; c++)
      pred[np++] = tram__kp_text(
          s, TRAM_VEC_AT(&s->cands, tram_kp_cand, (size_t)ti[2 * c + 1]));
    eval_list(an, &docs[i], pred, np, &tfidf);
    free(ti);
    /* The library's ranking. */
    tram__kp_score(s, &prm, 0);
    uint32_t sel[10];
    size_t ns = tram__kp_select(s, 10, sel);
    for (np = 0; np < ns; np++)
      pred[np] =
          tram__kp_text(s, TRAM_VEC_AT(&s->cands, tram_kp_cand, sel[np]));
    eval_list(an, &docs[i], pred, np, &sys);
  }
  const char *name = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
  if (!*name) /* trailing slash */
    name = dir;
  print_row(name, split, "FirstPhrases", &first, used);
  print_row(name, split, "TF-IDF", &tfidf, used);
  print_row(name, split, "tramuntana", &sys, used);
  for (size_t i = 0; i < nn; i++) {
    tram__kp_set_free(&docs[i].set);
    tram_doc_free(docs[i].doc);
    for (size_t g = 0; g < docs[i].ngold; g++)
      free(docs[i].gold[g]);
    free(docs[i].gold);
    free(names[i]);
  }
  free(pred);
  free(docs);
  free(names);
  tram__map_free(df);
  tram_analyzer_free(an);
  tram_model_free(m);
  return 0;
}

static int cmd_show(int argc, char **argv, bool themes) {
  if (argc < 3)
    return 2;
  size_t len;
  char *text = slurp(argv[2], &len);
  if (!text) {
    fprintf(stderr, "kp_eval: cannot read %s\n", argv[2]);
    return 1;
  }
  tram_options o = TRAM_OPTIONS_INIT;
  o.lang = argc > 3 ? tram_lang_from_code(argv[3]) : TRAM_LANG_AUTO;
  o.max_themes = 100;
  o.max_keyphrases = 20;
  o.flags = TRAM_OPT_NO_ENTITIES;
  tram_doc *d;
  if (tram_analyze_text(text, len, &o, &d))
    return 1;
  if (themes) {
    size_t n, ne;
    const tram_theme *t = tram_doc_themes(d, &n);
    const tram_evidence *ev = tram_doc_evidence(d, &ne);
    for (size_t i = 0; i < n; i++) {
      printf("%-32s %.3f ", t[i].id, t[i].score);
      for (uint32_t k = 0; k < t[i].evidence_count; k++)
        printf("%s%s", k ? ", " : "", ev[t[i].evidence_first + k].term);
      printf("\n");
    }
  } else {
    size_t n;
    const tram_keyphrase *k = tram_doc_keyphrases(d, &n);
    for (size_t i = 0; i < n; i++)
      printf("%8.3f %3u  %s\n", k[i].score, k[i].count, k[i].text);
  }
  tram_doc_free(d);
  free(text);
  return 0;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int cmd_bench(int argc, char **argv) {
  if (argc < 3)
    return 2;
  tram_model *m;
  if (tram_model_new_default(&m))
    return 1;
  enum { ROUNDS = 5 };
  double t[2][ROUNDS] = {{0}};
  size_t bytes = 0;
  for (int r = 0; r < ROUNDS; r++)
    for (int mode = 0; mode < 2; mode++)
      for (int a = 2; a < argc; a++) {
        char *eq = strchr(argv[a], '=');
        if (!eq)
          return 2;
        *eq = 0;
        size_t len;
        char *text = slurp(eq + 1, &len);
        tram_options o = TRAM_OPTIONS_INIT;
        o.lang = tram_lang_from_code(argv[a]);
        *eq = '=';
        if (!text)
          return 1;
        o.flags = mode ? TRAM_OPT_NO_THEMES : 0;
        tram_analyzer *an;
        if (tram_analyzer_new(m, &o, &an))
          return 1;
        double t0 = now();
        for (char *p = text; *p;) {
          char *e = strstr(p, "\n\n");
          size_t n = e ? (size_t)(e - p) : strlen(p);
          tram_doc *d;
          if (tram_analyze(an, p, n, &d) == TRAM_OK)
            tram_doc_free(d);
          if (!r && !mode)
            bytes += n;
          p += n;
          while (*p == '\n')
            p++;
        }
        t[mode][r] += now() - t0;
        tram_analyzer_free(an);
        free(text);
      }
  qsort(t[0], ROUNDS, sizeof(double), cmp_double);
  qsort(t[1], ROUNDS, sizeof(double), cmp_double);
  double full = t[0][ROUNDS / 2], off = t[1][ROUNDS / 2];
  printf("| %.1f MB | full %.2f s | without themes %.2f s | themes + "
         "keyphrases %.1f%% of the pipeline (%.1f%% added) |\n",
         bytes / 1e6, full, off, 100 * (full - off) / full,
         100 * (full - off) / off);
  tram_model_free(m);
  return 0;
}

int main(int argc, char **argv) {
  int rc = 2;
  if (argc > 1 && !strcmp(argv[1], "eval"))
    rc = cmd_eval(argc, argv);
  else if (argc > 1 && !strcmp(argv[1], "themes"))
    rc = cmd_show(argc, argv, true);
  else if (argc > 1 && !strcmp(argv[1], "kp"))
    rc = cmd_show(argc, argv, false);
  else if (argc > 1 && !strcmp(argv[1], "bench"))
    rc = cmd_bench(argc, argv);
  if (rc == 2)
    fprintf(stderr, "usage: kp_eval eval DIR LANG [dev|test|all] [params]\n"
                    "       kp_eval themes|kp FILE [LANG]\n"
                    "       kp_eval bench LANG=FILE...\n");
  return rc;
}
