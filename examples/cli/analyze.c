/*
 * analyze.c — `tramuntana analyze`: documents in, analyses out, in order,
 * on N threads, in bounded memory.
 *
 * Input is a list of files (each one document; "-" is stdin) or, with
 * `--input jsonl`, JSON Lines: one {"id": …, "text": "…"} object per line,
 * parsed with jansson. Output is one result per document in input order:
 * the readable summary, TSV, CoNLL-U, or the "tramuntana/1" JSON object
 * (with the input's "id" first in JSON Lines mode); `stats` prints only
 * counts and throughput.
 *
 * The run is a three-stage pipeline over a ring of slots (a bounded queue,
 * so memory stays flat whatever the corpus size):
 *   reader (main thread)  reads a line (or takes a file name) into the next
 *                         empty slot, waiting while the ring is full;
 *   workers (-j N)        each owns one tram_analyzer made from the one
 *                         shared tram_model (STYLE.md: model shared,
 *                         analyzer per thread); a worker takes the oldest
 *                         ready slot, parses, analyses and formats it;
 *   writer                writes finished slots strictly in input order,
 *                         frees them, draws the progress bar.
 * A bad document (not JSON, no "text", unreadable file, analysis failure)
 * becomes an error: its line number goes to stderr, an {"id","line",
 * "error"} object takes its place in JSON Lines output, and the run goes
 * on; the exit status is then 1.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

enum { FMT_TEXT, FMT_JSON, FMT_TSV, FMT_CONLLU, FMT_STATS, FMT_COUNT };
static const char *const fmt_names[FMT_COUNT] = {"text", "json", "tsv",
                                                 "conllu", "stats"};
static const int fmt_codes[FMT_COUNT] = {TRAM_FORMAT_TEXT, TRAM_FORMAT_JSON,
                                         TRAM_FORMAT_TSV, TRAM_FORMAT_CONLLU,
                                         -1};

enum { IN_FILES, IN_JSONL };

#define MAX_THREADS 256

typedef struct config {
  tram_options opts;
  int fmt;      /* FMT_*, or -1 = default for the input */
  int input;    /* IN_* */
  int threads;  /* >= 1 */
  int progress; /* -1 auto (stderr is a terminal), 0 off, 1 on */
  bool quiet;   /* no closing summary */
  const char *model_path;
  char **files;
  int nfiles;
} config;

enum { SLOT_EMPTY, SLOT_READY, SLOT_BUSY, SLOT_DONE };

typedef struct slot {
  int state;
  char *in; /* the JSON line, or the file path */
  size_t in_len;
  const char *source; /* file name for messages */
  size_t line;        /* line number in `source`, 0 for a whole file */
  size_t in_bytes;    /* input bytes this document stands for */
  char *head;         /* written before body (malloc), or NULL */
  char *body;         /* tram_doc_write output (tram_free), or NULL */
  size_t head_len, body_off, body_len;
  char *err;   /* error message (malloc), or NULL */
  bool failed; /* set with err (err may be NULL if out of memory) */
  size_t tokens, sentences;
} slot;

typedef struct run {
  const config *cfg;
  const tram_model *model;
  pthread_mutex_t mu;
  pthread_cond_t cv_fill, cv_work, cv_write;
  slot *ring;
  size_t cap;
  size_t n_fill, n_work, n_write; /* sequence numbers */
  bool eof;
  /* Writer-side totals. */
  size_t docs, errors, tokens, sentences, bytes;
  size_t bytes_total; /* sum of input sizes when known, else 0 */
  double t0, last_draw;
  bool progress, drawn;
} run;

typedef struct worker {
  run *r;
  tram_analyzer *an; /* with the options of the command line */
  /* Made on demand for JSON Lines documents with their own "lang". */
  tram_analyzer *by_lang[TRAM_LANG_COUNT];
  pthread_t tid;
} worker;

static char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (s) {
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  return s;
}

