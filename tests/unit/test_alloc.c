/*
 * test_alloc.c — allocation-failure injection through every public path.
 *
 * tram__alloc_fail_at(n) makes the n-th allocation from now fail. Each test
 * here "walks" one operation: for n = 1, 2, … it fails the n-th allocation
 * and checks that the call returns TRAM_ENOMEM (or another documented
 * status) with its out-parameter NULL, that nothing crashed, and that the
 * same call made again without injection succeeds — for analysis, on the
 * same analyzer, with output identical to a clean run. The walk ends when
 * the operation makes fewer than n allocations, i.e. it succeeded with the
 * injection armed. The operations: the default model, a model from memory
 * and from a path, analyzers (default and with user abbreviations and stop
 * words), analysis of the bundled article, every writer, and the one-shot
 * call. Leaks: under the ASan build, each test ends with LeakSanitizer's
 * check, so a path that forgets to free on failure fails the test.
 *
 * Only the library's own allocations (tram__malloc/calloc/realloc) are
 * injected; ICU and libstemmer allocate with their own malloc and are not.
 *
 * Where each injected failure happened is recorded (weak hook
 * tram__alloc_fail_hook, backtrace()); with TRAM_ALLOC_SITES=1 in the
 * environment the test resolves the stacks with addr2line and prints the
 * distinct allocation sites (first frame outside lib/util/util.c) — the
 * figure the reliability report quotes. Walks longer than their maximum are
 * sampled evenly (every point of the first and last fifth kept) so the test
 * stays fast as the models grow; the test prints how many points it walked,
 * and TRAM_ALLOC_FULL=1 walks them all.
 */
#define _GNU_SOURCE
#include <check.h>
#include <execinfo.h>
#include <link.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model_bytes.h"
#include "tramuntana.h"
#include "util/util.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* Points walked per operation at most (sampled beyond): analysis and
 * writers are cheap per point; a model load costs milliseconds per point.
 * TRAM_ALLOC_FULL=1 in the environment walks every point. */
#define WALK_MAX 1500

/* A walk of the default model costs a load per point (tens of ms with the
 * trained models): sampled, fewer points in the sanitizer build. The walks
 * from memory and from a path use the small model (model_bytes.h). */
static long walk_max_model(void) { return getenv("TRAM_SANITIZED") ? 16 : 60; }
static long walk_max_small(void) { return getenv("TRAM_SANITIZED") ? 60 : 400; }

/* ------------------------------------------------- failure-site recording */

#define STACK_DEPTH 8
#define MAX_STACKS 4096

typedef struct stack {
  void *pc[STACK_DEPTH];
  int n;
} stack;

static stack stacks[MAX_STACKS];
static int nstacks;

void tram__alloc_fail_hook(void);
void tram__alloc_fail_hook(void) {
  void *pc[STACK_DEPTH + 1];
  int n = backtrace(pc, STACK_DEPTH + 1);
  if (n <= 1 || nstacks == MAX_STACKS)
    return;
  stack s;
  memset(&s, 0, sizeof s);
  s.n = n - 1; /* drop this hook's own frame */
  memcpy(s.pc, pc + 1, (size_t)s.n * sizeof *pc);
  for (int i = 0; i < nstacks; i++)
    if (stacks[i].n == s.n && memcmp(stacks[i].pc, s.pc, sizeof s.pc) == 0)
      return;
  stacks[nstacks++] = s;
}

static int first_object(struct dl_phdr_info *info, size_t size, void *ctx) {
  (void)size;
  *(uintptr_t *)ctx = info->dlpi_addr;
  return 1;
}

