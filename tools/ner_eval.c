/*
 * ner_eval — exact-span NER evaluation (CoNLL definition, own
 * implementation; see ner_common.h) of the library's labeller on a
 * two-column IOB2 .conll file.
 *
 *   ner_eval [--model FILE.model | --ner FILE.bin] [--lang fr|es|ca]
 *            [--block N] [--title S] [--pred OUT] [--docpass]
 *            GOLD.conll[:M:A:B]
 *
 * The gold tokens are fed to the labeller as they are (a token-view array
 * built from them, sentence starts from the blank lines), so scores measure
 * the labeller, not the tokenizer. Cue words and the gazetteer come from
 * the model (the default embedded one unless --model); --ner swaps in a raw
 * weight section written by ner_train; with --ner, --cues F [--gazetteer F]
 * are used when the default model does not load. Blocks of --block sentences
 * (20) play the role of documents; --docpass adds the library's document type
 * pass (tram__ner_docfix) after the labeller. Prints a Markdown table per type.
 */
#include "entities.h"
#include "ner_common.h"

int main(int argc, char **argv) {
  const char *model_path = NULL, *ner_path = NULL, *lang_code = NULL;
  const char *title = NULL, *gold = NULL, *pred_out = NULL;
  const char *cues_path = NULL, *gaz_path = NULL;
  size_t block = 20;
  bool docpass = false; /* --docpass: the library's document type pass */
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool v = i + 1 < argc;
    if (!strcmp(a, "--model") && v)
      model_path = argv[++i];
    else if (!strcmp(a, "--ner") && v)
      ner_path = argv[++i];
    else if (!strcmp(a, "--lang") && v)
      lang_code = argv[++i];
    else if (!strcmp(a, "--block") && v)
      block = (size_t)atoi(argv[++i]);
    else if (!strcmp(a, "--title") && v)
      title = argv[++i];
    else if (!strcmp(a, "--docpass"))
      docpass = true;
    else if (!strcmp(a, "--cues") && v)
      cues_path = argv[++i];
    else if (!strcmp(a, "--gazetteer") && v)
      gaz_path = argv[++i];
    else if (!strcmp(a, "--pred") && v)
      pred_out = argv[++i];
    else if (a[0] != '-')
      gold = a;
    else {
      fprintf(stderr, "ner_eval: bad argument %s\n", a);
      return 2;
    }
  }
  int lang = lang_code ? tram_lang_from_code(lang_code) : -1;
  if (!gold || lang <= 0) {
    fprintf(stderr, "usage: ner_eval [--model F | --ner F] --lang fr|es|ca "
                    "[--block N] [--pred OUT] GOLD.conll[:M:A:B]\n");
    return 2;
  }
  tram_model *model = NULL;
  tram_error err = {0};
  int rc = model_path ? tram_model_load(model_path, &model, &err)
                      : tram_model_new_default(&model);
  tram_ner_lex flex = {0}; /* --cues/--gazetteer files, in place of the
                              model's when it does not load (its NER
                              weights refused after a template change) */
  if (rc && ner_path && cues_path) {
    size_t len, bad = 0;
    char *t = slurp_file(cues_path, &len);
    if (!t || tram__ner_lex_add_cues(&flex, t, len, &bad))
      return 1;
    free(t);
    t = gaz_path ? slurp_file(gaz_path, &len) : NULL;
    if (gaz_path && (!t || tram__ner_lex_add_gazetteer(&flex, t, len, &bad)))
      return 1;
    free(t);
    rc = TRAM_OK;
  }
  if (rc) {
    fprintf(stderr, "ner_eval: model: %s (%s)\n", tram_strerror(rc),
            err.message);
    return 1;
  }
  const tram_ner_model *m =
      model && model->ner ? model->ner->model[lang] : NULL;
  tram_ner_model *own = NULL;
  char *blob = NULL;
  if (ner_path) {
    size_t len;
    blob = slurp_file(ner_path, &len);
    if (!blob || tram__ner_model_parse(blob, len, ner_path, true, &own, &err)) {
      fprintf(stderr, "ner_eval: %s: %s\n", ner_path,
              blob ? err.message : "cannot read");
      return 1;
    }
    m = own;
  }
  if (!m) {
    fprintf(stderr, "ner_eval: no NER weights for %s\n", lang_code);
    return 1;
  }
  char path[4096];
  size_t mo = 0, a0 = 0, b0 = 0;
  snprintf(path, sizeof path, "%s", gold);
  char *colon = strchr(path, ':');
  if (colon) {
    *colon = 0;
    sscanf(colon + 1, "%zu:%zu:%zu", &mo, &a0, &b0);
  }
  conll_set set;
  if (conll_read(path, block, &set, mo, a0, b0))
    return 1;
  const tram_ner_lex *lex = !model       ? &flex
                            : model->ner ? &model->ner->lex
                                         : NULL;
  FILE *po = pred_out ? fopen(pred_out, "w") : NULL;
  ner_score sc = {0};
  tram_buf buf, key;
  tram__buf_init(&buf);
  tram__buf_init(&key);
  tram_ner_docpass *dp = NULL;
  if (docpass && tram__ner_docpass_new(model, &dp, NULL)) {
    fprintf(stderr, "ner_eval: bad ner/docpass section\n");
    return 1;
  }
  for (size_t d = 0; d < set.ndocs; d++) {
    conll_doc *doc = &set.docs[d];
    uint8_t *pred = malloc(doc->n);
    if (tram__ner_prepare(lex, NULL, lang, doc->toks, doc->n, &buf) ||
        tram__ner_tag(m, doc->toks, doc->n, pred, NULL) ||
        (dp && tram__ner_docfix(dp, lex, NULL, lang, doc->toks, doc->n, pred,
                                &key))) {
      fprintf(stderr, "ner_eval: out of memory\n");
      return 1;
    }
    score_add(&sc, doc->toks, doc->gold, pred, doc->n);
    if (po) {
      static const char *const ln[] = {"O",     "B-PER",  "I-PER",
                                       "B-LOC", "I-LOC",  "B-ORG",
                                       "I-ORG", "B-MISC", "I-MISC"};
      for (size_t i = 0; i < doc->n; i++) {
        if (i && (doc->toks[i].flags & TRAM_NER_F_START))
          fputc('\n', po);
        fprintf(po, "%.*s\t%s\t%s\n", (int)doc->toks[i].len, doc->toks[i].text,
                ln[doc->gold[i]], ln[pred[i]]);
      }
      fputc('\n', po);
    }
    free(pred);
  }
  if (po)
    fclose(po);
  char t[512];
  snprintf(t, sizeof t, "%s (%zu tokens)", title ? title : gold, set.ntoks);
  score_print(stdout, t, &sc);
  tram__buf_free(&buf);
  tram__buf_free(&key);
  tram__ner_docpass_free(dp);
  conll_free(&set);
  tram__ner_model_free(own);
  tram__ner_lex_free(&flex);
  free(blob);
  tram_model_free(model);
  return 0;
}