static void usage(FILE *f) {
  fprintf(
      f,
      "usage: %s analyze [OPTIONS] [FILE|-]...\n"
      "\n"
      "Analyses each FILE as one document (none or '-': standard input).\n"
      "With --input jsonl, each line of the input is a document\n"
      "{\"id\": ..., \"text\": \"...\"} (optional \"lang\": auto, fr, es or "
      "ca\n"
      "overrides --lang) and each output line the JSON result of that line,\n"
      "in input order, with the id first.\n"
      "\n"
      "options:\n"
      "  -l, --lang L        auto (default), fr, es or ca\n"
      "  -f, --format F      text (default for files), json (default for\n"
      "                      jsonl), tsv, conllu, or stats (counts and\n"
      "                      throughput only)\n"
      "  -i, --input I       files (default) or jsonl\n"
      "  -j, --jobs N        analyse on N threads (default 1; 0 = one per "
      "CPU)\n"
      "      --progress      progress bar on stderr (default: when stderr is\n"
      "                      a terminal)\n"
      "      --no-progress   no progress bar\n"
      "  -q, --quiet         no closing summary on stderr\n"
      "      --fold-accents  norms without diacritics\n"
      "      --no-stem       skip stemming\n"
      "      --no-entities   skip named entities and organisations\n"
      "      --no-themes     skip keyphrases and themes\n"
      "      --strict-utf8   reject invalid UTF-8 instead of reading U+FFFD\n"
      "      --model PATH    load a model file instead of the embedded one\n"
      "  -h, --help          this help\n"
      "      --version       library and JSON schema versions\n"
      "\n"
      "Exit status: 0 all documents analysed, 1 some failed (each is "
      "reported\n"
      "on stderr; the others are still written), 2 bad usage.\n",
      cli_prog);
}

/* ------------------------------------------------------------- workers */

/* Turns the slot into an error: message for stderr, and in JSON Lines mode
 * an {"id","line","error"} object in the output. */
