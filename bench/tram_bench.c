/*
 * tram_bench.c — throughput and peak memory of tramuntana against a bare
 * ICU word-break pass over the same bytes, in one run.
 *
 * Usage: tram_bench [--rounds N] [--only LETTERS] LANG=FILE...
 *
 * Each FILE holds documents separated by a blank line (bench/make_corpus.py
 * writes them); every document is analysed on its own, with its file's
 * language. Five modes read the same documents:
 *
 *   a  icu        UTF-8 → UTF-16 (u_strFromUTF8WithSub) + ubrk_open(UBRK_WORD)
 *                 iterated boundary by boundary: the floor any ICU-based
 *                 tokenizer stands on
 *   b  tokenize   tram_analyze with the language fixed and
 *                 TRAM_OPT_NO_STEM | NO_ENTITIES | NO_THEMES (sentences,
 *                 tokens, words, norms, stop flags)
 *   c  tok+stem   the same plus Snowball stems
 *   d  full       the default options (language identification, entities,
 *                 themes: everything the model has)
 *   e  icu+sent   mode a plus an ICU sentence-break pass over the same
 *                 UTF-16: the floor of a design that segments sentences
 *                 and words with two ICU iterators, as tramuntana does
 *
 * Method: a shared machine is noisy, so the modes run interleaved
 * (a b c d e a b c d e …) for N rounds and each mode reports its median. Every
 * run is a forked child that sets up its analyzer, times the pass over the
 * whole corpus (wall clock and CPU time; loading the model and making the
 * analyzers are timed apart), and exits, so ru_maxrss of the
 * child (wait4) is that mode's own peak resident set — corpus and libraries
 * included, the same for every mode; the ICU row is the reference.
 *
 * Last, with mode c among the modes (glibc only), the memory a doc holds:
 * heap in use (mallinfo2) before and after an analysis whose doc is kept,
 * the analyzer warmed on the same document first, in bytes per token.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>
#include <unistd.h>

#include "tramuntana.h"

pid_t wait4(pid_t pid, int *status, int options, struct rusage *usage);

typedef struct doc {
  const char *text;
  size_t len;
  int lang;
} doc;

typedef struct corpus {
  doc *docs;
  size_t n, cap, bytes;
} corpus;

typedef struct result {
  double setup; /* model load + analyzer set-up, wall seconds (untimed) */
  double wall, cpu;
  unsigned long long tokens;
  long maxrss_kb;
} result;

enum { MODES = 5 };
static const char *const mode_names[MODES] = {"icu word breaks", "tokenize",
                                              "tokenize+stem", "full pipeline",
                                              "icu words+sentences"};
/* Rows in the order printed. */
static const int display[MODES] = {0, 4, 1, 2, 3};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_now(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static void die(const char *msg) {
  fprintf(stderr, "tram_bench: %s\n", msg);
  exit(1);
}

static void add_doc(corpus *c, const char *text, size_t len, int lang) {
  if (len == 0)
    return;
  if (c->n == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 1024;
    c->docs = realloc(c->docs, c->cap * sizeof *c->docs);
    if (!c->docs)
      die("out of memory");
  }
  c->docs[c->n++] = (doc){text, len, lang};
  c->bytes += len;
}

static void load(corpus *c, const char *arg) {
  const char *eq = strchr(arg, '=');
  if (!eq)
    die("arguments are LANG=FILE");
  char code[16];
  size_t cl = (size_t)(eq - arg);
  if (cl >= sizeof code)
    die("bad language");
  memcpy(code, arg, cl);
  code[cl] = 0;
  int lang = tram_lang_from_code(code);
  if (lang <= 0)
    die("unknown language");
  FILE *f = fopen(eq + 1, "rb");
  if (!f) {
    fprintf(stderr, "tram_bench: cannot open %s: %s\n", eq + 1,
            strerror(errno));
    exit(1);
  }
  size_t cap = 1 << 20, len = 0;
  char *s = malloc(cap);
  size_t k;
  while (s && (k = fread(s + len, 1, cap - len, f)) > 0) {
    len += k;
    if (len == cap)
      s = realloc(s, cap *= 2);
  }
  fclose(f);
  if (!s)
    die("out of memory");
  /* Documents are separated by "\n\n". */
  size_t start = 0;
  for (size_t i = 0; i + 1 < len; i++) {
    if (s[i] == '\n' && s[i + 1] == '\n') {
      add_doc(c, s + start, i + 1 - start, lang);
      while (i + 1 < len && s[i + 1] == '\n')
        i++;
      start = i + 1;
    }
  }
  if (start < len)
    add_doc(c, s + start, len - start, lang);
}

/* Mode a (and e, with sentences): the bare ICU pass. Returns the number of
 * word boundaries. */
static unsigned long long run_icu(const corpus *c, bool sentences) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
  UBreakIterator *si =
      sentences ? ubrk_open(UBRK_SENTENCE, "", NULL, 0, &st) : NULL;
  if (U_FAILURE(st))
    die("ubrk_open failed");
  UChar *u = NULL;
  size_t ucap = 0;
  unsigned long long n = 0;
  for (size_t i = 0; i < c->n; i++) {
    const doc *d = &c->docs[i];
    if (d->len + 1 > ucap) {
      ucap = d->len + 1;
      u = realloc(u, ucap * sizeof *u);
      if (!u)
        die("out of memory");
    }
    int32_t ulen = 0;
    st = U_ZERO_ERROR;
    u_strFromUTF8WithSub(u, (int32_t)ucap, &ulen, d->text, (int32_t)d->len,
                         0xFFFD, NULL, &st);
    ubrk_setText(bi, u, ulen, &st);
    if (U_FAILURE(st))
      die("ICU failed");
    if (si) {
      ubrk_setText(si, u, ulen, &st);
      for (int32_t p = ubrk_first(si); p != UBRK_DONE; p = ubrk_next(si))
        ;
    }
    for (int32_t p = ubrk_first(bi); p != UBRK_DONE; p = ubrk_next(bi))
      n++;
  }
  if (si)
    ubrk_close(si);
  ubrk_close(bi);
  free(u);
  return n;
}

