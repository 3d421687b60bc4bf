/*
 * tables.h — per-language rule tables, read from the model's text sections
 * "lang/<code>/<table>". Language knowledge lives in these data files
 * (data/lang/<code>/<table>.tsv), never in code: the tokenizer asks "is this
 * an elided prefix in this language?", not "is this French l'?".
 *
 * File format: UTF-8 lines, '#' comments, "key" or "key<TAB>value".
 * Keys are NFC lower-case; apostrophes are written as ASCII '.
 */
#ifndef TRAM_LANG_TABLES_H
#define TRAM_LANG_TABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "model/container.h"
#include "util/util.h"

/* The tables a language may have; X(field, file name). */
#define TRAM_LANG_TABLE_LIST(X)                                                \
  X(abbrev, "abbrev")             /* abbreviations with final '.' */           \
  X(elision, "elision")           /* elided prefixes, no apostrophe: qu */     \
  X(elision_keep, "elision_keep") /* apostrophe words kept whole */            \
  X(clitics, "clitics")           /* -il, -t-il, 'ls → words */              \
  X(contractions, "contractions") /* du → de le */                           \
  X(enclitics, "enclitics")       /* attached pronouns: me, se, lo */          \
  X(hyphen_split, "hyphen_split") /* hyphen words split: prefixes */           \
  X(stopwords, "stopwords")       /* stop words (norm) */                      \
  X(tokrules, "tokrules")         /* tokeniser switches: name → 1/0 */       \
  X(contraction_ctx, "contraction_ctx") /* "des par" → reading */            \
  X(enclitic_hosts, "enclitic_hosts")   /* "ár 2" → ar: verb endings */     \
  X(enclitic_keep, "enclitic_keep")     /* look-alikes never split */          \
  X(units, "units")                     /* units split off numbers: 23h */     \
  X(ordinals, "ordinals")               /* ordinal suffixes: 1er, 2e */        \
  X(starters, "starters")     /* capitalised words that open a sentence: Il */ \
  X(title_cues, "title_cues") /* "le roman La vie": no sentence start */       \
  X(segrules, "segrules")     /* segmenter switches: name → 1/0 */

typedef struct tram_lang_tables {
  int lang;
  const char *stemmer; /* libstemmer algorithm, or NULL */
#define TRAM__TABLE_FIELD(field, file) tram_map *field;
  TRAM_LANG_TABLE_LIST(TRAM__TABLE_FIELD)
#undef TRAM__TABLE_FIELD
  tram_arena values; /* the strings map values point at */
} tram_lang_tables;

/* Loads the tables of `lang` from the container (missing tables are empty).
 * Returns TRAM_OK, TRAM_ENOMEM or TRAM_EMODEL (with err filled). */
int tram__lang_tables_load(const tram_container *c, int lang,
                           tram_lang_tables **out, tram_error *err);
void tram__lang_tables_free(tram_lang_tables *t);

/* Looks `key` up in a table; returns its value ("" for a bare key) or NULL. */
const char *tram__table_get(const tram_map *table, const char *key, size_t n);

#endif
