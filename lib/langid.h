/*
 * langid.h — the pieces of the language identifier (langid.c) that its
 * trainer and evaluator in tools/ share with the library: the feature
 * extractor, the model file layout and a classifier call that returns the
 * score of every label of the model.
 *
 * Features: the text is cut into words (runs of alphabetic code points,
 * apostrophes and the Catalan middle dot, lower-cased with ICU's simple
 * case mapping); each word, padded with a space on both sides, gives its
 * character n-grams of the model's orders (1–5 by default) and, with
 * TRAM_LANGID_WORDS, the whole word as one more feature. Every feature is
 * hashed (64-bit FNV-1a of its code points, the order and the model's seed)
 * into one of 2^bits buckets. A title-case word that does not open the
 * text or a sentence (after . ! ? : or a line break) is most likely a
 * name, and names belong to no language: its features are flagged so that
 * the trainer and the classifier weigh them less.
 *
 * Section "langid", all integers little-endian:
 *   0   magic "TRLANGID"                                  8 bytes
 *   8   format major, minor                               u16, u16
 *   12  CRC-32 of the section with these 4 bytes zeroed   u32
 *   16  section length                                    u32
 *   20  label count L (1..16)                             u32
 *   24  hash bits (8..24)                                 u32
 *   28  hash seed                                         u32
 *   32  min order, max order (1..8), flags, 0             4 × u8
 *   36  weight scale (log-probability per weight unit)    f32
 *   40  temperature of the confidence softmax             f32
 *   44  provenance length P                               u32
 *   48  table offset T (8-aligned)                        u32
 *   52  weight of name-like words (in [0,1])              f32
 *   56  reserved (0)                                      8 bytes
 *   64  labels: L × 8 bytes, ISO 639-1 codes NUL-padded; a code that is not
 *       a tram_lang ("it", "pt", "en", …) reads as TRAM_LANG_OTHER
 *   64+8L  per-label bias (log prior)                     L × f32
 *   64+12L provenance text (corpora, licences, command)   P bytes
 *   T   weights: 2^bits rows of S = TRAM_LANGID_STRIDE(L) i8 (per bucket,
 *       one weight per label, then zeros up to a multiple of 8, so that a
 *       row is read as whole 8-byte vectors)
 */
#ifndef TRAM_LANGID_H
#define TRAM_LANGID_H

#include <stddef.h>
#include <stdint.h>

typedef struct tram_langid tram_langid;

#define TRAM_LANGID_MAGIC "TRLANGID"
#define TRAM_LANGID_MAJOR 1
#define TRAM_LANGID_MINOR 0
#define TRAM_LANGID_HEADER 64
#define TRAM_LANGID_MAX_LABELS 16
#define TRAM_LANGID_WORDS 1u /* flag: whole words are features too */
#define TRAM_LANGID_STRIDE(nl) (((size_t)(nl) + 7) / 8 * 8)

/* The feature parameters of a model. */
typedef struct tram_langid_params {
  unsigned bits;      /* buckets = 1 << bits */
  uint32_t seed;      /* hash seed */
  unsigned min_order; /* smallest character n-gram */
  unsigned max_order; /* largest character n-gram */
  unsigned flags;     /* TRAM_LANGID_WORDS */
} tram_langid_params;

/* Called once per word with the buckets of its n features; `name` is true
 * for a name-like word. Returns non-zero to stop the extraction. */
typedef int (*tram_langid_feature_fn)(void *ctx, const uint32_t *buckets,
                                      size_t n, int name);

/* Extracts the features of text[0..len) (UTF-8; invalid bytes end words)
 * and calls fn for each word until it returns non-zero; returns the number
 * of features passed to fn. */
size_t tram__langid_features(const tram_langid_params *p, const char *text,
                             size_t len, tram_langid_feature_fn fn, void *ctx);

/* The model's labels: count, ISO codes and their tram_lang. */
size_t tram__langid_labels(const tram_langid *li, const char **codes,
                           int *langs);

/* Scores every label: scores[i] gets the log-probability (up to a constant
 * shared by all labels) of label i, before the temperature; returns the
 * number of features seen. `scores` holds TRAM_LANGID_MAX_LABELS. */
size_t tram__langid_scores(const tram_langid *li, const char *text, size_t len,
                           double *scores);

/* The same without the label biases: the evidence of the text, which adds
 * up over consecutive pieces (sentences) of a text. Reading stops early
 * once the best label leads every other by TRAM_LANGID_SURE nats (checked
 * every few words): the rest of a long text could not change the answer,
 * and a confidence of 1 - e^(-SURE/temperature) is as good as certain. */
#define TRAM_LANGID_SURE 100.0
size_t tram__langid_evidence(const tram_langid *li, const char *text,
                             size_t len, double *ev);

/* Turns evidence over `nfeatures` features into a tram_lang and a
 * confidence, as tram__langid_classify does (OTHER, 0 without features). */
void tram__langid_decide(const tram_langid *li, const double *ev,
                         size_t nfeatures, int *lang, double *conf);

#endif
