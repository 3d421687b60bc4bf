/*
 * langid.c — placeholder until the language-identification model lands:
 * loading always fails, so the model has no classifier and analysis falls
 * back to the language given in the options (French when "auto").
 */
#include "internal.h"

int tram__langid_load(const void *data, size_t len, tram_langid **out,
                      tram_error *err) {
  (void)data;
  (void)len;
  *out = NULL;
  return tram__set_error(err, TRAM_EMODEL, 0, "langid", "no classifier");
}

void tram__langid_free(tram_langid *li) { (void)li; }

int tram__langid_classify(const tram_langid *li, const char *text, size_t len,
                          int *lang, double *conf) {
  (void)li;
  (void)text;
  (void)len;
  *lang = TRAM_LANG_OTHER;
  *conf = 0;
  return TRAM_OK;
}
