/*
 * tramuntana.h — the whole public API of libtramuntana.
 *
 * tramuntana reads French, Spanish and Catalan prose and says what is in it:
 * sentences, tokens (with elision, clitics and contractions split as the
 * Universal Dependencies treebanks do), normalised forms, stop-word flags and
 * Snowball stems, languages, named entities and organisations, keyphrases
 * and taxonomy themes.
 *
 * Three objects, split by lifetime:
 *   tram_model     models and language tables; loaded once; immutable; any
 *                  number of threads may share one model.
 *   tram_analyzer  one thread's workspace (ICU iterators, stemmers, caches);
 *                  never use one analyzer from two threads at once.
 *   tram_doc       the result of one analysis; read-only once returned, so
 *                  any thread may read it.
 *
 * Errors: every fallible call returns an int status, TRAM_OK (0) or a
 * negative TRAM_E* code; tram_strerror() names it, and a handle keeps the
 * detailed message of its last failure. The library never aborts, prints or
 * exits.
 *
 * Text comes in as (const char *text, size_t len): UTF-8, no NUL terminator
 * needed, NUL bytes allowed. Spans go out as byte offsets into the caller's
 * buffer (start, end) and as code-point offsets (cstart, cend).
 */
#ifndef TRAMUNTANA_H
#define TRAMUNTANA_H

#include <stddef.h>
#include <stdint.h>

#include "tramuntana_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TRAM_BUILDING) && defined(__GNUC__)
#define TRAM_API __attribute__((visibility("default")))
#else
#define TRAM_API
#endif

/* ---------------------------------------------------------------- status */

/* X(name, value, message): the one list of status codes and their messages. */
#define TRAM_STATUS_LIST(X)                                                    \
  X(TRAM_OK, 0, "success")                                                     \
  X(TRAM_EINVAL, -1, "invalid argument")                                       \
  X(TRAM_ENOMEM, -2, "out of memory")                                          \
  X(TRAM_ELANG, -3, "unsupported language")                                    \
  X(TRAM_EMODEL, -4, "invalid or corrupt model file")                          \
  X(TRAM_EIO, -5, "input/output error")                                        \
  X(TRAM_EUTF8, -6, "invalid UTF-8 in input")                                  \
  X(TRAM_ETOOBIG, -7, "input too large")                                       \
  X(TRAM_EICU, -8, "ICU error")                                                \
  X(TRAM_EVERSION, -9, "unsupported version")                                  \
  X(TRAM_EDATA, -10, "invalid data file")

enum tram_status {
#define TRAM__STATUS_ENUM(name, value, msg) name = (value),
  TRAM_STATUS_LIST(TRAM__STATUS_ENUM)
#undef TRAM__STATUS_ENUM
};

/* Returns a static English message for a status code (never NULL). */
TRAM_API const char *tram_strerror(int status);

/* Detail of a failed model or data load. Pass NULL if not wanted. */
typedef struct tram_error {
  int status;        /* the status the call returned */
  size_t offset;     /* byte offset in the file where the problem is */
  char section[64];  /* model section or data file concerned, or "" */
  char message[256]; /* human-readable detail, NUL-terminated */
} tram_error;

/* -------------------------------------------------------------- versions */

/* Returns the library's version as "MAJOR.MINOR.PATCH" (static string). */
TRAM_API const char *tram_version(void);

/* Returns TRAM_VERSION_NUMBER of the library actually loaded, so a program
 * built against one header can check the library it runs with. */
TRAM_API int tram_version_number(void);

/* Returns the JSON schema tag written by tram_doc_write, "tramuntana/1". */
TRAM_API const char *tram_schema(void);

/* ------------------------------------------------------------- languages */

/* Languages. TRAM_LANG_AUTO asks for identification; TRAM_LANG_OTHER is a
 * language without rules (tokens are language-neutral, no stems). */
