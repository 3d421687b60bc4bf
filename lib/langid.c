/*
 * langid.c — language identification: multinomial naive Bayes over hashed
 * character n-grams and words.
 *
 * Takes UTF-8 text of any length; gives the most probable tram_lang and a
 * confidence in [0,1]. The model (section "langid", layout in langid.h) is
 * a table of 2^bits buckets, each holding one quantised weight per label:
 * the label's smoothed log-probability of the features hashed into that
 * bucket, centred over the labels (only differences between labels matter
 * to the classifier, so the centring costs nothing and keeps the weights
 * small enough for one signed byte). The score of a label is its bias plus
 * the sum of its weights over the text's features — the naive Bayes
 * log-posterior of Cavnar & Trenkle's n-gram profiles recast as McCallum &
 * Nigam's multinomial event model, with Weinberger et al.'s feature hashing
 * so the table has a fixed size. Labels may be finer than the tram_lang
 * set (the trained model has it, pt and en, all read as "other"): the
 * confidence is the softmax of the scores divided by the model's
 * temperature (fitted by the trainer on held-out lines, so that it is
 * calibrated), summed over the labels of each tram_lang.
 *
 * The loader checks every header field, the CRC-32 and every offset, and
 * points at the table inside the model's bytes without copying it. The
 * trainer is tools/langid_train.c; the evaluator tools/langid_eval.py.
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
  double scale, temperature, name_weight;
  const signed char *table; /* borrowed from the model's bytes */
};

/* ------------------------------------------------------------ features */

#define WORD_MAX 32 /* code points of a word kept for n-grams */
#define FNV_PRIME 0x100000001b3ull
#define FNV_OFFSET 0xcbf29ce484222325ull

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
  if (c >= 0xC0 && c <= 0xFF) /* Latin-1 letters, the bulk of fr/es/ca/oc */
    return c == 0xD7 || c == 0xF7 ? 0 : c <= 0xDE ? c + 0x20 : c;
  if (c == 0x2019 || c == 0x2BC)
    return '\'';
  if (c == 0xB7 || c == 0x2027 || c == 0x22C5)
    return 0xB7;
  if (!u_isUAlphabetic((UChar32)c))
    return 0;
  return (uint32_t)u_tolower((UChar32)c);
}

/* Hashes the features of one padded word w[0..n) into out (room for
 * WORD_FEATURES); returns their number. */
