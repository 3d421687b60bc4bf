/*
 * normalize.c — norm, stop-word flag and Snowball stem of every token.
 *
 * Takes the tokens the tokenizer left in doc->tokens (with their UTF-16
 * spans in an->spans); gives each one
 *
 *   norm  NFC of the full lower-case mapping (ICU, root locale), with the
 *         typographic apostrophes ’ (U+2019) and ʼ (U+02BC) folded to ';
 *         with TRAM_OPT_FOLD_ACCENTS also stripped of diacritics (NFD, drop
 *         every non-spacing mark, NFC again);
 *   stop  the flag TRAM_TOKEN_STOP when the unfolded norm is in the token
 *         language's `stopwords` table (data/lang/<code>/stopwords.tsv) or
 *         in the user's list (tram_options.stopwords, normalised the same
 *         way, so "Être" or "l’" in the list match);
 *   stem  libstemmer's Snowball stem for the token's language, of the
 *         unfolded norm (Snowball's rules expect the accents), word tokens
 *         only; elided forms and clitics (l' -t-elle 'ls) keep their norm,
 *         since Snowball's suffix rules are for open-class words ("-t-el").
 *
 * Speed. Natural text is mostly short words of Latin letters, so a fast
 * path lower-cases code units below U+0300 straight into UTF-8: no case
 * mapping in that range expands except U+0130 (İ → i + U+0307), and no
 * string of code points below U+0300 can change under NFC (ICU's first
 * "maybe" code point for NFC composition is U+0300), so the result equals
 * the full ICU pipeline. Everything else — combining marks, other scripts,
 * U+FFFD — goes through u_strToLower + unorm2_normalize. A norm identical to
 * the surface text shares its string. Text repeats its words (Zipf), so the
 * stop flag and the stem of a norm are cached per analyzer and language in
 * one table (an->stem_cache), and in front of it the norm, stop flag and
 * stem of a surface in a table shared with the tokenizer (front.h): a word
 * the tokenizer found there as plain already has them, any other token
 * takes one look-up there once warm. The
 * cache is bounded by entries and bytes and starts afresh when full, and
 * norms longer than STEM_CACHE_KEY_MAX bytes bypass it, so endless input
 * cannot grow it.
 *
 * Nothing is truncated: scratch buffers live in the analyzer (norm_state),
 * start small and grow on demand (ICU's preflighting tells how much), so a
 * token of a megabyte gets its full norm. Two guards keep pathological
 * input linear: a "word" over STEM_MAX_BYTES is its own stem (Snowball is
 * quadratic on it), and a run of more than 30 combining marks (never seen
 * in stream-safe text, UAX #15) is lower-cased but not re-normalised (ICU's
 * canonical reordering is quadratic on it).
 */
#include <libstemmer.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "bump.h"
#include "front.h"
#include "internal.h"

#define STEM_CACHE_MAX_ENTRIES 131072
#define STEM_CACHE_MAX_BYTES (16u << 20)
#define STEM_CACHE_KEY_MAX 64

/* Elided forms and split-off clitics (l' qu' -t-elle 'ls) are closed-class
 * words Snowball was not made for: their stem is their norm. */
#define CLOSED (TRAM_TOKEN_ELIDED | TRAM_TOKEN_CLITIC)

/* A growable scratch buffer. */
typedef struct scratch {
  void *p;
  size_t cap; /* bytes */
} scratch;

typedef struct word_info word_info;

/* normalize.c's per-analyzer state (an->norm_state). */
typedef struct norm_state {
  scratch a, b, c; /* UTF-16 work buffers */
  scratch u8, f8;  /* UTF-8 norm and folded norm */
  scratch stem8;   /* UTF-8 of a Latin-1 stemmer's stem */
  /* Snowball's ISO-8859-1 stemmers where they are faster (latin1_faster),
   * for norms without a character above U+00FF, made at the first stem;
   * NULL: UTF-8 only. */
  struct sb_stemmer *latin1[TRAM_LANG_COUNT];
  bool latin1_asked[TRAM_LANG_COUNT];
  size_t cache_bytes;
  tram_front_entry *front; /* the word cache's front (front.h), 64-byte
                            * aligned */
  void *front_mem;         /* its allocation */
  /* Per language, for each ASCII character but the letters: 1 + is it a
   * stop word alone (0: not asked yet). tram__ascii_stops. */
  unsigned char ascii_stop[TRAM_LANG_COUNT][128];
} norm_state;

