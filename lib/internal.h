/*
 * internal.h — the objects behind the public handles and the stage calls
 * tram_analyze makes, in pipeline order:
 *
 *   text      bytes → UTF-16 (U+FFFD for bad bytes) + offset cursors
 *   segment   sentences (ICU + abbreviation tables)
 *   langid    document and sentence languages
 *   tokenize  tokens and syntactic words (ICU words + rule tables)
 *   normalize norm, stop flag, stem
 *   entities  mentions and organisations
 *   themes    keyphrases and taxonomy themes
 *
 * Stages see the doc being built plus the analyzer's scratch state; no stage
 * reaches back up the pipeline.
 */
#ifndef TRAM_INTERNAL_H
#define TRAM_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/utypes.h>

#include "lang/tables.h"
#include "model/container.h"
#include "tramuntana.h"
#include "util/util.h"

/* Model-level objects built by other stages (opaque here). */
typedef struct tram_langid tram_langid;
typedef struct tram_ner tram_ner;
typedef struct tram_taxonomy tram_taxonomy;

struct tram_model {
  tram_container box;                      /* sections of the model file */
  tram_lang_tables *lang[TRAM_LANG_COUNT]; /* rule tables, NULL if none */
  tram_langid *langid;                     /* NULL if the model has none */
  tram_ner *ner;                           /* NULL if the model has none */
  tram_taxonomy *taxonomy;                 /* NULL if the model has none */
  char *description;                       /* tram_model_describe */
};

/* A span of the UTF-16 text being analysed. */
typedef struct tram_span16 {
  int32_t s, e;
} tram_span16;

/* Maps UTF-16 positions to byte and code-point offsets by walking forward;
 * queries must be non-decreasing, so the total cost is linear. */
typedef struct tram_cursor {
  const unsigned char *bytes;
  size_t len;
  size_t byte, cp; /* current byte and code-point offsets */
  int32_t u16;     /* current UTF-16 offset */
} tram_cursor;

void tram__cursor_init(tram_cursor *c, const char *bytes, size_t len);
/* Advances to UTF-16 offset `u16` (>= the last one) and returns its byte
 * and code-point offsets. */
void tram__cursor_seek(tram_cursor *c, int32_t u16, size_t *byte, size_t *cp);

typedef struct tram_stem_cache tram_stem_cache;

struct tram_analyzer {
  const tram_model *model;
  tram_options opts;
  char *abbreviations, *stopwords; /* owned copies of the option strings */
  tram_map *extra_abbrev;          /* user abbreviations (lower-case) */
  tram_map *extra_stop;            /* user stop words (norm) */
  UBreakIterator *words;           /* ICU word breaks, root locale */
  UBreakIterator *sents;           /* ICU sentence breaks, root */
  const UNormalizer2 *nfc;
  const UNormalizer2 *nfd;
  struct sb_stemmer *stemmer[TRAM_LANG_COUNT];
  tram_map *stem_cache[TRAM_LANG_COUNT]; /* norm → arena string */
  tram_arena stem_arena;
  /* Per-analysis scratch, reused between calls. */
  UChar *u16;
  int32_t u16_len, u16_cap;
  bool u16_fffd;       /* does u16 hold a U+FFFD (text.c)? */
  tram_vec spans;      /* tram_span16 per token */
  tram_vec sent_spans; /* tram_span16 per sentence */
  tram_buf scratch;
  tram_taxonomy *user_taxonomy; /* from opts.taxonomy_path, or NULL */
  void *ner_state;              /* NER scratch, owned by entities stage */
  void *norm_state;             /* normalize.c scratch (growable buffers) */
  char errmsg[256];
};

struct tram_doc {
  char *text; /* copy of the input */
  size_t len;
  int lang;
  double lang_confidence;
  tram_vec tokens;     /* tram_token */
  tram_vec words;      /* tram_word */
  tram_vec sentences;  /* tram_sentence */
  tram_vec entities;   /* tram_entity */
  tram_vec orgs;       /* tram_organisation */
  tram_vec keyphrases; /* tram_keyphrase */
  tram_vec themes;     /* tram_theme */
  tram_vec evidence;   /* tram_evidence */
  tram_arena strings;  /* every string the doc points to */
};

