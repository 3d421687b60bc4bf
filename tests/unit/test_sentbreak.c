/* Sentence boundaries without ICU (lib/sentbreak.c) against ICU's own root
 * sentence break iterator: the boundaries of a text walked with
 * tram__sentbreak_iter_next (ICU asked only where the fast path cannot
 * tell) must be exactly ICU's. Every string of one to four characters of a
 * mixed alphabet (letters of each case, digits, terminators, closing marks,
 * white space, line and paragraph separators, continuation marks, format
 * and combining characters, other scripts) and of five characters of its
 * Latin part, every BMP character in nine sentence contexts, random
 * strings of up to 40 characters, and the UD dev texts of the three
 * languages when ../shared/data is there (a fifth of the short strings and
 * of the BMP under AddressSanitizer). */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "sentbreak.h"

#if defined(__SANITIZE_ADDRESS__)
#define STRIDE 5
#else
#define STRIDE 1
#endif

typedef struct counts {
  long fast, asked; /* boundaries the fast path gave / ICU gave */
} counts;

/* Number of texts where the boundaries differ (0 or 1). */
static int mismatch(UBreakIterator *bi, const UChar *u, int32_t n, counts *k) {
  enum { MAXB = 4096 };
  static int32_t icu[MAXB];
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(bi, u, n, &st);
  ck_assert(U_SUCCESS(st));
  int ni = 0;
  for (int32_t b = ubrk_next(bi); b != UBRK_DONE && ni < MAXB;
       b = ubrk_next(bi))
    icu[ni++] = b;
  tram_sentbreak it;
  tram__sentbreak_init(&it, bi, u, n);
  int j = 0;
  bool bad = false;
  for (int32_t b;;) {
    int32_t from = it.pos;
    if (from < n && tram__sentbreak_next(u, n, from) >= 0)
      k->fast++;
    else if (from < n)
      k->asked++;
    b = tram__sentbreak_iter_next(&it);
    if (b == UBRK_DONE)
      break;
    if (j >= ni || icu[j] != b) {
      bad = true;
      break;
    }
    j++;
  }
  if (!bad && j == ni)
    return 0;
  static int shown;
  if (shown++ < 5) {
    fprintf(stderr, "mismatch (icu:");
    for (int i = 0; i < ni && i < 12; i++)
      fprintf(stderr, " %d", icu[i]);
    fprintf(stderr, "; fast: ");
    tram__sentbreak_init(&it, bi, u, n);
    for (int32_t b; (b = tram__sentbreak_iter_next(&it)) != UBRK_DONE;)
      fprintf(stderr, " %d", b);
    fprintf(stderr, ") text:");
    for (int32_t i = 0; i < n && i < 40; i++)
      fprintf(stderr, " %04X", u[i]);
    fprintf(stderr, "\n");
  }
  return 1;
}

/* The first 14 are Latin text: the five-character strings use them. */
static const UChar alpha[] = {
    'a',    'B',    '1',    '.',    '?',    ' ',   '"',    ')',   ',',
    '\n',   0xBB,   0xE9,   '\r',   0x2019, '!',   '(',    '-',   ':',
    ';',    0xA0,   0x2029, 0x85,   0xAD,   0x301, 0x200D, 0x5D0, 0x3002,
    0xFF0E, 0x2024, 0x2026, 0x201D, 0xAB,   0x1C5, 0x2E,   0x3A9, 0x3B1,
    0x4E00, 0x2028, 0xFEFF, 0xD83D, 0xDE00, '\t',  0x3000, 0x2014};
#define NA ((int)(sizeof alpha / sizeof alpha[0]))
#define NLATIN 14

static UBreakIterator *open_root(void) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &st);
  ck_assert(U_SUCCESS(st));
  return bi;
}

START_TEST(short_strings) {
  UBreakIterator *bi = open_root();
  counts k = {0, 0};
  int bad = 0;
  UChar u[5];
  long idx = 0;
  for (int len = 1; len <= 4; len++) {
    long total = 1;
    for (int i = 0; i < len; i++)
      total *= NA;
    for (long s = 0; s < total; s++) {
      if (idx++ % STRIDE)
        continue;
      long v = s;
      for (int i = 0; i < len; i++, v /= NA)
        u[i] = alpha[v % NA];
      bad += mismatch(bi, u, len, &k);
    }
  }
  for (long s = 0; s < NLATIN * NLATIN * NLATIN * NLATIN * NLATIN; s++) {
    if (idx++ % STRIDE)
      continue;
    long v = s;
    for (int i = 0; i < 5; i++, v /= NLATIN)
      u[i] = alpha[v % NLATIN];
    bad += mismatch(bi, u, 5, &k);
  }
  ck_assert_int_eq(bad, 0);
  ck_assert_int_gt(k.fast, 500000 / STRIDE); /* the fast path did answer */
  ubrk_close(bi);
}
END_TEST