static int grow(scratch *s, size_t bytes) {
  if (bytes <= s->cap)
    return TRAM_OK;
  size_t cap = s->cap ? s->cap : 256;
  while (cap < bytes) {
    if (cap > SIZE_MAX / 2)
      return TRAM_ENOMEM;
    cap *= 2;
  }
  void *p = tram__realloc(s->p, cap);
  if (!p)
    return TRAM_ENOMEM;
  s->p = p;
  s->cap = cap;
  return TRAM_OK;
}

static int32_t cap16(const scratch *s) {
  size_t n = s->cap / sizeof(UChar);
  return n > INT32_MAX ? INT32_MAX : (int32_t)n;
}

void tram__normalize_free(tram_analyzer *an) {
  norm_state *ns = an ? an->norm_state : NULL;
  if (!ns)
    return;
  tram__free(ns->a.p);
  tram__free(ns->b.p);
  tram__free(ns->c.p);
  tram__free(ns->u8.p);
  tram__free(ns->f8.p);
  tram__free(ns->stem8.p);
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    if (ns->latin1[l])
      sb_stemmer_delete(ns->latin1[l]);
  tram__free(ns->front_mem);
  tram__free(ns);
  an->norm_state = NULL;
}

static norm_state *state_of(tram_analyzer *an) {
  if (an->norm_state)
    return an->norm_state;
  norm_state *ns = tram__calloc(1, sizeof(norm_state));
  size_t n = TRAM_FRONT_SETS * TRAM_FRONT_WAYS + 1; /* + 1: room to align */
  void *mem = ns ? tram__calloc(n, sizeof(tram_front_entry)) : NULL;
  if (!mem) {
    tram__free(ns);
    return NULL;
  }
  ns->front_mem = mem;
  ns->front = (tram_front_entry *)(((uintptr_t)mem + 63) & ~(uintptr_t)63);
  an->norm_state = ns;
  return ns;
}

tram_front_entry *tram__word_front(tram_analyzer *an) {
  norm_state *ns = state_of(an);
  return ns ? ns->front : NULL;
}

/* ---- ICU calls with preflighting: dst grows until the result fits. */

typedef int32_t (*u16_fn)(tram_analyzer *an, const UChar *src, int32_t n,
                          UChar *dst, int32_t cap, UErrorCode *st);

static int32_t do_lower(tram_analyzer *an, const UChar *src, int32_t n,
                        UChar *dst, int32_t cap, UErrorCode *st) {
  (void)an;
  return u_strToLower(dst, cap, src, n, "", st);
}

static int32_t do_nfc(tram_analyzer *an, const UChar *src, int32_t n,
                      UChar *dst, int32_t cap, UErrorCode *st) {
  return unorm2_normalize(an->nfc, src, n, dst, cap, st);
}

static int32_t do_nfd(tram_analyzer *an, const UChar *src, int32_t n,
                      UChar *dst, int32_t cap, UErrorCode *st) {
  return unorm2_normalize(an->nfd, src, n, dst, cap, st);
}

/* dst = fn(src[0..n)); *out_len gets the length. src must not be in dst. */
static int apply16(tram_analyzer *an, u16_fn fn, const UChar *src, int32_t n,
                   scratch *dst, int32_t *out_len) {
  size_t want = (size_t)n + (size_t)n / 2 + 16;
  if (grow(dst, want * sizeof(UChar)))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  for (;;) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t m = fn(an, src, n, dst->p, cap16(dst), &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      if (m >= INT32_MAX - 1)
        return tram__fail(an, TRAM_ETOOBIG, "token too long to normalise");
      if (grow(dst, ((size_t)m + 1) * sizeof(UChar)))
        return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
      continue;
    }
    if (U_FAILURE(st))
      return tram__fail(an, TRAM_EICU, "ICU normalisation failed: %s",
                        u_errorName(st));
    *out_len = m;
    return TRAM_OK;
  }
}

