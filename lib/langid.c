/*
 * langid.c — language identification: a word unigram model with a
 * character n-gram model for the words it does not know, both naive Bayes.
 *
 * Takes UTF-8 (or the analyzer's UTF-16) text of any length; gives the most
 * probable tram_lang and a confidence in [0,1]. The model (section
 * "langid", layout in langid.h) holds two tables:
 *  - a word table: the frequent words of the training text, each with the
 *    label's smoothed log-probability of the word, centred over the labels
 *    (only differences between labels matter to the classifier, which keeps
 *    the weights small enough for one signed byte). One probe of a small
 *    open-addressing table per word: frequent words (articles,
 *    prepositions, verb endings of everyday verbs) decide most sentences in
 *    a few words, which is what makes per-sentence identification cheap;
 *  - an n-gram table for the other words: hashed character 1–5-grams,
 *    Cavnar & Trenkle's profiles recast as McCallum & Nigam's multinomial
 *    event model with Weinberger et al.'s feature hashing, their sum scaled
 *    down by a factor fitted on dev text (a word's n-grams are far from
 *    independent evidence).
 * The score of a label is its bias (log prior) plus the sum of its word
 * evidence. Reading stops once the best label leads all others by a margin
 * (the caller's), so a sentence usually costs its first few words. Labels
 * may be finer than the tram_lang set (the trained model has it, pt and
 * en, all read as "other"): the confidence is the softmax of the scores
 * divided by the model's temperature (fitted by the trainer on held-out
 * lines, so that it is calibrated), summed over the labels of each
 * tram_lang.
 *
 * The loader checks every header field, the CRC-32, every offset and the
 * probe length of every word-table key, and points at the tables inside the
 * model's bytes without copying them. The trainer is tools/langid_train.c;
 * the evaluator tools/langid_eval.c.
 */
#include <math.h>
#include <string.h>

#include <unicode/uchar.h>

#include "internal.h"
#include "langid.h"

struct tram_langid {
  tram_langid_params p;
  size_t nlabels, stride;
  char codes[TRAM_LANGID_MAX_LABELS][8];
  const char *code_ptr[TRAM_LANGID_MAX_LABELS];
  int langs[TRAM_LANGID_MAX_LABELS];
  double bias[TRAM_LANGID_MAX_LABELS];
  double scale, temperature, name_weight, wscale, nfactor, kfactor;
  const signed char *table;   /* n-gram weights, borrowed from the model */
  unsigned wbits;             /* word table: 2^wbits slots */
  uint32_t wprobe;            /* longest probe distance */
  size_t wslot;               /* bytes per slot: 8 + stride */
  const unsigned char *words; /* the word table, borrowed */
};

/* ------------------------------------------------------------- words */

#define WORD_MAX TRAM_LANGID_WORD_MAX
#define FNV_PRIME 0x100000001b3ull
#define FNV_OFFSET 0xcbf29ce484222325ull
#define WORD_TAG 0x574f5244u /* "WORD": word keys apart from n-grams */

/* FNV-1a's last multiplication carries every input bit into the high bits,
 * so the bucket is just the top `bits` bits. */
static inline uint32_t bucket_of(uint64_t h, unsigned bits) {
  return (uint32_t)(h >> (64 - bits));
}

/* Maps a code point to the form a word holds, or 0 if it ends words. */
static inline uint32_t word_char(uint32_t c) {
  if (c < 0x80) {
    if (c >= 'a' && c <= 'z')
      return c;
    if (c >= 'A' && c <= 'Z')
      return c + 32;
    return c == '\'' ? c : 0;
  }
  if (c <= 0xFF) {
    if (c >= 0xC0) /* Latin-1 letters, the bulk of fr/es/ca/oc */
      return c == 0xD7 || c == 0xF7 ? 0 : c <= 0xDE ? c + 0x20 : c;
    /* Latin-1 punctuation, symbols and spaces; ª µ º are letters. */
    return c == 0xB7 ? 0xB7 : c == 0xAA || c == 0xB5 || c == 0xBA ? c : 0;
  }
  if (c == 0x2019 || c == 0x2BC)
    return '\'';
  if (c == 0xB7 || c == 0x2027 || c == 0x22C5)
    return 0xB7;
  if (c >= 0xD800 && c <= 0xDFFF) /* lone surrogate of UTF-16 input */
    return 0;
  if (!u_isUAlphabetic((UChar32)c))
    return 0;
  return (uint32_t)u_tolower((UChar32)c);
}