/* Sets the analyzer's message and returns `status`. */
int tram__fail(tram_analyzer *an, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- stages; each returns TRAM_OK or a negative status. */

/* Decodes doc->text into an->u16 (invalid bytes → U+FFFD; strict mode fails
 * with TRAM_EUTF8). */
int tram__text_decode(tram_analyzer *an, tram_doc *doc);

/* Fills an->sent_spans with sentence spans over an->u16. */
int tram__segment(tram_analyzer *an, tram_doc *doc, int lang);

/* The segmenter's scan inside a sentence from s (exported for its test),
 * made by tram__markscan_init(&m, u, s, lim, e): u[0..e) may be read (the
 * text's end: the scan reads sixteen units a step past lim), and
 * tram__markscan_next(&m, i, reset) answers the first position p in
 * [i, lim) (lim <= e) whose unit is a sentence mark (. ! ? ;), a control,
 * U+0085, U+00A0, or from U+1600 up but for U+2010..U+2025, or that starts
 * a word (it is not U+0020 and comes at s or after U+0020) with an
 * upper-case letter of Latin-1, '-', 'h', 'w' or a unit from U+0100 up;
 * lim if none. *reset becomes true when another word start lies in
 * [i, p). Any i will do; extra_break calls it from one unit past each
 * answer, and the sixteen units read last are kept for that call, so that
 * no unit is read twice. */
typedef struct tram_markscan {
  const UChar *u;
  int32_t s, lim, e;
  int32_t base, at;      /* the block u[base..base + 16) kept; at: -1 or the
                            position the next call may start from with it */
  unsigned stops, other; /* its stops and other word starts, a bit a unit */
  bool prev16;           /* u[base + 15] is U+0020 */
} tram_markscan;
void tram__markscan_init(tram_markscan *m, const UChar *u, int32_t s,
                         int32_t lim, int32_t e);
int32_t tram__markscan_next(tram_markscan *m, int32_t i, bool *reset);

/* Tokenises each sentence span: fills doc->tokens (offsets, kind, flags,
 * text, lang, sentence, words) and an->spans, and doc->sentences. The
 * language of each sentence span and its confidence are in `sent_lang` and
 * `sent_conf`. */
int tram__tokenize(tram_analyzer *an, tram_doc *doc, const int *sent_lang,
                   const double *sent_conf);

/* Fills norm, stem and the stop flag of every token. */
int tram__normalize(tram_analyzer *an, tram_doc *doc);
/* Norm of u16 s[0..n) (NFC, lower-case, apostrophes folded, accents too
 * when `fold`): *out borrowed until the next normalize call on `an`. */
int tram__norm16(tram_analyzer *an, const UChar *s, int32_t n, bool fold,
                 const char **out, size_t *len);
/* Snowball stem of a norm in `lang` (cached): *out borrowed until the next
 * call on `an`. TRAM_ELANG if the language has no stemmer. */
int tram__stem(tram_analyzer *an, int lang, const char *norm, size_t n,
               const char **out, size_t *out_len);
/* Adds the user's stop words (one per line), normalised, to extra_stop. */
int tram__normalize_stopwords(tram_analyzer *an, const char *text, size_t len);
/* The word cache's front (front.h), made with an->norm_state; NULL on
 * ENOMEM. */
struct tram_front_entry *tram__word_front(tram_analyzer *an);
/* For a language, whether each ASCII character alone is a stop word (the
 * model's or the user's): 2 yes, 1 no, indexed by the character; NULL for
 * a language out of range. Call tram__word_front first. A token of one
 * ASCII character that is not a letter is its own norm (tokenize.c). */
const unsigned char *tram__ascii_stops(tram_analyzer *an, int lang);
/* Releases an->norm_state (tram_analyzer_free). */
void tram__normalize_free(tram_analyzer *an);

/* Entities and organisations (entities.c); a no-op without a NER model. */
int tram__entities(tram_analyzer *an, tram_doc *doc);

/* Keyphrases and themes (themes.c). */
int tram__themes(tram_analyzer *an, tram_doc *doc);

/* Writers (write.c). */
int tram__write_json(const tram_doc *doc, tram_buf *out);
int tram__write_text(const tram_doc *doc, tram_buf *out);
int tram__write_tsv(const tram_doc *doc, tram_buf *out);
int tram__write_conllu(const tram_doc *doc, tram_buf *out);

/* ---- language identification (langid.c) */
int tram__langid_load(const void *data, size_t len, tram_langid **out,
                      tram_error *err);
void tram__langid_free(tram_langid *li);
/* Classifies UTF-8 text; *lang a tram_lang, *conf in [0,1]. */
int tram__langid_classify(const tram_langid *li, const char *text, size_t len,
                          int *lang, double *conf);

#endif