#define WORD_FEATURES ((WORD_MAX + 2) * 8 + 1)
static size_t word_features(const tram_langid_params *p, const uint32_t *w,
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

size_t tram__langid_features(const tram_langid_params *p, const char *text,
                             size_t len, tram_langid_feature_fn fn, void *ctx) {
  const unsigned char *s = (const unsigned char *)text;
  uint32_t w[WORD_MAX + 2], feats[WORD_FEATURES];
  size_t n = 0, count = 0, i = 0;
  int opens = 1; /* the next word opens the text or a sentence */
  int upper = 0; /* letters of the current word that were upper case */
  int name = 0;  /* the current word looks like a name */
  w[0] = ' ';
  while (i <= len) {
    uint32_t raw = 0, c = 0;
    if (i < len) {
      if (s[i] < 0x80) {
        raw = s[i++];
      } else {
        bool valid;
        i += tram__utf8_decode(s + i, len - i, &raw, &valid);
        if (!valid)
          raw = 0;
      }
      c = word_char(raw);
    } else {
      i++; /* end of text ends the last word */
    }
    if (c) {
      if (c != raw && c != '\'' && c != 0xB7) {
        upper++;
        if (n == 0 && !opens)
          name = 1;
      }
      if (n < WORD_MAX)
        w[++n] = c;
      continue;
    }
    if (n) {
      w[n + 1] = ' ';
      /* Title case only: an all-capitals word is a heading or acronym. */
      size_t k = word_features(p, w, n + 2, feats);
      int stop = fn(ctx, feats, k, name && upper == 1);
      count += k;
      if (stop)
        break;
      n = 0;
      opens = 0;
    }
    upper = name = 0;
    if (raw == '.' || raw == '!' || raw == '?' || raw == ':' || raw == '\n' ||
        raw == 0xBF || raw == 0xA1)
      opens = 1;
  }
  return count;
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
  for (size_t i = 56; i < TRAM_LANGID_HEADER; i++)
    if (b[i])
      return BAD(i, "reserved header bytes are not zero");
  size_t meta_end = (size_t)TRAM_LANGID_HEADER + 12u * nl + plen;
  size_t stride = TRAM_LANGID_STRIDE(nl);
  if (plen > len || meta_end > toff || toff % 8 || toff > len ||
      (len - toff) / stride != (size_t)1 << bits || (len - toff) % stride)
    return BAD(48, "bad layout: %u labels, 2^%u buckets, table at %u of %zu",
               nl, bits, toff, len);
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

/* ------------------------------------------------------- classification */

/* A row of the table is one or two vectors of 8 weights; per word, the
 * weights add up in 16-bit lanes (a word has at most WORD_FEATURES
 * features of |weight| <= 127: no overflow), then into 32-bit sums. */
typedef signed char tram_v8i8 __attribute__((vector_size(8)));
typedef int16_t tram_v8i16 __attribute__((vector_size(16)));

typedef struct acc {
  const signed char *table;
  size_t chunks; /* vectors per row: stride / 8 */
  size_t nl;     /* labels */
  size_t words;  /* words seen */
  int32_t sure;  /* lead (in weight units) that ends the reading; 0: never */
  double namew;  /* weight of name-like words */
  int32_t sum[TRAM_LANGID_MAX_LABELS];  /* ordinary words */
  int32_t name[TRAM_LANGID_MAX_LABELS]; /* name-like words */
} acc;

/* True once the best label leads all others by a->sure. */
static int sure_enough(const acc *a) {
  double best = -HUGE_VAL, second = -HUGE_VAL;
  for (size_t i = 0; i < a->nl; i++) {
    double v = a->sum[i] + a->namew * a->name[i];
    if (v > best) {
      second = best;
      best = v;
    } else if (v > second) {
      second = v;
    }
  }
  return best - second >= a->sure;
}

static int add_word(void *ctx, const uint32_t *b, size_t n, int name) {
  acc *a = ctx;
  int32_t *sum = name ? a->name : a->sum;
  for (size_t j = 0; j < a->chunks; j++) {
    tram_v8i16 v = {0, 0, 0, 0, 0, 0, 0, 0};
    const signed char *t = a->table + 8 * j;
    size_t stride = 8 * a->chunks;
    for (size_t k = 0; k < n; k++) {
      tram_v8i8 x;
      memcpy(&x, t + (size_t)b[k] * stride, sizeof x);
      v += __builtin_convertvector(x, tram_v8i16);
    }
    for (int i = 0; i < 8; i++)
      sum[8 * j + (size_t)i] += v[i];
  }
  return a->sure && ++a->words % 4 == 0 && sure_enough(a);
}

size_t tram__langid_evidence(const tram_langid *li, const char *text,
                             size_t len, double *ev) {
  acc a;
  memset(&a, 0, sizeof a);
  a.table = li->table;
  a.chunks = li->stride / 8;
  a.nl = li->nlabels;
  a.namew = li->name_weight;
  a.sure = (int32_t)(TRAM_LANGID_SURE / li->scale);
  size_t n = tram__langid_features(&li->p, text, len, add_word, &a);
  for (size_t i = 0; i < li->nlabels; i++)
    ev[i] = li->scale * (a.sum[i] + li->name_weight * a.name[i]);
  return n;
}

size_t tram__langid_scores(const tram_langid *li, const char *text, size_t len,
                           double *scores) {
  size_t n = tram__langid_evidence(li, text, len, scores);
  for (size_t i = 0; i < li->nlabels; i++)
    scores[i] += li->bias[i];
  return n;
}

void tram__langid_decide(const tram_langid *li, const double *ev,
                         size_t nfeatures, int *lang, double *conf) {
  *lang = TRAM_LANG_OTHER;
  *conf = 0;
  if (nfeatures == 0)
    return;
  double s[TRAM_LANGID_MAX_LABELS];
  double top = -HUGE_VAL;
  for (size_t i = 0; i < li->nlabels; i++) {
    s[i] = ev[i] + li->bias[i];
    if (s[i] > top)
      top = s[i];
  }
  double p[TRAM_LANG_COUNT] = {0}, z = 0;
  for (size_t i = 0; i < li->nlabels; i++) {
    double e = exp((s[i] - top) / li->temperature);
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
  size_t n = tram__langid_evidence(li, text ? text : "", len, ev);
  tram__langid_decide(li, ev, n, lang, conf);
  return TRAM_OK;
}
