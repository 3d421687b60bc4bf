/*
 * text.c — the first stage: caller's UTF-8 bytes → UTF-16 for ICU.
 *
 * Invalid sequences become one U+FFFD per maximal invalid subpart (the
 * Unicode-recommended practice, as ICU and WHATWG do), so every input byte
 * belongs to exactly one code point and offsets can always be mapped back.
 * Whether a U+FFFD appears at all is noted (an->u16_fffd): the tokeniser
 * then checks each token's surface against the caller's bytes.
 * The mapping is not stored (it would cost 16 bytes per UTF-16 unit):
 * tram_cursor re-walks the bytes forward, and because tokens and sentences
 * are produced in order, the total walk is linear.
 */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"

int tram__text_decode(tram_analyzer *an, tram_doc *doc) {
  const unsigned char *s = (const unsigned char *)doc->text;
  size_t n = doc->len;
  /* Each byte yields at most one UTF-16 unit (4-byte sequences yield 2). */
  if (n > TRAM_MAX_INPUT || n > INT32_MAX - 1)
    return tram__fail(an, TRAM_ETOOBIG,
                      "input of %zu bytes exceeds the %zu-byte limit of one "
                      "document; split it into documents",
                      n, TRAM_MAX_INPUT);
  if ((int32_t)n + 1 > an->u16_cap) {
    int32_t cap = (int32_t)n + 1;
    UChar *u = tram__realloc(an->u16, (size_t)cap * sizeof(UChar));
    if (!u)
      return tram__fail(an, TRAM_ENOMEM, "out of memory decoding %zu bytes", n);
    an->u16 = u;
    an->u16_cap = cap;
  }
  UChar *out = an->u16;
  int32_t o = 0;
  bool strict = (an->opts.flags & TRAM_OPT_STRICT_UTF8) != 0;
  bool fffd = false; /* seen a U+FFFD, decoded or standing for bad bytes */
  for (size_t i = 0; i < n;) {
#if defined(__SSE2__)
    /* Sixteen bytes at a time while they are ASCII: widened to sixteen
     * units and stored whole, then kept up to the first non-ASCII byte
     * (the rest is overwritten). o <= i, so o + 16 <= n < u16_cap. */
    if (i + 16 <= n) {
      __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
      __m128i z = _mm_setzero_si128();
      _mm_storeu_si128((__m128i *)(out + o), _mm_unpacklo_epi8(v, z));
      _mm_storeu_si128((__m128i *)(out + o + 8), _mm_unpackhi_epi8(v, z));
      unsigned high = (unsigned)_mm_movemask_epi8(v);
      unsigned k = high ? (unsigned)__builtin_ctz(high) : 16;
      i += k;
      o += (int32_t)k;
      if (k == 16)
        continue;
      /* s[i] is the non-ASCII byte: decoded below, not read again here. */
    }
#endif
    if (s[i] < 0x80) {
      out[o++] = s[i++];
      continue;
    }
    if (s[i] >= 0xC2 && s[i] <= 0xDF && i + 1 < n &&
        (s[i + 1] & 0xC0) == 0x80) {
      /* A valid two-byte sequence (Latin accents), decoded inline. */
      out[o++] = (UChar)((s[i] & 0x1F) << 6 | (s[i + 1] & 0x3F));
      i += 2;
      continue;
    }
    uint32_t cp;
    bool valid;
    size_t k = tram__utf8_decode(s + i, n - i, &cp, &valid);
    if (!valid && strict)
      return tram__fail(an, TRAM_EUTF8, "invalid UTF-8 at byte %zu", i);
    fffd |= cp == 0xFFFD;
    if (cp >= 0x10000) {
      out[o++] = (UChar)(0xD7C0 + (cp >> 10));
      out[o++] = (UChar)(0xDC00 | (cp & 0x3FF));
    } else {
      out[o++] = (UChar)cp;
    }
    i += k;
  }
  out[o] = 0;
  an->u16_len = o;
  an->u16_fffd = fffd;
  return TRAM_OK;
}

void tram__cursor_init(tram_cursor *c, const char *bytes, size_t len) {
  c->bytes = (const unsigned char *)bytes;
  c->len = len;
  c->byte = c->cp = 0;
  c->u16 = 0;
}

void tram__cursor_seek(tram_cursor *c, int32_t u16, size_t *byte, size_t *cp) {
  const unsigned char *s = c->bytes;
  size_t b = c->byte, n = c->len, p = c->cp;
  int32_t u = c->u16;
  while (u < u16 && b < n) {
    unsigned char x = s[b];
    if (x < 0x80) { /* ASCII: one byte, one unit, one code point */
      b++;
      u++;
    } else if (x >= 0xC2 && x <= 0xDF && b + 1 < n &&
               (s[b + 1] & 0xC0) == 0x80) {
      b += 2; /* a valid two-byte sequence (Latin accents) */
      u++;
    } else {
      uint32_t v;
      bool valid;
      b += tram__utf8_decode(s + b, n - b, &v, &valid);
      u += v >= 0x10000 ? 2 : 1;
    }
    p++;
  }
  c->byte = b;
  c->cp = p;
  c->u16 = u;
  *byte = b;
  *cp = p;
}
