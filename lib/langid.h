/*
 * langid.h — the pieces of the language identifier (langid.c) that its
 * trainer and evaluator in tools/ share with the library: the word reader,
 * the feature hashes, the model file layout and the scoring calls.
 *
 * Words: runs of alphabetic code points, apostrophes and the Catalan middle
 * dot, lower-cased with ICU's simple case mapping (at most WORD_MAX code
 * points kept); the Spanish ¿ and ¡ are words of their own. A title-case word
 * that does not open the text or a sentence (after . ! ? : ¿ ¡ or a line break)
 * is most likely a name, and names belong to no language: such words are
 * flagged so that the trainer and the classifier weigh them less.
 *
 * Two feature tables, both keyed by 64-bit FNV-1a hashes of code points
 * and the model's seed:
 *  - the word table: the frequent words of the training text, each with
 *    one smoothed log-probability per label (open addressing, linear
 *    probing, a 32-bit key per slot whose top bits are the home slot, so
 *    the loader can bound every probe sequence);
 *  - the n-gram table: for a word the word table lacks, its character
 *    n-grams of the model's orders (1–5 by default; the word padded with a
 *    space on both sides) and, with TRAM_LANGID_WORDS, the whole padded
 *    word, hashed into 2^bits buckets of naive Bayes weights.
 * A word's evidence for label i is its word-table weight when it has one
 * (plus, from format 2.1, `n-gram factor of table words` times the sum of
 * its n-gram weights: spelling backs up counts), else `ngram factor` times
 * the sum of its n-gram weights (the n-grams of one word are far from
 * independent: the factor, fitted on dev text, brings their sum down to
 * the scale of one word's log-probability).
 *
 * Section "langid", all integers little-endian:
 *   0   magic "TRLANGID"                                  8 bytes
 *   8   format major, minor                               u16, u16
 *   12  CRC-32 of the section with these 4 bytes zeroed   u32
 *   16  section length                                    u32
 *   20  label count L (1..16)                             u32
 *   24  n-gram hash bits (8..24)                          u32
 *   28  hash seed                                         u32
 *   32  min order, max order (1..8), flags, 0             4 × u8
 *   36  n-gram weight scale (nats per weight unit)        f32
 *   40  temperature of the confidence softmax             f32
 *   44  provenance length P                               u32
 *   48  n-gram table offset T (8-aligned)                 u32
 *   52  weight of name-like words (in [0,1])              f32
 *   56  word-table bits B (4..24)                         u32
 *   60  word-table offset W (8-aligned)                   u32
 *   64  word weight scale (nats per weight unit)          f32
 *   68  n-gram factor (in (0,1])                          f32
 *   72  longest probe distance of the word table          u32
 *   76  n-gram factor of table words (in [0,1]; 0 in 2.0) f32
 *   80  labels: L × 8 bytes, ISO 639-1 codes NUL-padded; a code that is not
 *       a tram_lang ("it", "pt", "en", …) reads as TRAM_LANG_OTHER
 *   80+8L  per-label bias (log prior)                     L × f32
 *   80+12L provenance text (corpora, licences, command)   P bytes
 *   T   n-gram weights: 2^bits rows of S = TRAM_LANGID_STRIDE(L) i8 (per
 *       bucket one weight per label, then zeros up to a multiple of 8, so
 *       that a row is read as whole 8-byte vectors)
 *   W   word table: 2^B slots of 8 + S bytes: key u32 (0 = empty slot),
 *       4 zero bytes, S i8 weights (one per label, then zeros), so that a
 *       look-up touches one cache line
 */
#ifndef TRAM_LANGID_H
#define TRAM_LANGID_H

#include <stddef.h>
#include <stdint.h>

typedef struct tram_langid tram_langid;

#define TRAM_LANGID_MAGIC "TRLANGID"
#define TRAM_LANGID_MAJOR 2
#define TRAM_LANGID_MINOR 1
#define TRAM_LANGID_HEADER 80
#define TRAM_LANGID_MAX_LABELS 16
#define TRAM_LANGID_WORDS 1u /* flag: whole padded words are n-grams too */
#define TRAM_LANGID_STRIDE(nl) (((size_t)(nl) + 7) / 8 * 8)
#define TRAM_LANGID_WORD_MAX 32 /* code points of a word kept */