enum tram_lang {
  TRAM_LANG_AUTO = 0,
  TRAM_LANG_FR = 1,
  TRAM_LANG_ES = 2,
  TRAM_LANG_CA = 3,
  TRAM_LANG_OC = 4,
  TRAM_LANG_OTHER = 5
};
#define TRAM_LANG_COUNT 6

/* Returns the code of a language ("auto", "fr", "es", "ca", "oc", "other"),
 * or "other" for an unknown value (static string). */
TRAM_API const char *tram_lang_code(int lang);

/* Returns the tram_lang for a code (case-insensitive; "fra", "spa", "cat",
 * "oci" also accepted), or -1 if unknown. */
TRAM_API int tram_lang_from_code(const char *code);

/* --------------------------------------------------------------- options */

#define TRAM_OPTIONS_VERSION 1

/* Flags of tram_options.flags (a uint32_t mask). */
#define TRAM_OPT_FOLD_ACCENTS (1u << 0) /* norm without diacritics */
#define TRAM_OPT_STRICT_UTF8 (1u << 1)  /* fail with TRAM_EUTF8, no U+FFFD */
#define TRAM_OPT_NO_STEM (1u << 2)      /* skip Snowball stemming */
#define TRAM_OPT_NO_ENTITIES (1u << 3)  /* skip named entities */
#define TRAM_OPT_NO_THEMES (1u << 4)    /* skip keyphrases and themes */
#define TRAM_OPT_NO_SPLIT (1u << 5) /* no elision/clitic/contraction split */

/* What an analyzer does. Start from tram_options_init() (or
 * TRAM_OPTIONS_INIT), then set fields. Strings are copied by
 * tram_analyzer_new; the caller keeps ownership. */
typedef struct tram_options {
  unsigned int version; /* TRAM_OPTIONS_VERSION */
  int lang;             /* TRAM_LANG_AUTO (default) or a fixed language */
  uint32_t flags;       /* TRAM_OPT_* */
  /* Extra abbreviations that do not end a sentence, one per line, with their
   * final period ("Sr.\nnúm.\n"), for every language; NULL for none. */
  const char *abbreviations;
  /* Extra stop words, one per line ('#' starts a comment), added to the
   * language's list and matched like norms (case, NFC and ’ folded, accents
   * kept); NULL for none. */
  const char *stopwords;
  /* Gazetteer file (TSV: name<TAB>type[<TAB>lang]) added to the model's;
   * NULL for none. */
  const char *gazetteer_path;
  /* Taxonomy file replacing the model's default taxonomy; NULL for none. */
  const char *taxonomy_path;
  unsigned int max_keyphrases; /* 0 = default (10) */
  unsigned int max_themes;     /* 0 = default (5) */
} tram_options;

#define TRAM_OPTIONS_INIT                                                      \
  { TRAM_OPTIONS_VERSION, TRAM_LANG_AUTO, 0u, NULL, NULL, NULL, NULL, 0u, 0u }

/* Fills *opts with the defaults (for bindings that cannot see macros). */
TRAM_API void tram_options_init(tram_options *opts);

/* ----------------------------------------------------------------- model */

typedef struct tram_model tram_model;

/* Loads the model embedded in the library (language tables and trained
 * models). *out: returns a new model; release with tram_model_free.
 * Returns TRAM_OK, TRAM_ENOMEM or TRAM_EMODEL. */
TRAM_API int tram_model_new_default(tram_model **out);

/* Loads a model file. `err` may be NULL; on failure it says which section
 * and offset. *out: returns a new model; release with tram_model_free.
 * Returns TRAM_OK, TRAM_EINVAL, TRAM_EIO, TRAM_ENOMEM, TRAM_EMODEL or
 * TRAM_EVERSION. */
TRAM_API int tram_model_load(const char *path, tram_model **out,
                             tram_error *err);

