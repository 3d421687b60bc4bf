/*
 * test_threads.c — one model shared by 8 threads, one analyzer per thread:
 * every thread analyses every document of a set of DOCS (1,000 by default:
 * slices of the bundled article and short fr/es/ca/mixed texts, some with
 * invalid UTF-8), each thread starting at a different place and with
 * different option sets, and every JSON output must be byte-identical to a
 * sequential run's. Threads also call tram_identify and read
 * tram_model_describe on the shared model, and free their docs in another
 * thread than the one that made them (a doc is read-only once returned).
 * The TSan build (make test-tsan) runs this test: a data race fails it.
 *
 * TRAM_THREAD_DOCS in the environment changes the number of documents
 * (the ASan build, TRAM_SANITIZED set, uses 250 to stay fast).
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tramuntana.h"

#define THREADS 8

static tram_model *model;
static char *article;
static size_t article_len;

typedef struct doc_in {
  char *text;
  size_t len;
  int opt; /* index into opt_sets */
  char *expect;
} doc_in;

static doc_in *docs;
static size_t ndocs;

static const struct {
  int lang;
  uint32_t flags;
} opt_sets[] = {
    {TRAM_LANG_AUTO, 0},
    {TRAM_LANG_FR, TRAM_OPT_FOLD_ACCENTS},
    {TRAM_LANG_CA, TRAM_OPT_NO_STEM},
    {TRAM_LANG_ES, TRAM_OPT_NO_ENTITIES},
};
#define NOPTS (sizeof opt_sets / sizeof opt_sets[0])

static const char *const snippets[] = {
    "L'Ajuntament de Girona i la Generalitat de Catalunya han signat un "
    "conveni. Digues-li-ho demà!",
    "El Sr. García vive en Madrid; dímelo pronto. La Universidad de "
    "Salamanca abrió sus puertas en 1218.",
    "Aujourd'hui, l'association compte 7 000 membres (12 %). Elle s'appelle "
    "« Coopérative des Pyrénées ».",
    "Col·lecció d'art del Museu Nacional: 3,5 milions de visitants al segle "
    "XXe. https://exemple.cat info@exemple.cat #art @museu",
    "Texte mixte. Esto es español. I això és català, oi? \xff\xfe\xc3 fin.",
};

static void make_docs(void) {
  const char *env = getenv("TRAM_THREAD_DOCS");
  ndocs = env ? (size_t)atol(env) : getenv("TRAM_SANITIZED") ? 250 : 1000;
  if (ndocs < 8)
    ndocs = 8;
  docs = calloc(ndocs, sizeof *docs);
  ck_assert_ptr_nonnull(docs);
  for (size_t i = 0; i < ndocs; i++) {
    doc_in *d = &docs[i];
    const char *snip = snippets[i % 5];
    size_t sl = strlen(snip);
    /* A slice of the article (varied start and length) plus a snippet. */
    size_t start = (i * 337) % (article_len - 600);
    size_t take = 80 + (i * 53) % 500;
    d->len = take + 1 + sl;
    d->text = malloc(d->len);
    ck_assert_ptr_nonnull(d->text);
    memcpy(d->text, article + start, take);
    d->text[take] = ' ';
    memcpy(d->text + take + 1, snip, sl);
    d->opt = (int)(i % NOPTS);
  }
}

static tram_analyzer *new_analyzer(int opt) {
  tram_options o;
  tram_options_init(&o);
  o.lang = opt_sets[opt].lang;
  o.flags = opt_sets[opt].flags;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(model, &o, &an), TRAM_OK);
  return an;
}

static char *json_of(tram_analyzer *an, const doc_in *d, tram_doc **keep) {
  tram_doc *doc;
  int rc = tram_analyze(an, d->text, d->len, &doc);
  if (rc != TRAM_OK)
    return NULL;
  char *out = NULL;
  if (tram_doc_write(doc, TRAM_FORMAT_JSON, &out, NULL) != TRAM_OK)
    out = NULL;
  if (keep)
    *keep = doc;
  else
    tram_doc_free(doc);
  return out;
}

static void setup(void) {
  ck_assert_int_eq(tram_model_new_default(&model), TRAM_OK);
  FILE *f = fopen(TRAM_SOURCE_DIR "/examples/mouves-euroregion-fr.txt", "rb");
  ck_assert_ptr_nonnull(f);
  article = malloc(1 << 20);
  article_len = fread(article, 1, 1 << 20, f);
  fclose(f);
  ck_assert_uint_gt(article_len, 1000);
  make_docs();
  /* The sequential reference, one analyzer per option set. */
  tram_analyzer *an[NOPTS];
  for (size_t k = 0; k < NOPTS; k++)
    an[k] = new_analyzer((int)k);
  for (size_t i = 0; i < ndocs; i++) {
    docs[i].expect = json_of(an[docs[i].opt], &docs[i], NULL);
    ck_assert_ptr_nonnull(docs[i].expect);
  }
  for (size_t k = 0; k < NOPTS; k++)
    tram_analyzer_free(an[k]);
}