/* Resolves the recorded stacks and prints the distinct sites. */
static void print_sites(const char *what) {
  if (!getenv("TRAM_ALLOC_SITES") || nstacks == 0)
    return;
  uintptr_t base = 0;
  dl_iterate_phdr(first_object, &base);
  char path[] = "/tmp/tram-alloc-sites-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return;
  FILE *f = fdopen(fd, "w");
  for (int i = 0; i < nstacks; i++)
    for (int j = 0; j < STACK_DEPTH; j++)
      fprintf(f, "%#lx\n",
              j < stacks[i].n
                  ? (unsigned long)((uintptr_t)stacks[i].pc[j] - base - 1)
                  : 0ul);
  fclose(f);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "addr2line -e /proc/%ld/exe < %s", (long)getpid(),
           path);
  FILE *p = popen(cmd, "r");
  char(*sites)[160] = calloc(MAX_STACKS, sizeof *sites);
  int nsites = 0;
  char line[512];
  for (int i = 0; p && sites && i < nstacks; i++) {
    char pick[160] = "";
    for (int j = 0; j < STACK_DEPTH; j++) {
      if (!fgets(line, sizeof line, p))
        break;
      line[strcspn(line, " \n")] = 0;
      const char *lib = strstr(line, "/lib/");
      if (!pick[0] && lib && !strstr(line, "/lib/util/util.c"))
        snprintf(pick, sizeof pick, "%s", lib + 1);
    }
    if (!pick[0])
      continue;
    int k = 0;
    while (k < nsites && strcmp(sites[k], pick) != 0)
      k++;
    if (k == nsites)
      snprintf(sites[nsites++], sizeof sites[0], "%s", pick);
  }
  if (p)
    pclose(p);
  remove(path);
  printf("alloc sites (%s): %d distinct call stacks, %d distinct sites\n", what,
         nstacks, nsites);
  for (int k = 0; k < nsites; k++)
    printf("  %s\n", sites[k]);
  free(sites);
}

static void leak_check(void) {
#ifdef HAVE_LSAN
  ck_assert_msg(__lsan_do_recoverable_leak_check() == 0,
                "LeakSanitizer found leaks (see above)");
#endif
}

/* ------------------------------------------------------------ the walker */

/* Whether point n of total is walked when at most max points are. */
static bool sampled(long n, long total, long max) {
  if (getenv("TRAM_ALLOC_FULL") || total <= max)
    return true;
  long edge = max / 5;
  if (n <= edge || n > total - edge)
    return true;
  long step = (total - 2 * edge) / (max - 2 * edge) + 1;
  return (n - edge) % step == 0;
}

/* One operation under injection: returns its status; cleans up after
 * itself whatever the outcome; `ctx` is the walk's fixture. */
typedef int (*op_fn)(void *ctx);

/* Runs op once without injection and returns how many allocations it made. */
static long count_allocs(op_fn op, void *ctx) {
  tram__alloc_fail_at(0);
  ck_assert_int_eq(op(ctx), TRAM_OK);
  return tram__alloc_count();
}

/* Walks n = 1 … total (sampled when long). After each injected failure the
 * op must have returned TRAM_ENOMEM, and `again` (may be NULL) must succeed
 * without injection. Returns the number of points walked. */
static long walk(const char *what, op_fn op, op_fn again, void *ctx, long max) {
  long total = count_allocs(op, ctx);
  ck_assert_msg(total > 0, "%s allocates nothing?", what);
  long walked = 0;
  for (long n = 1; n <= total + 1; n++) {
    if (n <= total && !sampled(n, total, max))
      continue;
    tram__alloc_fail_at(n);
    int rc = op(ctx);
    long made = tram__alloc_count();
    tram__alloc_fail_at(0);
    walked++;
    if (made < n) {
      ck_assert_msg(rc == TRAM_OK, "%s: no injected failure but status %d",
                    what, rc);
      break;
    }
    ck_assert_msg(rc == TRAM_ENOMEM,
                  "%s: allocation %ld of %ld failed, status %d (%s), "
                  "expected TRAM_ENOMEM",
                  what, n, total, rc, tram_strerror(rc));
    if (again)
      ck_assert_msg(again(ctx) == TRAM_OK,
                    "%s: the call after failing allocation %ld failed", what,
                    n);
  }
  printf("%s: %ld allocations, %ld failure points walked\n", what, total,
         walked);
  print_sites(what);
  return walked;
}

/* ---------------------------------------------------------------- inputs */

static char *article;
static size_t article_len;

static void load_article(void) {
  FILE *f = fopen(TRAM_SOURCE_DIR "/examples/mouves-euroregion-fr.txt", "rb");
  ck_assert_ptr_nonnull(f);
  article = malloc(1 << 20);
  ck_assert_ptr_nonnull(article);
  article_len = fread(article, 1, 1 << 20, f);
  fclose(f);
  ck_assert_uint_gt(article_len, 1000);
}

/* ---------------------------------------------------------------- models */

typedef struct model_fx {
  const void *data;
  size_t len;
  const char *path;
  int kind; /* 0 default, 1 memory, 2 path */
} model_fx;