static void slot_fail(run *r, slot *s, json_t *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void slot_fail(run *r, slot *s, json_t *id, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  s->err = strdup(msg);
  s->failed = true;
  if (r->cfg->input == IN_JSONL && r->cfg->fmt == FMT_JSON) {
    json_t *o = json_object();
    json_object_set(o, "id", id ? id : json_null());
    json_object_set_new(o, "line", json_integer((json_int_t)s->line));
    json_object_set_new(o, "error", json_string(msg));
    char *j = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (j) {
      s->head = xprintf("%s\n", j);
      s->head_len = s->head ? strlen(s->head) : 0;
      free(j);
    }
  }
}

/* The worker's analyzer for a document's own "lang" field: NULL (after
 * slot_fail) if the value is bad or the analyzer cannot be made. */
static tram_analyzer *lang_analyzer(run *r, worker *w, slot *s, json_t *id,
                                    json_t *lang) {
  const char *code = json_string_value(lang);
  int l = code ? tram_lang_from_code(code) : -1;
  if (l < 0 || l == TRAM_LANG_OTHER) {
    slot_fail(r, s, id,
              "\"lang\" must be \"auto\", \"fr\", \"es\" or "
              "\"ca\"");
    return NULL;
  }
  if (l == r->cfg->opts.lang)
    return w->an;
  if (!w->by_lang[l]) {
    tram_options o = r->cfg->opts;
    o.lang = l;
    int rc = tram_analyzer_new(r->model, &o, &w->by_lang[l]);
    if (rc) {
      slot_fail(r, s, id, "cannot make a \"%s\" analyzer: %s", code,
                tram_strerror(rc));
      return NULL;
    }
  }
  return w->by_lang[l];
}

static void process(run *r, worker *w, slot *s) {
  const config *cfg = r->cfg;
  tram_analyzer *an = w->an;
  char *file = NULL, *id_json = NULL;
  json_t *root = NULL, *id = NULL;
  const char *text;
  size_t len;
  if (cfg->input == IN_FILES) {
    int e = cli_slurp(s->in, &file, &len);
    if (e) {
      slot_fail(r, s, NULL, "%s", strerror(e));
      return;
    }
    text = file;
    s->in_bytes = len;
  } else {
    json_error_t je;
    root = json_loadb(s->in, s->in_len, JSON_ALLOW_NUL, &je);
    if (!root) {
      slot_fail(r, s, NULL, "not JSON: %s (column %d)", je.text, je.column);
      return;
    }
    id = json_object_get(root, "id");
    json_t *t = json_object_get(root, "text");
    if (!json_is_object(root) || !json_is_string(t)) {
      slot_fail(r, s, id, "not an object with a \"text\" string");
      json_decref(root);
      return;
    }
    json_t *lang = json_object_get(root, "lang");
    if (lang && !(an = lang_analyzer(r, w, s, id, lang))) {
      json_decref(root);
      return;
    }
    text = json_string_value(t);
    len = json_string_length(t);
    if (id)
      id_json = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
  }
  tram_doc *doc = NULL;
  int rc = tram_analyze(an, text, len, &doc);
  if (rc) {
    const char *detail = tram_analyzer_errmsg(an);
    slot_fail(r, s, id, "%s%s%s", tram_strerror(rc), *detail ? ": " : "",
              detail);
    goto out;
  }
  tram_doc_tokens(doc, &s->tokens);
  tram_doc_sentences(doc, &s->sentences);
  if (cfg->fmt != FMT_STATS) {
    size_t olen = 0;
    rc = tram_doc_write(doc, fmt_codes[cfg->fmt], &s->body, &olen);
    if (rc) {
      slot_fail(r, s, id, "%s", tram_strerror(rc));
      goto out;
    }
    s->body_len = olen;
    if (cfg->input == IN_JSONL && olen > 0 && s->body[0] == '{') {
      /* Splice the id in front: {"id":…,"schema":…}. */
      if (id_json)
        s->head = xprintf("{\"id\":%s,", id_json);
      else
        s->head = xprintf("{\"id\":%zu,", s->line);
      s->body_off = 1;
      if (!s->head) {
        tram_free(s->body);
        s->body = NULL;
        slot_fail(r, s, id, "out of memory");
        goto out;
      }
    } else if (cfg->fmt == FMT_TEXT) {
      s->head = xprintf("== %s\n", s->source);
    }
    if (s->head)
      s->head_len = strlen(s->head);
  }
out:
  tram_doc_free(doc);
  free(id_json);
  json_decref(root);
  free(file);
}

static void *worker_main(void *arg) {
  worker *w = arg;
  run *r = w->r;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    while (r->n_work == r->n_fill && !r->eof)
      pthread_cond_wait(&r->cv_work, &r->mu);
    if (r->n_work == r->n_fill) {
      pthread_mutex_unlock(&r->mu);
      break;
    }
    slot *s = &r->ring[r->n_work++ % r->cap];
    s->state = SLOT_BUSY;
    pthread_mutex_unlock(&r->mu);
    process(r, w, s);
    pthread_mutex_lock(&r->mu);
    s->state = SLOT_DONE;
    pthread_cond_signal(&r->cv_write);
    pthread_mutex_unlock(&r->mu);
  }
  return NULL;
}

/* -------------------------------------------------------------- writer */

static void draw_progress(run *r, bool final) {
  double t = cli_now() - r->t0;
  double mb = (double)r->bytes / 1e6;
  char bar[32] = "";
  if (r->bytes_total) {
    double frac = (double)r->bytes / (double)r->bytes_total;
    if (frac > 1)
      frac = 1;
    int full = (int)(frac * 20);
    bar[0] = '[';
    for (int k = 0; k < 20; k++)
      bar[1 + k] = k < full ? '#' : '.';
    snprintf(bar + 21, sizeof bar - 21, "] %3d%%", (int)(frac * 100));
  }
  fprintf(stderr, "\r\033[K%s %zu docs  %.1f MB  %.2f MB/s  %.0f docs/s%s", bar,
          r->docs, mb, t > 0 ? mb / t : 0, t > 0 ? (double)r->docs / t : 0,
          r->errors ? "  (errors)" : "");
  if (final)
    fputs("\r\033[K", stderr);
  fflush(stderr);
  r->drawn = true;
}

