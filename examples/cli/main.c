/*
 * tramuntana — command-line front end of libtramuntana.
 *
 *   tramuntana                      analyse the bundled article, summary
 *   tramuntana analyze [OPTIONS] [FILE|-]...
 *   tramuntana --help | --version
 *
 * Each FILE is one document. Output formats: text (summary), json (one
 * object per document, one per line), tsv, conllu, stats (counts and
 * throughput only).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tramuntana.h"

#define ARTICLE "mouves-euroregion-fr.txt"

static const char *prog = "tramuntana";

static void usage(FILE *f) {
  fprintf(f,
          "usage: %s [analyze [OPTIONS] [FILE|-]...]\n"
          "\n"
          "With no arguments, analyses the bundled article and prints a "
          "summary.\n"
          "\n"
          "analyze options:\n"
          "  -l, --lang L       fr, es, ca or auto (default auto)\n"
          "  -f, --format F     text, json, tsv, conllu or stats "
          "(default text)\n"
          "      --fold-accents norms without diacritics\n"
          "      --no-stem      skip stemming\n"
          "      --strict-utf8  reject invalid UTF-8 instead of reading "
          "U+FFFD\n"
          "      --model PATH   load a model file instead of the embedded "
          "one\n"
          "  -h, --help         this help\n"
          "      --version      library and schema versions\n",
          prog);
}

/* Reads a whole file ("-" = stdin). Returns 0 or an errno value. */
static int slurp(const char *path, char **out, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f)
    return errno ? errno : EIO;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  for (;;) {
    if (!b)
      break;
    size_t k = fread(b + n, 1, cap - n, f);
    n += k;
    if (n < cap) {
      if (ferror(f)) {
        free(b);
        b = NULL;
      }
      break;
    }
    char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
    if (!nb) {
      free(b);
      b = NULL;
      errno = ENOMEM;
      break;
    }
    b = nb;
    cap *= 2;
  }
  int err = b ? 0 : (errno ? errno : EIO);
  if (f != stdin)
    fclose(f);
  *out = b;
  *len = n;
  return err;
}

/* The bundled article: next to the binary, then the install prefix. */
static const char *find_article(char *buf, size_t size) {
  char exe[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe[n] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      const char *rel[] = {"/examples/", "/../examples/",
                           "/../share/tramuntana/examples/"};
      for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(buf, size, "%s%s%s", exe, rel[i], ARTICLE);
        if (access(buf, R_OK) == 0)
          return buf;
      }
    }
  }
  snprintf(buf, size, "%s/%s", TRAM_EXAMPLES_DIR, ARTICLE);
  return access(buf, R_OK) == 0 ? buf : NULL;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum { FMT_TEXT, FMT_JSON, FMT_TSV, FMT_CONLLU, FMT_STATS };

typedef struct stats {
  size_t docs, bytes, tokens, sentences;
  double seconds;
} stats;

static int run_one(tram_analyzer *an, const char *path, int fmt, stats *st) {
  char *text;
  size_t len;
  int e = slurp(path, &text, &len);
  if (e) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(e));
    return 1;
  }
  tram_doc *doc;
  double t0 = now();
  int rc = tram_analyze(an, text, len, &doc);
  st->seconds += now() - t0;
  free(text);
  if (rc) {
    fprintf(stderr, "%s: %s: %s: %s\n", prog, path, tram_strerror(rc),
            tram_analyzer_errmsg(an));
    return 1;
  }
  size_t nt, ns;
  tram_doc_tokens(doc, &nt);
  tram_doc_sentences(doc, &ns);
  st->docs++;
  st->bytes += len;
  st->tokens += nt;
  st->sentences += ns;
  if (fmt != FMT_STATS) {
    static const int formats[] = {TRAM_FORMAT_TEXT, TRAM_FORMAT_JSON,
                                  TRAM_FORMAT_TSV, TRAM_FORMAT_CONLLU};
    char *out;
    size_t olen;
    rc = tram_doc_write(doc, formats[fmt], &out, &olen);
    if (rc) {
      fprintf(stderr, "%s: %s: %s\n", prog, path, tram_strerror(rc));
      tram_doc_free(doc);
      return 1;
    }
    if (fmt == FMT_TEXT)
      printf("== %s\n", path);
    fwrite(out, 1, olen, stdout);
    tram_free(out);
  }
  tram_doc_free(doc);
  return 0;
}