/* Modes b, c, d: loads the model and makes the analyzers (timed apart in
 * r->setup), then times the analyses into r->wall, r->cpu, r->tokens. */
static void run_tram(const corpus *c, int mode, result *r) {
  double t0 = now();
  tram_model *m;
  if (tram_model_new_default(&m))
    die("cannot load the default model");
  uint32_t flags = 0;
  if (mode == 1)
    flags = TRAM_OPT_NO_STEM | TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  else if (mode == 2)
    flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an[TRAM_LANG_COUNT] = {NULL};
  for (int l = 0; l < TRAM_LANG_COUNT; l++) {
    tram_options o;
    tram_options_init(&o);
    o.flags = flags;
    o.lang = mode == 3 ? TRAM_LANG_AUTO : l;
    if ((mode == 3 && l > 0) || tram_analyzer_new(m, &o, &an[l]))
      an[l] = NULL;
  }
  r->setup = now() - t0;
  double w = now(), u = cpu_now();
  unsigned long long n = 0;
  for (size_t i = 0; i < c->n; i++) {
    const doc *d = &c->docs[i];
    tram_analyzer *a = mode == 3 ? an[0] : an[d->lang];
    if (!a)
      die("cannot make an analyzer");
    tram_doc *td;
    int rc = tram_analyze(a, d->text, d->len, &td);
    if (rc) {
      fprintf(stderr, "tram_bench: %s: %s\n", tram_strerror(rc),
              tram_analyzer_errmsg(a));
      exit(1);
    }
    size_t nt;
    tram_doc_tokens(td, &nt);
    n += nt;
    tram_doc_free(td);
  }
  r->wall = now() - w;
  r->cpu = cpu_now() - u;
  r->tokens = n;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram_analyzer_free(an[l]);
  tram_model_free(m);
}

#ifdef __GLIBC__
#include <malloc.h>
/* Heap bytes in use (malloc'ed and mmapped chunks). */
static double heap_now(void) {
  struct mallinfo2 mi = mallinfo2();
  return (double)mi.uordblks + (double)mi.hblkhd;
}

/* Memory a doc holds, mode c: each document is analysed once to warm the
 * analyzer (word cache, scratch buffers), then again with the heap in use
 * read before and after, the doc still alive. Prints the bytes per token
 * and per input byte over the corpus. */
static void doc_memory(const corpus *c) {
  tram_model *m;
  if (tram_model_new_default(&m))
    die("cannot load the default model");
  tram_analyzer *an[TRAM_LANG_COUNT] = {NULL};
  for (int l = 1; l < TRAM_LANG_COUNT; l++) {
    tram_options o;
    tram_options_init(&o);
    o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
    o.lang = l;
    if (tram_analyzer_new(m, &o, &an[l]))
      an[l] = NULL;
  }
  double bytes = 0, in = 0;
  unsigned long long tokens = 0, words = 0;
  for (size_t i = 0; i < c->n; i++) {
    const doc *d = &c->docs[i];
    tram_doc *td;
    if (!an[d->lang] || tram_analyze(an[d->lang], d->text, d->len, &td))
      die("analysis failed");
    tram_doc_free(td);
    double h0 = heap_now();
    if (tram_analyze(an[d->lang], d->text, d->len, &td))
      die("analysis failed");
    bytes += heap_now() - h0;
    size_t nt, nw;
    tram_doc_tokens(td, &nt);
    tram_doc_words(td, &nw);
    tokens += nt;
    words += nw;
    in += (double)d->len;
    tram_doc_free(td);
  }
  printf("doc memory (tokenize+stem, glibc heap in use while a doc is held): "
         "%.0f bytes per token, %.1f per input byte (%llu tokens, %llu "
         "words)\n",
         bytes / (double)tokens, bytes / in, tokens, words);
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram_analyzer_free(an[l]);
  tram_model_free(m);
}
#endif

