/*
 * ner.h — the named-entity labeller shared by the library stage
 * (entities.c), the trainer (tools/ner_train.c) and the evaluator
 * (tools/ner_eval.c).
 *
 * A token view (tram_ner_tok) holds what the features need: hashes of the
 * surface and lower-case forms, shape and affixes, cue-word classes,
 * gazetteer matches, the capitalised run a token sits in, and document
 * statistics. Features are hashed (template id, value) pairs into 2^bits
 * buckets; each bucket holds one int16 weight per label (BIO over PER, LOC,
 * ORG, MISC: 9 labels). Decoding is greedy left to right with the two
 * previous labels as features, run twice over a document: the second pass
 * also sees how the first pass labelled other occurrences of each word.
 *
 * Model section "ner/<code>" (little-endian):
 *   0  magic "TRAMNER1"                    8 bytes
 *   8  header size (64)                    u32
 *   12 format major, minor                 u16, u16
 *   16 language (enum tram_lang)           u32
 *   20 label count (9)                     u32
 *   24 hash bits                           u32
 *   28 feature-template hash               u32
 *   32 weight scale                        f32 (IEEE)
 *   36 labels string length (with NUL)     u32
 *   40 provenance string length (with NUL) u32
 *   44 CRC-32 of bytes [64, end)           u32
 *   48 total length                        u32
 *   52 word-cluster table bits (0: none)   u32  (format 1.1)
 *   56 clustered words                     u32  (format 1.1)
 *   60 optional parts (TRAM_NER_FSET_*)    u32  (format 1.1)
 *   64 labels ("O B-PER I-PER …", NUL), provenance (corpora, licences,
 *      command; NUL), zero padding to a multiple of 8, then
 *      int16 weights[2^bits][labels], then (format 1.1, when the table
 *      bits are not 0) the word clusters: u32 slots[2^cbits][2], open
 *      addressing (linear probing from the low cbits of the lower form's
 *      tram__hash h): slot[0] = (h >> 32) | 1 (0: empty), slot[1] = the
 *      word's cluster path, left-aligned in the low 16 bits, | its length
 *      (0–16) << 16. Paths come from tools/ner_clusters.c (or any Brown
 *      "paths" file); the provenance names the text they were learnt from.
 *      Then, with TRAM_NER_FSET_GAZ, the model's own gazetteer: u32 length
 *      (with NUL), gazetteer TSV lines ("name<TAB>type"), NUL, zero
 *      padding to a multiple of 8 — names compiled from the training
 *      corpora, marked after the model's and the user's gazetteers.
 */
#ifndef TRAM_NER_H
#define TRAM_NER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/container.h"
#include "tramuntana.h"
#include "util/util.h"

#define TRAM_NER_MAGIC "TRAMNER1"
#define TRAM_NER_MAJOR 1
#define TRAM_NER_MINOR 1
#define TRAM_NER_HEADER 64
#define TRAM_NER_NLABELS 9
#define TRAM_NER_LABELS "O B-PER I-PER B-LOC I-LOC B-ORG I-ORG B-MISC I-MISC"
/* Label of type t (enum tram_entity_type): B = 1 + 2t, I = 2 + 2t. */
#define TRAM_NER_B(t) (1 + 2 * (t))
#define TRAM_NER_I(t) (2 + 2 * (t))
#define TRAM_NER_TYPE(l) (((l)-1) / 2)
#define TRAM_NER_IS_B(l) ((l) > 0 && ((l)&1))
#define TRAM_NER_MAX_FEATS 96