int main(int argc, char **argv) {
  tram_options opts;
  tram_options_init(&opts);
  int fmt = FMT_TEXT;
  const char *model_path = NULL;
  char article[PATH_MAX + 64];
  const char *files[4096];
  int nfiles = 0;
  int i = 1;
  if (argc > 1 && strcmp(argv[1], "analyze") == 0)
    i = 2;
  else if (argc > 1 && argv[1][0] != '-') {
    fprintf(stderr, "%s: unknown command '%s' (try --help)\n", prog, argv[1]);
    return 2;
  }
  for (; i < argc; i++) {
    const char *a = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--version") == 0) {
      printf("tramuntana %s (schema %s)\n", tram_version(), tram_schema());
      return 0;
    } else if (strcmp(a, "-l") == 0 || strcmp(a, "--lang") == 0) {
      int l = val ? tram_lang_from_code(val) : -1;
      if (l < 0 || l == TRAM_LANG_OTHER || l == TRAM_LANG_OC) {
        fprintf(stderr, "%s: --lang wants fr, es, ca or auto, not '%s'\n",
                prog, val ? val : "");
        return 2;
      }
      opts.lang = l;
      i++;
    } else if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
      static const char *names[] = {"text", "json", "tsv", "conllu", "stats"};
      fmt = -1;
      for (int k = 0; val && k < 5; k++)
        if (strcmp(val, names[k]) == 0)
          fmt = k;
      if (fmt < 0) {
        fprintf(stderr,
                "%s: --format wants text, json, tsv, conllu or stats, not "
                "'%s'\n",
                prog, val ? val : "");
        return 2;
      }
      i++;
    } else if (strcmp(a, "--fold-accents") == 0) {
      opts.flags |= TRAM_OPT_FOLD_ACCENTS;
    } else if (strcmp(a, "--no-stem") == 0) {
      opts.flags |= TRAM_OPT_NO_STEM;
    } else if (strcmp(a, "--strict-utf8") == 0) {
      opts.flags |= TRAM_OPT_STRICT_UTF8;
    } else if (strcmp(a, "--model") == 0) {
      if (!val) {
        fprintf(stderr, "%s: --model wants a path\n", prog);
        return 2;
      }
      model_path = val;
      i++;
    } else if (a[0] == '-' && a[1] != 0) {
      fprintf(stderr, "%s: unknown option '%s' (try --help)\n", prog, a);
      return 2;
    } else if (nfiles < (int)(sizeof files / sizeof files[0])) {
      files[nfiles++] = a;
    } else {
      fprintf(stderr, "%s: too many files\n", prog);
      return 2;
    }
  }
  if (nfiles == 0) {
    if (argc > 1 && strcmp(argv[1], "analyze") == 0) {
      files[nfiles++] = "-";
    } else {
      const char *p = find_article(article, sizeof article);
      if (!p) {
        fprintf(stderr, "%s: bundled article %s not found\n", prog, ARTICLE);
        return 1;
      }
      files[nfiles++] = p;
    }
  }
  tram_model *model;
  tram_error err = {0};
  int rc = model_path ? tram_model_load(model_path, &model, &err)
                      : tram_model_new_default(&model);
  if (rc) {
    fprintf(stderr, "%s: cannot load model%s%s: %s%s%s\n", prog,
            model_path ? " " : "", model_path ? model_path : "",
            tram_strerror(rc), err.message[0] ? ": " : "", err.message);
    return 1;
  }
  tram_analyzer *an;
  rc = tram_analyzer_new(model, &opts, &an);
  if (rc) {
    fprintf(stderr, "%s: %s\n", prog, tram_strerror(rc));
    tram_model_free(model);
    return 1;
  }
  stats st = {0};
  int status = 0;
  for (int k = 0; k < nfiles; k++)
    status |= run_one(an, files[k], fmt, &st);
  if (fmt == FMT_STATS) {
    double mb = (double)st.bytes / 1e6;
    printf("documents\t%zu\nbytes\t%zu\nsentences\t%zu\ntokens\t%zu\n"
           "seconds\t%.3f\nMB/s\t%.2f\ntokens/s\t%.0f\n",
           st.docs, st.bytes, st.sentences, st.tokens, st.seconds,
           st.seconds > 0 ? mb / st.seconds : 0,
           st.seconds > 0 ? (double)st.tokens / st.seconds : 0);
  }
  tram_analyzer_free(an);
  tram_model_free(model);
  return status;
}
