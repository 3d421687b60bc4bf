/*
 * tokenize.c — tokens and syntactic words, sentence by sentence.
 *
 * ICU's word break iterator (UAX #29) gives the first cut: letters, numbers,
 * punctuation and white space. UAX #29 knows nothing of Romance morphology,
 * so the cut is then refined with the sentence language's rule tables:
 *
 *   - URLs, e-mail addresses, @handles and #hashtags are matched first and
 *     kept whole (ICU would cut them at every '.', '/' and '@');
 *   - words joined by hyphens are joined back (Pyrénées-Méditerranée), then
 *     clitic suffixes found in the `clitics` table are split off from the
 *     right (est-il → est -il, a-t-il → a -t-il, donar-li → donar -li);
 *   - UAX #29 keeps "l’Eurorégion" as one word (’ is MidLetter): a prefix up
 *     to an apostrophe found in `elision` is split off with its apostrophe,
 *     unless the word is in `elision_keep` (aujourd'hui); apostrophe
 *     suffixes in `clitics` are split off the end (porta'ls);
 *   - a word + "." found in `abbrev` is one token (Sr., etc.);
 *   - digit groups separated by a space (7 000) are one number;
 *   - a token found in `contractions` holds several syntactic words
 *     (du → de le); a Spanish verb with attached pronouns from `enclitics`
 *     (dámelo) does too.
 *
 * Takes an->u16 and sentence spans; gives doc->tokens, doc->words,
 * doc->sentences (offsets via tram_cursor) and an->spans.
 */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "internal.h"

typedef struct tok_ctx {
  tram_analyzer *an;
  tram_doc *doc;
  const tram_lang_tables *t; /* NULL for a language without rules */
  int lang;
  uint32_t sentence;
  tram_cursor cur;
} tok_ctx;

static bool is_apos(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }
static bool is_hyphen(UChar32 c) { return c == '-' || c == 0x2010 || c == 0x2011; }

static bool is_space(UChar32 c) {
  return u_isUWhiteSpace(c) || c == 0 || c == 0xFEFF || c == 0x200B;
}

static bool is_wordchar(UChar32 c) {
  return u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_DIACRITIC) ||
         c == 0xB7 || c == 0x140 || c == 0x13F;
}

/* Lower-case key of u16[s..e) in UTF-8, apostrophes folded to ', into
 * an->scratch. Returns NULL on ENOMEM. */
static const char *key_of(tram_analyzer *an, int32_t s, int32_t e, size_t *n) {
  tram_buf *b = &an->scratch;
  b->len = 0;
  for (int32_t i = s; i < e;) {
    UChar32 c;
    U16_NEXT(an->u16, i, e, c);
    if (is_apos(c))
      c = '\'';
    else if (is_hyphen(c))
      c = '-';
    else
      c = u_tolower(c);
    char enc[4];
    tram__buf_put(b, enc, tram__utf8_encode((uint32_t)c, enc));
  }
  *n = b->len;
  return b->failed ? NULL : (b->data ? b->data : "");
}

static const char *lookup(tok_ctx *x, const tram_map *table, int32_t s,
                          int32_t e) {
  if (!x->t || !table)
    return NULL;
  size_t n;
  const char *k = key_of(x->an, s, e, &n);
  return k ? tram__table_get(table, k, n) : NULL;
}

/* UTF-8 of u16[s..e) into the doc arena. */
static char *utf8_of(tram_doc *doc, const UChar *u, int32_t s, int32_t e) {
  int32_t need = 0;
  UErrorCode st = U_ZERO_ERROR;
  u_strToUTF8(NULL, 0, &need, u + s, e - s, &st);
  char *d = tram__arena_alloc(&doc->strings, (size_t)need + 1);
  if (!d)
    return NULL;
  st = U_ZERO_ERROR;
  u_strToUTF8(d, need + 1, NULL, u + s, e - s, &st);
  d[need] = 0;
  return d;
}

