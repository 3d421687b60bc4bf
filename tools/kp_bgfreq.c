/*
 * kp_bgfreq.c — background document frequencies for keyphrase scoring.
 *
 *   kp_bgfreq LANG CORPUS.txt MIN_DF > data/keyphrase/LANG.df
 *
 * Each line of CORPUS is one document. Every line is analysed with the
 * library (fixed language, no entities or themes) and each distinct stem
 * of its word tokens counted once. Writes "__documents__<TAB>N" then
 * "stem<TAB>df" for stems with df >= MIN_DF, sorted by stem, so the output
 * is deterministic. keyphrase.c turns df into an inverse document
 * frequency: words common in general text weigh less than rare ones.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct entry {
  char *stem;
  unsigned long df;
  unsigned long last; /* last line counted */
} entry;

static int by_stem(const void *a, const void *b) {
  return strcmp(((const entry *)a)->stem, ((const entry *)b)->stem);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: kp_bgfreq LANG CORPUS MIN_DF\n");
    return 2;
  }
  int lang = tram_lang_from_code(argv[1]);
  unsigned long min_df = strtoul(argv[3], NULL, 10);
  FILE *f = fopen(argv[2], "rb");
  if (!f || lang <= 0) {
    fprintf(stderr, "kp_bgfreq: cannot open %s\n", argv[2]);
    return 1;
  }
  tram_options o = TRAM_OPTIONS_INIT;
  o.lang = lang;
  o.flags = TRAM_OPT_NO_THEMES | TRAM_OPT_NO_ENTITIES;
  tram_model *m;
  tram_analyzer *an;
  if (tram_model_new_default(&m) || tram_analyzer_new(m, &o, &an))
    return 1;
  tram_map *index = tram__map_new();
  entry *ents = NULL;
  size_t n = 0, cap = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  unsigned long lines = 0;
  while ((len = getline(&line, &lcap, f)) > 0) {
    lines++;
    tram_doc *d;
    if (tram_analyze(an, line, (size_t)len, &d))
      continue;
    size_t nt;
    const tram_token *t = tram_doc_tokens(d, &nt);
    for (size_t i = 0; i < nt; i++) {
      if (t[i].kind != TRAM_KIND_WORD || !t[i].stem[0])
        continue;
      uintptr_t *slot =
          tram__map_slot(index, t[i].stem, strlen(t[i].stem), true);
      if (!*slot) {
        if (n == cap) {
          cap = cap ? 2 * cap : 4096;
          ents = realloc(ents, cap * sizeof *ents);
        }
        ents[n].stem = strdup(t[i].stem);
        ents[n].df = 0;
        ents[n].last = 0;
        *slot = ++n;
      }
      entry *e = &ents[*slot - 1];
      if (e->last != lines) {
        e->df++;
        e->last = lines;
      }
    }
    tram_doc_free(d);
  }
  fclose(f);
  qsort(ents, n, sizeof *ents, by_stem);
  printf("__documents__\t%lu\n", lines);
  for (size_t i = 0; i < n; i++)
    if (ents[i].df >= min_df && !strchr(ents[i].stem, '\t'))
      printf("%s\t%lu\n", ents[i].stem, ents[i].df);
  free(line);
  tram__map_free(index);
  tram_analyzer_free(an);
  tram_model_free(m);
  return 0;
}
