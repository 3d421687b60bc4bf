/*
 * keyphrase.h — unsupervised keyphrase extraction over a doc's tokens
 * (keyphrase.c): candidate phrases, grouped by stems, with statistics and
 * scores. The evaluator (tools/kp_eval.c) calls these directly to score
 * the system and its baselines on the same candidates.
 */
#ifndef TRAM_THEMES_KEYPHRASE_H
#define TRAM_THEMES_KEYPHRASE_H

#include "themes/taxonomy.h"

#define TRAM_KP_MAX_WORDS 3  /* content words (and numbers) per phrase */
#define TRAM_KP_MAX_TOKENS 5 /* words per phrase, link words included */

/* Tunable constants of the scoring (see keyphrase.c). */
typedef struct tram_kp_params {
  double tf_exp;     /* phrase frequency exponent */
  double len_exp;    /* length normalisation of the summed word weights */
  double pos_weight; /* bonus for an early first occurrence */
  double spread_w;   /* bonus for words spread over many sentences */
  double case_w;     /* bonus for capitalised (name-like) words */
  double single_pen; /* factor for one-word phrases */
  double sub_w;      /* weight of occurrences inside a longer candidate */
  double idf_exp;    /* exponent of the background idf of words */
} tram_kp_params;

void tram__kp_params_default(tram_kp_params *p);

typedef struct tram_kp_cand {
  const char *key;  /* stems of its content words, once tram__kp_key ran */
  const char *text; /* its commonest written form, once tram__kp_text ran */
  uint32_t id;      /* its index before scoring sorted the candidates */
  uint32_t last;    /* last token of its first occurrence */
  uint32_t count;   /* occurrences, all variants */
  uint32_t first;   /* token index of its first occurrence */
  uint32_t first_sent;
  uint32_t nwords; /* content words */
  uint32_t nmax;   /* occurrences not inside a longer candidate */
  uint32_t nhead;  /* occurrences opening a run (not after a word) */
  bool maximal;    /* nmax > 0: a FirstPhrases candidate */
  uint32_t words[TRAM_KP_MAX_WORDS]; /* indices into the word stats */
  double score;
} tram_kp_cand;

typedef struct tram_kp_word {
  uint32_t tf, first_sent, last_sent, nsent, ncap;
  double idf;        /* background, in [0, 1] */
  double weight;     /* ww(w), set by tram__kp_score */
  uintptr_t tx_head; /* cached taxonomy index entry (themes.c) */
  int tx_lang;       /* language of that entry, 0 = not looked up */
} tram_kp_word;

/* Token classes (tram_kp_set.cls). */
enum {
  TRAM_KP_C_BREAK, /* punctuation, symbols, URLs…: ends a phrase */
  TRAM_KP_C_LINK,  /* article, preposition, conjunction: inside only */
  TRAM_KP_C_STOP,  /* never in a phrase */
  TRAM_KP_C_NUM,   /* number: inside or last */
  TRAM_KP_C_CONTENT
};

typedef struct tram_kp_set {
  tram_vec cands; /* tram_kp_cand */
  tram_vec words; /* tram_kp_word */
  /* Content stems → word stat index (open addressing, at most half full):
   * keyed by the stem's hash and bytes in the doc, no copies. */
  struct tram_kp_wslot {
    uint64_t hash;
    const char *key; /* NULL: empty */
    uint32_t len, word;
  } * wslots;
  size_t wcap;
  /* Candidates by word-index triple (open addressing): key = w1+1 |
   * (w2+1) << 21 | (w3+1) << 42, value = candidate index + 1. */
  struct tram_kp_cslot {
    uint64_t key; /* 0: empty */
    uint32_t val;
  } * cslots;
  size_t cand_cap, cand_hint; /* hint: first capacity, from the doc */
  const tram_doc *doc;
  unsigned char *cls; /* TRAM_KP_C_* of each token */
  uint32_t *widx;     /* word stat of each token, UINT32_MAX if none */
  tram_arena strings;
  tram_buf buf;
  uint32_t nsent;
} tram_kp_set;

void tram__kp_set_init(tram_kp_set *s);

/* A candidate's key: the stems of its content words, space-separated,
 * computed on demand; NULL on ENOMEM. Borrowed; valid until the set is
 * freed. */
const char *tram__kp_key(tram_kp_set *s, tram_kp_cand *c);

/* The commonest written form of a candidate (sentence-initial capitals
 * lowered unless the word is usually capitalised), computed on demand;
 * NULL on ENOMEM. Borrowed; valid until the set is freed. */
const char *tram__kp_text(tram_kp_set *s, tram_kp_cand *c);
void tram__kp_set_free(tram_kp_set *s);

/* Collects the candidates of a doc (lexicons from `lex`, may be NULL). */
int tram__kp_collect(const tram_taxonomy *lex, const tram_doc *doc,
                     tram_kp_set *s);

/* Scores the candidates and puts the best `keep` first, sorted (all of
 * them when keep is 0). */
void tram__kp_score(tram_kp_set *s, const tram_kp_params *p, size_t keep);

/* Picks up to `max` scored candidates, best first, leaving out those that
 * only repeat a better one (see keyphrase.c); writes their indices into
 * sel and returns how many. */
size_t tram__kp_select(const tram_kp_set *s, size_t max, uint32_t *sel);

#endif