static uint32_t case_flags(const UChar *u, int32_t s, int32_t e) {
  bool any = false, all_upper = true, first = true, cap = false;
  for (int32_t i = s; i < e;) {
    UChar32 c;
    U16_NEXT(u, i, e, c);
    if (!u_isalpha(c))
      continue;
    bool up = u_isupper(c) || u_istitle(c);
    if (first)
      cap = up;
    first = false;
    any = true;
    if (!up)
      all_upper = false;
  }
  uint32_t f = 0;
  if (cap)
    f |= TRAM_TOKEN_CAPITALIZED;
  if (any && all_upper && e - s > 1)
    f |= TRAM_TOKEN_UPPER;
  return f;
}

/* Appends one token over u16[s..e) with the given syntactic words (a
 * space-separated list, or NULL for the token itself). */
static int emit(tok_ctx *x, int32_t s, int32_t e, int kind, uint32_t flags,
                const char *words) {
  tram_analyzer *an = x->an;
  tram_doc *doc = x->doc;
  tram_token *t = tram__vec_push(&doc->tokens);
  tram_span16 *sp = tram__vec_push(&an->spans);
  if (!t || !sp)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  sp->s = s;
  sp->e = e;
  tram__cursor_seek(&x->cur, s, &t->start, &t->cstart);
  tram__cursor_seek(&x->cur, e, &t->end, &t->cend);
  t->text = utf8_of(doc, an->u16, s, e);
  if (!t->text)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  if (t->end - t->start != strlen(t->text) ||
      memcmp(t->text, doc->text + t->start, t->end - t->start) != 0)
    flags |= TRAM_TOKEN_REPLACED;
  t->kind = kind;
  t->lang = x->lang;
  t->sentence = x->sentence;
  t->flags = flags | case_flags(an->u16, s, e);
  t->norm = t->stem = "";
  t->word_first = (uint32_t)doc->words.len;
  uint32_t tok = (uint32_t)(doc->tokens.len - 1);
  if (!words || !*words) {
    tram_word *w = tram__vec_push(&doc->words);
    if (!w)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (words)");
    w->form = t->text;
    w->token = tok;
    t->word_count = 1;
    return TRAM_OK;
  }
  t->flags |= TRAM_TOKEN_MULTIWORD;
  for (const char *p = words; *p;) {
    const char *q = strchr(p, ' ');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    tram_word *w = tram__vec_push(&doc->words);
    char *form = tram__arena_strndup(&doc->strings, p, n);
    if (!w || !form)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (words)");
    w->form = form;
    w->token = tok;
    t->word_count++;
    p = q ? q + 1 : p + n;
  }
  return TRAM_OK;
}

/* ---- special spans: URL, e-mail, @handle, #hashtag. */

static bool url_char(UChar32 c) {
  return c > ' ' && !is_space(c) && c != '<' && c != '>' && c != '"' &&
         c != 0xAB && c != 0xBB;
}

/* Trailing punctuation is not part of a URL: "voir www.x.org." */
static int32_t trim_url_end(const UChar *u, int32_t s, int32_t e) {
  while (e > s) {
    UChar c = u[e - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' ||
        c == '?' || c == '\'' || c == 0x2019)
      e--;
    else if (c == ')') {
      int32_t open = 0;
      for (int32_t i = s; i < e; i++)
        open += u[i] == '(' ? 1 : u[i] == ')' ? -1 : 0;
      if (open < 0)
        e--;
      else
        break;
    } else
      break;
  }
  return e;
}

static bool starts_ci(const UChar *u, int32_t i, int32_t end, const char *p) {
  for (; *p; p++, i++)
    if (i >= end || u_tolower(u[i]) != (UChar)*p)
      return false;
  return true;
}