/* UTF-16 → UTF-8 into dst (NUL-terminated); unpaired surrogates → U+FFFD. */
static int to_utf8(tram_analyzer *an, const UChar *u, int32_t n, scratch *dst,
                   size_t *out_len) {
  if (grow(dst, (size_t)n * 3 + 1))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  char *o = dst->p;
  size_t k = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(u, i, n, c);
    if (U_IS_SURROGATE(c))
      c = 0xFFFD;
    char tmp[4];
    size_t l = tram__utf8_encode((uint32_t)c, tmp);
    memcpy(o + k, tmp, l);
    k += l;
  }
  o[k] = 0;
  *out_len = k;
  return TRAM_OK;
}

static bool is_apostrophe(UChar c) { return c == 0x2019 || c == 0x02BC; }

/* Fast path (see the essay): code units below U+0300 except U+0130. Writes
 * the NUL-terminated norm to out (>= 3n + 1 bytes); false if the token needs
 * the full pipeline. */
static bool norm_fast(const UChar *s, int32_t n, char *out, size_t *out_len) {
  size_t k = 0;
  for (int32_t i = 0; i < n; i++) {
    UChar c = s[i];
    if (c < 0x80) {
      out[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else if (is_apostrophe(c)) {
      out[k++] = '\'';
    } else if (c < 0x100) {
      /* Latin-1: À..Þ (not ×) lower-case 32 code points on. */
      UChar l = c >= 0xC0 && c <= 0xDE && c != 0xD7 ? (UChar)(c + 32) : c;
      out[k++] = (char)(0xC0 | (l >> 6));
      out[k++] = (char)(0x80 | (l & 0x3F));
    } else if (c < 0x300 && c != 0x130) {
      UChar32 l = u_tolower(c);
      char tmp[4];
      size_t m = tram__utf8_encode((uint32_t)l, tmp);
      memcpy(out + k, tmp, m);
      k += m;
    } else {
      return false;
    }
  }
  out[k] = 0;
  *out_len = k;
  return true;
}

/* Does s hold more than 30 non-starters (combining class > 0) in a row?
 * Canonical reordering in NFC/NFD is an insertion sort over such a run,
 * quadratic on a letter under a megabyte of alternating accents. Text in
 * Unicode's Stream-Safe Text Format (UAX #15) never has such a run; tokens
 * that do keep their lower-cased form without normalisation. */
#define NONSTARTER_RUN_MAX 30

static bool long_nonstarter_run(const UChar *s, int32_t n) {
  int run = 0;
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U16_NEXT(s, i, n, c);
    run = c >= 0x300 && u_getCombiningClass(c) != 0 ? run + 1 : 0;
    if (run > NONSTARTER_RUN_MAX)
      return true;
  }
  return false;
}

/* The unfolded norm of s[0..n) into ns->u8 (NUL-terminated). */
static int norm_of(tram_analyzer *an, norm_state *ns, const UChar *s, int32_t n,
                   size_t *out_len) {
  if (grow(&ns->u8, (size_t)n * 3 + 1))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  if (norm_fast(s, n, ns->u8.p, out_len))
    return TRAM_OK;
  int32_t m = 0, k = 0;
  int rc = apply16(an, do_lower, s, n, &ns->a, &m);
  if (rc == TRAM_OK && long_nonstarter_run(ns->a.p, m)) {
    if (grow(&ns->b, ((size_t)m + 1) * sizeof(UChar)))
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
    memcpy(ns->b.p, ns->a.p, (size_t)m * sizeof(UChar));
    k = m;
  } else if (rc == TRAM_OK) {
    rc = apply16(an, do_nfc, ns->a.p, m, &ns->b, &k);
  }
  if (rc)
    return rc;
  UChar *b = ns->b.p;
  for (int32_t i = 0; i < k; i++)
    if (is_apostrophe(b[i]))
      b[i] = '\'';
  return to_utf8(an, b, k, &ns->u8, out_len);
}

/* The accent-folded form of the UTF-8 norm in ns->u8 into ns->f8. */
static int fold_of(tram_analyzer *an, norm_state *ns, size_t len,
                   size_t *out_len) {
  const unsigned char *u = ns->u8.p;
  size_t i = 0;
  while (i < len && u[i] < 0x80)
    i++;
  if (i == len) { /* ASCII: nothing to fold */
    if (grow(&ns->f8, len + 1))
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
    memcpy(ns->f8.p, u, len + 1);
    *out_len = len;
    return TRAM_OK;
  }
  if (len > (size_t)INT32_MAX / 2)
    return tram__fail(an, TRAM_ETOOBIG, "token too long to normalise");
  if (grow(&ns->c, (len + 1) * sizeof(UChar)))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  UChar *c = ns->c.p;
  int32_t n = 0;
  for (i = 0; i < len;) {
    uint32_t cp;
    bool valid;
    i += tram__utf8_decode(u + i, len - i, &cp, &valid);
    U16_APPEND_UNSAFE(c, n, cp);
  }
  if (long_nonstarter_run(c, n)) { /* see norm_of */
    if (grow(&ns->f8, len + 1))
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
    memcpy(ns->f8.p, u, len + 1);
    *out_len = len;
    return TRAM_OK;
  }
  int32_t m = 0, k = 0;
  int rc = apply16(an, do_nfd, c, n, &ns->a, &m);
  if (rc)
    return rc;
  UChar *a = ns->a.p;
  int32_t o = 0;
  for (int32_t j = 0; j < m; j++)
    if (u_charType(a[j]) != U_NON_SPACING_MARK)
      a[o++] = a[j];
  rc = apply16(an, do_nfc, a, o, &ns->b, &k);
  if (rc)
    return rc;
  return to_utf8(an, ns->b.p, k, &ns->f8, out_len);
}

int tram__norm16(tram_analyzer *an, const UChar *s, int32_t n, bool fold,
                 const char **out, size_t *len) {
  norm_state *ns = state_of(an);
  if (!ns)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  int rc = norm_of(an, ns, s, n, len);
  if (rc == TRAM_OK && fold) {
    rc = fold_of(an, ns, *len, len);
    *out = ns->f8.p;
  } else {
    *out = ns->u8.p;
  }
  return rc;
}

/* ---- the word cache: norm → stop flag and stem, per language */

/* What the cache knows of one norm; lives in an->stem_arena. */
struct word_info {
  const char *stem; /* NULL until a stem was asked for */
  size_t stem_len;
  bool stop;
  char norm[]; /* the key, NUL-terminated (cached entries only) */
};

static void cache_clear(tram_analyzer *an, norm_state *ns) {
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    if (an->stem_cache[l])
      tram__map_clear(an->stem_cache[l]);
  tram__arena_free(&an->stem_arena);
  ns->cache_bytes = 0; /* the front holds copies: it stays */
}

static bool stop_of(const tram_analyzer *an, int lang, const char *norm,
                    size_t n) {
  const tram_lang_tables *tab =
      lang >= 0 && lang < TRAM_LANG_COUNT ? an->model->lang[lang] : NULL;
  return (tab && tram__table_get(tab->stopwords, norm, n)) ||
         (an->extra_stop && tram__map_get(an->extra_stop, norm, n, NULL));
}

/* Longer words are their own stem: Snowball's slice operations move the
 * whole word for each suffix step, quadratic on a megabyte "word" (found by
 * the pathological inputs), and no real word is that long. */
#define STEM_MAX_BYTES 256

/* Snowball's ISO-8859-1 stemmers give the same stems as its UTF-8 ones
 * (both are generated from one source; test_stem checks the project's
 * vocabularies through the library) but for French and Spanish run fewer
 * instructions: no UTF-8 decoding at each step. Callgrind over Snowball's
 * voc.txt, 1 stem each: French 96.2M (UTF-8) vs 58.6M (Latin-1), Spanish
 * 76.2M vs 67.3M, Catalan 114.9M vs 168.1M (slower: kept in UTF-8). */
static bool latin1_faster(const char *algorithm) {
  return algorithm && (strcmp(algorithm, "french") == 0 ||
                       strcmp(algorithm, "spanish") == 0);
}

/* The Latin-1 form of UTF-8 s[0..n) into out (n bytes at most); false if
 * s holds a character above U+00FF (or is not UTF-8). */
static bool to_latin1(const char *s, size_t n, unsigned char *out,
                      size_t *out_n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (u[i] < 0x80) {
      out[k++] = u[i];
    } else if ((u[i] == 0xC2 || u[i] == 0xC3) && i + 1 < n &&
               (u[i + 1] & 0xC0) == 0x80) {
      out[k++] = (unsigned char)((u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F));
      i++;
    } else {
      return false;
    }
  }
  *out_n = k;
  return true;
}