START_TEST(each_character) {
  UBreakIterator *bi = open_root();
  counts k = {0, 0};
  int bad = 0;
  for (uint32_t v = 1; v < 0x10000; v += STRIDE) {
    UChar c = (UChar)v;
    if (c >= 0xD800 && c < 0xE000)
      continue;
    const UChar t[][6] = {
        {'a', '.', c, 'B', 0},      {'a', '.', ' ', c, 'b', 0},
        {c, '.', ' ', 'A', 0},      {'A', c, ' ', 'b', 0},
        {'x', '?', c, ' ', 'A', 0}, {'1', '.', c, '2', 0},
        {'a', c, '.', 'B', 0},      {c, c, 0},
        {'a', '.', ')', c, 'a', 0}};
    for (size_t q = 0; q < sizeof t / sizeof t[0]; q++)
      bad += mismatch(bi, t[q], u_strlen(t[q]), &k);
  }
  ck_assert_int_eq(bad, 0);
  ubrk_close(bi);
}
END_TEST

START_TEST(random_strings) {
  UBreakIterator *bi = open_root();
  counts k = {0, 0};
  int bad = 0;
  unsigned s = 4242;
  UChar u[40];
  for (int r = 0; r < 200000 / STRIDE; r++) {
    s = s * 1103515245u + 12345u;
    int n = 2 + (int)((s >> 8) % 38);
    for (int i = 0; i < n; i++) {
      s = s * 1103515245u + 12345u;
      /* Mostly Latin text, now and then anything of the alphabet. */
      int m = ((s >> 20) & 7) ? NLATIN : NA;
      u[i] = alpha[(s >> 8) % (unsigned)m];
    }
    bad += mismatch(bi, u, n, &k);
  }
  ck_assert_int_eq(bad, 0);
  ck_assert_int_gt(k.fast, k.asked);
  ubrk_close(bi);
}
END_TEST

/* The "# text = " lines of a CoNLL-U file, joined by spaces, a paragraph
 * break every 7th sentence: real running text. NULL if absent. */
static UChar *ud_text(const char *file, int32_t *n) {
  char path[1024];
  snprintf(path, sizeof path, "%s/data/ud/%s", TRAM_SHARED_DIR, file);
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 1 << 20, len = 0;
  char *t = malloc(cap);
  char line[65536];
  int sent = 0;
  while (t && fgets(line, sizeof line, f)) {
    if (strncmp(line, "# text = ", 9) != 0)
      continue;
    size_t l = strcspn(line + 9, "\r\n");
    if (len + l + 4 > cap)
      t = realloc(t, cap *= 2);
    if (!t)
      break;
    memcpy(t + len, line + 9, l);
    len += l;
    const char *sep = ++sent % 7 ? " " : "\n\n";
    memcpy(t + len, sep, strlen(sep));
    len += strlen(sep);
  }
  fclose(f);
  ck_assert_ptr_nonnull(t);
  UChar *u = malloc((len + 1) * sizeof *u);
  UErrorCode st = U_ZERO_ERROR;
  u_strFromUTF8WithSub(u, (int32_t)len + 1, n, t, (int32_t)len, 0xFFFD, NULL,
                       &st);
  ck_assert(U_SUCCESS(st));
  free(t);
  return u;
}

START_TEST(ud_dev_text) {
  static const char *const files[] = {
      "UD_French-GSD/fr_gsd-ud-dev.conllu",
      "UD_Spanish-AnCora/es_ancora-ud-dev.conllu",
      "UD_Catalan-AnCora/ca_ancora-ud-dev.conllu"};
  UBreakIterator *bi = open_root();
  for (size_t i = 0; i < 3; i++) {
    int32_t n;
    UChar *u = ud_text(files[i], &n);
    if (!u) {
      printf("ud_dev_text: %s/data/ud/%s not found, part skipped\n",
             TRAM_SHARED_DIR, files[i]);
      continue;
    }
    /* In pieces of a few thousand units, each cut at a paragraph. */
    counts k = {0, 0};
    int bad = 0;
    for (int32_t a = 0; a < n;) {
      int32_t e = a + 4000 < n ? a + 4000 : n;
      while (e < n && !(u[e - 1] == '\n' && u[e - 2] == '\n'))
        e++;
      bad += mismatch(bi, u + a, e - a, &k);
      a = e;
    }
    ck_assert_int_eq(bad, 0);
    /* Latin prose: ICU is asked for under 1% of the boundaries. */
    ck_assert_int_gt(k.fast, 99 * k.asked);
    free(u);
  }
  ubrk_close(bi);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sentbreak");
  TCase *tc = tcase_create("icu");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, short_strings);
  tcase_add_test(tc, each_character);
  tcase_add_test(tc, random_strings);
  tcase_add_test(tc, ud_dev_text);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