static void emit(run *r, slot *s) {
  if (s->failed) {
    r->errors++;
    if (s->line)
      fprintf(stderr, "%s%s: %s:%zu: %s\n", r->drawn ? "\r\033[K" : "",
              cli_prog, s->source, s->line, s->err ? s->err : "out of memory");
    else
      fprintf(stderr, "%s%s: %s: %s\n", r->drawn ? "\r\033[K" : "", cli_prog,
              s->source, s->err ? s->err : "out of memory");
  } else {
    r->docs++;
    r->tokens += s->tokens;
    r->sentences += s->sentences;
  }
  r->bytes += s->in_bytes;
  if (s->head)
    fwrite(s->head, 1, s->head_len, stdout);
  if (s->body)
    fwrite(s->body + s->body_off, 1, s->body_len - s->body_off, stdout);
  free(s->in);
  free(s->head);
  tram_free(s->body);
  free(s->err);
  if (r->progress) {
    double t = cli_now();
    if (t - r->last_draw >= 0.2) {
      r->last_draw = t;
      draw_progress(r, false);
    }
  }
}

static void *writer_main(void *arg) {
  run *r = arg;
  for (;;) {
    pthread_mutex_lock(&r->mu);
    for (;;) {
      if (r->n_write < r->n_fill &&
          r->ring[r->n_write % r->cap].state == SLOT_DONE)
        break;
      if (r->eof && r->n_write == r->n_fill)
        break;
      pthread_cond_wait(&r->cv_write, &r->mu);
    }
    if (r->n_write == r->n_fill) {
      pthread_mutex_unlock(&r->mu);
      break;
    }
    slot *s = &r->ring[r->n_write % r->cap];
    pthread_mutex_unlock(&r->mu);
    emit(r, s);
    pthread_mutex_lock(&r->mu);
    memset(s, 0, sizeof *s); /* state = SLOT_EMPTY */
    r->n_write++;
    pthread_cond_signal(&r->cv_fill);
    pthread_mutex_unlock(&r->mu);
  }
  fflush(stdout);
  return NULL;
}

/* -------------------------------------------------------------- reader */

/* Hands one document to the workers; takes ownership of `in`. */
static void submit(run *r, char *in, size_t in_len, const char *source,
                   size_t line, size_t in_bytes) {
  pthread_mutex_lock(&r->mu);
  slot *s = &r->ring[r->n_fill % r->cap];
  while (s->state != SLOT_EMPTY)
    pthread_cond_wait(&r->cv_fill, &r->mu);
  s->in = in;
  s->in_len = in_len;
  s->source = source;
  s->line = line;
  s->in_bytes = in_bytes;
  s->state = SLOT_READY;
  r->n_fill++;
  pthread_cond_signal(&r->cv_work);
  pthread_mutex_unlock(&r->mu);
}

/* An error found by the reader itself (unreadable input) goes through the
 * ring too, so that it is reported in order. */
static void submit_error(run *r, const char *source, size_t line,
                         const char *msg) {
  pthread_mutex_lock(&r->mu);
  slot *s = &r->ring[r->n_fill % r->cap];
  while (s->state != SLOT_EMPTY)
    pthread_cond_wait(&r->cv_fill, &r->mu);
  s->source = source;
  s->line = line;
  s->err = strdup(msg);
  s->failed = true;
  s->state = SLOT_DONE;
  r->n_fill++;
  pthread_cond_signal(&r->cv_write);
  pthread_mutex_unlock(&r->mu);
}

static void read_jsonl(run *r, const char *path) {
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    submit_error(r, name, 0, strerror(errno));
    return;
  }
  size_t lineno = 0;
  for (;;) {
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t n = getline(&line, &cap, f);
    if (n < 0) {
      free(line);
      if (ferror(f))
        submit_error(r, name, lineno + 1, strerror(errno ? errno : EIO));
      break;
    }
    lineno++;
    size_t len = (size_t)n;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
      k++;
    if (k == len) { /* blank line: nothing to analyse */
      free(line);
      continue;
    }
    submit(r, line, len, name, lineno, (size_t)n);
  }
  if (f != stdin)
    fclose(f);
}