/* Snowball stem of norm[0..n) into *w (borrowed from the stemmer or
 * ns->stem8 until the next call, or norm itself). */
static int stem_into(tram_analyzer *an, norm_state *ns, int lang,
                     const char *norm, size_t n, word_info *w) {
  if (n > STEM_MAX_BYTES) {
    w->stem = norm;
    w->stem_len = n;
    return TRAM_OK;
  }
  if (!ns->latin1_asked[lang]) {
    ns->latin1_asked[lang] = true;
    const tram_lang_tables *t = an->model->lang[lang];
    /* (NULL on ENOMEM too: the UTF-8 stemmer gives the same stems) */
    if (t && latin1_faster(t->stemmer))
      ns->latin1[lang] = sb_stemmer_new(t->stemmer, "ISO_8859_1");
  }
  unsigned char l1[STEM_MAX_BYTES];
  size_t l1n;
  if (ns->latin1[lang] && to_latin1(norm, n, l1, &l1n)) {
    struct sb_stemmer *st = ns->latin1[lang];
    const sb_symbol *r = sb_stemmer_stem(st, l1, (int)l1n);
    if (!r || grow(&ns->stem8, 2 * (size_t)sb_stemmer_length(st) + 1))
      return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
    char *o = ns->stem8.p;
    size_t k = 0;
    for (int i = 0; i < sb_stemmer_length(st); i++)
      k += tram__utf8_encode(r[i], o + k);
    o[k] = 0;
    w->stem = o;
    w->stem_len = k;
    return TRAM_OK;
  }
  const sb_symbol *r =
      sb_stemmer_stem(an->stemmer[lang], (const sb_symbol *)norm, (int)n);
  if (!r)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
  w->stem = (const char *)r;
  w->stem_len = (size_t)sb_stemmer_length(an->stemmer[lang]);
  return TRAM_OK;
}