static int op_model(void *ctx) {
  model_fx *fx = ctx;
  tram_model *m = (tram_model *)fx;
  tram_error err;
  memset(&err, 0, sizeof err);
  int rc = fx->kind == 0   ? tram_model_new_default(&m)
           : fx->kind == 1 ? tram_model_load_memory(fx->data, fx->len, &m, &err)
                           : tram_model_load(fx->path, &m, &err);
  if (rc != TRAM_OK) {
    ck_assert_ptr_null(m);
    if (fx->kind != 0) {
      ck_assert_int_eq(err.status, rc);
      ck_assert_msg(err.message[0] != 0, "no error message");
    }
    return rc;
  }
  /* Using the model must work too. */
  int lang;
  ck_assert_int_eq(tram_identify(m, "bon dia", 7, &lang, NULL), TRAM_OK);
  tram_model_free(m);
  return rc;
}

START_TEST(model_default) {
  model_fx fx = {NULL, 0, NULL, 0};
  walk("model_new_default", op_model, op_model, &fx, walk_max_model());
  leak_check();
}
END_TEST

START_TEST(model_memory) {
  size_t len;
  unsigned char *small = small_model(&len);
  ck_assert_ptr_nonnull(small);
  model_fx fx = {small, len, NULL, 1};
  walk("model_load_memory(small)", op_model, op_model, &fx, walk_max_small());
  free(small);
  leak_check();
}
END_TEST

START_TEST(model_path) {
  char path[] = "/tmp/tram-alloc-model-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "wb");
  size_t len;
  unsigned char *small = small_model(&len);
  ck_assert_ptr_nonnull(small);
  ck_assert_uint_eq(fwrite(small, 1, len, f), len);
  fclose(f);
  free(small);
  model_fx fx = {NULL, 0, path, 2};
  walk("model_load(small)", op_model, op_model, &fx, walk_max_small());
  remove(path);
  leak_check();
}
END_TEST

/* ------------------------------------------------------------- analyzers */

typedef struct an_fx {
  tram_model *model;
  tram_options opts;
} an_fx;

static int op_analyzer(void *ctx) {
  an_fx *fx = ctx;
  tram_analyzer *an = (tram_analyzer *)fx;
  int rc = tram_analyzer_new(fx->model, &fx->opts, &an);
  if (rc != TRAM_OK) {
    ck_assert_ptr_null(an);
    return rc;
  }
  tram_doc *doc;
  /* A short analysis proves the analyzer is whole; the walk covers its
   * allocations too. */
  int arc = tram_analyze(an, "Bon dia. Hola.", 14, &doc);
  tram_doc_free(doc);
  tram_analyzer_free(an);
  return arc;
}

START_TEST(analyzer_default) {
  an_fx fx;
  ck_assert_int_eq(tram_model_new_default(&fx.model), TRAM_OK);
  tram_options_init(&fx.opts);
  walk("analyzer_new", op_analyzer, op_analyzer, &fx, WALK_MAX);
  tram_model_free(fx.model);
  leak_check();
}
END_TEST

START_TEST(analyzer_user_lists) {
  an_fx fx;
  ck_assert_int_eq(tram_model_new_default(&fx.model), TRAM_OK);
  tram_options_init(&fx.opts);
  fx.opts.lang = TRAM_LANG_CA;
  fx.opts.abbreviations = "Sr.\nnúm.\npàg.\nAv.\n";
  fx.opts.stopwords = "de\nla\nel\nles\nun\n";
  walk("analyzer_new+lists", op_analyzer, op_analyzer, &fx, WALK_MAX);
  tram_model_free(fx.model);
  leak_check();
}
END_TEST

/* -------------------------------------------------------------- analysis */

typedef struct doc_fx {
  tram_model *model;
  tram_options opts;
  tram_analyzer *an; /* made fresh (uninjected) before each injected call */
  char *expect;      /* JSON of a clean run */
  const char *text;
  size_t len;
} doc_fx;

static char *to_json(const tram_doc *doc) {
  char *out;
  ck_assert_int_eq(tram_doc_write(doc, TRAM_FORMAT_JSON, &out, NULL), TRAM_OK);
  return out;
}

/* Replaces fx->an with a fresh analyzer, made without injection (the walk
 * arms the injection after this returns). */
static void fresh_analyzer(doc_fx *fx) {
  tram_analyzer_free(fx->an);
  fx->an = NULL;
  ck_assert_int_eq(tram_analyzer_new(fx->model, &fx->opts, &fx->an), TRAM_OK);
}