/* Loads a model from memory; `data` is copied; the caller keeps ownership.
 * Same statuses as tram_model_load. *out: returns a new model; release with
 * tram_model_free. */
TRAM_API int tram_model_load_memory(const void *data, size_t len,
                                    tram_model **out, tram_error *err);

/* Releases a model (NULL is fine). Every analyzer made from it must have
 * been freed first. */
TRAM_API void tram_model_free(tram_model *model);

/* Returns a description of the model (format version, sections, training
 * corpora and licences), one "key: value" per line; borrowed; valid until
 * the model is freed. */
TRAM_API const char *tram_model_describe(const tram_model *model);

/* Identifies the language of a short text with the model's classifier.
 * Thread-safe (reads the model only). *lang gets a tram_lang, *confidence
 * (may be NULL) a probability in [0,1]. Returns TRAM_OK or TRAM_EINVAL. */
TRAM_API int tram_identify(const tram_model *model, const char *text,
                           size_t len, int *lang, double *confidence);

/* -------------------------------------------------------------- analyzer */

typedef struct tram_analyzer tram_analyzer;

/* Makes an analyzer from a model (borrowed: it must outlive the analyzer)
 * and options (NULL for defaults; copied). One analyzer per thread.
 * *out: returns a new analyzer; release with tram_analyzer_free.
 * Returns TRAM_OK, TRAM_EINVAL, TRAM_EVERSION, TRAM_ELANG, TRAM_ENOMEM,
 * TRAM_EICU, TRAM_EIO or TRAM_EDATA (bad gazetteer/taxonomy file).
 * When a gazetteer or taxonomy file cannot be read (TRAM_EIO) or is
 * malformed (TRAM_EDATA), *out still gets the analyzer, as sqlite3_open
 * does, so that tram_analyzer_errmsg can name the file and line; free it. */
TRAM_API int tram_analyzer_new(const tram_model *model,
                               const tram_options *opts, tram_analyzer **out);

/* Releases an analyzer (NULL is fine). Docs it made stay valid. */
TRAM_API void tram_analyzer_free(tram_analyzer *an);

/* Returns the detail of the analyzer's last failure, or "" (borrowed; valid
 * until the next call on the analyzer). */
TRAM_API const char *tram_analyzer_errmsg(const tram_analyzer *an);

/* ------------------------------------------------------------------ doc */

typedef struct tram_doc tram_doc;

/* The largest document tram_analyze accepts, in bytes (64 MiB). A doc
 * holds every token with its strings (about 50 bytes per input byte of
 * prose), so bigger inputs are refused rather than exhausting memory: split
 * them into documents (the CLI's --input jsonl streams any corpus size). */
#define TRAM_MAX_INPUT ((size_t)64 << 20)

/* Analyses `len` bytes of UTF-8. Invalid sequences are read as U+FFFD
 * (offsets still point at the original bytes) unless TRAM_OPT_STRICT_UTF8.
 * *out: returns a new doc; release with tram_doc_free.
 * Returns TRAM_OK, TRAM_EINVAL, TRAM_ENOMEM, TRAM_EUTF8, TRAM_ETOOBIG (more
 * than TRAM_MAX_INPUT bytes; nothing is analysed) or TRAM_EICU. */
TRAM_API int tram_analyze(tram_analyzer *an, const char *text, size_t len,
                          tram_doc **out);

/* One-shot: default model, `opts` (NULL for defaults), one analysis.
 * Slower than reusing an analyzer. *out: returns a new doc; release with
 * tram_doc_free. Same statuses as tram_analyzer_new and tram_analyze. */
TRAM_API int tram_analyze_text(const char *text, size_t len,
                               const tram_options *opts, tram_doc **out);

/* Releases a doc (NULL is fine). */
TRAM_API void tram_doc_free(tram_doc *doc);

