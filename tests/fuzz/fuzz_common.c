/*
 * fuzz_common.c — the shared model and the failure hook of the fuzz targets
 * (see fuzz.h), and the data-file helper of the gazetteer and taxonomy
 * targets.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"

static tram_model *model;

const tram_model *fuzz_model(void) {
  if (!model) {
    int rc = tram_model_new_default(&model);
    if (rc != TRAM_OK)
      fuzz_fail("tram_model_new_default", tram_strerror(rc));
  }
  return model;
}

void fuzz_fail(const char *what, const char *detail) {
  fprintf(stderr, "fuzz: invariant broken: %s (%s)\n", what,
          detail ? detail : "");
  abort();
}

static char data_path[64];

void fuzz_data_file(const uint8_t *data, size_t size, int which) {
  if (!data_path[0]) {
    snprintf(data_path, sizeof data_path, "/tmp/tram-fuzz-%ld.tsv",
             (long)getpid());
  }
  FILE *f = fopen(data_path, "wb");
  if (!f)
    fuzz_fail("open temporary file", data_path);
  if (size && fwrite(data, 1, size, f) != size)
    fuzz_fail("write temporary file", data_path);
  fclose(f);
  tram_options o;
  tram_options_init(&o);
  if (which == 'g')
    o.gazetteer_path = data_path;
  else
    o.taxonomy_path = data_path;
  tram_analyzer *an = NULL;
  int rc = tram_analyzer_new(fuzz_model(), &o, &an);
  remove(data_path);
  if (rc != TRAM_OK) {
    FUZZ_CHECK(rc == TRAM_EDATA || rc == TRAM_EIO || rc == TRAM_ENOMEM,
               tram_strerror(rc));
    /* For a bad data file the analyzer is handed out (as sqlite3_open
     * does) so that its message can name the file and line. */
    if (an) {
      FUZZ_CHECK(rc != TRAM_ENOMEM, "analyzer handed out on ENOMEM");
      FUZZ_CHECK(tram_analyzer_errmsg(an)[0] != 0, "no message");
      tram_analyzer_free(an);
    }
    return;
  }
  static const char text[] =
      "La Generalitat de Catalunya i l'Ajuntament de Barcelona financen "
      "l'economia social. El Banco de España publica datos sobre el empleo "
      "y la igualdad de género. La Région Occitanie soutient l'agriculture "
      "durable et la transition énergétique à Toulouse.";
  tram_doc *doc = NULL;
  rc = tram_analyze(an, text, sizeof text - 1, &doc);
  FUZZ_CHECK(rc == TRAM_OK, tram_analyzer_errmsg(an));
  char *json = NULL;
  FUZZ_CHECK(tram_doc_write(doc, TRAM_FORMAT_JSON, &json, NULL) == TRAM_OK,
             "write");
  tram_free(json);
  tram_doc_free(doc);
  tram_analyzer_free(an);
}