/* Cue-word classes (data/gazetteer/cues.tsv). */
#define TRAM_NER_CUE_LEGAL (1u << 0)    /* SA, SL, SARL, ASBL … */
#define TRAM_NER_CUE_ORGHEAD (1u << 1)  /* association, fundació … */
#define TRAM_NER_CUE_LOCHEAD (1u << 2)  /* rue, carrer, río … */
#define TRAM_NER_CUE_PERTITLE (1u << 3) /* M., Mme, señor … */
#define TRAM_NER_CUE_ARTICLE (1u << 4)  /* le, la, el, l' … */
#define TRAM_NER_CUE_CONNECT (1u << 5)  /* de, del, d', i, y, et … */
#define TRAM_NER_CUE_STOP (1u << 6)     /* skipped in initials */
#define TRAM_NER_CUE_ORGCTX (1u << 7)   /* words that precede org names */
#define TRAM_NER_CUE_COMMON (1u << 8)   /* capitalised yet rarely names */
#define TRAM_NER_CUE_COORD (1u << 9)    /* i, y, et: join two names */

/* Token-view flags. */
#define TRAM_NER_F_CAP (1u << 0)    /* first letter upper-case */
#define TRAM_NER_F_UPPER (1u << 1)  /* all letters upper-case, >= 1 */
#define TRAM_NER_F_START (1u << 2)  /* first token of its sentence */
#define TRAM_NER_F_LETTER (1u << 3) /* has a letter */
#define TRAM_NER_F_DIGIT (1u << 4)  /* has a digit */
#define TRAM_NER_F_PUNCT (1u << 5)  /* no letter nor digit */
/* Set on every token by tram__ner_clusters_apply when the model has
 * TRAM_NER_FSET_EXT: tram__ner_features adds the extended templates. */
#define TRAM_NER_F_EXT (1u << 6)

/* Document bits of a token (how its lower form is written elsewhere). */
#define TRAM_NER_D_CAP (1u << 0)   /* capitalised, not sentence-initial */
#define TRAM_NER_D_LOWER (1u << 1) /* written in lower case */
#define TRAM_NER_D_UPPER (1u << 2) /* written all upper-case */
#define TRAM_NER_D_ACRO (1u << 3)  /* spells the initials of a run */

typedef struct tram_ner_tok {
  const char *text; /* surface form (not NUL-terminated necessarily) */
  uint32_t len;
  uint32_t low_off, low_len; /* lower-case form in the prepare buffer */
  const char *low;           /* set by prepare */
  uint32_t flags;            /* TRAM_NER_F_* */
  uint32_t cue;              /* TRAM_NER_CUE_* of the lower form */
  uint64_t h_low, h_raw, h_shape, h_p3, h_s2, h_s3, h_s4;
  uint8_t len_bucket;
  uint8_t gaz;     /* 0, or 1 + 2 * type (begins) / 2 + 2 * type (inside) */
  uint8_t run;     /* 0 none, 1 single, 2 first, 3 inside, 4 last */
  uint8_t run_cue; /* bits: legal, orghead, lochead, pertitle-before */
  uint8_t doc;     /* TRAM_NER_D_* */
  int8_t doclab;   /* pass-1 type of other occurrences, or -1 */
  uint8_t cl_len;  /* word-cluster path length, or TRAM_NER_NOCL/NOTABLE */
  uint16_t cl;     /* word-cluster path, left-aligned */
} tram_ner_tok;
#define TRAM_NER_NOCL 0xff    /* the model's table lacks the word */
#define TRAM_NER_NOTABLE 0xfe /* the model has no table: no features */
/* Optional parts a model declares (header offset 60). */
#define TRAM_NER_FSET_GAZ (1u << 0) /* the blob ends with its own gazetteer */
#define TRAM_NER_FSET_VITERBI (1u << 1) /* first-order Viterbi decoding */
#define TRAM_NER_FSET_EXT (1u << 2)     /* extended templates (tagger.c) */
/* The labeller's ORG spans are kept as they are (tram__ner_refine is not
 * run): a decoding choice, not part of the template hash. */
#define TRAM_NER_FSET_KEEP_SPANS (1u << 3)
#define TRAM_NER_FSET_ALL                                                      \
  (TRAM_NER_FSET_GAZ | TRAM_NER_FSET_VITERBI | TRAM_NER_FSET_EXT |             \
   TRAM_NER_FSET_KEEP_SPANS)