/* Fills *out with the stop flag of a norm and, when `want_stem` (the
 * language must have a stemmer), its stem. Cached for norms of at most
 * STEM_CACHE_KEY_MAX bytes in languages with a cache; *out then points into
 * the cache (valid until the cache is cleared), else to `tmp`. */
static int word_of(tram_analyzer *an, norm_state *ns, int lang,
                   const char *norm, size_t n, bool want_stem, word_info *tmp,
                   word_info **out) {
  tram_map *cache =
      lang >= 0 && lang < TRAM_LANG_COUNT ? an->stem_cache[lang] : NULL;
  if (!cache || n > STEM_CACHE_KEY_MAX) {
    tmp->stem = NULL;
    tmp->stem_len = 0;
    tmp->stop = stop_of(an, lang, norm, n);
    *out = tmp;
    return want_stem ? stem_into(an, ns, lang, norm, n, tmp) : TRAM_OK;
  }
  word_info *w;
  uint64_t h = tram__hash(norm, n);
  /* One probe for hit and insert alike: a slot still 0 is a new norm (or
   * one whose entry ran out of memory last time). */
  uintptr_t *slot = tram__map_slot_hashed(cache, norm, n, h, true);
  if (!slot)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (word cache)");
  if (*slot) {
    w = (word_info *)*slot;
  } else {
    /* count includes this new key: > is the old >= before inserting */
    if (tram__map_count(cache) > STEM_CACHE_MAX_ENTRIES ||
        ns->cache_bytes + 2 * n + 96 > STEM_CACHE_MAX_BYTES) {
      cache_clear(an, ns); /* bounded memory on endless input */
      slot = tram__map_slot_hashed(cache, norm, n, h, true);
    }
    if (!slot)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (word cache)");
    /* The stem, when asked for, right after the norm: a later look-up
     * reads one place, not two. */
    word_info t = {NULL, 0, false};
    if (want_stem) {
      int rc = stem_into(an, ns, lang, norm, n, &t);
      if (rc)
        return rc;
    }
    size_t extra = t.stem ? t.stem_len + 1 : 0;
    w = tram__arena_alloc(&an->stem_arena, sizeof *w + n + 1 + extra);
    if (!w)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (word cache)");
    w->stem = NULL;
    w->stem_len = 0;
    w->stop = stop_of(an, lang, norm, n);
    memcpy(w->norm, norm, n);
    w->norm[n] = 0;
    if (t.stem) {
      char *st = w->norm + n + 1;
      memcpy(st, t.stem, t.stem_len);
      st[t.stem_len] = 0;
      w->stem = st;
      w->stem_len = t.stem_len;
      ns->cache_bytes += t.stem_len + 16;
    }
    *slot = (uintptr_t)w;
    ns->cache_bytes += 2 * n + 64;
  }
  if (want_stem && !w->stem) {
    word_info t = {NULL, 0, false};
    int rc = stem_into(an, ns, lang, norm, n, &t);
    if (rc)
      return rc;
    char *s = tram__arena_strndup(&an->stem_arena, t.stem, t.stem_len);
    if (!s)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (word cache)");
    w->stem = s;
    w->stem_len = t.stem_len;
    ns->cache_bytes += t.stem_len + 16;
  }
  *out = w;
  return TRAM_OK;
}

