/*
 * util.c — small helpers of the CLI: reading whole files, finding the
 * bundled article (next to the binary in a build tree, or under
 * <prefix>/share/tramuntana/examples once installed), a monotonic clock.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_prog = "tramuntana";

int cli_slurp_file(FILE *f, char **out, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  int err = 0;
  while (b) {
    size_t k = fread(b + n, 1, cap - n, f);
    n += k;
    if (n < cap) {
      if (ferror(f)) {
        err = errno ? errno : EIO;
        free(b);
        b = NULL;
      }
      break;
    }
    char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(b, cap * 2);
    if (!nb) {
      free(b);
      b = NULL;
      break;
    }
    b = nb;
    cap *= 2;
  }
  if (!b && !err)
    err = ENOMEM;
  *out = b;
  *len = b ? n : 0;
  return err;
}

int cli_slurp(const char *path, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  if (strcmp(path, "-") == 0)
    return cli_slurp_file(stdin, out, len);
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno ? errno : EIO;
  int err = cli_slurp_file(f, out, len);
  fclose(f);
  return err;
}

const char *cli_find_article(char *buf, size_t size) {
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
        snprintf(buf, size, "%s%s%s", exe, rel[i], CLI_ARTICLE);
        if (access(buf, R_OK) == 0)
          return buf;
      }
    }
  }
  snprintf(buf, size, "%s/%s", TRAM_EXAMPLES_DIR, CLI_ARTICLE);
  return access(buf, R_OK) == 0 ? buf : NULL;
}

double cli_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
