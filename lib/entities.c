/*
 * entities.c — placeholder for named entities and organisations: no
 * entities until the sequence labeller lands.
 */
#include "internal.h"

int tram__entities(tram_analyzer *an, tram_doc *doc) {
  (void)an;
  (void)doc;
  return TRAM_OK;
}
