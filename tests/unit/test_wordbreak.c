/* Word boundaries without ICU (lib/wordbreak.c) against ICU's own word
 * break iterator: wherever the fast path answers, the first cut after a
 * position (trimmed at white space, as the tokeniser uses it) must be
 * ICU's. Every string of one to three characters of a mixed alphabet
 * (letters, digits, the middle characters, white space, format and
 * combining characters, other scripts), every BMP character below U+3100 in
 * a few contexts, and random strings of up to 11 characters (a fifth of
 * the strings under AddressSanitizer). */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>

#include "wordbreak.h"

static bool is_space(UChar c) {
  if (c < 0x80)
    return c == ' ' || (c >= '\t' && c <= '\r') || c == 0;
  return u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B;
}

static int32_t trim(const UChar *u, int32_t a, int32_t b) {
  int32_t c = a;
  while (c < b && !is_space(u[c]))
    c++;
  return c > a ? c : a + 1;
}

/* Number of positions of u[0..n) where the fast path disagrees with ICU;
 * *fast counts those it answered. */
static int mismatches(UBreakIterator *bi, const UChar *u, int32_t n,
                      long *fast) {
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(bi, u, n, &st);
  ck_assert(U_SUCCESS(st));
  int bad = 0;
  for (int32_t a = 0; a < n; a++) {
    if (is_space(u[a]))
      continue;
    int32_t f = tram__wordbreak_next(u, n, a);
    if (f < 0)
      continue;
    ++*fast;
    ck_assert_int_gt(f, a);
    ck_assert_int_le(f, n);
    int32_t b = ubrk_following(bi, a);
    if (b == UBRK_DONE)
      b = n;
    if (trim(u, a, b) != trim(u, a, f)) {
      if (bad++ < 5) {
        fprintf(stderr, "mismatch at %d (icu %d, fast %d):", a, b, f);
        for (int32_t i = 0; i < n; i++)
          fprintf(stderr, " %04X", u[i]);
        fprintf(stderr, "\n");
      }
    }
  }
  return bad;
}

/* Under AddressSanitizer (slow ICU calls) every 5th string is tried. */
#if defined(__SANITIZE_ADDRESS__)
#define STRIDE 5
#else
#define STRIDE 1
#endif

static const UChar alpha[] = {
    'a',    'Z',    0xE9,   '1',    '0',    0x140,  '\'',   0x2019, '.',
    ',',    ';',    ':',    0xB7,   '-',    '!',    '"',    '_',    ' ',
    '\t',   '\n',   0xA0,   0x202F, 0xFEFF, 0x200B, 0x301,  0xAD,   0x5D0,
    '(',    0xAB,   0x2026, 0x2024, 0x200D, 0x2018, '@',    '#',    '/',
    '%',    '&',    '$',    '+',    '?',    '<',    0x20AC, 0xD7,   0xAA,
    0xB2,   0xBF,   0x2013, 0x201C, 0x3000, 0x2044, 0x2027, 0x85,   0x2028,
    0x30A2, 0xD83C, 0xDDEB, 0x0E01, 0x1F1,  0x3A9,  0xFF0E, 0xFE52, 0x2060};
#define NA ((int)(sizeof alpha / sizeof alpha[0]))

START_TEST(short_strings) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "fr", NULL, 0, &st);
  ck_assert(U_SUCCESS(st));
  long fast = 0;
  int bad = 0;
  UChar u[3];
  for (int i = 0; i < NA; i++)
    for (int j = 0; j < NA; j++)
      for (int k = 0; k < NA; k++) {
        if (((i * NA + j) * NA + k) % STRIDE)
          continue;
        u[0] = alpha[i];
        u[1] = alpha[j];
        u[2] = alpha[k];
        bad += mismatches(bi, u, 1, &fast) + mismatches(bi, u, 2, &fast) +
               mismatches(bi, u, 3, &fast);
      }
  ck_assert_int_eq(bad, 0);
  ck_assert_int_gt(fast, 100000 / STRIDE); /* the fast path did answer */
  ubrk_close(bi);
}
END_TEST

START_TEST(each_character) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, "es", NULL, 0, &st);
  ck_assert(U_SUCCESS(st));
  long fast = 0;
  int bad = 0;
  for (UChar c = 1; c < 0x3100; c++) {
    const UChar t[][3] = {{'a', c, 'b'}, {'1', c, '2'}, {c, 'a', 0},
                          {'a', c, 0},   {c, '.', 'b'}, {'x', '.', c},
                          {c, c, 0}};
    for (int q = 0; q < 7; q++)
      bad += mismatches(bi, t[q], t[q][2] ? 3 : 2, &fast);
  }
  ck_assert_int_eq(bad, 0);
  ubrk_close(bi);
}
END_TEST

/* Mismatches over `rounds` random strings of min_n to max_n units drawn
 * from al[0..na): one draw in `every` from all of it, the others from its
 * first `common` (letters and digits, so that words form). */
static int random_run(const char *locale, const UChar *al, unsigned na,
                      unsigned common, unsigned every, int min_n, int max_n,
                      unsigned seed, int rounds, long *fast) {
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &st);
  ck_assert(U_SUCCESS(st));
  int bad = 0;
  unsigned s = seed;
  UChar u[64];
  ck_assert_int_le(max_n, 64);
  for (int r = 0; r < rounds; r++) {
    s = s * 1103515245u + 12345u;
    int n = min_n + (int)((s >> 8) % (unsigned)(max_n - min_n + 1));
    for (int i = 0; i < n; i++) {
      s = s * 1103515245u + 12345u;
      unsigned m = (s >> 20) % every ? common : na;
      u[i] = al[(s >> 8) % m];
    }
    bad += mismatches(bi, u, n, fast);
  }
  ubrk_close(bi);
  return bad;
}

START_TEST(random_strings) {
  long fast = 0;
  /* Half the draws from the first 16 (Latin). */
  ck_assert_int_eq(
      random_run("ca", alpha, NA, 16, 2, 2, 11, 12345, 100000 / STRIDE, &fast),
      0);
  ck_assert_int_gt(fast, 100000 / STRIDE);
}
END_TEST

/* Long words (wordbreak.c steps over letters and digits eight units at a
 * time): strings of 8 to 40 units, mostly ASCII and Latin-1 letters and
 * digits, the rest around the edges of its classes (@ [ ` { / : × ÷ ¿ Ā),
 * middle characters, spaces and characters only ICU decides. */
START_TEST(long_words) {
  static const UChar word_alpha[] = {
      'a',  'z',  'A', 'Z', '0',  '9',    0xC0,  0xDF,  0xE0,   0xFF,  0xE9,
      0xD7, 0xF7, '@', '[', '`',  '{',    '/',   ':',   0xBF,   0x100, 0x17F,
      '.',  '\'', ',', ' ', 0xB7, 0x2019, 0x301, 0x5D0, 0xFF21, 0x8000};
  long fast = 0;
  ck_assert_int_eq(random_run("fr", word_alpha,
                              sizeof word_alpha / sizeof *word_alpha, 11, 8, 8,
                              40, 777, 20000 / STRIDE, &fast),
                   0);
  ck_assert_int_gt(fast, 100000 / STRIDE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("wordbreak");
  TCase *tc = tcase_create("icu");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, short_strings);
  tcase_add_test(tc, each_character);
  tcase_add_test(tc, random_strings);
  tcase_add_test(tc, long_words);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? 1 : 0;
}
