/*
 * gaz_countries — prints the ISO 3166 country names in French, Spanish and
 * Catalan as ICU's locale data (CLDR, Unicode licence) gives them, one
 * gazetteer line each ("name<TAB>LOC<TAB>lang"). The country block of
 * data/gazetteer/places.tsv was made with it (names with brackets or
 * commas left out, names already in gazetteer.tsv skipped, "’" written
 * "'").
 *
 *   gaz_countries > countries.tsv
 */
#include <stdio.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

int main(void) {
  const char *const *cs = uloc_getISOCountries();
  static const char *const langs[] = {"fr", "es", "ca"};
  for (int l = 0; l < 3; l++)
    for (int i = 0; cs[i]; i++) {
      char loc[16];
      snprintf(loc, sizeof loc, "und_%s", cs[i]);
      UChar buf[256];
      UErrorCode st = U_ZERO_ERROR;
      int32_t n = uloc_getDisplayCountry(loc, langs[l], buf, 256, &st);
      if (U_FAILURE(st) || st == U_USING_DEFAULT_WARNING || n <= 0)
        continue;
      char out[1024];
      int32_t on = 0;
      st = U_ZERO_ERROR;
      u_strToUTF8(out, (int32_t)sizeof out, &on, buf, n, &st);
      if (U_FAILURE(st))
        continue;
      printf("%s\tLOC\t%s\n", out, langs[l]);
    }
  return 0;
}
