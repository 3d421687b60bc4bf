/*
 * langid_eval.c — evaluates language identification on one-sentence-per-
 * line files and compares it with other detectors' predictions.
 *
 *   langid_eval [-m MODEL] [-d DUMP] [-o OUT] [-e 1] [-D N]
 *               [-S NAME=PREDICTIONS ...]
 *               LABEL=FILE ...
 *
 * LABEL is the true language of every line of FILE: fr, es, ca, oc, or any
 * other code (it, pt, …), scored as "other". Each line is classified three
 * times: whole, cut to its first word and to its first two words (words =
 * whitespace-separated pieces holding a letter or digit; the cut keeps the
 * original text from the first such piece to the end of the last). MODEL is
 * a model file (container) or a bare "langid" section; the default is the
 * embedded model. With -d, the inputs are written to DUMP, one per line, in
 * the order every prediction file must follow (for each FILE, for each
 * line: whole, first word, first two words), and nothing is evaluated.
 * With -o FILE, each input's variant (sentence, 1 word, 2 words), truth,
 * prediction, confidence and length in code points go to FILE (TSV), for
 * calibration and policy studies. With -e 1, errors on whole lines and
 * two-word cuts go to stderr. Each -S file holds another system's predictions,
 * one code per line (fr, es, ca, oc, anything else = other).
 * With -D N, the lang=auto policy of tram_analyze is measured instead
 * (tools/eval-langid.sh, dev split): each file's lines are cut into
 * documents of N lines (joined by line breaks) and analysed whole; reported are
 * the documents and sentences given another language than the file's (sentences
 * of fewer than 15 characters take their document's on purpose), then, for
 * every document of a fr/es/ca file, the same document with a line of each
 * other fr/es/ca file put in its middle: how often that line's sentences get
 * their own language.
 *
 * Prints, per system: accuracy per language for the whole lines and both
 * cuts, accuracy per language and length bucket (≤ 20, 21–50, 51–100,
 * > 100 code points of the whole line), the confusion matrix of whole
 * lines; then one table of every system per length bucket, and the
 * accuracy ceiling of the cuts (the share of fr/es/ca cut inputs whose
 * label is the most frequent one for that exact input string: no
 * classifier that sees only the input can do better).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "langid.h"

enum { L_FR, L_ES, L_CA, L_OC, L_OTHER, NLAB };
static const char *const lab_name[NLAB] = {"fr", "es", "ca", "oc", "other"};
enum { V_FULL, V_W1, V_W2, NVAR };
static const char *const var_name[NVAR] = {"sentence", "1 word", "2 words"};
enum { NBUCKET = 4 };
static const char *const bucket_name[NBUCKET] = {"<=20", "21-50", "51-100",
                                                 ">100"};
#define MAXSYS 8

typedef struct item {
  char *s[NVAR];
  size_t n[NVAR];
  int label, bucket;
} item;

static int lab_of(const char *code, size_t n) {
  for (int i = 0; i < L_OTHER; i++)
    if (strlen(lab_name[i]) == n && !strncmp(code, lab_name[i], n))
      return i;
  return L_OTHER;
}

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "langid_eval: %s%s%s\n", msg, arg ? ": " : "",
          arg ? arg : "");
  exit(2);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    die("cannot open", path);
  size_t cap = 1 << 16, n = 0, k;
  char *d = malloc(cap);
  while (d && (k = fread(d + n, 1, cap - n - 1, f)) > 0) {
    n += k;
    if (cap - n < 2)
      d = realloc(d, cap *= 2);
  }
  fclose(f);
  if (!d)
    die("out of memory", NULL);
  d[n] = 0;
  *len = n;
  return d;
}

static bool is_word(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || (c >= '0' && c <= '9') ||
        ((c | 32) >= 'a' && (c | 32) <= 'z'))
      return true;
  }
  return false;
}

/* Cuts s to its first `words` words (see the header comment). */
static void cut(const char *s, size_t n, int words, const char **b,
                size_t *len) {
  size_t i = 0, start = n, end = n;
  int w = 0;
  while (i < n && w < words) {
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    size_t j = i;
    while (j < n && s[j] != ' ' && s[j] != '\t')
      j++;
    if (j > i && is_word(s + i, j - i)) {
      if (w++ == 0)
        start = i;
      end = j;
    }
    i = j;
  }
  if (start == n)
    start = end = 0;
  *b = s + start;
  *len = end - start;
}

