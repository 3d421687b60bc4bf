/*
 * langid.c — `tramuntana langid [--model PATH] [FILE|-]`: identifies the
 * language of every input line on its own (tram_identify) and prints one
 * line per input line, `code<TAB>confidence` (code: fr, es, ca, oc or
 * other; confidence in [0,1] with four decimals; an empty line or one
 * without letters gives "other" with confidence 0). Reads line by line, so
 * memory stays constant whatever the input size.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void langid_usage(FILE *f) {
  fprintf(f,
          "usage: %s langid [--model PATH] [FILE|-]\n"
          "\n"
          "Identifies the language of each line of FILE (default: standard\n"
          "input) and prints one line per input line: code<TAB>confidence,\n"
          "code one of fr, es, ca, oc, other.\n",
          cli_prog);
}

int cli_langid(int argc, char **argv) {
  const char *path = "-", *model_path = NULL;
  int nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      langid_usage(stdout);
      return CLI_OK;
    }
    if (!strcmp(argv[i], "--model") && i + 1 < argc) {
      model_path = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "%s langid: unknown option '%s'\n", cli_prog, argv[i]);
      langid_usage(stderr);
      return CLI_USAGE;
    } else {
      path = argv[i];
      nfiles++;
    }
  }
  if (nfiles > 1) {
    langid_usage(stderr);
    return CLI_USAGE;
  }
  tram_model *m = NULL;
  tram_error err;
  memset(&err, 0, sizeof err);
  int rc = model_path ? tram_model_load(model_path, &m, &err)
                      : tram_model_new_default(&m);
  if (rc) {
    fprintf(stderr, "%s langid: cannot load the model: %s%s%s\n", cli_prog,
            tram_strerror(rc), err.message[0] ? ": " : "", err.message);
    return CLI_FAIL;
  }
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) {
    fprintf(stderr, "%s langid: %s: %s\n", cli_prog, path, strerror(errno));
    tram_model_free(m);
    return CLI_FAIL;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int status = CLI_OK;
  while ((n = getline(&line, &cap, f)) >= 0) {
    size_t len = (size_t)n;
    if (len && line[len - 1] == '\n')
      len--;
    if (len && line[len - 1] == '\r')
      len--;
    int lang;
    double conf;
    rc = tram_identify(m, line, len, &lang, &conf);
    if (rc) {
      fprintf(stderr, "%s langid: %s\n", cli_prog, tram_strerror(rc));
      status = CLI_FAIL;
      break;
    }
    printf("%s\t%.4f\n", tram_lang_code(lang), conf);
  }
  if (ferror(f)) {
    fprintf(stderr, "%s langid: cannot read %s\n", cli_prog, path);
    status = CLI_FAIL;
  }
  free(line);
  if (f != stdin)
    fclose(f);
  tram_model_free(m);
  if (fflush(stdout) != 0)
    status = CLI_FAIL;
  return status;
}