/* The feature parameters of a model. */
typedef struct tram_langid_params {
  unsigned bits;      /* n-gram buckets = 1 << bits */
  uint32_t seed;      /* hash seed */
  unsigned min_order; /* smallest character n-gram */
  unsigned max_order; /* largest character n-gram */
  unsigned flags;     /* TRAM_LANGID_WORDS */
} tram_langid_params;

/* Called once per word: w[0..n) is the word padded with a space on both
 * sides (w[0] = w[n-1] = ' ', 3 <= n <= WORD_MAX + 2); `name` is true for
 * a name-like word. Returns non-zero to stop reading. */
typedef int (*tram_langid_word_fn)(void *ctx, const uint32_t *w, size_t n,
                                   int name);

/* Reads the words of UTF-8 text[0..len) (invalid bytes end words), or of
 * UTF-16 text (lone surrogates end words), calling fn for each until it
 * returns non-zero; returns the number of words passed to fn. */
size_t tram__langid_words(const char *text, size_t len, tram_langid_word_fn fn,
                          void *ctx);
size_t tram__langid_words16(const uint16_t *text, size_t len,
                            tram_langid_word_fn fn, void *ctx);

/* The n-gram buckets of a padded word (room for TRAM_LANGID_NGRAMS_MAX);
 * returns their number. */
#define TRAM_LANGID_NGRAMS_MAX ((TRAM_LANGID_WORD_MAX + 2) * 8 + 1)
size_t tram__langid_ngrams(const tram_langid_params *p, const uint32_t *w,
                           size_t n, uint32_t *out);

/* The word-table key of a padded word (never 0). */
uint32_t tram__langid_word_key(const tram_langid_params *p, const uint32_t *w,
                               size_t n);

/* The model's labels: count, ISO codes and their tram_lang. */
size_t tram__langid_labels(const tram_langid *li, const char **codes,
                           int *langs);

/* Evidence of a text: ev[i] gets the log-likelihood (up to a constant
 * shared by all labels) of label i, without the label biases, so that it
 * adds up over consecutive pieces of a text; `ev` holds
 * TRAM_LANGID_MAX_LABELS. With margin 0 every word is read. Otherwise
 * reading stops once the best label (biases included) leads every other
 * by `margin` nats (checked after every word from the MIN_WORDS-th on, so
 * that a short sentence opening with a few words of another language, as
 * a French "Une devise :" before an English motto, is read whole): the
 * rest of the text would hardly change the answer; and the word-table
 * weights are read first, the n-grams only if those leave the margin
 * unreached (a second pass). `prior` (NULL for none) adds a log-prior
 * per label to the scores the margin is measured on (not to ev): a sentence
 * expected in its document's language stops sooner when it is, and skips
 * the second pass when that language leads without the margin (it keeps
 * the document's language then anyway: lib/api.c). Returns the number of
 * words read. */
size_t tram__langid_evidence(const tram_langid *li, const char *text,
                             size_t len, double margin, const double *prior,
                             double *ev);
size_t tram__langid_evidence16(const tram_langid *li, const uint16_t *text,
                               size_t len, double margin, const double *prior,
                               double *ev);

/* The margin at which a whole text is read no further (tram_identify): a
 * confidence of 1 - e^(-SURE/temperature), as good as certain. */
#define TRAM_LANGID_SURE 60.0

/* The margin at which a sentence is read no further in lang=auto analysis
 * (lib/api.c): with the trained model's temperature (2.5) a confidence
 * near 0.96, well above the policy's 0.9; on documents of dev lines the
 * same figures as reading every word (langid_eval -D 20: 2 of 4,844
 * sentences off their file's language either way). */
#define TRAM_LANGID_SENTENCE_MARGIN 8.0
/* Words always read before the margin may stop the reading. */
#define TRAM_LANGID_MIN_WORDS 4
/* The head start of the document's language in that reading (a
 * log-prior: a sentence is far more often in its document's language). */
#define TRAM_LANGID_DOC_PRIOR 2.0

/* Scores every label: evidence (read to the end) plus biases. */
size_t tram__langid_scores(const tram_langid *li, const char *text, size_t len,
                           double *scores);

/* Turns evidence over `nwords` words into a tram_lang and a confidence, as
 * tram__langid_classify does (OTHER, 0 without words). */
void tram__langid_decide(const tram_langid *li, const double *ev, size_t nwords,
                         int *lang, double *conf);

/* The model's temperature (confidence = softmax of scores / temperature). */
double tram__langid_temperature(const tram_langid *li);

#endif