static size_t cps(const char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    k += ((unsigned char)s[i] & 0xC0) != 0x80;
  return k;
}

static int by_string(const void *a, const void *b) {
  const char *const *x = a, *const *y = b;
  return strcmp(*x, *y);
}

/* Analyses text[0..n) with lang=auto; counts its sentences that overlap
 * bytes [from, to) and those of them labelled `want`. */
static int analyse(tram_analyzer *an, const char *text, size_t n, size_t from,
                   size_t to, int want, size_t *seen, size_t *right,
                   int *doclang) {
  tram_doc *d;
  if (tram_analyze(an, text, n, &d))
    die("analysis failed", NULL);
  size_t ns;
  const tram_sentence *s = tram_doc_sentences(d, &ns);
  for (size_t i = 0; i < ns; i++)
    if (s[i].end > from && s[i].start < to) {
      const char *code = tram_lang_code(s[i].lang);
      ++*seen;
      *right += lab_of(code, strlen(code)) == want;
    }
  const char *code = tram_lang_code(tram_doc_lang(d, NULL));
  *doclang = lab_of(code, strlen(code));
  tram_doc_free(d);
  return 0;
}

/* -D N: the document and sentence policy of lang=auto (header comment). */
static int policy(const item *items, size_t nitems, const char *model_path,
                  int docsize) {
  tram_model *m;
  tram_error err;
  if (model_path ? tram_model_load(model_path, &m, &err)
                 : tram_model_new_default(&m))
    die("cannot load the model (-D needs a whole model file)", model_path);
  tram_options o;
  tram_options_init(&o);
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES | TRAM_OPT_NO_STEM;
  tram_analyzer *an;
  if (tram_analyzer_new(m, &o, &an))
    die("cannot make an analyzer", NULL);
  size_t docs[NLAB] = {0}, docs_ok[NLAB] = {0}, sents[NLAB] = {0},
         sents_ok[NLAB] = {0}, ins[NLAB][NLAB] = {{0}},
         ins_ok[NLAB][NLAB] = {{0}};
  size_t cap = 1 << 16;
  char *buf = malloc(cap);
  for (size_t i = 0; i < nitems;) {
    size_t j = i;
    while (j < nitems && j - i < (size_t)docsize &&
           items[j].label == items[i].label)
      j++;
    int L = items[i].label, dl;
    /* The document alone. */
    size_t n = 0;
    for (size_t k = i; k < j; k++) {
      while (n + items[k].n[V_FULL] + 2 > cap)
        buf = realloc(buf, cap *= 2);
      memcpy(buf + n, items[k].s[V_FULL], items[k].n[V_FULL]);
      n += items[k].n[V_FULL];
      buf[n++] = '\n';
    }
    analyse(an, buf, n, 0, n, L, &sents[L], &sents_ok[L], &dl);
    docs[L]++;
    docs_ok[L] += dl == L;
    /* With a line of another language in the middle: the first line of
     * another fr/es/ca file at the same rank. */
    for (size_t q = 0; L <= L_CA && q < nitems; q++) {
      int M = items[q].label;
      if (M > L_CA || M == L || (q > 0 && items[q - 1].label == M))
        continue; /* q: the first line of each other file */
      size_t r = q + (i / (size_t)docsize) % 997;
      while (r >= nitems || items[r].label != M)
        r = r >= nitems ? q : r - 1;
      size_t mid = i + (j - i) / 2, from = 0, to = 0;
      n = 0;
      for (size_t k = i; k <= j; k++) {
        const item *it = k == mid ? &items[r] : k < j ? &items[k] : NULL;
        if (!it)
          break;
        while (n + it->n[V_FULL] + items[k < j ? k : i].n[V_FULL] + 4 > cap)
          buf = realloc(buf, cap *= 2);
        if (k == mid) {
          from = n;
          memcpy(buf + n, it->s[V_FULL], it->n[V_FULL]);
          n += it->n[V_FULL];
          to = n;
          buf[n++] = '\n';
          it = &items[k];
        }
        memcpy(buf + n, it->s[V_FULL], it->n[V_FULL]);
        n += it->n[V_FULL];
        buf[n++] = '\n';
      }
      size_t before = ins_ok[L][M];
      analyse(an, buf, n, from, to, M, &ins[L][M], &ins_ok[L][M], &dl);
      if (getenv("LANGID_EVAL_DEBUG") && ins_ok[L][M] == before)
        fprintf(stderr, "%s in %s missed: %.*s\n", lab_name[M], lab_name[L],
                (int)(to - from), buf + from);
    }
    i = j;
  }
  printf("## lang=auto policy, documents of %d lines\n\n", docsize);
  printf("| lang | documents | document right | sentences | sentence "
         "right |\n|---|---:|---:|---:|---:|\n");
  for (int L = 0; L < NLAB; L++)
    if (docs[L])
      printf("| %s | %zu | %.2f | %zu | %.2f |\n", lab_name[L], docs[L],
             100.0 * (double)docs_ok[L] / (double)docs[L], sents[L],
             sents[L] ? 100.0 * (double)sents_ok[L] / (double)sents[L] : 0);
  printf("\none line of another language in the middle of each document: "
         "its sentences given their own language (%%)\n\n| document \\ "
         "line | fr | es | ca |\n|---|---:|---:|---:|\n");
  for (int L = 0; L <= L_CA; L++) {
    if (!docs[L])
      continue;
    printf("| %s |", lab_name[L]);
    for (int M = 0; M <= L_CA; M++)
      printf(ins[L][M] ? " %.2f (%zu) |" : " - |",
             ins[L][M] ? 100.0 * (double)ins_ok[L][M] / (double)ins[L][M] : 0,
             ins[L][M]);
    printf("\n");
  }
  free(buf);
  tram_analyzer_free(an);
  tram_model_free(m);
  return 0;
}