/* The word reader's state between code points. */
typedef struct reader {
  uint32_t w[WORD_MAX + 2];
  size_t n;     /* code points in w[1..n] */
  size_t words; /* words passed on */
  int opens;    /* the next word opens the text or a sentence */
  int upper;    /* letters of the current word that were upper case */
  int name;     /* the current word looks like a name */
  tram_langid_word_fn fn;
  void *ctx;
} reader;

static void reader_init(reader *r, tram_langid_word_fn fn, void *ctx) {
  r->w[0] = ' ';
  r->n = r->words = 0;
  r->opens = 1;
  r->upper = r->name = 0;
  r->fn = fn;
  r->ctx = ctx;
}

/* Takes one code point (0 = end of text or invalid); returns non-zero once
 * the callback asked to stop. */
static inline __attribute__((always_inline)) int reader_push(reader *r,
                                                             uint32_t raw) {
  uint32_t c = raw ? word_char(raw) : 0;
  if (c) {
    if (c != raw && c != '\'' && c != 0xB7) {
      r->upper++;
      if (r->n == 0 && !r->opens)
        r->name = 1;
    }
    if (r->n < WORD_MAX)
      r->w[++r->n] = c;
    return 0;
  }
  if (r->n) {
    r->w[r->n + 1] = ' ';
    /* Title case only: an all-capitals word is a heading or acronym. */
    r->words++;
    if (r->fn(r->ctx, r->w, r->n + 2, r->name && r->upper == 1))
      return 1;
    r->n = 0;
    r->opens = 0;
  }
  r->upper = r->name = 0;
  if (raw == 0xBF || raw == 0xA1) {
    /* ¿ and ¡ are read as a word of their own: Spanish writes them. */
    r->w[1] = raw;
    r->w[2] = ' ';
    r->words++;
    if (r->fn(r->ctx, r->w, 3, 0))
      return 1;
  }
  if (raw == '.' || raw == '!' || raw == '?' || raw == ':' || raw == '\n' ||
      raw == 0xBF || raw == 0xA1)
    r->opens = 1;
  return 0;
}

size_t tram__langid_words(const char *text, size_t len, tram_langid_word_fn fn,
                          void *ctx) {
  const unsigned char *s = (const unsigned char *)text;
  reader r;
  reader_init(&r, fn, ctx);
  for (size_t i = 0; i < len;) {
    uint32_t raw;
    if (s[i] < 0x80) {
      raw = s[i++];
    } else {
      bool valid;
      i += tram__utf8_decode(s + i, len - i, &raw, &valid);
      if (!valid)
        raw = 0;
    }
    if (reader_push(&r, raw))
      return r.words;
  }
  reader_push(&r, 0);
  return r.words;
}

size_t tram__langid_words16(const uint16_t *s, size_t len,
                            tram_langid_word_fn fn, void *ctx) {
  reader r;
  reader_init(&r, fn, ctx);
  for (size_t i = 0; i < len; i++) {
    uint32_t raw = s[i];
    if (raw >= 0xD800 && raw <= 0xDBFF && i + 1 < len && s[i + 1] >= 0xDC00 &&
        s[i + 1] <= 0xDFFF) {
      raw = 0x10000 + ((raw - 0xD800) << 10) + (s[i + 1] - 0xDC00u);
      i++;
    }
    if (reader_push(&r, raw))
      return r.words;
  }
  reader_push(&r, 0);
  return r.words;
}