/* One language's weights. */
typedef struct tram_ner_model {
  int lang;
  uint32_t bits;
  uint64_t mask;
  float scale;
  const int16_t *w; /* (mask + 1) * TRAM_NER_NLABELS */
  const char *provenance;
  void *owned;              /* aligned copy when the section was not aligned */
  const uint32_t *cl;       /* word clusters (2 u32 per slot), or NULL */
  uint64_t cl_mask;         /* slots - 1 */
  uint32_t cl_words;        /* words in the table */
  uint32_t fset;            /* TRAM_NER_FSET_* */
  struct tram_ner_lex *gaz; /* the model's own gazetteer, or NULL */
} tram_ner_model;

/* Everything NER keeps in a model: weights per language, cue words per
 * language, the default gazetteer. */
typedef struct tram_ner_lex tram_ner_lex;
struct tram_ner_lex {
  tram_map *cues[TRAM_LANG_COUNT]; /* lower form → class mask */
  tram_map *gaz;                   /* "lower tokens joined by ' '" → types */
  tram_map *gaz_first;             /* first token → longest entry (tokens) */
};

struct tram_ner {
  tram_ner_model *model[TRAM_LANG_COUNT];
  tram_ner_lex lex;
};
typedef struct tram_ner tram_ner;

/* Hash of the feature templates (with or without the word-cluster ones;
 * Viterbi models see no label before the previous one; the extended
 * templates with TRAM_NER_FSET_EXT): a model trained with other templates
 * is refused. `fset` holds the model's TRAM_NER_FSET_* bits. */
uint32_t tram__ner_template_hash(bool clusters, uint32_t fset);

/* ---- model.c */
/* Parses one "ner/<code>" section (borrowed bytes must outlive the model);
 * `verify` checks the blob's own CRC (a container checks its sections).
 * Returns TRAM_OK, TRAM_ENOMEM, TRAM_EMODEL or TRAM_EVERSION (err filled). */
int tram__ner_model_parse(const void *data, size_t len, const char *section,
                          bool verify, tram_ner_model **out, tram_error *err);
void tram__ner_model_free(tram_ner_model *m);
/* Serialises a model; weights are quantised from floats. */
int tram__ner_model_write(tram_buf *out, int lang, uint32_t bits,
                          const float *w, const char *provenance);
/* The same with a word-cluster table (`cl`, 2 u32 per slot, 2^cbits
 * slots, `cl_words` words; NULL/0 for none). */
int tram__ner_model_write_cl(tram_buf *out, int lang, uint32_t bits,
                             const float *w, const uint32_t *cl, uint32_t cbits,
                             uint32_t cl_words, const char *provenance);
/* The same with optional feature sets (TRAM_NER_FSET_*) and the model's
 * own gazetteer text (`gaz`, TSV; NULL for none; sets TRAM_NER_FSET_GAZ). */
int tram__ner_model_write_ex(tram_buf *out, int lang, uint32_t bits,
                             const float *w, const uint32_t *cl, uint32_t cbits,
                             uint32_t cl_words, uint32_t fset, const char *gaz,
                             const char *provenance);
/* Marks gazetteer matches of `lex` on tokens not marked yet (longest
 * first, left to right). Returns TRAM_OK or TRAM_ENOMEM. */
int tram__ner_gazetteer_mark(const tram_ner_lex *lex, tram_ner_tok *toks,
                             size_t n);
/* Builds a cluster table from n words: lower-form hashes, left-aligned
 * paths and their lengths (<= 16). *out gets 2^*cbits slots × 2 u32
 * (tram__malloc'd; release with tram__free). Returns TRAM_OK or
 * TRAM_ENOMEM. */
int tram__ner_clusters_build(const uint64_t *h, const uint16_t *path,
                             const uint8_t *len, size_t n, uint32_t **out,
                             uint32_t *cbits);
/* Sets cl/cl_len of each token from the model's cluster table (unknown
 * when the model has none), and TRAM_NER_F_EXT when the model has the
 * extended templates. */