int main(int argc, char **argv) {
  const char *model_path = NULL, *dump = NULL;
  int docsize = 0;
  bool errors = false;
  FILE *out = NULL;
  const char *sys_name[MAXSYS], *sys_file[MAXSYS];
  int nsys = 1;
  sys_name[0] = "tramuntana";
  int a = 1;
  for (; a < argc && argv[a][0] == '-'; a += 2) {
    if (a + 1 >= argc)
      die("missing value of", argv[a]);
    if (!strcmp(argv[a], "-m"))
      model_path = argv[a + 1];
    else if (!strcmp(argv[a], "-o")) {
      if (!(out = fopen(argv[a + 1], "w")))
        die("cannot write", argv[a + 1]);
    } else if (!strcmp(argv[a], "-e"))
      errors = argv[a + 1][0] == '1';
    else if (!strcmp(argv[a], "-d"))
      dump = argv[a + 1];
    else if (!strcmp(argv[a], "-D"))
      docsize = atoi(argv[a + 1]);
    else if (!strcmp(argv[a], "-S") && nsys < MAXSYS) {
      char *eq = strchr(argv[a + 1], '=');
      if (!eq)
        die("expected NAME=FILE", argv[a + 1]);
      *eq = 0;
      sys_name[nsys] = argv[a + 1];
      sys_file[nsys++] = eq + 1;
    } else
      die("unknown option", argv[a]);
  }
  if (a >= argc)
    die("usage: langid_eval [-m MODEL] [-d DUMP] [-o OUT] [-e 1] [-D N] "
        "[-S NAME=PRED ...] "
        "LABEL=FILE ...",
        NULL);

  /* Inputs. */
  item *items = NULL;
  size_t nitems = 0, cap = 0;
  for (int k = a; k < argc; k++) {
    char *eq = strchr(argv[k], '=');
    if (!eq)
      die("expected LABEL=FILE", argv[k]);
    int label = lab_of(argv[k], (size_t)(eq - argv[k]));
    size_t len;
    char *d = slurp(eq + 1, &len);
    for (char *s = d; s < d + len;) {
      char *nl = memchr(s, '\n', (size_t)(d + len - s));
      char *e = nl ? nl : d + len;
      *e = 0;
      if (e > s) {
        if (nitems == cap) {
          items = realloc(items, (cap = cap ? 2 * cap : 4096) * sizeof *items);
          if (!items)
            die("out of memory", NULL);
        }
        item *it = &items[nitems++];
        it->label = label;
        it->s[V_FULL] = s;
        it->n[V_FULL] = (size_t)(e - s);
        for (int v = V_W1; v <= V_W2; v++) {
          const char *b;
          cut(s, it->n[V_FULL], v, &b, &it->n[v]);
          it->s[v] = (char *)b;
        }
        size_t c = cps(s, it->n[V_FULL]);
        it->bucket = c <= 20 ? 0 : c <= 50 ? 1 : c <= 100 ? 2 : 3;
      }
      s = e + 1;
    }
  }
  if (dump) {
    FILE *f = fopen(dump, "wb");
    if (!f)
      die("cannot write", dump);
    for (size_t i = 0; i < nitems; i++)
      for (int v = 0; v < NVAR; v++)
        fprintf(f, "%.*s\n", (int)items[i].n[v], items[i].s[v]);
    return fclose(f) ? 1 : 0;
  }

  if (docsize > 0)
    return policy(items, nitems, model_path, docsize);

  /* Predictions: ours, then each -S file. */
  unsigned char *pred = malloc(nitems * NVAR * (size_t)nsys);
  if (!pred)
    die("out of memory", NULL);
  tram_model *m = NULL;
  tram_langid *bare = NULL;
  const tram_langid *li;
  tram_error err;
  if (model_path) {
    size_t len;
    char *d = slurp(model_path, &len);
    int rc = len >= 8 && !memcmp(d, "TRAMMODL", 8)
                 ? tram_model_load(model_path, &m, &err)
                 : tram__langid_load(d, len, &bare, &err);
    if (rc)
      die("cannot load the model", err.message);
    li = m ? m->langid : bare;
    if (!bare)
      free(d);
  } else {
    if (tram_model_new_default(&m))
      die("cannot load the default model", NULL);
    li = m->langid;
  }
  if (!li)
    die("the model has no langid section", NULL);
  clock_t t0 = clock();
  size_t bytes = 0;
  for (size_t i = 0; i < nitems; i++)
    for (int v = 0; v < NVAR; v++) {
      int l;
      double c;
      tram__langid_classify(li, items[i].s[v], items[i].n[v], &l, &c);
      const char *code = tram_lang_code(l);
      pred[(i * NVAR + (size_t)v) * (size_t)nsys] =
          (unsigned char)lab_of(code, strlen(code));
      if (out)
        fprintf(out, "%s\t%s\t%s\t%.6f\t%zu\n", var_name[v],
                lab_name[items[i].label], code, c,
                cps(items[i].s[v], items[i].n[v]));
      if (errors && v != V_W1 && lab_of(code, strlen(code)) != items[i].label)
        fprintf(stderr, "%s %s->%s %.3f\t%.*s\n", var_name[v],
                lab_name[items[i].label], code, c, (int)items[i].n[v],
                items[i].s[v]);
      bytes += items[i].n[v];
    }
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  if (out)
    fclose(out);
  for (int s = 1; s < nsys; s++) {
    size_t len;
    char *d = slurp(sys_file[s], &len);
    size_t k = 0;
    for (char *p = d; p < d + len && k < nitems * NVAR;) {
      char *nl = memchr(p, '\n', (size_t)(d + len - p));
      char *e = nl ? nl : d + len;
      pred[k++ * (size_t)nsys + (size_t)s] =
          (unsigned char)lab_of(p, (size_t)(e - p));
      p = e + 1;
    }
    if (k != nitems * NVAR)
      die("prediction file has the wrong number of lines", sys_file[s]);
    free(d);
  }

  /* Tables. */
  static size_t tot[NLAB][NVAR][NBUCKET], ok[MAXSYS][NLAB][NVAR][NBUCKET];
  static size_t conf[MAXSYS][NLAB][NLAB];
  for (size_t i = 0; i < nitems; i++)
    for (int v = 0; v < NVAR; v++) {
      int L = items[i].label, b = items[i].bucket;
      tot[L][v][b]++;
      for (int s = 0; s < nsys; s++) {
        int p = pred[(i * NVAR + (size_t)v) * (size_t)nsys + (size_t)s];
        ok[s][L][v][b] += p == L;
        if (v == V_FULL)
          conf[s][L][p]++;
      }
    }
#define PCT(num, den) ((den) ? 100.0 * (double)(num) / (double)(den) : 0.0)
  for (int s = 0; s < nsys; s++) {
    printf("\n## %s\n\n", sys_name[s]);
    printf("| lang | lines | sentence | 1 word | 2 words |");
    for (int b = 0; b < NBUCKET; b++)
      printf(" %s |", bucket_name[b]);
    printf("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int L = 0; L < NLAB; L++) {
      size_t n = 0;
      for (int b = 0; b < NBUCKET; b++)
        n += tot[L][V_FULL][b];
      if (!n)
        continue;
      printf("| %s | %zu |", lab_name[L], n);
      for (int v = 0; v < NVAR; v++) {
        size_t k = 0;
        for (int b = 0; b < NBUCKET; b++)
          k += ok[s][L][v][b];
        printf(" %.2f |", PCT(k, n));
      }
      for (int b = 0; b < NBUCKET; b++) {
        if (tot[L][V_FULL][b])
          printf(" %.2f (%zu) |", PCT(ok[s][L][V_FULL][b], tot[L][V_FULL][b]),
                 tot[L][V_FULL][b]);
        else
          printf(" - |");
      }
      printf("\n");
    }
    printf("\nconfusion, whole lines (row = truth, column = prediction, %%)"
           "\n\n| truth \\ pred |");
    for (int p = 0; p < NLAB; p++)
      printf(" %s |", lab_name[p]);
    printf("\n|---|---:|---:|---:|---:|---:|\n");
    for (int L = 0; L < NLAB; L++) {
      size_t n = 0;
      for (int p = 0; p < NLAB; p++)
        n += conf[s][L][p];
      if (!n)
        continue;
      printf("| %s |", lab_name[L]);
      for (int p = 0; p < NLAB; p++)
        printf(" %.2f |", PCT(conf[s][L][p], n));
      printf("\n");
    }
  }
  printf("\n## all systems, whole lines, accuracy per length bucket "
         "(all labels / fr+es+ca)\n\n| system |");
  for (int b = 0; b < NBUCKET; b++)
    printf(" %s |", bucket_name[b]);
  printf(" 1 word fr+es+ca | 2 words fr+es+ca |\n|---|---:|---:|---:|---:|"
         "---:|---:|\n");
  for (int s = 0; s < nsys; s++) {
    printf("| %s |", sys_name[s]);
    for (int b = 0; b < NBUCKET; b++) {
      size_t n = 0, k = 0, n3 = 0, k3 = 0;
      for (int L = 0; L < NLAB; L++) {
        n += tot[L][V_FULL][b];
        k += ok[s][L][V_FULL][b];
        if (L <= L_CA) {
          n3 += tot[L][V_FULL][b];
          k3 += ok[s][L][V_FULL][b];
        }
      }
      printf(" %.2f / %.2f |", PCT(k, n), PCT(k3, n3));
    }
    for (int v = V_W1; v <= V_W2; v++) {
      size_t n = 0, k = 0;
      for (int L = 0; L <= L_CA; L++)
        for (int b = 0; b < NBUCKET; b++) {
          n += tot[L][v][b];
          k += ok[s][L][v][b];
        }
      printf(" %.2f |", PCT(k, n));
    }
    printf("\n");
  }

  /* Ceiling of the cuts over fr/es/ca: the majority label per string. */
  printf("\nceiling of the cuts on fr+es+ca (majority label per exact "
         "input):");
  for (int v = V_W1; v <= V_W2; v++) {
    size_t n = 0;
    char **keys = malloc(nitems * sizeof *keys);
    for (size_t i = 0; i < nitems; i++) {
      if (items[i].label > L_CA)
        continue;
      keys[n] = malloc(items[i].n[v] + 3);
      memcpy(keys[n], items[i].s[v], items[i].n[v]);
      keys[n][items[i].n[v]] = '\t';
      keys[n][items[i].n[v] + 1] = (char)('0' + items[i].label);
      keys[n][items[i].n[v] + 2] = 0;
      n++;
    }
    qsort(keys, n, sizeof *keys, by_string);
    size_t best = 0;
    for (size_t i = 0; i < n;) {
      size_t kl = strlen(keys[i]) - 2, j = i, top = 0;
      while (j < n && strlen(keys[j]) - 2 == kl &&
             !memcmp(keys[j], keys[i], kl)) {
        size_t r = j;
        while (r < n && !strcmp(keys[r], keys[j]))
          r++;
        top = r - j > top ? r - j : top;
        j = r;
      }
      best += top;
      i = j;
    }
    printf(" %s %.2f%%", var_name[v], PCT(best, n));
    for (size_t i = 0; i < n; i++)
      free(keys[i]);
    free(keys);
  }
  printf("\n\ntramuntana speed: %zu inputs, %.1f MB/s, %.2f us per input\n",
         nitems * NVAR, secs > 0 ? (double)bytes / secs / 1e6 : 0,
         1e6 * secs / (double)(nitems * NVAR));
  tram_model_free(m);
  tram__langid_free(bare);
  free(pred);
  free(items);
  return 0;
}