static int op_analyze(void *ctx) {
  doc_fx *fx = ctx;
  tram_doc *doc = (tram_doc *)fx;
  int rc = tram_analyze(fx->an, fx->text, fx->len, &doc);
  if (rc != TRAM_OK) {
    ck_assert_ptr_null(doc);
    return rc;
  }
  tram_doc_free(doc);
  return rc;
}

/* After a failure: the same analyzer analyses again, and the output is
 * identical to a clean run's. Then a fresh analyzer for the next point. */
static int again_analyze(void *ctx) {
  doc_fx *fx = ctx;
  tram_doc *doc;
  int rc = tram_analyze(fx->an, fx->text, fx->len, &doc);
  if (rc == TRAM_OK) {
    char *json = to_json(doc);
    ck_assert_msg(strcmp(json, fx->expect) == 0,
                  "analysis after a failure differs from a clean run");
    tram_free(json);
    tram_doc_free(doc);
  }
  fresh_analyzer(fx);
  return rc;
}

static void walk_analysis(const char *what, int lang, uint32_t flags,
                          const char *text, size_t len) {
  doc_fx fx;
  memset(&fx, 0, sizeof fx);
  ck_assert_int_eq(tram_model_new_default(&fx.model), TRAM_OK);
  tram_options_init(&fx.opts);
  fx.opts.lang = lang;
  fx.opts.flags = flags;
  fx.text = text;
  fx.len = len;
  fresh_analyzer(&fx);
  tram_doc *doc;
  ck_assert_int_eq(tram_analyze(fx.an, text, len, &doc), TRAM_OK);
  fx.expect = to_json(doc);
  tram_doc_free(doc);
  /* The counted run and each injected run start from a fresh analyzer, so
   * they make the same allocations (caches start empty). */
  fresh_analyzer(&fx);
  tram__alloc_fail_at(0);
  ck_assert_int_eq(op_analyze(&fx), TRAM_OK);
  long total = tram__alloc_count();
  fresh_analyzer(&fx);
  long walked = 0;
  for (long n = 1; n <= total + 1; n++) {
    if (n <= total && !sampled(n, total, WALK_MAX))
      continue;
    tram__alloc_fail_at(n);
    int rc = op_analyze(&fx);
    long made = tram__alloc_count();
    tram__alloc_fail_at(0);
    walked++;
    if (made < n) {
      ck_assert_int_eq(rc, TRAM_OK);
      break;
    }
    ck_assert_msg(rc == TRAM_ENOMEM,
                  "%s: allocation %ld of %ld failed, status %d (%s): %s", what,
                  n, total, rc, tram_strerror(rc), tram_analyzer_errmsg(fx.an));
    ck_assert_msg(tram_analyzer_errmsg(fx.an)[0] != 0,
                  "%s: no message after a failure", what);
    ck_assert_int_eq(again_analyze(&fx), TRAM_OK);
  }
  printf("%s: %ld allocations, %ld failure points walked\n", what, total,
         walked);
  print_sites(what);
  tram_analyzer_free(fx.an);
  tram_free(fx.expect);
  tram_model_free(fx.model);
}

START_TEST(analyze_article) {
  walk_analysis("analyze(article)", TRAM_LANG_AUTO, 0, article, article_len);
  leak_check();
}
END_TEST

START_TEST(analyze_mixed) {
  static const char text[] =
      "L'Ajuntament de Barcelona i la Generalitat de Catalunya: dóna-li-ho! "
      "El Sr. García vive en Madrid, dímelo. Aujourd'hui, l'Eurorégion "
      "compte 7 000 membres (12 %) et des col·leccions; voir "
      "https://exemple.org ou info@exemple.org. \xff\xfe Fin.";
  walk_analysis("analyze(mixed,fold)", TRAM_LANG_AUTO, TRAM_OPT_FOLD_ACCENTS,
                text, sizeof text - 1);
  walk_analysis("analyze(mixed,ca)", TRAM_LANG_CA, 0, text, sizeof text - 1);
  /* invalid bytes inside an entity (a URL-like token keeps its U+FFFD): the
   * entity text is rebuilt with U+FFFD (tram__arena_strndup_utf8) */
  static const char bad[] = "El Grup Www.Caf\xe9"
                            "Bar.Cat de Girona ha obert. Caf\xe9 i \x01\x02.";
  walk_analysis("analyze(invalid,ca)", TRAM_LANG_CA, 0, bad, sizeof bad - 1);
  leak_check();
}
END_TEST