/* ----------------------------------------------------------------- run */

static size_t input_size(const config *cfg) {
  size_t total = 0;
  for (int i = 0; i < cfg->nfiles; i++) {
    struct stat st;
    int ok = strcmp(cfg->files[i], "-") == 0 ? fstat(0, &st) == 0
                                             : stat(cfg->files[i], &st) == 0;
    if (!ok || !S_ISREG(st.st_mode))
      return 0;
    total += (size_t)st.st_size;
  }
  return total;
}

static int run_all(const config *cfg, bool summary) {
  tram_model *model = NULL;
  tram_error err = {0};
  int rc = cfg->model_path ? tram_model_load(cfg->model_path, &model, &err)
                           : tram_model_new_default(&model);
  if (rc) {
    fprintf(stderr, "%s: cannot load model%s%s: %s%s%s\n", cli_prog,
            cfg->model_path ? " " : "", cfg->model_path ? cfg->model_path : "",
            tram_strerror(rc), err.message[0] ? ": " : "", err.message);
    return CLI_FAIL;
  }
  int nw = cfg->threads;
  worker *w = calloc((size_t)nw, sizeof *w);
  run r = {0};
  r.cfg = cfg;
  r.model = model;
  /* A few documents per worker in flight: enough to keep every worker busy
   * while the writer waits for the oldest, few enough that memory stays
   * flat. */
  r.cap = (size_t)nw * 4 + 4;
  r.ring = calloc(r.cap, sizeof *r.ring);
  if (!w || !r.ring) {
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    free(w);
    free(r.ring);
    tram_model_free(model);
    return CLI_FAIL;
  }
  int status = CLI_OK;
  for (int i = 0; i < nw; i++) {
    w[i].r = &r;
    rc = tram_analyzer_new(model, &cfg->opts, &w[i].an);
    if (rc) {
      fprintf(stderr, "%s: cannot make an analyzer: %s\n", cli_prog,
              tram_strerror(rc));
      status = CLI_FAIL;
      nw = i;
      goto done;
    }
  }
  pthread_mutex_init(&r.mu, NULL);
  pthread_cond_init(&r.cv_fill, NULL);
  pthread_cond_init(&r.cv_work, NULL);
  pthread_cond_init(&r.cv_write, NULL);
  r.progress = cfg->progress < 0 ? isatty(2) : cfg->progress;
  r.bytes_total = r.progress ? input_size(cfg) : 0;
  r.t0 = cli_now();
  pthread_t wtid;
  pthread_create(&wtid, NULL, writer_main, &r);
  for (int i = 0; i < nw; i++)
    pthread_create(&w[i].tid, NULL, worker_main, &w[i]);
  for (int i = 0; i < cfg->nfiles; i++) {
    const char *p = cfg->files[i];
    if (cfg->input == IN_JSONL) {
      read_jsonl(&r, p);
    } else {
      char *copy = strdup(p);
      if (copy)
        submit(&r, copy, strlen(p), strcmp(p, "-") == 0 ? "<stdin>" : p, 0, 0);
    }
  }
  pthread_mutex_lock(&r.mu);
  r.eof = true;
  pthread_cond_broadcast(&r.cv_work);
  pthread_cond_broadcast(&r.cv_write);
  pthread_mutex_unlock(&r.mu);
  for (int i = 0; i < nw; i++)
    pthread_join(w[i].tid, NULL);
  pthread_join(wtid, NULL);
  double secs = cli_now() - r.t0;
  if (r.progress)
    draw_progress(&r, true);
  double mb = (double)r.bytes / 1e6;
  if (cfg->fmt == FMT_STATS)
    printf("documents\t%zu\nerrors\t%zu\nbytes\t%zu\nsentences\t%zu\n"
           "tokens\t%zu\nthreads\t%d\nseconds\t%.3f\nMB/s\t%.2f\n"
           "docs/s\t%.0f\ntokens/s\t%.0f\n",
           r.docs, r.errors, r.bytes, r.sentences, r.tokens, nw, secs,
           secs > 0 ? mb / secs : 0, secs > 0 ? (double)r.docs / secs : 0,
           secs > 0 ? (double)r.tokens / secs : 0);
  if (summary)
    fprintf(stderr,
            "%s: %zu documents, %.2f MB in %.2f s (%.2f MB/s, %.0f docs/s, "
            "%d thread%s), %zu error%s\n",
            cli_prog, r.docs, mb, secs, secs > 0 ? mb / secs : 0,
            secs > 0 ? (double)r.docs / secs : 0, nw, nw == 1 ? "" : "s",
            r.errors, r.errors == 1 ? "" : "s");
  if (r.errors)
    status = CLI_FAIL;
  pthread_cond_destroy(&r.cv_fill);
  pthread_cond_destroy(&r.cv_work);
  pthread_cond_destroy(&r.cv_write);
  pthread_mutex_destroy(&r.mu);
done:
  for (int i = 0; i < nw; i++) {
    tram_analyzer_free(w[i].an);
    for (int l = 0; l < TRAM_LANG_COUNT; l++)
      tram_analyzer_free(w[i].by_lang[l]);
  }
  free(w);
  free(r.ring);
  tram_model_free(model);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "%s: cannot write the output: %s\n", cli_prog,
            strerror(errno));
    status = CLI_FAIL;
  }
  return status;
}