/* Token kinds. */
enum tram_kind {
  TRAM_KIND_WORD = 0,
  TRAM_KIND_NUMBER = 1,  /* 7 000, 1.234,56, 2024 */
  TRAM_KIND_ORDINAL = 2, /* 1er, 2e, 3º, 1a, XXe */
  TRAM_KIND_PERCENT = 3, /* 12 %, 3,5% */
  TRAM_KIND_PUNCT = 4,
  TRAM_KIND_SYMBOL = 5, /* € $ + = … */
  TRAM_KIND_URL = 6,
  TRAM_KIND_EMAIL = 7,
  TRAM_KIND_HANDLE = 8,  /* @name */
  TRAM_KIND_HASHTAG = 9, /* #name */
  TRAM_KIND_EMOJI = 10,
  TRAM_KIND_OTHER = 11
};
#define TRAM_KIND_COUNT 12

/* Returns the name of a kind ("word", "number", …) (static string). */
TRAM_API const char *tram_kind_name(int kind);

/* Token flags (tram_token.flags). */
#define TRAM_TOKEN_STOP (1u << 0)        /* in the language's stop list */
#define TRAM_TOKEN_SPACE_AFTER (1u << 1) /* followed by white space */
#define TRAM_TOKEN_CAPITALIZED (1u << 2) /* first letter upper-case */
#define TRAM_TOKEN_UPPER (1u << 3)       /* all letters upper-case */
#define TRAM_TOKEN_ELIDED (1u << 4)      /* elided form: l' d' qu' */
#define TRAM_TOKEN_CLITIC (1u << 5)      /* split-off clitic: -il -li 'ls */
#define TRAM_TOKEN_MULTIWORD (1u << 6)   /* holds several words: du, al */
#define TRAM_TOKEN_REPLACED (1u << 7)    /* had invalid UTF-8 → U+FFFD */
#define TRAM_TOKEN_SENT_START (1u << 8)  /* first token of its sentence */
#define TRAM_TOKEN_ABBREV (1u << 9)      /* known abbreviation with period */
#define TRAM_TOKEN_HYPHENATED (1u << 10) /* compound joined by hyphens */

/* Returns the name of one flag bit ("stop", "space_after", …), or NULL. */
TRAM_API const char *tram_token_flag_name(uint32_t flag);

/* One surface token. Strings are NUL-terminated UTF-8 (invalid input bytes
 * appear as U+FFFD); borrowed; valid until the doc is freed. */
typedef struct tram_token {
  size_t start, end;   /* byte offsets into the analysed text */
  size_t cstart, cend; /* code-point offsets (invalid byte = 1 point) */
  const char *text;    /* surface form */
  const char *norm;    /* NFC, lower-case (accent-folded on request) */
  const char *stem;    /* Snowball stem, or "" when there is none */
  int kind;            /* enum tram_kind */
  int lang;            /* enum tram_lang */
  uint32_t sentence;   /* index of its sentence */
  uint32_t flags;      /* TRAM_TOKEN_* */
  uint32_t word_first; /* first syntactic word (see tram_doc_words) */
  uint32_t word_count; /* number of syntactic words, >= 1 */
} tram_token;

/* One syntactic word: a token ("du") may hold several ("de", "le"). */
typedef struct tram_word {
  const char *form; /* the word as written or restored ("de", "le", "a") */
  uint32_t token;   /* index of the token it belongs to */
} tram_word;

typedef struct tram_sentence {
  size_t start, end;   /* byte offsets, first to last token */
  size_t cstart, cend; /* code-point offsets */
  uint32_t token_first, token_count;
  int lang;          /* enum tram_lang */
  double confidence; /* of lang, in [0,1] */
} tram_sentence;

/* Entity types. */
enum tram_entity_type {
  TRAM_ENT_PER = 0,
  TRAM_ENT_LOC = 1,
  TRAM_ENT_ORG = 2,
  TRAM_ENT_MISC = 3
};

/* Returns "PER", "LOC", "ORG" or "MISC" (static string), NULL if unknown. */
TRAM_API const char *tram_entity_type_name(int type);

