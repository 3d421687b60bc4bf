/*
 * json_validate — checks that each file named (or stdin) is valid JSON
 * Lines: every non-empty line one valid JSON value (json_check.h). Prints
 * the first problem and exits 1; exits 0 with a count otherwise. Used by
 * the test that runs the CLI over the bundled article.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_check.h"

static int check_stream(FILE *f, const char *name, size_t *docs) {
  char *line = NULL;
  size_t cap = 0, lineno = 0;
  int rc = 0;
  for (;;) {
    /* getline is POSIX; read by hand to stay in C11. */
    size_t n = 0;
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n') {
      if (n + 1 >= cap) {
        cap = cap ? cap * 2 : 4096;
        char *nl = realloc(line, cap);
        if (!nl) {
          free(line);
          fprintf(stderr, "%s: out of memory\n", name);
          return 1;
        }
        line = nl;
      }
      line[n++] = (char)c;
    }
    if (c == EOF && n == 0)
      break;
    lineno++;
    if (n == 0)
      continue;
    size_t at;
    const char *why = json_check(line, n, &at);
    if (why) {
      fprintf(stderr, "%s:%zu: byte %zu: %s\n", name, lineno, at, why);
      rc = 1;
      break;
    }
    (*docs)++;
    if (c == EOF)
      break;
  }
  free(line);
  return rc;
}

int main(int argc, char **argv) {
  size_t docs = 0;
  int rc = 0;
  if (argc < 2)
    rc = check_stream(stdin, "<stdin>", &docs);
  for (int i = 1; i < argc && !rc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "json_validate: cannot open %s\n", argv[i]);
      return 1;
    }
    rc = check_stream(f, argv[i], &docs);
    fclose(f);
  }
  if (!rc && docs == 0) {
    fprintf(stderr, "json_validate: no JSON document found\n");
    return 1;
  }
  if (!rc)
    printf("%zu valid JSON documents\n", docs);
  return rc;
}
