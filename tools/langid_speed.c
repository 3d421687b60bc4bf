/*
 * langid_speed.c — what language identification adds to tokenise + stem.
 *
 *   langid_speed [--rounds N] [--model PATH] LANG=FILE ...
 *
 * Each FILE holds documents separated by a blank line (the bench corpus of
 * bench/make_corpus.py). Every document is analysed with entities and
 * themes off (tokens, norms, stop flags, stems), once with the file's
 * language fixed and once with lang=auto (one analyzer per file in both
 * modes, see below; the document classified from its first 256 bytes, then
 * every sentence). The two modes alternate for N rounds
 * (default 5) on the same analyzers; the median CPU time of each is
 * reported, with the overhead of auto in per cent, plus the cost of the
 * classifier alone as lang=auto calls it (lib/api.c): the first 256 bytes
 * of each document, then each sentence of 15 characters or more (the sentences
 * the fixed-language analysis found), read until the sentence margin of
 * langid.h, and the decision. The difference of two whole analyses is
 * noisy on a shared machine; the classifier-alone time over the
 * fixed-language time is the steadier figure of the same cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "langid.h"

typedef struct doc {
  const char *s;
  size_t n;
  int lang;
} doc;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 20, n = 0, k;
  char *d = malloc(cap);
  while (d && (k = fread(d + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap)
      d = realloc(d, cap *= 2);
  }
  fclose(f);
  *len = n;
  return d;
}

static double cpu(void) { return (double)clock() / CLOCKS_PER_SEC; }

static int by_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int rounds = 5, a = 1;
  const char *model_path = NULL; /* default: the embedded model */
  while (a + 1 < argc && argv[a][0] == '-') {
    if (!strcmp(argv[a], "--rounds"))
      rounds = atoi(argv[a + 1]);
    else if (!strcmp(argv[a], "--model"))
      model_path = argv[a + 1];
    else
      break;
    a += 2;
  }
  if (a >= argc || rounds < 1 || rounds > 99) {
    fprintf(stderr,
            "usage: langid_speed [--rounds N] [--model PATH] LANG=FILE ...\n");
    return 2;
  }
  doc *docs = NULL;
  size_t nd = 0, cap = 0, bytes = 0;
  for (; a < argc; a++) {
    char *eq = strchr(argv[a], '=');
    if (!eq) {
      fprintf(stderr, "langid_speed: expected LANG=FILE: %s\n", argv[a]);
      return 2;
    }
    *eq = 0;
    int lang = tram_lang_from_code(argv[a]);
    size_t len;
    char *d = slurp(eq + 1, &len);
    if (!d || lang <= TRAM_LANG_AUTO) {
      fprintf(stderr, "langid_speed: cannot read %s\n", eq + 1);
      return 1;
    }
    for (size_t i = 0; i < len;) {
      const char *e = strstr(d + i, "\n\n");
      size_t j = e && (size_t)(e - d) < len ? (size_t)(e - d) : len;
      if (j > i) {
        if (nd == cap)
          docs = realloc(docs, (cap = cap ? 2 * cap : 1024) * sizeof *docs);
        docs[nd++] = (doc){d + i, j - i, lang};
        bytes += j - i;
      }
      i = j + 2;
    }
  }
  tram_model *m;
  tram_error err;
  if ((model_path ? tram_model_load(model_path, &m, &err)
                  : tram_model_new_default(&m)) ||
      !m->langid) {
    fprintf(stderr, "langid_speed: no model with a classifier\n");
    return 1;
  }
  /* One lang=auto analyzer per file language too: an analyzer's word and
   * stem caches stay warm for the language it reads, and one analyzer
   * reading the three files in turn would pay for that in auto mode only
   * (its caches refilled by each language), which is not identification. */
  tram_analyzer *fixed[TRAM_LANG_COUNT] = {0}, *autoan[TRAM_LANG_COUNT] = {0};
  tram_options o;
  tram_options_init(&o);
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++)
    if (tram_analyzer_new(m, &o, &autoan[l]))
      return 1;
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++) {
    o.lang = l;
    if (tram_analyzer_new(m, &o, &fixed[l]))
      return 1;
  }
  int langs[TRAM_LANGID_MAX_LABELS];
  size_t nlabels = tram__langid_labels(m->langid, NULL, langs);
  double t_fixed[99], t_auto[99], t_bare[99];
  size_t agree = 0;
  /* The sentences of each document (byte spans), from the fixed analysis. */
  size_t *sent_off = NULL, nsent = 0, capsent = 0;
  size_t *doc_first = malloc((nd + 1) * sizeof *doc_first);
  if (!doc_first)
    return 1;
  for (size_t i = 0; i < nd; i++) {
    tram_doc *d;
    if (tram_analyze(fixed[docs[i].lang], docs[i].s, docs[i].n, &d))
      return 1;
    size_t ns;
    const tram_sentence *ss = tram_doc_sentences(d, &ns);
    doc_first[i] = nsent;
    for (size_t k = 0; k < ns; k++) {
      if (ss[k].cend - ss[k].cstart < 15)
        continue;
      if (nsent + 2 > capsent) {
        capsent = capsent ? 2 * capsent : 1 << 16;
        sent_off = realloc(sent_off, capsent * sizeof *sent_off);
        if (!sent_off)
          return 1;
      }
      sent_off[nsent++] = ss[k].start;
      sent_off[nsent++] = ss[k].end;
    }
    tram_doc_free(d);
  }
  doc_first[nd] = nsent;
  for (int r = 0; r < rounds; r++) {
    for (int mode = 0; mode < 3; mode++) {
      double t0 = cpu();
      for (size_t i = 0; i < nd; i++) {
        if (mode == 2) {
          int l;
          double c, ev[TRAM_LANGID_MAX_LABELS];
          size_t pre = docs[i].n < 256 ? docs[i].n : 256;
          size_t w =
              tram__langid_evidence(m->langid, docs[i].s, pre,
                                    2 * TRAM_LANGID_SENTENCE_MARGIN, NULL, ev);
          tram__langid_decide(m->langid, ev, w, &l, &c);
          double prior[TRAM_LANGID_MAX_LABELS];
          for (size_t q = 0; q < nlabels; q++)
            prior[q] = langs[q] == l ? TRAM_LANGID_DOC_PRIOR : 0;
          for (size_t k = doc_first[i]; k < doc_first[i + 1]; k += 2) {
            size_t n =
                tram__langid_evidence(m->langid, docs[i].s + sent_off[k],
                                      sent_off[k + 1] - sent_off[k],
                                      TRAM_LANGID_SENTENCE_MARGIN, prior, ev);
            tram__langid_decide(m->langid, ev, n, &l, &c);
          }
          continue;
        }
        tram_analyzer *an = mode ? autoan[docs[i].lang] : fixed[docs[i].lang];
        tram_doc *d;
        if (tram_analyze(an, docs[i].s, docs[i].n, &d)) {
          fprintf(stderr, "langid_speed: analysis failed\n");
          return 1;
        }
        if (mode == 1 && r == 0)
          agree += tram_doc_lang(d, NULL) == docs[i].lang;
        tram_doc_free(d);
      }
      double t = cpu() - t0;
      (mode == 0 ? t_fixed : mode == 1 ? t_auto : t_bare)[r] = t;
    }
  }
  qsort(t_fixed, (size_t)rounds, sizeof(double), by_double);
  qsort(t_auto, (size_t)rounds, sizeof(double), by_double);
  qsort(t_bare, (size_t)rounds, sizeof(double), by_double);
  double f = t_fixed[rounds / 2], au = t_auto[rounds / 2],
         b = t_bare[rounds / 2];
  printf("%zu documents, %.1f MB, median of %d rounds (CPU seconds)\n", nd,
         (double)bytes / 1e6, rounds);
  printf("tokenise+stem, language fixed: %.3f s (%.1f MB/s)\n", f,
         (double)bytes / 1e6 / f);
  printf("tokenise+stem, lang=auto:      %.3f s (%.1f MB/s)\n", au,
         (double)bytes / 1e6 / au);
  printf("identification overhead:       %+.1f%%\n", 100.0 * (au - f) / f);
  printf("classifier alone (%zu sentences): %.3f s = %.1f%% of "
         "tokenise+stem\n",
         nsent / 2, b, 100.0 * b / f);
  printf("document language = file's:    %.2f%%\n",
         100.0 * (double)agree / (double)nd);
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram_analyzer_free(fixed[l]);
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram_analyzer_free(autoan[l]);
  tram_model_free(m);
  free(docs);
  free(sent_off);
  free(doc_first);
  return 0;
}