int tram__stem(tram_analyzer *an, int lang, const char *w, size_t n,
               const char **out, size_t *out_len) {
  *out = NULL;
  if (lang < 0 || lang >= TRAM_LANG_COUNT || !an->stemmer[lang])
    return TRAM_ELANG;
  norm_state *ns = state_of(an);
  if (!ns)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
  word_info tmp;
  word_info *wi;
  int rc = word_of(an, ns, lang, w, n, true, &tmp, &wi);
  if (rc == TRAM_OK) {
    *out = wi->stem;
    *out_len = wi->stem_len;
  }
  return rc;
}

/* ---- user stop words */

typedef struct stop_ctx {
  tram_analyzer *an;
  norm_state *ns;
} stop_ctx;

static int add_stop(void *ctx, const char *line, size_t n, size_t lineno) {
  (void)lineno;
  stop_ctx *x = ctx;
  tram_analyzer *an = x->an;
  if (n > (size_t)INT32_MAX / 2)
    return tram__fail(an, TRAM_ETOOBIG, "stop word too long");
  if (grow(&x->ns->c, (n + 1) * sizeof(UChar)))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (stop words)");
  UChar *c = x->ns->c.p;
  int32_t k = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    bool valid;
    i += tram__utf8_decode((const unsigned char *)line + i, n - i, &cp, &valid);
    U16_APPEND_UNSAFE(c, k, cp);
  }
  size_t len;
  int rc = norm_of(an, x->ns, c, k, &len);
  if (rc)
    return rc;
  return tram__map_slot(an->extra_stop, x->ns->u8.p, len, true)
             ? TRAM_OK
             : tram__fail(an, TRAM_ENOMEM, "out of memory (stop words)");
}

int tram__normalize_stopwords(tram_analyzer *an, const char *text, size_t len) {
  norm_state *ns = state_of(an);
  if (!an->extra_stop)
    an->extra_stop = tram__map_new();
  if (!ns || !an->extra_stop)
    return TRAM_ENOMEM;
  stop_ctx x = {an, ns};
  return tram__each_line(text, len, add_stop, &x);
}

