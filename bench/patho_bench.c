/*
 * patho_bench — time and memory of the pathological inputs
 * (tests/unit/patho_inputs.h) against ordinary prose.
 *
 *   patho_bench [MB [NAME...]]
 *
 * Each input of MB megabytes (default 10) is analysed once in a child
 * process (so peak RSS is its own) with a fresh analyzer on the default
 * model, automatic language; the prose baseline is the bundled article
 * repeated (found through TRAM_SOURCE_DIR, or ./examples/). Prints one row per
 * input: seconds per MB (CPU), ratio to prose, tokens, peak RSS in MB, and
 * whether it met the target (at most 3x prose). A child that takes more
 * than 60 s per MB is stopped and reported as "timeout". Exits 1 if a row
 * misses the target.
 */
#define _DEFAULT_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tests/unit/patho_inputs.h"
#include "tramuntana.h"

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *read_prose(size_t *len) {
  const char *dir = getenv("TRAM_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/examples/mouves-euroregion-fr.txt",
           dir ? dir : ".");
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "patho_bench: cannot open %s\n", path);
    exit(2);
  }
  char *b = malloc(1 << 20);
  *len = fread(b, 1, 1 << 20, f);
  fclose(f);
  return b;
}

/* In a child: analyse input i at n bytes, write "seconds tokens" to fd. */
static void child(size_t i, size_t n, const char *prose, size_t plen, int fd) {
  char *buf = malloc(n + 1);
  if (!buf)
    _exit(3);
  size_t len = patho_fill(i, buf, n, prose, plen);
  tram_model *m;
  tram_analyzer *an;
  if (tram_model_new_default(&m) || tram_analyzer_new(m, NULL, &an))
    _exit(4);
  double t0 = cpu_now();
  tram_doc *doc;
  int rc = tram_analyze(an, buf, len, &doc);
  double t = cpu_now() - t0;
  if (rc) {
    fprintf(stderr, "%s: %s\n", patho_inputs[i].name, tram_analyzer_errmsg(an));
    _exit(5);
  }
  size_t nt;
  tram_doc_tokens(doc, &nt);
  char line[128];
  int k = snprintf(line, sizeof line, "%.6f %zu\n", t, nt);
  if (write(fd, line, (size_t)k) != k)
    _exit(6);
  _exit(0);
}

int main(int argc, char **argv) {
  double mb = argc > 1 ? atof(argv[1]) : 10.0;
  size_t n = (size_t)(mb * 1048576.0);
  size_t plen;
  char *prose = read_prose(&plen);
  double prose_s = 0;
  int missed = 0;
  printf("%-12s %10s %8s %10s %9s  %s\n", "input", "s/MB", "x prose", "tokens",
         "RSS MB", "target <= 3x");
  for (size_t i = 0; i < PATHO_COUNT; i++) {
    if (argc > 2 && i > 0) {
      int want = 0;
      for (int a = 2; a < argc; a++)
        want |= strcmp(argv[a], patho_inputs[i].name) == 0;
      if (!want)
        continue;
    }
    int fds[2];
    if (pipe(fds) != 0)
      return 2;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      alarm((unsigned)(60 * mb + 10));
      child(i, n, prose, plen, fds[1]);
    }
    close(fds[1]);
    char line[128] = "";
    ssize_t got = read(fds[0], line, sizeof line - 1);
    close(fds[0]);
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0)
      return 2;
    double rss = (double)ru.ru_maxrss / 1024.0;
    double t = 0;
    size_t nt = 0;
    if (got <= 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        sscanf(line, "%lf %zu", &t, &nt) != 2) {
      printf("%-12s %10s %8s %10s %9.0f  %s\n", patho_inputs[i].name, "-", "-",
             "-", rss,
             WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM ? "timeout"
                                                                : "FAILED");
      missed = 1;
      continue;
    }
    double per_mb = t / mb;
    if (i == 0)
      prose_s = per_mb;
    double ratio = prose_s > 0 ? per_mb / prose_s : 0;
    int ok = ratio <= 3.0;
    missed |= !ok;
    printf("%-12s %10.3f %8.2f %10zu %9.0f  %s\n", patho_inputs[i].name, per_mb,
           ratio, nt, rss, ok ? "ok" : "MISSED");
  }
  free(prose);
  return missed;
}