/* Returns the length of a special span starting at i, setting *kind. */
static int32_t match_special(const UChar *u, int32_t i, int32_t end,
                             int *kind) {
  if (i > 0 && (is_wordchar(u[i - 1]) || u[i - 1] == '@'))
    return 0;
  if (starts_ci(u, i, end, "http://") || starts_ci(u, i, end, "https://") ||
      starts_ci(u, i, end, "www.") || starts_ci(u, i, end, "ftp://")) {
    int32_t e = i;
    while (e < end && url_char(u[e]))
      e++;
    e = trim_url_end(u, i, e);
    *kind = TRAM_KIND_URL;
    return e - i > 4 ? e - i : 0;
  }
  if ((u[i] == '@' || u[i] == '#') && i + 1 < end &&
      (u_isalpha(u[i + 1]) || u[i + 1] == '_')) {
    int32_t e = i + 1;
    while (e < end && (is_wordchar(u[e]) || u[e] == '_'))
      e++;
    *kind = u[i] == '@' ? TRAM_KIND_HANDLE : TRAM_KIND_HASHTAG;
    return e - i;
  }
  /* e-mail: local part, '@', a dotted domain. */
  if (is_wordchar(u[i])) {
    int32_t e = i;
    while (e < end && (is_wordchar(u[e]) || u[e] == '.' || u[e] == '_' ||
                       u[e] == '-' || u[e] == '+'))
      e++;
    if (e < end && u[e] == '@' && e > i) {
      int32_t d = e + 1, dots = 0;
      while (d < end && (is_wordchar(u[d]) || u[d] == '-' ||
                         (u[d] == '.' && d + 1 < end && is_wordchar(u[d + 1])))) {
        dots += u[d] == '.';
        d++;
      }
      if (dots > 0 && d > e + 1) {
        *kind = TRAM_KIND_EMAIL;
        return d - i;
      }
    }
  }
  return 0;
}

/* ---- words. */

static bool all_digits(const UChar *u, int32_t s, int32_t e) {
  if (s >= e)
    return false;
  for (int32_t i = s; i < e; i++)
    if (!u_isdigit(u[i]))
      return false;
  return true;
}

static int classify(const UChar *u, int32_t s, int32_t e) {
  UChar32 c;
  int32_t i = s;
  U16_NEXT(u, i, e, c);
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) && c > 0xFF)
    return TRAM_KIND_EMOJI;
  if (u_isdigit(c)) {
    int32_t k = s;
    while (k < e && (u_isdigit(u[k]) || u[k] == '.' || u[k] == ',' ||
                     u[k] == ' ' || u[k] == 0xA0 || u[k] == 0x202F))
      k++;
    if (k == e)
      return TRAM_KIND_NUMBER;
    return TRAM_KIND_ORDINAL; /* 1er, 2e, 3º: digits then letters */
  }
  if (u_isalpha(c) || is_wordchar(c))
    return TRAM_KIND_WORD;
  if (u_ispunct(c))
    return TRAM_KIND_PUNCT;
  if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION))
    return TRAM_KIND_EMOJI;
  int8_t type = (int8_t)u_charType(c);
  if (type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL ||
      type == U_MODIFIER_SYMBOL || type == U_OTHER_SYMBOL)
    return c == '%' ? TRAM_KIND_PUNCT : TRAM_KIND_SYMBOL;
  return TRAM_KIND_OTHER;
}

/* Emits a word u16[s..e), splitting elision prefixes, apostrophe clitics
 * and contractions according to the tables. */
static int emit_word(tok_ctx *x, int32_t s, int32_t e, uint32_t flags) {
  const UChar *u = x->an->u16;
  bool split = x->t && !(x->an->opts.flags & TRAM_OPT_NO_SPLIT);
  int rc;
  /* Elision: l'Eurorégion, qu'aujourd'hui, d'l'… from the left. */
  while (split && !lookup(x, x->t->elision_keep, s, e)) {
    int32_t a = s;
    while (a < e && !is_apos(u[a]))
      a++;
    if (a >= e - 1 || a == s || !lookup(x, x->t->elision, s, a))
      break;
    if ((rc = emit(x, s, a + 1, TRAM_KIND_WORD, TRAM_TOKEN_ELIDED, NULL)))
      return rc;
    s = a + 1;
  }
  /* Apostrophe clitics from the right: porta'ls, emportar-se'n. */
  int32_t tail_s[4], tail_e[4];
  int ntail = 0;
  while (split && ntail < 4) {
    int32_t a = e - 1;
    while (a > s && !is_apos(u[a]))
      a--;
    if (a <= s || !lookup(x, x->t->clitics, a, e) ||
        lookup(x, x->t->elision_keep, s, e))
      break;
    tail_s[ntail] = a;
    tail_e[ntail++] = e;
    e = a;
  }
  const char *words = split ? lookup(x, x->t->contractions, s, e) : NULL;
  char *wcopy = NULL;
  if (words && *words) {
    /* scratch is reused by lookup: keep a copy. */
    wcopy = tram__arena_strndup(&x->doc->strings, words, strlen(words));
    if (!wcopy)
      return tram__fail(x->an, TRAM_ENOMEM, "out of memory");
  }
  if ((rc = emit(x, s, e, classify(u, s, e), flags, wcopy)))
    return rc;
  while (ntail > 0) {
    ntail--;
    if ((rc = emit(x, tail_s[ntail], tail_e[ntail], TRAM_KIND_WORD,
                   TRAM_TOKEN_CLITIC, NULL)))
      return rc;
  }
  return TRAM_OK;
}