const unsigned char *tram__ascii_stops(tram_analyzer *an, int lang) {
  norm_state *ns = an->norm_state;
  if (!ns || lang < 0 || lang >= TRAM_LANG_COUNT)
    return NULL;
  unsigned char *row = ns->ascii_stop[lang];
  if (!row[0])
    for (int c = 0; c < 128; c++) {
      char k = (char)c;
      row[c] = (unsigned char)(1 + stop_of(an, lang, &k, 1));
    }
  return row;
}

/* ---- the stage */

/* Puts a word's norm, stop flag and stem into its front entry, if they
 * fit: over its own entry when `fe` (which keeps its other bits), else into
 * a new one in the first way of `set`. */
static void front_put(tram_front_entry *set, tram_front_entry *fe,
                      uint32_t check, const tram_token *t, const UChar *u,
                      size_t un, const char *norm, size_t nlen,
                      const word_info *w, bool norm_same, bool stem_same) {
  size_t k = un * sizeof(UChar), norm_at = k;
  if (!norm_same)
    k += nlen;
  bool prefix = w->stem && w->stem_len <= nlen &&
                tram__same_short(w->stem, norm, w->stem_len); /* most stems */
  size_t stem_at = k;
  if (w->stem && !prefix)
    k += w->stem_len;
  if (k > (fe ? tram__front_room(fe) : TRAM_FRONT_DATA))
    return;
  if (!fe)
    fe = tram__front_new(set, check, u, un, t->lang, 0);
  fe->bits =
      (unsigned char)((fe->bits & (TRAM_FRONT_PLAIN | TRAM_FRONT_WORDS)) |
                      TRAM_FRONT_NORM | (w->stop ? TRAM_FRONT_STOP : 0) |
                      (norm_same ? TRAM_FRONT_NORM_SAME : 0) |
                      (stem_same ? TRAM_FRONT_STEM_SAME : 0) |
                      (w->stem ? TRAM_FRONT_HAS_STEM : 0) |
                      (w->stem && !prefix ? TRAM_FRONT_STEM_OWN : 0));
  fe->norm_n = (unsigned char)nlen;
  fe->stem_n = w->stem ? (unsigned char)w->stem_len : 0;
  fe->stem_at = (unsigned char)stem_at;
  if (!norm_same)
    memcpy(fe->data + norm_at, norm, nlen);
  if (w->stem && !prefix)
    memcpy(fe->data + stem_at, w->stem, w->stem_len);
}

/* The front is read a few tokens ahead: a set not used lately is in no
 * cache (two megabytes read at random), and the load of one token's set
 * then overlaps the work on the tokens before it instead of stalling it. */
#define FRONT_AHEAD 8 /* a power of two */

/* The surface hash of t (span sp), its set fetched; 0 if t does not go
 * through the front: done by the tokenizer already (t->norm set), accent
 * folding on (its norms are not held there), its text not the input's
 * bytes (REPLACED), or its surface too long. (A surface whose hash is 0
 * merely misses the front.) */
static inline uint64_t front_prefetch(const norm_state *ns, const UChar *u16,
                                      const tram_token *t,
                                      const tram_span16 *sp, bool fold) {
  size_t n = (size_t)(sp->e - sp->s);
  if (t->norm || fold || !n || n > TRAM_FRONT_KEY_MAX ||
      (t->flags & TRAM_TOKEN_REPLACED))
    return 0;
  uint64_t h = tram__hash_short(u16 + sp->s, n * sizeof(UChar));
#if defined(__GNUC__)
  const tram_front_entry *set = tram__front_set(ns->front, h);
  __builtin_prefetch(set);
  __builtin_prefetch(set + 1);
#endif
  return h;
}