/* One timed run of a mode in a child process. */
static result run_child(const corpus *c, int mode) {
  int fd[2];
  if (pipe(fd))
    die("pipe");
  pid_t pid = fork();
  if (pid < 0)
    die("fork");
  if (pid == 0) {
    close(fd[0]);
    result r = {0, 0, 0, 0, 0};
    if (mode == 0 || mode == 4) {
      double w = now(), u = cpu_now();
      r.tokens = run_icu(c, mode == 4);
      r.wall = now() - w;
      r.cpu = cpu_now() - u;
    } else {
      run_tram(c, mode, &r);
    }
    if (write(fd[1], &r, sizeof r) != (ssize_t)sizeof r)
      _exit(1);
    _exit(0);
  }
  close(fd[1]);
  result r = {0, 0, 0, 0, 0};
  ssize_t got = read(fd[0], &r, sizeof r);
  close(fd[0]);
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0 || got != (ssize_t)sizeof r ||
      !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die("a benchmark run failed");
  r.maxrss_kb = ru.ru_maxrss;
  return r;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
  qsort(v, (size_t)n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
  int rounds = 5;
  unsigned run = (1u << MODES) - 1; /* modes to run, a bit each */
  corpus c = {NULL, 0, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc) {
      rounds = atoi(argv[++i]);
    } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
      run = 0;
      for (const char *p = argv[++i]; *p; p++) {
        if (*p < 'a' || *p >= 'a' + MODES)
          die("--only takes letters among a b c d e");
        run |= 1u << (*p - 'a');
      }
    } else if (strcmp(argv[i], "--help") == 0) {
      printf("usage: tram_bench [--rounds N] [--only LETTERS] LANG=FILE...\n"
             "  a icu word breaks, b tokenize, c tokenize+stem, d full "
             "pipeline,\n  e icu words+sentences (default: all)\n");
      return 0;
    } else {
      load(&c, argv[i]);
    }
  }
  if (c.n == 0 || rounds < 1)
    die("nothing to do (usage: tram_bench [--rounds N] LANG=FILE...)");
  enum { MAXR = 101 };
  if (rounds > MAXR)
    rounds = MAXR;
  double wall[MODES][MAXR], cpu[MODES][MAXR], setup[MODES][MAXR];
  long rss[MODES] = {0};
  unsigned long long tokens[MODES] = {0};
  for (int r = 0; r < rounds; r++)
    for (int m = 0; m < MODES; m++) {
      if (!(run & (1u << m)))
        continue;
      result x = run_child(&c, m);
      wall[m][r] = x.wall;
      cpu[m][r] = x.cpu;
      setup[m][r] = x.setup;
      tokens[m] = x.tokens;
      if (x.maxrss_kb > rss[m])
        rss[m] = x.maxrss_kb;
      fprintf(stderr, "round %d %-20s %.3f s\n", r + 1, mode_names[m], x.wall);
    }
  double mb = (double)c.bytes / 1e6;
  printf("corpus: %.2f MB in %zu documents; %d interleaved rounds, medians; "
         "tramuntana %s\n",
         mb, c.n, rounds, tram_version());
  printf("| mode | MB/s (wall) | vs ICU | MB/s (CPU) | vs ICU | tokens/s "
         "| tokens | peak RSS MB |\n");
  printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  double base_w = 0, base_c = 0;
  if (run & 1u) {
    base_w = median(wall[0], rounds);
    base_c = median(cpu[0], rounds);
  }
  for (int k = 0; k < MODES; k++) {
    int m = display[k];
    if (!(run & (1u << m)))
      continue;
    double w = median(wall[m], rounds), u = median(cpu[m], rounds);
    char rw[16] = "-", rc[16] = "-";
    if (base_w > 0) {
      snprintf(rw, sizeof rw, "%.0f%%", 100 * base_w / w);
      snprintf(rc, sizeof rc, "%.0f%%", 100 * base_c / u);
    }
    printf("| %s%s | %.1f | %s | %.1f | %s | %.2fM | %llu | %.1f |\n",
           m == 4 ? "" : (const char[][5]){"(a) ", "(b) ", "(c) ", "(d) "}[m],
           mode_names[m], mb / w, rw, mb / u, rc, (double)tokens[m] / w / 1e6,
           tokens[m], (double)rss[m] / 1024);
  }
  printf("(icu rows: tokens = word-break boundaries; RSS includes the %.1f MB "
         "corpus)\n",
         mb);
  for (int m = 1; m < 4; m++)
    if (run & (1u << m))
      printf("%s: model load + analyzer set-up %.0f ms (not in the rate)\n",
             mode_names[m], 1000 * median(setup[m], rounds));
#ifdef __GLIBC__
  if (run & (1u << 2)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      doc_memory(&c);
      fflush(stdout);
      _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
      die("the memory run failed");
  }
#endif
  return 0;
}
