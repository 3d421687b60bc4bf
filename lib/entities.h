/*
 * entities.h — the document type pass of the entities stage (entities.c),
 * shared with the evaluator (tools/ner_eval.c --docpass).
 *
 * After the labeller, a pass over the whole document corrects mention
 * types with evidence the labeller weighs only locally: the gazetteer
 * (a known place typed as a person), the words around a mention (a
 * preposition of place, a title, a given name), the shape of a word
 * (brand-like inner capitals) and enumerations that mix organisations
 * with unknown names. Word lists come from the model sections
 * "ner/docpass" and "ner/places" (data/gazetteer/docpass.tsv, places.tsv).
 */
#ifndef TRAM_ENTITIES_H
#define TRAM_ENTITIES_H

#include "internal.h"
#include "ner/ner.h"

/* The document type pass word lists from the model section
 * "ner/docpass" (word<TAB>given|locprep|nameprefix<TAB>langs; an empty
 * list without the section). Returns TRAM_OK, TRAM_ENOMEM or TRAM_EDATA
 * (*bad_line set). */
typedef struct tram_ner_docpass tram_ner_docpass;
int tram__ner_docpass_new(const tram_model *model, tram_ner_docpass **out,
                          size_t *bad_line);
void tram__ner_docpass_free(tram_ner_docpass *dp);
/* Corrects the types of a labelled document with its gazetteers (lex2 may
 * be NULL), cue words and the pass's word lists: known places typed as
 * persons, persons after a preposition of place, brand-like words,
 * "X de Y" where only Y is a place, plural head nouns before a place,
 * enumerations that mix organisations with unknown names, organisation
 * head nouns of another language. `key` is
 * scratch. Returns TRAM_OK or TRAM_ENOMEM. */
int tram__ner_docfix(const tram_ner_docpass *dp, const tram_ner_lex *lex,
                     const tram_ner_lex *lex2, int lang, const tram_ner_tok *vt,
                     size_t n, uint8_t *labels, tram_buf *key);

#endif