static void teardown(void) {
  for (size_t i = 0; i < ndocs; i++) {
    free(docs[i].text);
    tram_free(docs[i].expect);
  }
  free(docs);
  free(article);
  tram_model_free(model);
}

typedef struct worker {
  int id;
  size_t mismatches, failures, done;
  size_t first_bad;
  tram_doc *handoff; /* a doc made here, freed by the next thread */
} worker;

static void *work(void *arg) {
  worker *w = arg;
  tram_analyzer *an[NOPTS] = {NULL};
  w->first_bad = SIZE_MAX;
  for (size_t k = 0; k < NOPTS; k++) {
    tram_options o;
    tram_options_init(&o);
    o.lang = opt_sets[k].lang;
    o.flags = opt_sets[k].flags;
    if (tram_analyzer_new(model, &o, &an[k]) != TRAM_OK) {
      w->failures++;
      goto out;
    }
  }
  for (size_t j = 0; j < ndocs; j++) {
    size_t i = (j + (size_t)w->id * ndocs / THREADS) % ndocs;
    const doc_in *d = &docs[i];
    tram_doc **keep = (j == ndocs / 2 && !w->handoff) ? &w->handoff : NULL;
    char *out = json_of(an[d->opt], d, keep);
    if (!out) {
      w->failures++;
      continue;
    }
    if (strcmp(out, d->expect) != 0) {
      if (w->mismatches++ == 0)
        w->first_bad = i;
    }
    tram_free(out);
    w->done++;
    if (j % 50 == 0) {
      int lang;
      double conf;
      if (tram_identify(model, d->text, d->len, &lang, &conf) != TRAM_OK)
        w->failures++;
      if (!strstr(tram_model_describe(model), "format:"))
        w->failures++;
    }
  }
out:
  for (size_t k = 0; k < NOPTS; k++)
    tram_analyzer_free(an[k]);
  return NULL;
}

START_TEST(shared_model_same_output) {
  pthread_t th[THREADS];
  worker w[THREADS];
  memset(w, 0, sizeof w);
  for (int t = 0; t < THREADS; t++) {
    w[t].id = t;
    ck_assert_int_eq(pthread_create(&th[t], NULL, work, &w[t]), 0);
  }
  for (int t = 0; t < THREADS; t++)
    ck_assert_int_eq(pthread_join(th[t], NULL), 0);
  size_t total = 0;
  for (int t = 0; t < THREADS; t++) {
    ck_assert_msg(w[t].failures == 0, "thread %d: %zu failed calls", t,
                  w[t].failures);
    ck_assert_msg(w[t].mismatches == 0,
                  "thread %d: %zu outputs differ from the sequential run "
                  "(first: document %zu)",
                  t, w[t].mismatches, w[t].first_bad);
    total += w[t].done;
  }
  ck_assert_uint_eq(total, (size_t)THREADS * ndocs);
  printf("threads: %d x %zu documents, all identical to the sequential run\n",
         THREADS, ndocs);
  /* Docs made in one thread, read and freed here (another thread). */
  for (int t = 0; t < THREADS; t++) {
    size_t n;
    ck_assert_ptr_nonnull(w[t].handoff);
    tram_doc_tokens(w[t].handoff, &n);
    ck_assert_uint_gt(n, 0);
    tram_doc_free(w[t].handoff);
  }
}
END_TEST

/* Many threads loading and freeing their own models at once (the loaders
 * must not share hidden state), and the one-shot call. */
static void *load_loop(void *arg) {
  int *bad = arg;
  for (int i = 0; i < 3; i++) {
    tram_model *m;
    if (tram_model_new_default(&m) != TRAM_OK) {
      (*bad)++;
      continue;
    }
    tram_analyzer *an;
    if (tram_analyzer_new(m, NULL, &an) == TRAM_OK) {
      tram_doc *doc;
      if (tram_analyze(an, "Bon dia a tothom. Hola.", 23, &doc) == TRAM_OK)
        tram_doc_free(doc);
      else
        (*bad)++;
      tram_analyzer_free(an);
    } else {
      (*bad)++;
    }
    tram_model_free(m);
  }
  tram_doc *doc;
  if (tram_analyze_text("Una frase.", 10, NULL, &doc) == TRAM_OK)
    tram_doc_free(doc);
  else
    (*bad)++;
  return NULL;
}

START_TEST(concurrent_model_loads) {
  pthread_t th[4];
  int bad[4] = {0};
  for (int t = 0; t < 4; t++)
    ck_assert_int_eq(pthread_create(&th[t], NULL, load_loop, &bad[t]), 0);
  for (int t = 0; t < 4; t++) {
    ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    ck_assert_int_eq(bad[t], 0);
  }
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("threads");
  TCase *tc = tcase_create("shared");
  tcase_add_unchecked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, shared_model_same_output);
  tcase_add_test(tc, concurrent_model_loads);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
