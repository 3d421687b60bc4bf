/* Snowball agreement: every word of the Snowball project's vocabularies
 * (../shared/data/snowball/<language>/voc.txt → output.txt), analysed with
 * the language fixed, must come out as one word token whose norm is the
 * word and whose stem is the expected one — through the library's whole
 * path (decode, segment, tokenize, normalize, stem cache). Words are fed in
 * batches of lines; a batch the tokenizer does not cut one token per line
 * is re-run word by word, and a word it still splits is stemmed through
 * tram__stem (the stage's own call) and counted apart. Skips (77) without
 * ../shared. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BATCH 400

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  ck_assert_ptr_nonnull(s);
  ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
  s[n] = 0;
  fclose(f);
  *len = (size_t)n;
  return s;
}

/* Splits s in place into lines; returns their count. */
static size_t lines_of(char *s, char ***out) {
  size_t n = 0, cap = 1024;
  char **v = malloc(cap * sizeof *v);
  for (char *p = s; *p;) {
    char *e = strchr(p, '\n');
    if (e)
      *e = 0;
    if (n == cap)
      v = realloc(v, (cap *= 2) * sizeof *v);
    v[n++] = p;
    if (!e)
      break;
    p = e + 1;
  }
  *out = v;
  return n;
}

typedef struct counts {
  size_t agree, disagree, split;
} counts;

static void check_word(tram_analyzer *an, int lang, const char *word,
                       const char *norm, const char *stem, const char *expected,
                       counts *c) {
  if (strcmp(norm, word) == 0 && strcmp(stem, expected) == 0) {
    c->agree++;
    return;
  }
  if (c->disagree++ < 10)
    fprintf(stderr, "%s: %s → norm %s stem %s, expected %s\n",
            tram_lang_code(lang), word, norm, stem, expected);
  (void)an;
}

static void one_by_one(tram_analyzer *an, int lang, char **voc, char **out,
                       size_t first, size_t n, counts *c) {
  for (size_t i = first; i < first + n; i++) {
    tram_doc *doc;
    ck_assert_int_eq(tram_analyze(an, voc[i], strlen(voc[i]), &doc), 0);
    size_t nt;
    const tram_token *t = tram_doc_tokens(doc, &nt);
    if (nt == 1 && t[0].kind == TRAM_KIND_WORD) {
      check_word(an, lang, voc[i], t[0].norm, t[0].stem, out[i], c);
    } else {
      /* The tokenizer cuts it: stem the whole word with the stage's call. */
      c->split++;
      const char *s;
      size_t sl;
      ck_assert_int_eq(tram__stem(an, lang, voc[i], strlen(voc[i]), &s, &sl),
                       0);
      char *copy = malloc(sl + 1);
      memcpy(copy, s, sl);
      copy[sl] = 0;
      check_word(an, lang, voc[i], voc[i], copy, out[i], c);
      free(copy);
    }
    tram_doc_free(doc);
  }
}

static void agree(const char *dir, int lang) {
  char path[1024];
  size_t vl, ol;
  snprintf(path, sizeof path, "%s/data/snowball/%s/voc.txt", TRAM_SHARED_DIR,
           dir);
  char *vtext = slurp(path, &vl);
  snprintf(path, sizeof path, "%s/data/snowball/%s/output.txt", TRAM_SHARED_DIR,
           dir);
  char *otext = slurp(path, &ol);
  ck_assert_ptr_nonnull(vtext);
  ck_assert_ptr_nonnull(otext);
  char **voc, **out;
  size_t nv = lines_of(vtext, &voc), no = lines_of(otext, &out);
  ck_assert_uint_eq(nv, no);
  ck_assert_uint_gt(nv, 10000);
  /* Blank lines (Spanish has a few) have a blank stem; leave them out. */
  size_t blank = 0, kept = 0;
  for (size_t i = 0; i < nv; i++) {
    if (!*voc[i]) {
      ck_assert_str_eq(out[i], "");
      blank++;
      continue;
    }
    voc[kept] = voc[i];
    out[kept++] = out[i];
  }
  nv = kept;

  tram_model *m;
  ck_assert_int_eq(tram_model_new_default(&m), 0);
  tram_options o;
  tram_options_init(&o);
  o.lang = lang;
  o.flags = TRAM_OPT_NO_ENTITIES | TRAM_OPT_NO_THEMES;
  tram_analyzer *an;
  ck_assert_int_eq(tram_analyzer_new(m, &o, &an), 0);

  counts c = {0, 0, 0};
  size_t batches_redone = 0;
  char *buf = malloc(vl + 1);
  for (size_t first = 0; first < nv; first += BATCH) {
    size_t n = nv - first < BATCH ? nv - first : BATCH;
    size_t len = 0;
    for (size_t i = first; i < first + n; i++) {
      size_t k = strlen(voc[i]);
      memcpy(buf + len, voc[i], k);
      len += k;
      buf[len++] = '\n';
    }
    tram_doc *doc;
    ck_assert_int_eq(tram_analyze(an, buf, len, &doc), 0);
    size_t nt;
    const tram_token *t = tram_doc_tokens(doc, &nt);
    bool aligned = nt == n;
    for (size_t i = 0; aligned && i < n; i++)
      aligned =
          t[i].kind == TRAM_KIND_WORD && strcmp(t[i].text, voc[first + i]) == 0;
    if (aligned) {
      for (size_t i = 0; i < n; i++)
        check_word(an, lang, voc[first + i], t[i].norm, t[i].stem,
                   out[first + i], &c);
    } else {
      batches_redone++;
      one_by_one(an, lang, voc, out, first, n, &c);
    }
    tram_doc_free(doc);
  }
  printf("snowball %s: %zu/%zu agree, %zu disagree (%zu blank lines left "
         "out; %zu words split by the tokenizer, stemmed whole; %zu batches "
         "re-run word by word)\n",
         dir, c.agree, nv, c.disagree, blank, c.split, batches_redone);
  fflush(stdout);
  ck_assert_uint_eq(c.disagree, 0);
  ck_assert_uint_eq(c.agree, nv);
  free(buf);
  tram_analyzer_free(an);
  tram_model_free(m);
  free(voc);
  free(out);
  free(vtext);
  free(otext);
}

START_TEST(french) { agree("french", TRAM_LANG_FR); }
END_TEST

START_TEST(spanish) { agree("spanish", TRAM_LANG_ES); }
END_TEST

START_TEST(catalan) { agree("catalan", TRAM_LANG_CA); }
END_TEST

int main(void) {
  char path[1024];
  snprintf(path, sizeof path, "%s/data/snowball/french/voc.txt",
           TRAM_SHARED_DIR);
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("skipped: %s not found (the Snowball vocabularies live in "
           "../shared/data/snowball)\n",
           path);
    return 77;
  }
  fclose(f);
  Suite *s = suite_create("stem");
  TCase *tc = tcase_create("snowball");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, french);
  tcase_add_test(tc, spanish);
  tcase_add_test(tc, catalan);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