/* --------------------------------------------------------------- writers */

typedef struct write_fx {
  tram_doc *doc;
  int format;
} write_fx;

static int op_write(void *ctx) {
  write_fx *fx = ctx;
  char *out = (char *)fx;
  size_t n = 12345;
  int rc = tram_doc_write(fx->doc, fx->format, &out, &n);
  if (rc != TRAM_OK) {
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(n, 0);
    return rc;
  }
  ck_assert_uint_eq(strlen(out), n);
  tram_free(out);
  return rc;
}

START_TEST(write_formats) {
  tram_model *m;
  ck_assert_int_eq(tram_model_new_default(&m), TRAM_OK);
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(m, NULL, &an), TRAM_OK);
  write_fx fx;
  ck_assert_int_eq(tram_analyze(an, article, article_len, &fx.doc), TRAM_OK);
  static const int formats[] = {TRAM_FORMAT_JSON, TRAM_FORMAT_TEXT,
                                TRAM_FORMAT_TSV, TRAM_FORMAT_CONLLU};
  static const char *const names[] = {"write(json)", "write(text)",
                                      "write(tsv)", "write(conllu)"};
  for (int i = 0; i < 4; i++) {
    fx.format = formats[i];
    walk(names[i], op_write, op_write, &fx, WALK_MAX);
  }
  tram_doc_free(fx.doc);
  tram_analyzer_free(an);
  tram_model_free(m);
  leak_check();
}
END_TEST

/* -------------------------------------------------------------- one-shot */

static int op_oneshot(void *ctx) {
  (void)ctx;
  tram_doc *doc = (tram_doc *)ctx;
  static const char text[] = "Hola, món! L'Ajuntament de Girona.";
  int rc = tram_analyze_text(text, sizeof text - 1, NULL, &doc);
  if (rc != TRAM_OK) {
    ck_assert_ptr_null(doc);
    return rc;
  }
  tram_doc_free(doc);
  return rc;
}

START_TEST(analyze_text_oneshot) {
  int dummy;
  walk("analyze_text", op_oneshot, op_oneshot, &dummy, walk_max_model() / 2);
  leak_check();
}
END_TEST

/* An arena's blocks start at 4 KB and double up to 64 KB (a doc of a few
 * hundred tokens holds a few KB of strings, not a 64 KB block): the
 * mallocs made while 1 KB pieces are taken, and a piece larger than a
 * block in a block of its own. */
START_TEST(arena_blocks_grow) {
  tram_arena a;
  tram__arena_init(&a);
  tram__alloc_fail_at(0); /* counts from 0, fails none */
  long made[64];
  for (int i = 0; i < 64; i++) {
    char *p = tram__arena_alloc(&a, 1024);
    ck_assert_ptr_nonnull(p);
    memset(p, i, 1024);
    made[i] = tram__alloc_count();
  }
  /* 4 KB: pieces 0-3, 8 KB: 4-11, 16 KB: 12-27, 32 KB: 28-59, 64 KB. */
  static const int first[] = {0, 4, 12, 28, 60};
  for (int k = 0; k < 5; k++) {
    ck_assert_int_eq(made[first[k]], k + 1);
    if (first[k] > 0)
      ck_assert_int_eq(made[first[k] - 1], k);
  }
  ck_assert_int_eq(made[63], 5);
  char *big = tram__arena_alloc(&a, 200000);
  ck_assert_ptr_nonnull(big);
  memset(big, 1, 200000);
  ck_assert_int_eq(tram__alloc_count(), 6);
  tram__arena_free(&a);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("alloc");
  TCase *tc = tcase_create("walk");
  tcase_add_unchecked_fixture(tc, load_article, NULL);
  /* A hang guard: the ASan walk took 200-410 s at load 5-8. */
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, model_default);
  tcase_add_test(tc, model_memory);
  tcase_add_test(tc, model_path);
  tcase_add_test(tc, analyzer_default);
  tcase_add_test(tc, analyzer_user_lists);
  tcase_add_test(tc, analyze_article);
  tcase_add_test(tc, analyze_mixed);
  tcase_add_test(tc, write_formats);
  tcase_add_test(tc, analyze_text_oneshot);
  tcase_add_test(tc, arena_blocks_grow);
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
