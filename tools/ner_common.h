/*
 * ner_common.h — shared by tools/ner_train.c and tools/ner_eval.c: reading
 * two-column IOB2 .conll files (token<TAB>tag, blank line between
 * sentences) into pseudo-documents, and exact-span scoring with the
 * CoNLL definition (a chunk starts at B-X, or at I-X after another type or
 * O; a predicted entity counts only if its type, first and last token all
 * match a gold one; P = correct / predicted, R = correct / gold,
 * F1 = 2PR / (P + R)).
 *
 * The .conll files carry no document boundaries, so consecutive sentences
 * are grouped into blocks of `block` sentences that play the role of
 * documents for the document-level features.
 */
#ifndef TRAM_NER_COMMON_H
#define TRAM_NER_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ner/ner.h"

typedef struct conll_doc {
  tram_ner_tok *toks;
  uint8_t *gold;
  size_t n;
} conll_doc;

typedef struct conll_set {
  char *text; /* file contents, tokens point into it */
  conll_doc *docs;
  size_t ndocs, ntoks;
} conll_set;

static int parse_label(const char *s, size_t n) {
  static const char *const types[] = {"PER", "LOC", "ORG", "MISC"};
  if (n < 3 || (s[0] != 'B' && s[0] != 'I') || s[1] != '-')
    return 0;
  for (int t = 0; t < 4; t++)
    if (strlen(types[t]) == n - 2 && memcmp(types[t], s + 2, n - 2) == 0)
      return s[0] == 'B' ? TRAM_NER_B(t) : TRAM_NER_I(t);
  return 0;
}

static char *slurp_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  if (b) {
    b[n] = 0;
    *len = (size_t)n;
  }
  return b;
}

/* Reads a .conll file; sentences [from, to) of every `modulo` block only
 * when modulo > 0 (deterministic split: block index % modulo in [from,to)).
 */
static int conll_read(const char *path, size_t block, conll_set *set,
                      size_t modulo, size_t from, size_t to) {
  size_t len;
  char *text = slurp_file(path, &len);
  if (!text) {
    fprintf(stderr, "cannot read %s\n", path);
    return -1;
  }
  memset(set, 0, sizeof *set);
  set->text = text;
  size_t cap = 0, dcap = 0;
  tram_ner_tok *toks = NULL;
  uint8_t *gold = NULL;
  size_t n = 0, sents = 0, blockno = 0;
  bool start = true;
  char *p = text, *end = text + len;
  while (p <= end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl)
      nl = end;
    size_t ll = (size_t)(nl - p);
    if (ll && p[ll - 1] == '\r')
      ll--;
    bool keep =
        modulo == 0 || (blockno % modulo >= from && blockno % modulo < to);
    if (ll == 0) {
      if (!start) {
        sents++;
        start = true;
      }
      if ((sents == block || nl == end) && n) {
        if (keep) {
          if (set->ndocs == dcap) {
            dcap = dcap ? 2 * dcap : 64;
            set->docs = realloc(set->docs, dcap * sizeof *set->docs);
          }
          set->docs[set->ndocs++] = (conll_doc){toks, gold, n};
          set->ntoks += n;
        } else {
          free(toks);
          free(gold);
        }
        toks = NULL;
        gold = NULL;
        n = cap = 0;
        sents = 0;
        blockno++;
      }
    } else {
      char *tab = memchr(p, '\t', ll);
      if (!tab)
        tab = memchr(p, ' ', ll);
      size_t wl = tab ? (size_t)(tab - p) : ll;
      if (n == cap) {
        cap = cap ? 2 * cap : 256;
        toks = realloc(toks, cap * sizeof *toks);
        gold = realloc(gold, cap);
      }
      memset(&toks[n], 0, sizeof toks[n]);
      toks[n].text = p;
      toks[n].len = (uint32_t)wl;
      toks[n].flags = start ? TRAM_NER_F_START : 0;
      gold[n] =
          tab ? (uint8_t)parse_label(tab + 1, (size_t)(p + ll - tab - 1)) : 0;
      n++;
      start = false;
    }
    if (nl == end)
      break;
    p = nl + 1;
  }
  if (n) {
    if (set->ndocs == dcap) {
      dcap = dcap ? 2 * dcap : 64;
      set->docs = realloc(set->docs, dcap * sizeof *set->docs);
    }
    set->docs[set->ndocs++] = (conll_doc){toks, gold, n};
    set->ntoks += n;
  }
  return 0;
}