void tram__ner_clusters_apply(const tram_ner_model *m, tram_ner_tok *toks,
                              size_t n);
/* Loads every "ner/…" section of a container; *out is NULL when there is no
 * NER model. */
int tram__ner_load(const tram_container *c, tram_ner **out, tram_error *err);
void tram__ner_free(tram_ner *ner);
/* Adds cue lines ("word<TAB>class[<TAB>lang]") or gazetteer lines
 * ("name<TAB>type[<TAB>lang]") to a lexicon. Return TRAM_OK, TRAM_ENOMEM or
 * TRAM_EDATA (bad line; *bad_line gets its number). */
int tram__ner_lex_add_cues(tram_ner_lex *lex, const char *text, size_t len,
                           size_t *bad_line);
int tram__ner_lex_add_gazetteer(tram_ner_lex *lex, const char *text, size_t len,
                                size_t *bad_line);
void tram__ner_lex_free(tram_ner_lex *lex);

/* ---- tagger.c */
/* Fills the token views of a document: lower forms (into buf), hashes,
 * cues, runs, gazetteer and document bits. `toks[i].text/len/flags` (only
 * TRAM_NER_F_START) are set by the caller. `gaz2` (may be NULL) is a second
 * lexicon (the user's gazetteer). Returns TRAM_OK or TRAM_ENOMEM. */
int tram__ner_prepare(const tram_ner_lex *lex, const tram_ner_lex *gaz2,
                      int lang, tram_ner_tok *toks, size_t n, tram_buf *buf);
/* Static features of token i (pass 2 adds the document-label features):
 * hashes written to f, count returned (<= TRAM_NER_MAX_FEATS). */
size_t tram__ner_features(const tram_ner_tok *toks, size_t n, size_t i,
                          bool pass2, uint64_t *f);
/* Features that depend on the two previous labels. */
size_t tram__ner_label_features(const tram_ner_tok *toks, size_t i, int prev,
                                int prev2, uint64_t *f);
/* Sets doclab of each token from the labels of the other occurrences of
 * its lower form: the commonest type, 4 when they are all O, -1 when there
 * is none. Returns TRAM_OK or TRAM_ENOMEM. */
int tram__ner_doclab(tram_ner_tok *toks, size_t n, const uint8_t *labels);
/* Whether label l may follow label prev (BIO). */
static inline bool tram__ner_allowed(int prev, int l) {
  return !(l > 0 && !(l & 1)) || prev == l || prev == l - 1;
}
/* Labels a prepared document with a model (two passes); scores (may be
 * NULL) get a confidence in [0,1] per token. Returns TRAM_OK or
 * TRAM_ENOMEM. */
int tram__ner_tag(const tram_ner_model *m, tram_ner_tok *toks, size_t n,
                  uint8_t *labels, float *scores);

/* ---- entities.c: the analyzer's NER scratch; init loads the user's
 * gazetteer (path may be NULL). Return TRAM_OK, TRAM_ENOMEM, TRAM_EIO or
 * TRAM_EDATA (with the analyzer's message set). */
int tram__entities_init(tram_analyzer *an, const char *gazetteer_path);
void tram__entities_free(tram_analyzer *an);
/* The entities stage with given BIO labels (one per token) in place of the
 * labeller's: the document pass alone, for tests. */
int tram__entities_from_labels(tram_analyzer *an, tram_doc *doc,
                               const uint8_t *labels);

/* Extends each ORG span that stops inside a capitalised run through the
 * rest of the run ("Centre d'Iniciatives | per a l'Ocupació"), merging the
 * ORG spans met on the way ("FC | BARCELONA"), unless a coordinating
 * conjunction or another type comes first. */
void tram__ner_refine(const tram_ner_tok *toks, size_t n, uint8_t *labels);

/* Lower-cases UTF-8 (simple case mapping) into buf; returns TRAM_OK or
 * TRAM_ENOMEM. */
int tram__ner_lower(const char *s, size_t n, tram_buf *buf);

#endif