/* A hyphenated run w1-w2-…: split clitic suffixes from the right, keep the
 * rest as one compound. */
static int emit_compound(tok_ctx *x, int32_t s, int32_t e) {
  const UChar *u = x->an->u16;
  bool split = x->t && !(x->an->opts.flags & TRAM_OPT_NO_SPLIT);
  int32_t cut[8];
  int ncut = 0;
  int32_t end = e;
  while (split && ncut < 8 && !lookup(x, x->t->elision_keep, s, end)) {
    /* Longest suffix starting at a hyphen that is a clitic. */
    int32_t best = -1;
    for (int32_t h = s + 1; h < end; h++)
      if (is_hyphen(u[h]) && lookup(x, x->t->clitics, h, end)) {
        best = h;
        break;
      }
    if (best < 0)
      break;
    cut[ncut++] = best;
    end = best;
  }
  bool hyph = false;
  for (int32_t i = s; i < end; i++)
    hyph |= is_hyphen(u[i]);
  int rc = emit_word(x, s, end, hyph ? TRAM_TOKEN_HYPHENATED : 0);
  int32_t prev = end;
  while (rc == TRAM_OK && ncut > 0) {
    int32_t c = cut[--ncut];
    int32_t stop = ncut > 0 ? cut[ncut - 1] : e;
    (void)c;
    rc = emit(x, prev, stop, TRAM_KIND_WORD, TRAM_TOKEN_CLITIC, NULL);
    prev = stop;
  }
  return rc;
}

/* Extends a word segment [s,e) over hyphen-joined words and "." of a known
 * abbreviation; returns the new end. */
static int32_t extend_word(tok_ctx *x, UBreakIterator *bi, int32_t s,
                           int32_t e, int32_t end, bool *abbrev) {
  const UChar *u = x->an->u16;
  *abbrev = false;
  for (;;) {
    if (e + 1 < end && is_hyphen(u[e]) && is_wordchar(u[e + 1])) {
      int32_t n = ubrk_following(bi, e + 1);
      if (n == UBRK_DONE || n > end)
        break;
      e = n;
      continue;
    }
    break;
  }
  if (e < end && u[e] == '.' && x->t && lookup(x, x->t->abbrev, s, e + 1)) {
    *abbrev = true;
    ubrk_following(bi, e);
    return e + 1;
  }
  return e;
}

/* Extends a number over space-separated groups of three digits (7 000). */
static int32_t extend_number(UBreakIterator *bi, const UChar *u, int32_t s,
                             int32_t e, int32_t end) {
  (void)s;
  for (;;) {
    if (e + 3 < end + 0 && (u[e] == ' ' || u[e] == 0xA0 || u[e] == 0x202F) &&
        all_digits(u, e + 1, e + 4) && (e + 4 >= end || !u_isdigit(u[e + 4]))) {
      int32_t n = ubrk_following(bi, e + 1);
      if (n == UBRK_DONE || n > end)
        break;
      e = n;
      continue;
    }
    break;
  }
  return e;
}