int tram__normalize(tram_analyzer *an, tram_doc *doc) {
  size_t nt = doc->tokens.len;
  bool fold = (an->opts.flags & TRAM_OPT_FOLD_ACCENTS) != 0;
  bool stem = !(an->opts.flags & TRAM_OPT_NO_STEM);
  norm_state *ns = state_of(an);
  if (!ns)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  tram_bump bump = {NULL, NULL}; /* norms and stems into doc->strings */
  tram_token *toks = doc->tokens.data;
  const tram_span16 *spans = an->spans.data;
  const UChar *u16 = an->u16;
  /* Surface hashes of tokens i .. i + 7; 0: not through the front. */
  uint64_t ahead[FRONT_AHEAD];
  for (size_t j = 0; j < FRONT_AHEAD && j < nt; j++)
    ahead[j] = front_prefetch(ns, u16, &toks[j], &spans[j], fold);
  for (size_t i = 0; i < nt; i++) {
    tram_token *t = &toks[i];
    uint64_t fh = ahead[i & (FRONT_AHEAD - 1)];
    if (i + FRONT_AHEAD < nt)
      ahead[i & (FRONT_AHEAD - 1)] = front_prefetch(
          ns, u16, t + FRONT_AHEAD, &spans[i + FRONT_AHEAD], fold);
    if (t->norm)
      continue; /* the tokenizer filled it from the front */
    bool want_stem = stem && t->kind == TRAM_KIND_WORD &&
                     an->stemmer[t->lang] != NULL && !(t->flags & CLOSED);
    bool closed_stem = stem && (t->flags & CLOSED) && an->stemmer[t->lang];
    size_t tlen = t->end - t->start;
    const tram_span16 *sp = &spans[i];
    tram_front_entry *set = NULL, *fe = NULL;
    uint32_t check = 0;
    if (fh) {
      set = tram__front_set(ns->front, fh);
      check = (uint32_t)(fh >> 32);
      fe = tram__front_find(set, check, u16 + sp->s, (size_t)(sp->e - sp->s),
                            t->lang);
      /* A word first met as a number or an elided form has no stem yet;
       * one the tokenizer put there has no norm yet. */
      if (fe && fe->bits & TRAM_FRONT_NORM &&
          (!want_stem || fe->bits & TRAM_FRONT_HAS_STEM)) {
        if (tram__front_fill(fe, t, &bump, &doc->strings, closed_stem,
                             want_stem))
          return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
        continue;
      }
    }
    size_t nlen;
    int rc = norm_of(an, ns, u16 + sp->s, sp->e - sp->s, &nlen);
    if (rc)
      return rc;
    const char *norm = ns->u8.p;
    word_info tmp;
    word_info *w;
    rc = word_of(an, ns, t->lang, norm, nlen, want_stem, &tmp, &w);
    if (rc)
      return rc;
    if (w->stop)
      t->flags |= TRAM_TOKEN_STOP;
    /* The unfolded norm in the doc: the surface text when equal. */
    const char *dnorm = t->text;
    bool norm_same = !(t->flags & TRAM_TOKEN_REPLACED) && tlen == nlen &&
                     tram__same_short(t->text, norm, nlen);
    if (!norm_same)
      dnorm = tram__bump_strndup(&bump, &doc->strings, norm, nlen);
    if (!dnorm)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
    t->norm = dnorm;
    bool stem_same = w->stem && w->stem_len == nlen &&
                     tram__same_short(w->stem, dnorm, nlen);
    if (closed_stem) {
      t->stem = dnorm;
    } else if (want_stem) {
      t->stem = stem_same ? dnorm
                          : tram__bump_strndup(&bump, &doc->strings, w->stem,
                                               w->stem_len);
      if (!t->stem)
        return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
    }
    if (set)
      front_put(set, fe, check, t, u16 + sp->s, (size_t)(sp->e - sp->s), norm,
                nlen, w, norm_same, stem_same);
    if (fold) {
      size_t flen;
      rc = fold_of(an, ns, nlen, &flen);
      if (rc)
        return rc;
      if (flen != nlen || memcmp(ns->f8.p, dnorm, nlen) != 0) {
        t->norm = tram__bump_strndup(&bump, &doc->strings, ns->f8.p, flen);
        if (!t->norm)
          return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
      }
    }
  }
  return TRAM_OK;
}