size_t tram__langid_ngrams(const tram_langid_params *p, const uint32_t *w,
                           size_t n, uint32_t *out) {
  /* w[0] and w[n-1] are the padding spaces. */
  size_t count = 0;
  const uint64_t h0 = FNV_OFFSET ^ p->seed;
  for (size_t i = 0; i < n; i++) {
    uint64_t h = h0;
    size_t kmax = n - i < p->max_order ? n - i : p->max_order;
    for (size_t k = 1; k <= kmax; k++) {
      h = (h ^ w[i + k - 1]) * FNV_PRIME;
      if (k < p->min_order || (k == 1 && w[i] == ' '))
        continue;
      out[count++] = bucket_of(h, p->bits);
    }
  }
  if ((p->flags & TRAM_LANGID_WORDS) && n > p->max_order) {
    /* A word longer than the largest n-gram: add it whole (shorter words
     * already appear whole, padded, as one n-gram). */
    uint64_t h = h0 * FNV_PRIME;
    h ^= 0x5741u;
    for (size_t i = 0; i < n; i++)
      h = (h ^ w[i]) * FNV_PRIME;
    out[count++] = bucket_of(h, p->bits);
  }
  return count;
}

uint32_t tram__langid_word_key(const tram_langid_params *p, const uint32_t *w,
                               size_t n) {
  uint64_t h = (FNV_OFFSET ^ p->seed ^ WORD_TAG) * FNV_PRIME;
  for (size_t i = 1; i + 1 < n; i++)
    h = (h ^ w[i]) * FNV_PRIME;
  h ^= h >> 33; /* MurmurHash3's finaliser: FNV's top bits alone */
  h *= 0xff51afd7ed558ccdull; /* cluster in an open-addressing table */
  h ^= h >> 33;
  uint32_t key = (uint32_t)(h >> 32);
  return key ? key : 1;
}

