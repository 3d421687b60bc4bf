/*
 * themes.c — placeholder for keyphrases and taxonomy themes: none until the
 * themes stage lands.
 */
#include "internal.h"

int tram__themes(tram_analyzer *an, tram_doc *doc) {
  (void)an;
  (void)doc;
  return TRAM_OK;
}
