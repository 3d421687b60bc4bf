/*
 * taxonomy.h — the themes stage's model: keyphrase lexicons (which words
 * may sit inside a keyphrase, which words never start or end one) and the
 * theme taxonomy (themes with labels per language and stemmed term lists).
 *
 * The format of a taxonomy file is documented in data/taxonomy/README.md;
 * in short:
 *
 *   [sdg-1]
 *   label.en = No poverty
 *   label.fr = Pas de pauvreté
 *   fr = pauvreté | précarité | exclusion sociale
 *   es = pobreza | precariedad
 *
 * Terms are matched through Snowball stems of their content words; the
 * "link" words of the keyphrase lexicon (articles, prepositions,
 * conjunctions) are skipped both in terms and in the text, so
 * "destruction de la biodiversité" matches "destruction biodiversité".
 */
#ifndef TRAM_THEMES_TAXONOMY_H
#define TRAM_THEMES_TAXONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Roles of a word in the keyphrase lexicon "keyphrase/<code>". */
enum { TRAM_KP_LINK = 1, TRAM_KP_STOP = 2 };

typedef struct tram_tx_theme {
  const char *id;
  const char *label[TRAM_LANG_COUNT]; /* label[TRAM_LANG_AUTO] = English */
  double weight;
} tram_tx_theme;

typedef struct tram_tx_term {
  const char *form;    /* one-word terms: the word in lower case */
  uint32_t theme;      /* index into themes */
  uint32_t first_stem; /* index into stems */
  uint32_t next;       /* next term with the same first stem, +1; 0 = end */
  uint16_t nstems;
  uint8_t lang;
  uint8_t exact; /* "=word": one-word term matched by form, not stem */
  float weight;
} tram_tx_term;

struct tram_taxonomy {
  tram_arena strings;
  tram_map *kp[TRAM_LANG_COUNT]; /* norm → TRAM_KP_*; NULL if none */
  /* "-suffix" entries of the lexicons: NUL-separated, a 0-length ends. */
  tram_buf kp_suffix[TRAM_LANG_COUNT];
  /* Prefilter of the lexicon words: bit kp_bit(word) set for each. */
  uint64_t kp_filter[TRAM_LANG_COUNT][64];
  uint64_t kp_suffix_last[TRAM_LANG_COUNT][4]; /* last bytes of suffixes */
  /* Background document frequencies: the section text, lines
   * "stem<TAB>df" sorted by stem, and a hash map built from it. */
  const char *df[TRAM_LANG_COUNT];
  size_t df_len[TRAM_LANG_COUNT];
  tram_map *df_map[TRAM_LANG_COUNT];  /* stem → df, built from df */
  double df_docs[TRAM_LANG_COUNT];    /* documents behind df */
  double df_lognorm[TRAM_LANG_COUNT]; /* log(df_docs + 1) */
  tram_vec themes;                    /* tram_tx_theme */
  tram_vec terms;                     /* tram_tx_term */
  tram_vec stems;                     /* const char * */
  tram_map *index;                    /* "<lang><stem>" → first term + 1 */
};

/* Builds the model's themes object from its sections "keyphrase/<code>"
 * and "taxonomy" (either may be missing; *out stays NULL when both are).
 * Returns TRAM_OK, TRAM_ENOMEM or TRAM_EMODEL (err filled). */
int tram__taxonomy_model_load(tram_model *m, tram_error *err);

/* Parses a taxonomy text (`name` is used in messages: a path or a section
 * name), stemming terms with the model's stemmers and skipping the link
 * words of the model's keyphrase lexicons. On a bad file returns
 * TRAM_EDATA with "name:line: problem" in msg. Also TRAM_ENOMEM. */
int tram__taxonomy_parse(const tram_model *m, const char *text, size_t len,
                         const char *name, tram_taxonomy **out, char *msg,
                         size_t msgsz);

/* Reads and parses a taxonomy file for an analyzer (an->user_taxonomy);
 * TRAM_EIO if it cannot be read, TRAM_EDATA with the analyzer's message
 * naming file and line if it is malformed. */
int tram__taxonomy_load_file(tram_analyzer *an, const char *path,
                             tram_taxonomy **out);

void tram__taxonomy_free(tram_taxonomy *t);

/* Background inverse document frequency of a stem in [0, 1]: 1 for a stem
 * never seen in the background corpus, near 0 for one in every document;
 * 1 when the model has no frequencies for `lang`. */
double tram__kp_idf(const tram_taxonomy *t, int lang, const char *stem);
/* The same with the stem's length and tram__hash already computed. */
double tram__kp_idf_hashed(const tram_taxonomy *t, int lang, const char *stem,
                           size_t n, uint64_t hash);

/* Role of a norm in the keyphrase lexicon of `lang` (0 if none). */
int tram__kp_role(const tram_taxonomy *t, int lang, const char *norm);

#endif