static int tokenize_sentence(tok_ctx *x, int32_t s, int32_t e) {
  tram_analyzer *an = x->an;
  const UChar *u = an->u16;
  UBreakIterator *bi = an->words;
  size_t first = x->doc->tokens.len;
  int32_t a = s;
  int rc = TRAM_OK;
  while (a < e && rc == TRAM_OK) {
    if (is_space(u[a])) {
      if (x->doc->tokens.len > first)
        TRAM_VEC_AT(&x->doc->tokens, tram_token, x->doc->tokens.len - 1)
            ->flags |= TRAM_TOKEN_SPACE_AFTER;
      while (a < e && is_space(u[a]))
        a++;
      continue;
    }
    int kind;
    int32_t n = match_special(u, a, e, &kind);
    if (n > 0) {
      rc = emit(x, a, a + n, kind, 0, NULL);
      a += n;
      continue;
    }
    int32_t b = ubrk_following(bi, a);
    if (b == UBRK_DONE || b > e)
      b = e;
    /* A segment may hold trailing white space (ICU keeps CR LF apart). */
    int32_t c = a;
    while (c < b && !is_space(u[c]))
      c++;
    b = c;
    kind = classify(u, a, b);
    if (kind == TRAM_KIND_WORD || kind == TRAM_KIND_ORDINAL) {
      bool abbrev;
      b = extend_word(x, bi, a, b, e, &abbrev);
      bool hyph = false;
      for (int32_t i = a; i < b; i++)
        hyph |= is_hyphen(u[i]);
      if (abbrev)
        rc = emit(x, a, b, TRAM_KIND_WORD, TRAM_TOKEN_ABBREV, NULL);
      else if (hyph)
        rc = emit_compound(x, a, b);
      else
        rc = emit_word(x, a, b, 0);
    } else if (kind == TRAM_KIND_NUMBER) {
      b = extend_number(bi, u, a, b, e);
      int32_t p = b;
      while (p < e && (u[p] == ' ' || u[p] == 0xA0 || u[p] == 0x202F))
        p++;
      if (p < e && u[p] == '%')
        kind = TRAM_KIND_PERCENT;
      rc = emit(x, a, b, kind, 0, NULL);
    } else {
      rc = emit(x, a, b, kind, 0, NULL);
    }
    a = b;
  }
  if (rc == TRAM_OK && x->doc->tokens.len > first)
    TRAM_VEC_AT(&x->doc->tokens, tram_token, first)->flags |=
        TRAM_TOKEN_SENT_START;
  return rc;
}

int tram__tokenize(tram_analyzer *an, tram_doc *doc, const int *sent_lang,
                  const double *sent_conf) {
  tok_ctx x = {.an = an, .doc = doc};
  an->spans.len = 0;
  tram__cursor_init(&x.cur, doc->text, doc->len);
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(an->words, an->u16, an->u16_len, &st);
  if (U_FAILURE(st))
    return tram__fail(an, TRAM_EICU, "ICU word break: %s", u_errorName(st));
  size_t ns = an->sent_spans.len;
  for (size_t i = 0; i < ns; i++) {
    tram_span16 sp = *TRAM_VEC_AT(&an->sent_spans, tram_span16, i);
    x.lang = sent_lang[i];
    x.t = an->model->lang[x.lang];
    x.sentence = (uint32_t)doc->sentences.len;
    size_t first = doc->tokens.len;
    int rc = tokenize_sentence(&x, sp.s, sp.e);
    if (rc)
      return rc;
    if (doc->tokens.len == first)
      continue; /* nothing but ignorable characters */
    tram_sentence *s = tram__vec_push(&doc->sentences);
    if (!s)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (sentences)");
    s->token_first = (uint32_t)first;
    s->token_count = (uint32_t)(doc->tokens.len - first);
    s->lang = x.lang;
    s->confidence = sent_conf[i];
    tram_token *ft = TRAM_VEC_AT(&doc->tokens, tram_token, first);
    tram_token *lt = TRAM_VEC_AT(&doc->tokens, tram_token, doc->tokens.len - 1);
    s->start = ft->start;
    s->cstart = ft->cstart;
    s->end = lt->end;
    s->cend = lt->cend;
  }
  return TRAM_OK;
}