/* ------------------------------------------------------------- options */

/* If argv[*i] is option `shrt` or `lng`, sets *val to its value ("--x=v",
 * "--x v", "-x v", "-xv") and returns 1; 0 if it is another option; -1 if
 * the value is missing. */
static int opt_value(int argc, char **argv, int *i, const char *shrt,
                     const char *lng, const char **val) {
  const char *a = argv[*i];
  size_t n = strlen(lng);
  if (strncmp(a, lng, n) == 0 && a[n] == '=') {
    *val = a + n + 1;
    return 1;
  }
  if (shrt && strncmp(a, shrt, 2) == 0 && a[2]) {
    *val = a + 2;
    return 1;
  }
  if (strcmp(a, lng) != 0 && !(shrt && strcmp(a, shrt) == 0))
    return 0;
  if (*i + 1 >= argc)
    return -1;
  *val = argv[++*i];
  return 1;
}

int cli_analyze(int argc, char **argv) {
  config cfg = {0};
  tram_options_init(&cfg.opts);
  cfg.fmt = -1;
  cfg.threads = 1;
  cfg.progress = -1;
  char **files = calloc((size_t)argc + 1, sizeof *files);
  if (!files) {
    fprintf(stderr, "%s: out of memory\n", cli_prog);
    return CLI_FAIL;
  }
  int status = CLI_USAGE;
  bool only_files = false;
  static const struct {
    const char *name;
    uint32_t flag;
  } flags[] = {{"--fold-accents", TRAM_OPT_FOLD_ACCENTS},
               {"--no-stem", TRAM_OPT_NO_STEM},
               {"--no-entities", TRAM_OPT_NO_ENTITIES},
               {"--no-themes", TRAM_OPT_NO_THEMES},
               {"--strict-utf8", TRAM_OPT_STRICT_UTF8}};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *val = NULL;
    int m = 0;
    if (only_files || a[0] != '-' || a[1] == 0) {
      files[cfg.nfiles++] = argv[i];
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_files = true;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      status = CLI_OK;
      goto out;
    } else if (strcmp(a, "--version") == 0) {
      printf("tramuntana %s (JSON schema %s)\n", tram_version(), tram_schema());
      status = CLI_OK;
      goto out;
    } else if ((m = opt_value(argc, argv, &i, "-l", "--lang", &val))) {
      if (m < 0)
        goto missing;
      int l = m > 0 ? tram_lang_from_code(val) : -1;
      if (l < 0 || l == TRAM_LANG_OTHER) {
        fprintf(stderr, "%s: --lang wants auto, fr, es or ca, not '%s'\n",
                cli_prog, val ? val : "");
        goto out;
      }
      cfg.opts.lang = l;
    } else if ((m = opt_value(argc, argv, &i, "-f", "--format", &val))) {
      if (m < 0)
        goto missing;
      cfg.fmt = -1;
      for (int k = 0; m > 0 && k < FMT_COUNT; k++)
        if (strcmp(val, fmt_names[k]) == 0)
          cfg.fmt = k;
      if (cfg.fmt < 0) {
        fprintf(stderr,
                "%s: --format wants text, json, tsv, conllu or stats, not "
                "'%s'\n",
                cli_prog, val ? val : "");
        goto out;
      }
    } else if ((m = opt_value(argc, argv, &i, "-i", "--input", &val))) {
      if (m < 0)
        goto missing;
      if (m > 0 && (strcmp(val, "files") == 0 || strcmp(val, "text") == 0))
        cfg.input = IN_FILES;
      else if (m > 0 && strcmp(val, "jsonl") == 0)
        cfg.input = IN_JSONL;
      else {
        fprintf(stderr, "%s: --input wants files or jsonl, not '%s'\n",
                cli_prog, val ? val : "");
        goto out;
      }
    } else if ((m = opt_value(argc, argv, &i, "-j", "--jobs", &val))) {
      if (m < 0)
        goto missing;
      char *end = NULL;
      long n = m > 0 ? strtol(val, &end, 10) : -1;
      if (m < 0 || end == val || *end || n < 0 || n > MAX_THREADS) {
        fprintf(stderr, "%s: --jobs wants a number from 0 to %d, not '%s'\n",
                cli_prog, MAX_THREADS, val ? val : "");
        goto out;
      }
      if (n == 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN);
        if (n < 1)
          n = 1;
        if (n > MAX_THREADS)
          n = MAX_THREADS;
      }
      cfg.threads = (int)n;
    } else if (strcmp(a, "--progress") == 0) {
      cfg.progress = 1;
    } else if (strcmp(a, "--no-progress") == 0) {
      cfg.progress = 0;
    } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
      cfg.quiet = true;
    } else {
      bool known = false;
      for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++)
        if (strcmp(a, flags[k].name) == 0) {
          cfg.opts.flags |= flags[k].flag;
          known = true;
        }
      if (!known && (m = opt_value(argc, argv, &i, NULL, "--model", &val))) {
        if (m < 0)
          goto missing;
        cfg.model_path = val;
        known = true;
      }
      if (!known) {
        fprintf(stderr, "%s: unknown option '%s' (try '%s analyze --help')\n",
                cli_prog, a, cli_prog);
        goto out;
      }
    }
    continue;
  missing:
    fprintf(stderr, "%s: option '%s' wants a value\n", cli_prog, a);
    goto out;
  }
  if (cfg.nfiles == 0)
    files[cfg.nfiles++] = "-";
  cfg.files = files;
  if (cfg.fmt < 0)
    cfg.fmt = cfg.input == IN_JSONL ? FMT_JSON : FMT_TEXT;
  if (cfg.input == IN_JSONL && cfg.fmt != FMT_JSON && cfg.fmt != FMT_STATS) {
    fprintf(stderr, "%s: --input jsonl writes json or stats, not %s\n",
            cli_prog, fmt_names[cfg.fmt]);
    goto out;
  }
  status =
      run_all(&cfg, !cfg.quiet && (cfg.input == IN_JSONL || cfg.progress == 1));
out:
  free(files);
  return status;
}

int cli_demo(const char *article) {
  config cfg = {0};
  tram_options_init(&cfg.opts);
  cfg.fmt = FMT_TEXT;
  cfg.threads = 1;
  cfg.progress = 0;
  char *files[] = {(char *)article};
  cfg.files = files;
  cfg.nfiles = 1;
  printf("tramuntana %s: the bundled article, analysed with the embedded "
         "model\n\n",
         tram_version());
  fflush(stdout);
  double t0 = cli_now();
  int status = run_all(&cfg, false);
  if (status == CLI_OK)
    printf("\n(%.1f ms, model loading included; try '%s analyze --help')\n",
           (cli_now() - t0) * 1e3, cli_prog);
  return status;
}