__attribute__((unused)) static void conll_free(conll_set *s) {
  for (size_t i = 0; i < s->ndocs; i++) {
    free(s->docs[i].toks);
    free(s->docs[i].gold);
  }
  free(s->docs);
  free(s->text);
}

/* ---- scoring */
typedef struct ner_score {
  long gold[4], pred[4], ok[4];
} ner_score;

typedef struct chunk {
  size_t s, e;
  int type;
} chunk;

/* Chunks of a label sequence (CoNLL: I-X after O/other type starts one;
 * sentence starts end one). */
static size_t chunks(const tram_ner_tok *toks, const uint8_t *l, size_t n,
                     chunk *out) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (!l[i]) {
      i++;
      continue;
    }
    int t = TRAM_NER_TYPE(l[i]);
    size_t j = i + 1;
    while (j < n && l[j] == TRAM_NER_I(t) &&
           !(toks[j].flags & TRAM_NER_F_START))
      j++;
    out[k++] = (chunk){i, j, t};
    i = j;
  }
  return k;
}

static void score_add(ner_score *sc, const tram_ner_tok *toks,
                      const uint8_t *gold, const uint8_t *pred, size_t n) {
  chunk *g = malloc((n + 1) * sizeof *g), *p = malloc((n + 1) * sizeof *p);
  size_t ng = chunks(toks, gold, n, g), np = chunks(toks, pred, n, p);
  for (size_t i = 0; i < ng; i++)
    sc->gold[g[i].type]++;
  for (size_t i = 0; i < np; i++)
    sc->pred[p[i].type]++;
  size_t a = 0, b = 0;
  while (a < ng && b < np) {
    if (g[a].s == p[b].s) {
      if (g[a].e == p[b].e && g[a].type == p[b].type)
        sc->ok[g[a].type]++;
      a++;
      b++;
    } else if (g[a].s < p[b].s)
      a++;
    else
      b++;
  }
  free(g);
  free(p);
}

static double f1of(long ok, long pred, long gold, double *P, double *R) {
  double p = pred ? 100.0 * ok / pred : 0, r = gold ? 100.0 * ok / gold : 0;
  if (P)
    *P = p;
  if (R)
    *R = r;
  return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

__attribute__((unused)) static double score_overall(const ner_score *sc) {
  long ok = 0, pr = 0, go = 0;
  for (int t = 0; t < 4; t++) {
    ok += sc->ok[t];
    pr += sc->pred[t];
    go += sc->gold[t];
  }
  return f1of(ok, pr, go, NULL, NULL);
}

__attribute__((unused)) static void score_print(FILE *f, const char *title,
                                                const ner_score *sc) {
  static const char *const names[] = {"PER", "LOC", "ORG", "MISC"};
  fprintf(f,
          "%s\n| type | gold | pred | correct | P | R | F1 |\n"
          "|---|---:|---:|---:|---:|---:|---:|\n",
          title);
  long ok = 0, pr = 0, go = 0;
  for (int t = 0; t < 4; t++) {
    double P, R, F = f1of(sc->ok[t], sc->pred[t], sc->gold[t], &P, &R);
    if (sc->gold[t] || sc->pred[t])
      fprintf(f, "| %s | %ld | %ld | %ld | %.2f | %.2f | %.2f |\n", names[t],
              sc->gold[t], sc->pred[t], sc->ok[t], P, R, F);
    ok += sc->ok[t];
    pr += sc->pred[t];
    go += sc->gold[t];
  }
  double P, R, F = f1of(ok, pr, go, &P, &R);
  fprintf(f, "| **all** | %ld | %ld | %ld | %.2f | %.2f | **%.2f** |\n", go, pr,
          ok, P, R, F);
}

#endif
