/*
 * text.c — the first stage: caller's UTF-8 bytes → UTF-16 for ICU.
 *
 * Invalid sequences become one U+FFFD per maximal invalid subpart (the
 * Unicode-recommended practice, as ICU and WHATWG do), so every input byte
 * belongs to exactly one code point and offsets can always be mapped back.
 * The mapping is not stored (it would cost 16 bytes per UTF-16 unit):
 * tram_cursor re-walks the bytes forward, and because tokens and sentences
 * are produced in order, the total walk is linear.
 */
#include <string.h>

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
  for (size_t i = 0; i < n;) {
    if (s[i] < 0x80) {
      out[o++] = s[i++];
      continue;
    }
    uint32_t cp;
    bool valid;
    size_t k = tram__utf8_decode(s + i, n - i, &cp, &valid);
    if (!valid && strict)
      return tram__fail(an, TRAM_EUTF8, "invalid UTF-8 at byte %zu", i);
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
  return TRAM_OK;
}

void tram__cursor_init(tram_cursor *c, const char *bytes, size_t len) {
  c->bytes = (const unsigned char *)bytes;
  c->len = len;
  c->byte = c->cp = 0;
  c->u16 = 0;
}

void tram__cursor_seek(tram_cursor *c, int32_t u16, size_t *byte, size_t *cp) {
  while (c->u16 < u16 && c->byte < c->len) {
    unsigned char b = c->bytes[c->byte];
    if (b < 0x80) {
      c->byte++;
      c->u16++;
    } else {
      uint32_t v;
      bool valid;
      c->byte +=
          tram__utf8_decode(c->bytes + c->byte, c->len - c->byte, &v, &valid);
      c->u16 += v >= 0x10000 ? 2 : 1;
    }
    c->cp++;
  }
  *byte = c->byte;
  *cp = c->cp;
}