/* One entity mention. A document without a letter, or one where invalid
 * bytes (U+FFFD) and control characters make up half its tokens or more
 * (binary data), has none. */
typedef struct tram_entity {
  size_t start, end, cstart, cend;
  uint32_t token_first, token_count;
  const char *text; /* surface form (invalid bytes read as U+FFFD) */
  int type;         /* enum tram_entity_type */
  double score;     /* confidence in [0,1] */
  int org;          /* index into tram_doc_organisations, or -1 */
} tram_entity;

/* One organisation: all the mentions of the same organisation. */
typedef struct tram_organisation {
  int id;                     /* its index */
  const char *name;           /* canonical name: most complete form */
  const char *const *aliases; /* other forms, alias_count of them */
  uint32_t alias_count;
  uint32_t mentions; /* number of mentions */
} tram_organisation;

typedef struct tram_keyphrase {
  const char *text; /* commonest written form */
  double score;     /* higher is more relevant */
  uint32_t count;   /* occurrences (all variants) */
} tram_keyphrase;

/* Where a theme was found: one matched term. */
typedef struct tram_evidence {
  const char *term; /* the text matched */
  size_t start, end, cstart, cend;
} tram_evidence;

typedef struct tram_theme {
  const char *id;    /* taxonomy id, e.g. "sdg-8" */
  const char *label; /* label in the document's language */
  double score;
  uint32_t evidence_first, evidence_count; /* into tram_doc_evidence */
} tram_theme;

/* Accessors. Each returns a borrowed array (NULL when *n is 0) valid until
 * the doc is freed; `n` receives its length. Thread-safe on a returned doc. */
TRAM_API const tram_token *tram_doc_tokens(const tram_doc *doc, size_t *n);
TRAM_API const tram_word *tram_doc_words(const tram_doc *doc, size_t *n);
TRAM_API const tram_sentence *tram_doc_sentences(const tram_doc *doc,
                                                 size_t *n);
TRAM_API const tram_entity *tram_doc_entities(const tram_doc *doc, size_t *n);
TRAM_API const tram_organisation *tram_doc_organisations(const tram_doc *doc,
                                                         size_t *n);
TRAM_API const tram_keyphrase *tram_doc_keyphrases(const tram_doc *doc,
                                                   size_t *n);
TRAM_API const tram_theme *tram_doc_themes(const tram_doc *doc, size_t *n);
TRAM_API const tram_evidence *tram_doc_evidence(const tram_doc *doc, size_t *n);

/* The analysed bytes, exactly as given (a copy; borrowed; valid until the
 * doc is freed); `len` (may be NULL) receives their length. */
TRAM_API const char *tram_doc_text(const tram_doc *doc, size_t *len);

/* The document's language and its confidence in [0,1] (may be NULL). */
TRAM_API int tram_doc_lang(const tram_doc *doc, double *confidence);

/* Output formats of tram_doc_write. */
enum tram_format {
  TRAM_FORMAT_JSON = 0,  /* one JSON object, schema "tramuntana/1" */
  TRAM_FORMAT_TEXT = 1,  /* readable summary */
  TRAM_FORMAT_TSV = 2,   /* one token per line */
  TRAM_FORMAT_CONLLU = 3 /* CoNLL-U: sentences, tokens, multiword ranges */
};

/* Writes the doc in a format. *out: returns a new NUL-terminated buffer of
 * *len bytes; release with tram_free. Returns TRAM_OK, TRAM_EINVAL or
 * TRAM_ENOMEM. */
TRAM_API int tram_doc_write(const tram_doc *doc, int format, char **out,
                            size_t *len);

/* Releases memory the library handed out (tram_doc_write). NULL is fine. */
TRAM_API void tram_free(void *ptr);

#ifdef __cplusplus
}
#endif
#endif /* TRAMUNTANA_H */
