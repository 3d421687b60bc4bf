/*
 * segment.c — sentence boundaries.
 *
 * ICU's sentence break iterator (UAX #29) proposes boundaries; for French
 * and Spanish its locale data also suppresses breaks after common
 * abbreviations ("@ss=standard"). ICU has no such data for Catalan, and its
 * lists miss many forms, so every proposed boundary that follows a period is
 * checked against the language's abbreviation table (data/lang/<code>/
 * abbrev.tsv) and the user's own list: "Sr. Puig", "p. ex. la", "EE. UU."
 * and single-letter initials ("J. Martí") do not end a sentence.
 *
 * Takes an->u16; gives an->sent_spans, trimmed of white space, never empty.
 */
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "internal.h"

static bool is_space(UChar c) {
  return u_isUWhiteSpace(c) || c == 0 || c == 0xFEFF || c == 0x200B;
}

/* Lower-cases u16[s..e) into an->scratch as UTF-8. */
static const char *lower_utf8(tram_analyzer *an, int32_t s, int32_t e,
                              size_t *n) {
  tram_buf *b = &an->scratch;
  b->len = 0;
  for (int32_t i = s; i < e;) {
    UChar32 c;
    U16_NEXT(an->u16, i, e, c);
    char enc[4];
    size_t k = tram__utf8_encode((uint32_t)u_tolower(c), enc);
    tram__buf_put(b, enc, k);
  }
  *n = b->len;
  return b->failed ? NULL : b->data ? b->data : "";
}

static bool known_abbrev(tram_analyzer *an, const tram_lang_tables *t,
                         int32_t s, int32_t e) {
  size_t n;
  const char *k = lower_utf8(an, s, e, &n);
  if (!k)
    return false;
  if (t && tram__table_get(t->abbrev, k, n))
    return true;
  return an->extra_abbrev && tram__map_get(an->extra_abbrev, k, n, NULL);
}

/* Should the ICU boundary at `b` be dropped? The text before it ends, after
 * white space, with a period preceded by an abbreviation. */
static bool suppress(tram_analyzer *an, const tram_lang_tables *t,
                     int32_t start, int32_t b) {
  const UChar *u = an->u16;
  int32_t e = b;
  while (e > start && is_space(u[e - 1]))
    e--;
  if (e <= start || u[e - 1] != '.')
    return false;
  /* The chunk before the period: back to white space or an opening mark. */
  int32_t w = e - 1;
  while (w > start && !is_space(u[w - 1]) && u[w - 1] != '(' &&
         u[w - 1] != '"' && u[w - 1] != 0xAB)
    w--;
  if (w == e - 1)
    return false; /* a lone period */
  /* What comes next decides ambiguous cases: a following lower-case letter
   * or digit continues the sentence whatever the abbreviation. */
  int32_t nx = b;
  while (nx < an->u16_len && is_space(u[nx]))
    nx++;
  if (nx >= an->u16_len)
    return false;
  UChar32 next;
  int32_t tmp = nx;
  U16_NEXT(u, tmp, an->u16_len, next);
  bool newline = false;
  for (int32_t i = e; i < nx; i++)
    if (u[i] == '\n' || u[i] == '\r' || u[i] == 0x2029)
      newline = true;
  if (newline)
    return false;
  if (u_islower(next) || u_isdigit(next))
    return true;
  /* Single-letter initial: "J. Martí". */
  if (e - 1 - w == 1 && u_isupper(u[w]))
    return true;
  if (known_abbrev(an, t, w, e))
    return true;
  /* Two-chunk abbreviations: "p. ex.", "EE. UU.". */
  int32_t w2 = w;
  while (w2 > start && is_space(u[w2 - 1]))
    w2--;
  if (w2 < w && w2 > start && u[w2 - 1] == '.') {
    int32_t v = w2 - 1;
    while (v > start && !is_space(u[v - 1]))
      v--;
    if (v < w2 - 1 && known_abbrev(an, t, v, e))
      return true;
  }
  return false;
}

static int push_span(tram_analyzer *an, int32_t s, int32_t e) {
  while (s < e && is_space(an->u16[s]))
    s++;
  while (e > s && is_space(an->u16[e - 1]))
    e--;
  if (s >= e)
    return TRAM_OK;
  tram_span16 *sp = tram__vec_push(&an->sent_spans);
  if (!sp)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (sentences)");
  sp->s = s;
  sp->e = e;
  return TRAM_OK;
}

int tram__segment(tram_analyzer *an, tram_doc *doc, int lang) {
  (void)doc;
  an->sent_spans.len = 0;
  if (an->u16_len == 0)
    return TRAM_OK;
  if (lang < 0 || lang >= TRAM_LANG_COUNT)
    lang = TRAM_LANG_OTHER;
  UBreakIterator *bi = an->sents[lang];
  const tram_lang_tables *t = an->model->lang[lang];
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(bi, an->u16, an->u16_len, &st);
  if (U_FAILURE(st))
    return tram__fail(an, TRAM_EICU, "ICU sentence break: %s",
                      u_errorName(st));
  int32_t start = 0;
  for (int32_t b = ubrk_next(bi); b != UBRK_DONE; b = ubrk_next(bi)) {
    if (b < an->u16_len && suppress(an, t, start, b))
      continue;
    int rc = push_span(an, start, b);
    if (rc)
      return rc;
    start = b;
  }
  if (start < an->u16_len)
    return push_span(an, start, an->u16_len);
  return TRAM_OK;
}
