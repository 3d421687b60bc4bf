/*
 * json_check.h — a small strict JSON validator (RFC 8259) for the tests:
 * exactly one value, optional white space around it, UTF-8 checked inside
 * strings (no overlongs, no surrogates, nothing above U+10FFFF), no raw
 * control characters, only the defined escapes, \u surrogates paired,
 * numbers in the grammar's form, nesting at most JSON_CHECK_DEPTH. It
 * checks; it builds nothing. Header-only (static functions).
 */
#ifndef TRAM_JSON_CHECK_H
#define TRAM_JSON_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define JSON_CHECK_DEPTH 64

typedef struct json_cur {
  const unsigned char *s;
  size_t n, i;
  const char *why;
} json_cur;

static bool json__fail(json_cur *c, const char *why) {
  if (!c->why)
    c->why = why;
  return false;
}

static void json__ws(json_cur *c) {
  while (c->i < c->n && (c->s[c->i] == ' ' || c->s[c->i] == '\t' ||
                         c->s[c->i] == '\n' || c->s[c->i] == '\r'))
    c->i++;
}

static int json__hex4(json_cur *c) {
  if (c->n - c->i < 4)
    return -1;
  int v = 0;
  for (int k = 0; k < 4; k++) {
    unsigned char h = c->s[c->i + k];
    v <<= 4;
    if (h >= '0' && h <= '9')
      v |= h - '0';
    else if (h >= 'a' && h <= 'f')
      v |= h - 'a' + 10;
    else if (h >= 'A' && h <= 'F')
      v |= h - 'A' + 10;
    else
      return -1;
  }
  c->i += 4;
  return v;
}

/* One UTF-8 sequence starting at c->i (first byte >= 0x80). */
static bool json__utf8(json_cur *c) {
  unsigned char b = c->s[c->i];
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b >= 0xC2 && b <= 0xDF)
    need = 1;
  else if (b >= 0xE0 && b <= 0xEF) {
    need = 2;
    if (b == 0xE0)
      lo = 0xA0;
    if (b == 0xED)
      hi = 0x9F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    need = 3;
    if (b == 0xF0)
      lo = 0x90;
    if (b == 0xF4)
      hi = 0x8F;
  } else
    return json__fail(c, "invalid UTF-8 lead byte in string");
  for (size_t k = 1; k <= need; k++) {
    if (c->i + k >= c->n)
      return json__fail(c, "truncated UTF-8 in string");
    unsigned char t = c->s[c->i + k];
    if (t < lo || t > hi)
      return json__fail(c, "invalid UTF-8 continuation in string");
    lo = 0x80;
    hi = 0xBF;
  }
  c->i += need + 1;
  return true;
}

static bool json__string(json_cur *c) {
  c->i++; /* the opening quote */
  while (c->i < c->n) {
    unsigned char b = c->s[c->i];
    if (b == '"') {
      c->i++;
      return true;
    }
    if (b < 0x20)
      return json__fail(c, "raw control character in string");
    if (b >= 0x80) {
      if (!json__utf8(c))
        return false;
      continue;
    }
    if (b != '\\') {
      c->i++;
      continue;
    }
    if (++c->i >= c->n)
      return json__fail(c, "string ends inside an escape");
    unsigned char e = c->s[c->i++];
    if (e == 'u') {
      int v = json__hex4(c);
      if (v < 0)
        return json__fail(c, "bad \\u escape");
      if (v >= 0xDC00 && v <= 0xDFFF)
        return json__fail(c, "lone low surrogate escape");
      if (v >= 0xD800 && v <= 0xDBFF) {
        if (c->n - c->i < 2 || c->s[c->i] != '\\' || c->s[c->i + 1] != 'u')
          return json__fail(c, "high surrogate escape without its pair");
        c->i += 2;
        int lo = json__hex4(c);
        if (lo < 0xDC00 || lo > 0xDFFF)
          return json__fail(c, "high surrogate escape without its pair");
      }
    } else if (!strchr("\"\\/bfnrt", e) || e == 0) {
      return json__fail(c, "unknown escape");
    }
  }
  return json__fail(c, "unterminated string");
}

static bool json__digits(json_cur *c) {
  size_t start = c->i;
  while (c->i < c->n && c->s[c->i] >= '0' && c->s[c->i] <= '9')
    c->i++;
  return c->i > start;
}

static bool json__number(json_cur *c) {
  if (c->s[c->i] == '-')
    c->i++;
  if (c->i < c->n && c->s[c->i] == '0')
    c->i++;
  else if (!json__digits(c))
    return json__fail(c, "bad number");
  if (c->i < c->n && c->s[c->i] == '.') {
    c->i++;
    if (!json__digits(c))
      return json__fail(c, "bad fraction");
  }
  if (c->i < c->n && (c->s[c->i] == 'e' || c->s[c->i] == 'E')) {
    c->i++;
    if (c->i < c->n && (c->s[c->i] == '+' || c->s[c->i] == '-'))
      c->i++;
    if (!json__digits(c))
      return json__fail(c, "bad exponent");
  }
  return true;
}

static bool json__word(json_cur *c, const char *w) {
  size_t k = strlen(w);
  if (c->n - c->i < k || memcmp(c->s + c->i, w, k) != 0)
    return json__fail(c, "unexpected character");
  c->i += k;
  return true;
}

static bool json__value(json_cur *c, int depth) {
  json__ws(c);
  if (c->i >= c->n)
    return json__fail(c, "value expected");
  unsigned char b = c->s[c->i];
  if (b == '"')
    return json__string(c);
  if (b == '-' || (b >= '0' && b <= '9'))
    return json__number(c);
  if (b == 't')
    return json__word(c, "true");
  if (b == 'f')
    return json__word(c, "false");
  if (b == 'n')
    return json__word(c, "null");
  if (b != '{' && b != '[')
    return json__fail(c, "unexpected character");
  if (depth >= JSON_CHECK_DEPTH)
    return json__fail(c, "nested too deeply");
  unsigned char close = b == '{' ? '}' : ']';
  c->i++;
  json__ws(c);
  if (c->i < c->n && c->s[c->i] == close) {
    c->i++;
    return true;
  }
  for (;;) {
    if (b == '{') {
      json__ws(c);
      if (c->i >= c->n || c->s[c->i] != '"')
        return json__fail(c, "object key expected");
      if (!json__string(c))
        return false;
      json__ws(c);
      if (c->i >= c->n || c->s[c->i] != ':')
        return json__fail(c, "':' expected");
      c->i++;
    }
    if (!json__value(c, depth + 1))
      return false;
    json__ws(c);
    if (c->i >= c->n)
      return json__fail(c, "unterminated object or array");
    if (c->s[c->i] == close) {
      c->i++;
      return true;
    }
    if (c->s[c->i] != ',')
      return json__fail(c, "',' expected");
    c->i++;
  }
}

/* Returns NULL if s[0..n) is one valid JSON text, else why not; *at (may be
 * NULL) gets the byte offset of the problem. */
static inline const char *json_check(const char *s, size_t n, size_t *at) {
  json_cur c = {(const unsigned char *)s, n, 0, NULL};
  if (json__value(&c, 0)) {
    json__ws(&c);
    if (c.i != n)
      json__fail(&c, "trailing characters after the value");
  }
  if (at)
    *at = c.i;
  return c.why;
}

#endif
