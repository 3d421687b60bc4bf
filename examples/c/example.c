/*
 * example.c — the smallest complete use of libtramuntana: load the embedded
 * model once, make an analyzer, analyse a text, read tokens, sentences and
 * organisations from the doc, release everything. Build against an
 * installed tramuntana with pkg-config (Makefile) or CMake (CMakeLists.txt).
 *
 *   ./example ["text to analyse"]
 */
#include <stdio.h>
#include <string.h>

#include <tramuntana.h>

int main(int argc, char **argv) {
  const char *text = argc > 1 ? argv[1]
                              : "L'Eurorégion Pyrénées-Méditerranée coopère "
                                "avec l'Impact Hub du Perthus.";
  if (tram_version_number() / 10000 != TRAM_VERSION_MAJOR) {
    fprintf(stderr, "built for tramuntana %s, running with %s\n",
            TRAM_VERSION_STRING, tram_version());
    return 1;
  }
  tram_model *model = NULL;
  tram_analyzer *an = NULL;
  tram_doc *doc = NULL;
  int rc = tram_model_new_default(&model);
  if (rc == TRAM_OK) {
    tram_options opts = TRAM_OPTIONS_INIT;
    opts.lang = TRAM_LANG_AUTO;
    rc = tram_analyzer_new(model, &opts, &an);
  }
  if (rc == TRAM_OK)
    rc = tram_analyze(an, text, strlen(text), &doc);
  if (rc != TRAM_OK) {
    fprintf(stderr, "tramuntana: %s\n", tram_strerror(rc));
    tram_analyzer_free(an);
    tram_model_free(model);
    return 1;
  }
  size_t nt, ns, no;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  tram_doc_sentences(doc, &ns);
  const tram_organisation *org = tram_doc_organisations(doc, &no);
  printf("tramuntana %s: %s, %zu sentence(s), %zu tokens\n", tram_version(),
         tram_lang_code(tram_doc_lang(doc, NULL)), ns, nt);
  for (size_t i = 0; i < nt; i++)
    printf("%zu-%zu\t%s\t%s\t%s\n", t[i].start, t[i].end, t[i].text,
           tram_kind_name(t[i].kind), t[i].stem);
  for (size_t i = 0; i < no; i++)
    printf("organisation: %s (%u mentions)\n", org[i].name, org[i].mentions);
  tram_doc_free(doc);
  tram_analyzer_free(an);
  tram_model_free(model);
  return 0;
}
