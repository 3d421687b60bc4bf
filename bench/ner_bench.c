/*
 * ner_bench — speed of the entities stage: model load time (embedded
 * default, which also parses the NER sections), then full-pipeline
 * throughput in words per second on one core with and without entities,
 * over a text file analysed repeatedly as one document per paragraph.
 *
 *   ner_bench [FILE] [--lang fr|es|ca] [--seconds S]
 *
 * Words = tokens of kind "word". Prints Markdown rows.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tramuntana.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID,
                &t); /* CPU time: the machine is shared */
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double run(tram_model *m, int lang, uint32_t flags, char **docs,
                  size_t *lens, size_t nd, double seconds, double *words) {
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = flags;
  tram_analyzer *an;
  if (tram_analyzer_new(m, &o, &an))
    exit(1);
  double t0 = now(), w = 0;
  size_t ents = 0;
  do {
    for (size_t d = 0; d < nd; d++) {
      tram_doc *doc;
      if (tram_analyze(an, docs[d], lens[d], &doc))
        exit(1);
      size_t n;
      const tram_token *t = tram_doc_tokens(doc, &n);
      for (size_t i = 0; i < n; i++)
        w += t[i].kind == TRAM_KIND_WORD;
      tram_doc_entities(doc, &n);
      ents += n;
      tram_doc_free(doc);
    }
  } while (now() - t0 < seconds);
  double el = now() - t0;
  tram_analyzer_free(an);
  *words = w;
  (void)ents;
  return w / el;
}

int main(int argc, char **argv) {
  const char *path = NULL;
  int lang = TRAM_LANG_AUTO;
  double seconds = 3;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--lang") && i + 1 < argc)
      lang = tram_lang_from_code(argv[++i]);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
      seconds = atof(argv[++i]);
    else
      path = argv[i];
  }
  /* model load */
  int reps = 20;
  double t0 = now();
  for (int i = 0; i < reps; i++) {
    tram_model *m;
    if (tram_model_new_default(&m))
      return 1;
    tram_model_free(m);
  }
  double load_ms = (now() - t0) / reps * 1000;
  printf("| measure | value |\n|---|---:|\n");
  printf("| default model load (ms, mean of %d) | %.1f |\n", reps, load_ms);
  if (!path)
    return 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return 1;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *text = malloc((size_t)n + 1);
  if (!text || fread(text, 1, (size_t)n, f) != (size_t)n)
    return 1;
  fclose(f);
  text[n] = 0;
  /* documents: blocks of about 4 KB cut at line ends */
  size_t cap = (size_t)n / 1024 + 2, nd = 0;
  char **docs = malloc(cap * sizeof *docs);
  size_t *lens = malloc(cap * sizeof *lens);
  for (long s = 0; s < n && nd < cap;) {
    long e = s + 4096 < n ? s + 4096 : n;
    while (e < n && text[e] != '\n')
      e++;
    docs[nd] = text + s;
    lens[nd++] = (size_t)(e - s);
    s = e + 1;
  }
  tram_model *m;
  if (tram_model_new_default(&m))
    return 1;
  double w;
  run(m, lang, 0, docs, lens, nd, seconds / 3, &w); /* warm-up */
  double with = run(m, lang, 0, docs, lens, nd, seconds, &w);
  double without =
      run(m, lang, TRAM_OPT_NO_ENTITIES, docs, lens, nd, seconds, &w);
  double alone = run(m, lang, TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES, docs,
                     lens, nd, seconds, &w);
  double nothemes =
      run(m, lang, TRAM_OPT_NO_THEMES, docs, lens, nd, seconds, &w);
  printf("| full pipeline, words/s | %.0f |\n", with);
  printf("| without entities, words/s | %.0f |\n", without);
  printf("| entities on, themes off, words/s | %.0f |\n", nothemes);
  printf("| entities and themes off, words/s | %.0f |\n", alone);
  printf("| entities stage alone, words/s (derived) | %.0f |\n",
         1.0 / (1.0 / nothemes - 1.0 / alone));
  tram_model_free(m);
  free(docs);
  free(lens);
  free(text);
  return 0;
}