/* ------------------------------------------------------------- loading */

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static double rdf32(const unsigned char *p) {
  uint32_t u = rd32(p);
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

#define BAD(off, ...)                                                          \
  tram__set_error(err, TRAM_EMODEL, (off), "langid", __VA_ARGS__)

/* Every key of the word table sits within `probe` slots of its home. */
static int check_words(const unsigned char *t, unsigned bits, size_t slot,
                       uint32_t probe, size_t off, tram_error *err) {
  size_t slots = (size_t)1 << bits, used = 0;
  for (size_t i = 0; i < slots; i++) {
    uint32_t k = rd32(t + slot * i);
    if (rd32(t + slot * i + 4))
      return BAD(off + slot * i + 4, "reserved word-table bytes are not zero");
    if (!k)
      continue;
    used++;
    size_t home = k >> (32 - bits);
    if (((i - home) & (slots - 1)) > probe)
      return BAD(off + slot * i,
                 "word-table key %zu is %zu slots from home, "
                 "more than the %u the header allows",
                 i, (i - home) & (slots - 1), probe);
  }
  if (used == slots)
    return BAD(off, "word table has no empty slot");
  return TRAM_OK;
}

static int check(const unsigned char *b, size_t len, tram_langid *li,
                 tram_error *err) {
  if (len < TRAM_LANGID_HEADER || memcmp(b, TRAM_LANGID_MAGIC, 8) != 0)
    return BAD(0, "not a language-identification model (%zu bytes)", len);
  unsigned major = (unsigned)(b[8] | b[9] << 8);
  unsigned minor = (unsigned)(b[10] | b[11] << 8);
  if (major != TRAM_LANGID_MAJOR)
    return tram__set_error(err, TRAM_EVERSION, 8, "langid",
                           "langid format %u.%u, this library reads %u.x",
                           major, minor, TRAM_LANGID_MAJOR);
  if (rd32(b + 16) != len)
    return BAD(16, "langid section is %zu bytes, header says %u (truncated?)",
               len, rd32(b + 16));
  uint32_t crc = tram__crc32(0, b, 12);
  static const unsigned char zero[4] = {0, 0, 0, 0};
  crc = tram__crc32(crc, zero, 4);
  crc = tram__crc32(crc, b + 16, len - 16);
  if (crc != rd32(b + 12))
    return BAD(12, "langid checksum mismatch (corrupt model)");
  uint32_t nl = rd32(b + 20), bits = rd32(b + 24);
  if (nl < 1 || nl > TRAM_LANGID_MAX_LABELS)
    return BAD(20, "bad label count %u", nl);
  if (bits < 8 || bits > 24)
    return BAD(24, "bad hash size 2^%u", bits);
  unsigned lo = b[32], hi = b[33], flags = b[34];
  if (lo < 1 || hi < lo || hi > 8)
    return BAD(32, "bad n-gram orders %u..%u", lo, hi);
  if (flags & ~TRAM_LANGID_WORDS || b[35])
    return BAD(34, "unknown feature flags 0x%x", flags);
  double scale = rdf32(b + 36), temp = rdf32(b + 40);
  if (!(scale > 0 && scale < 100) || !(temp > 0 && temp < 1e6))
    return BAD(36, "bad weight scale or temperature");
  uint32_t plen = rd32(b + 44), toff = rd32(b + 48);
  double namew = rdf32(b + 52);
  if (!(namew >= 0 && namew <= 1))
    return BAD(52, "bad name weight");
  uint32_t wbits = rd32(b + 56), woff = rd32(b + 60), probe = rd32(b + 72);
  double wscale = rdf32(b + 64), nfactor = rdf32(b + 68);
  if (wbits < 4 || wbits > 24)
    return BAD(56, "bad word-table size 2^%u", wbits);
  if (!(wscale > 0 && wscale < 100))
    return BAD(64, "bad word weight scale");
  if (!(nfactor > 0 && nfactor <= 1))
    return BAD(68, "bad n-gram factor");
  if (probe >= (uint32_t)1 << wbits)
    return BAD(72, "bad probe length %u", probe);
  double kfactor = rdf32(b + 76);
  if (!(kfactor >= 0 && kfactor <= 1))
    return BAD(76, "bad n-gram factor of table words");
  size_t meta_end = (size_t)TRAM_LANGID_HEADER + 12u * nl + plen;
  size_t stride = TRAM_LANGID_STRIDE(nl);
  size_t tlen = ((size_t)1 << bits) * stride;
  size_t wlen = ((size_t)1 << wbits) * (8 + stride);
  if (plen > len || meta_end > toff || toff % 8 || toff > len ||
      len - toff < tlen || woff != toff + tlen || len - woff != wlen)
    return BAD(48,
               "bad layout: %u labels, 2^%u buckets, 2^%u words, tables at "
               "%u and %u of %zu",
               nl, bits, wbits, toff, woff, len);
  int rc = check_words(b + woff, wbits, 8 + stride, probe, woff, err);
  if (rc)
    return rc;
  li->nlabels = nl;
  li->stride = stride;
  li->p.bits = bits;
  li->p.seed = rd32(b + 28);
  li->p.min_order = lo;
  li->p.max_order = hi;
  li->p.flags = flags;
  li->scale = scale;
  li->temperature = temp;
  li->name_weight = namew;
  li->wscale = wscale;
  li->nfactor = nfactor;
  li->kfactor = kfactor;
  li->wbits = wbits;
  li->wprobe = probe;
  for (uint32_t i = 0; i < nl; i++) {
    const unsigned char *c = b + TRAM_LANGID_HEADER + 8 * i;
    size_t n = 0;
    while (n < 8 && c[n])
      n++;
    if (n < 2 || n > 7)
      return BAD(TRAM_LANGID_HEADER + 8 * i, "bad label %u", i);
    for (size_t k = 0; k < 8; k++)
      if (k < n ? !(c[k] >= 'a' && c[k] <= 'z') : c[k] != 0)
        return BAD(TRAM_LANGID_HEADER + 8 * i, "bad label %u", i);
    memcpy(li->codes[i], c, 8);
    li->code_ptr[i] = li->codes[i];
    int l = tram_lang_from_code(li->codes[i]);
    li->langs[i] = l > TRAM_LANG_AUTO ? l : TRAM_LANG_OTHER;
    double bias = rdf32(b + TRAM_LANGID_HEADER + 8 * nl + 4 * i);
    if (!(bias > -1e6 && bias < 1e6))
      return BAD(TRAM_LANGID_HEADER + 8 * nl + 4 * i, "bad bias of label %u",
                 i);
    li->bias[i] = bias;
  }
  li->table = (const signed char *)(b + toff);
  li->wslot = 8 + stride;
  li->words = b + woff;
  return TRAM_OK;
}

int tram__langid_load(const void *data, size_t len, tram_langid **out,
                      tram_error *err) {
  if (!out)
    return TRAM_EINVAL;
  *out = NULL;
  if (!data)
    return BAD(0, "no langid data");
  tram_langid *li = tram__calloc(1, sizeof *li);
  if (!li)
    return tram__set_error(err, TRAM_ENOMEM, 0, "langid", "out of memory");
  int rc = check(data, len, li, err);
  if (rc) {
    tram__free(li);
    return rc;
  }
  *out = li;
  return TRAM_OK;
}

void tram__langid_free(tram_langid *li) { tram__free(li); }

size_t tram__langid_labels(const tram_langid *li, const char **codes,
                           int *langs) {
  for (size_t i = 0; i < li->nlabels; i++) {
    if (codes)
      codes[i] = li->code_ptr[i];
    if (langs)
      langs[i] = li->langs[i];
  }
  return li->nlabels;
}

double tram__langid_temperature(const tram_langid *li) {
  return li->temperature;
}

/* ------------------------------------------------------- classification */

/* A row of a table is one or two vectors of 8 weights; the n-gram weights
 * of one word add up in 16-bit lanes (at most NGRAMS_MAX features of
 * |weight| <= 127: no overflow). */
typedef signed char tram_v8i8 __attribute__((vector_size(8)));
typedef int16_t tram_v8i16 __attribute__((vector_size(16)));

typedef struct acc {
  const tram_langid *li;
  double margin; /* lead that ends the reading; 0: never */
  double bias[TRAM_LANGID_MAX_LABELS]; /* model's + caller's log-priors */
  int pass;     /* 0: every word; 1: table words only; 2: the others */
  size_t later; /* words left to the second pass */
  int done;     /* the margin was reached */
  size_t seen;  /* words passed to add_word in this pass */
  double ev[TRAM_LANGID_MAX_LABELS];
} acc;

/* The word-table row of key, or NULL. */
static const signed char *word_row(const tram_langid *li, uint32_t key) {
  size_t mask = ((size_t)1 << li->wbits) - 1;
  size_t i = key >> (32 - li->wbits);
  for (uint32_t d = 0; d <= li->wprobe; d++, i = (i + 1) & mask) {
    const unsigned char *slot = li->words + i * li->wslot;
    uint32_t k;
    memcpy(&k, slot, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    k = __builtin_bswap32(k);
#endif
    if (k == key)
      return (const signed char *)slot + 8;
    if (!k)
      return NULL;
  }
  return NULL;
}

static int add_word(void *ctx, const uint32_t *w, size_t n, int name) {
  acc *a = ctx;
  const tram_langid *li = a->li;
  size_t nl = li->nlabels;
  double f = name ? li->name_weight : 1.0;
  a->seen++;
  const signed char *row = word_row(li, tram__langid_word_key(&li->p, w, n));
  if (row && a->pass != 2) {
    double fw = f * li->wscale;
    for (size_t i = 0; i < nl; i++)
      a->ev[i] += fw * row[i];
  }
  if (a->pass == 1) {
    a->later += !row || li->kfactor > 0;
  } else if (!row || li->kfactor > 0) {
    uint32_t b[TRAM_LANGID_NGRAMS_MAX];
    size_t k = tram__langid_ngrams(&li->p, w, n, b);
    f *= li->scale * (row ? li->kfactor : li->nfactor);
    for (size_t j = 0; j < li->stride / 8; j++) {
      tram_v8i16 v = {0, 0, 0, 0, 0, 0, 0, 0};
      const signed char *t = li->table + 8 * j;
      for (size_t q = 0; q < k; q++) {
        tram_v8i8 x;
        memcpy(&x, t + (size_t)b[q] * li->stride, sizeof x);
        v += __builtin_convertvector(x, tram_v8i16);
      }
      for (size_t i = 0; i < 8 && 8 * j + i < nl; i++)
        a->ev[8 * j + i] += f * v[i];
    }
  }
  if (!(a->margin > 0) || a->seen < TRAM_LANGID_MIN_WORDS)
    return 0;
  double best = -HUGE_VAL, second = -HUGE_VAL;
  for (size_t i = 0; i < nl; i++) {
    double v = a->ev[i] + a->bias[i];
    if (v > best) {
      second = best;
      best = v;
    } else if (v > second) {
      second = v;
    }
  }
  a->done = best - second >= a->margin;
  return a->done;
}

/* Reads the words of text (UTF-8 or UTF-16) in one pass (margin 0) or
 * two (see langid.h). */
static size_t evidence(const tram_langid *li, const void *text, size_t len,
                       bool u16, double margin, const double *prior,
                       double *ev) {
  acc a;
  a.li = li;
  a.margin = margin;
  a.pass = margin > 0;
  a.later = a.seen = 0;
  a.done = 0;
  for (size_t i = 0; i < li->nlabels; i++) {
    a.ev[i] = 0;
    a.bias[i] = li->bias[i] + (prior ? prior[i] : 0);
  }
  size_t n = u16 ? tram__langid_words16(text, len, add_word, &a)
                 : tram__langid_words(text, len, add_word, &a);
  if (a.later && a.pass == 1 && !a.done && prior) {
    /* The caller's favourite (the document's language) leads without the
     * margin: the text takes it whatever its n-grams say, unless they
     * could make another label sure, which needs another leader. */
    size_t best = 0, fav = 0;
    for (size_t i = 1; i < li->nlabels; i++) {
      best = a.ev[i] + a.bias[i] > a.ev[best] + a.bias[best] ? i : best;
      fav = prior[i] > prior[fav] ? i : fav;
    }
    if (best == fav && prior[fav] > 0)
      a.later = 0;
  }
  if (a.later && a.pass == 1 && !a.done) {
    /* The table words left the margin unreached: the n-grams of the
     * others. */
    a.pass = 2;
    a.seen = 0;
    if (u16)
      tram__langid_words16(text, len, add_word, &a);
    else
      tram__langid_words(text, len, add_word, &a);
  }
  memcpy(ev, a.ev, li->nlabels * sizeof *ev);
  return n;
}

size_t tram__langid_evidence(const tram_langid *li, const char *text,
                             size_t len, double margin, const double *prior,
                             double *ev) {
  return evidence(li, text, len, false, margin, prior, ev);
}

size_t tram__langid_evidence16(const tram_langid *li, const uint16_t *text,
                               size_t len, double margin, const double *prior,
                               double *ev) {
  return evidence(li, text, len, true, margin, prior, ev);
}

size_t tram__langid_scores(const tram_langid *li, const char *text, size_t len,
                           double *scores) {
  size_t n = tram__langid_evidence(li, text, len, 0, NULL, scores);
  for (size_t i = 0; i < li->nlabels; i++)
    scores[i] += li->bias[i];
  return n;
}

void tram__langid_decide(const tram_langid *li, const double *ev, size_t nwords,
                         int *lang, double *conf) {
  *lang = TRAM_LANG_OTHER;
  *conf = 0;
  if (nwords == 0)
    return;
  double s[TRAM_LANGID_MAX_LABELS];
  double top = -HUGE_VAL;
  for (size_t i = 0; i < li->nlabels; i++) {
    s[i] = ev[i] + li->bias[i];
    if (s[i] > top)
      top = s[i];
  }
  double p[TRAM_LANG_COUNT] = {0}, z = 0, inv = 1.0 / li->temperature;
  for (size_t i = 0; i < li->nlabels; i++) {
    double x = (s[i] - top) * inv;
    if (x < -24) /* below 4e-11: no visible change to a confidence */
      continue;
    double e = exp(x);
    p[li->langs[i]] += e;
    z += e;
  }
  int best = TRAM_LANG_OTHER;
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT; l++)
    if (p[l] > p[best])
      best = l;
  *lang = best;
  *conf = p[best] / z;
}

int tram__langid_classify(const tram_langid *li, const char *text, size_t len,
                          int *lang, double *conf) {
  *lang = TRAM_LANG_OTHER;
  *conf = 0;
  if (!li || (!text && len))
    return TRAM_EINVAL;
  double ev[TRAM_LANGID_MAX_LABELS];
  size_t n = tram__langid_evidence(li, text ? text : "", len, TRAM_LANGID_SURE,
                                   NULL, ev);
  tram__langid_decide(li, ev, n, lang, conf);
  return TRAM_OK;
}
