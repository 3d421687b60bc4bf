/*
 * tokenize.c — tokens and syntactic words, sentence by sentence.
 *
 * ICU's word break iterator (UAX #29) gives the first cut: letters, numbers,
 * punctuation and white space. UAX #29 knows nothing of Romance morphology
 * nor of the conventions of the Universal Dependencies treebanks, so the cut
 * is refined with the sentence language's data tables (data/lang/<code>/):
 *
 *   - URLs, e-mail addresses, @handles and #hashtags are matched first and
 *     kept whole (ICU would cut them at every '.', '/' and '@');
 *   - runs of one punctuation mark ("...", "--", "!!") are one token;
 *   - numbers absorb what UD keeps in them: digit groups separated by a
 *     space (7 000), ranges and scores (1971-72, 2-1), and, where the
 *     language's `tokrules` say so, a sign (-0,8), a time (12:00) and an
 *     attached percent sign (20%); in French a unit glued to a number is
 *     split off (23h30 → 23 h 30, `units`) while ordinal suffixes stay (1er,
 *     `ordinals`);
 *   - words joined by hyphens or a slash are joined back
 *     (Pyrénées-Méditerranée, km/h); a word + "." found in `abbrev`
 *     (longest match: "J.-C.", "p.ex."), an acronym with inner periods
 *     (R.E.M.) and an initial before a capitalised word (J. Martí) are one
 *     token;
 *   - clitic suffixes after a hyphen or an apostrophe (`clitics`) are peeled
 *     from the right (est-il → est -il, a-t-il → a -t-il); where `tokrules`
 *     has clitic_mwt (Catalan) the verb and its clitics stay one token
 *     holding several words (emportar-se'n → emportar se ne), as UD does;
 *   - an elided prefix found in `elision` is split off with its apostrophe
 *     (l'Eurorégion, l'1), unless the word is in `elision_keep`
 *     (aujourd'hui, l'on);
 *   - a token found in `contractions` holds several words (du → de le); the
 *     value "=" or a `contraction_ctx` entry "<token> <previous word>" gives
 *     the reading in context (French "des" after "par" is the article);
 *   - a Spanish infinitive, gerund or imperative with attached pronouns
 *     (`enclitics`) holds the verb and the pronouns, the verb's written
 *     accent restored or removed as `enclitic_hosts` says (quitárselas →
 *     quitar se las, dámelo → da me lo); `enclitic_keep` lists look-alikes
 *     (parte, charla).
 *
 * Every table lookup builds a lower-case key of at most TRAM_KEY_MAX UTF-16
 * units and each rule looks a bounded distance around the token, so the
 * whole pass stays linear in the input (a megabyte without a space or
 * "l'l'l'…" included). No heap allocation per token beyond the doc's own
 * vectors and string arena.
 *
 * Takes an->u16 and sentence spans; gives doc->tokens, doc->words,
 * doc->sentences (offsets via tram_cursor) and an->spans. A word the word
 * cache's front (front.h) knows as plain skips the rules, and gets its
 * norm, stem and stop flag there too when the front has them.
 */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "ascii.h"
#include "bump.h"
#include "front.h"
#include "internal.h"
#include "wordbreak.h"

/* Longest table key looked up, in UTF-16 units. */
#define TRAM_KEY_MAX 48
/* Longest contraction looked up (auxquelles: 11). */
#define TRAM_CONTRACTION_MAX 12
/* Most clitics peeled off one word. */
#define TRAM_MAX_CLITICS 4

/* Switches read once per sentence from the `tokrules` table. */
typedef struct tok_rules {
  bool signed_numbers;    /* -0,8 is one token */
  bool time_colon;        /* 12:00 is one token */
  bool percent_glued;     /* 20% is one token */
  const char *clitic_mwt; /* verb-clitic stays one multiword token after
                           * these verb endings ("r re nt"; "1" = any) */
  bool imperative;        /* accented verb + 2 enclitics: dámelo */
  bool slash_join;        /* Reynard/Honda is one token */
} tok_rules;

typedef struct tok_ctx {
  tram_analyzer *an;
  tram_doc *doc;
  const tram_lang_tables *t; /* NULL for a language without rules */
  int lang;
  bool split; /* table splitting on (not TRAM_OPT_NO_SPLIT) */
  tok_rules r;
  uint32_t sentence;
  size_t sent_first;       /* index of the sentence's first token */
  bool fffd;               /* does the text hold a U+FFFD at all? */
  bool no_at;              /* does it lack '@' altogether? */
  tram_bump bump;          /* token strings go to doc->strings through this */
  tram_front_entry *front; /* the word cache's front (front.h) */
  bool fill; /* may a plain word's norm come from the front (no folding)? */
  bool stem; /* are stems asked for (not TRAM_OPT_NO_STEM)? */
  /* tram__ascii_stops of the sentence's language when fill, else NULL */
  const unsigned char *ascii_stop;
  tram_cursor cur;
} tok_ctx;

static bool is_apos(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC;
}
static bool is_hyphen(UChar32 c) {
  return c == '-' || c == 0x2010 || c == 0x2011;
}

static inline bool is_wordchar(UChar32 c) {
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
  if (c >= 0xC0 && c <= 0xFF) /* Latin-1 letters, but for × and ÷ */
    return c != 0xD7 && c != 0xF7;
  return u_isalnum(c) || u_hasBinaryProperty(c, UCHAR_DIACRITIC) || c == 0xB7 ||
         c == 0x140 || c == 0x13F;
}

/* ---- keys: lower case, apostrophes folded to ', hyphens to -, UTF-8.
 * A key covers at most TRAM_KEY_MAX UTF-16 units (4 bytes each at most)
 * or two of them joined by a space, so it lives on the stack: building one
 * allocates nothing and cannot fail. */

typedef struct tkey {
  char s[8 * TRAM_KEY_MAX + 16];
  size_t n;
} tkey;

static void key_str(tkey *k, const char *p, size_t n) {
  if (n > sizeof k->s - k->n)
    n = sizeof k->s - k->n; /* never reached: keys are bounded */
  memcpy(k->s + k->n, p, n);
  k->n += n;
}

static void key_add(tkey *k, const UChar *u, int32_t s, int32_t e) {
  char *d = k->s;
  size_t n = k->n, cap = sizeof k->s - 4;
  for (int32_t i = s; i < e && n <= cap;) {
    UChar c0 = u[i];
    if (c0 < 0x80) {
      d[n++] = (char)(c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0);
      i++;
      continue;
    }
    UChar32 c;
    U16_NEXT(u, i, e, c);
    if (is_apos(c))
      c = '\'';
    else if (is_hyphen(c))
      c = '-';
    else
      c = u_tolower(c);
    n += tram__utf8_encode((uint32_t)c, d + n);
  }
  k->n = n;
}

static const char *key_get(const tkey *k, const tram_map *table) {
  return table ? tram__table_get(table, k->s, k->n) : NULL;
}

/* The first byte of the key of character c, or -1 if not ASCII. */
static int key_byte(UChar c) {
  if (c < 0x80)
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
  if (is_apos(c))
    return '\'';
  if (is_hyphen(c))
    return '-';
  return -1;
}

static const char *lookup(tok_ctx *x, const tram_map *table, int32_t s,
                          int32_t e) {
  if (!x->t || !table || e - s > TRAM_KEY_MAX || e <= s)
    return NULL;
  /* Most words cannot be in a given table: its filter says so before a key
   * is built (each UTF-16 unit is at least one byte of the key). */
  const UChar *u = x->an->u16;
  if (!tram__map_may_hold(table, (size_t)(e - s), key_byte(u[s]),
                          key_byte(u[e - 1])))
    return NULL;
  tkey k;
  k.n = 0;
  key_add(&k, u, s, e);
  return key_get(&k, table);
}

static bool rule_on(const tram_lang_tables *t, const char *name) {
  const char *v = t ? tram__table_get(t->tokrules, name, strlen(name)) : NULL;
  return v && strcmp(v, "0") != 0;
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

static uint32_t case_flags_any(const UChar *u, int32_t s, int32_t e) {
  int letters = 0;
  bool all_upper = true, cap = false;
  for (int32_t i = s; i < e;) {
    UChar32 c = u[i];
    bool up;
    if (c < 0x80) {
      i++;
      if ((unsigned)((c | 32) - 'a') > 25)
        continue; /* not a letter */
      up = c <= 'Z';
    } else if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) {
      i++;
      up = c <= 0xDE; /* À..Þ upper, ß..ÿ lower (ICU's answers) */
    } else {
      U16_NEXT(u, i, e, c);
      if (!tram__is_alpha(c))
        continue;
      up = tram__is_upper(c) || u_istitle(c);
    }
    if (letters++ == 0)
      cap = up;
    if (!up) {
      all_upper = false;
      break; /* the first letter (cap) and all_upper are known */
    }
  }
  uint32_t f = 0;
  if (cap)
    f |= TRAM_TOKEN_CAPITALIZED;
  if (letters && all_upper && e - s > 1)
    f |= TRAM_TOKEN_UPPER;
  return f;
}

/* Are the k bytes at s all ASCII? k <= 16, with overlapping loads. */
__attribute__((always_inline)) static inline bool
ascii_short(const unsigned char *s, size_t k) {
  if (k >= 8) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + k - 8, 8);
    return ((a | b) & 0x8080808080808080ULL) == 0;
  }
  if (k >= 4) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + k - 4, 4);
    return ((a | b) & 0x80808080u) == 0;
  }
  return k == 0 || ((s[0] | s[k / 2] | s[k - 1]) & 0x80) == 0;
}

/* case_flags_any with the commonest answers inline: an ASCII lower-case
 * first letter (none), an ASCII capital then a lower-case letter
 * (capitalised), one ASCII character (punctuation: none; a capital:
 * capitalised, too short for upper case). */
__attribute__((always_inline)) static inline uint32_t
case_flags(const UChar *u, int32_t s, int32_t e) {
  UChar c = u[s];
  if (c >= 'a' && c <= 'z')
    return 0;
  if (c < 0x80 && e - s == 1)
    return c >= 'A' && c <= 'Z' ? TRAM_TOKEN_CAPITALIZED : 0;
  if (c >= 'A' && c <= 'Z' && e - s > 1 && u[s + 1] >= 'a' && u[s + 1] <= 'z')
    return TRAM_TOKEN_CAPITALIZED;
  return case_flags_any(u, s, e);
}

/* tram__cursor_seek with ASCII and two-byte UTF-8 sequences walked here
 * (two calls per token otherwise), anything else in text.c; seek below
 * first tries a run of ASCII in one step. */
__attribute__((noinline)) static void seek_walk(tram_cursor *c, int32_t u16,
                                                size_t *byte, size_t *cp) {
  const unsigned char *s = c->bytes;
  size_t b = c->byte, p = c->cp, n = c->len;
  int32_t u = c->u16;
  while (u < u16 && b < n) {
    unsigned char x = s[b];
    if (x < 0x80) {
      b++;
    } else if (x >= 0xC2 && x <= 0xDF && b + 1 < n &&
               (s[b + 1] & 0xC0) == 0x80) {
      b += 2;
    } else {
      break;
    }
    u++;
    p++;
  }
  c->byte = b;
  c->cp = p;
  c->u16 = u;
  if (u < u16 && b < n) {
    tram__cursor_seek(c, u16, byte, cp);
    return;
  }
  *byte = b;
  *cp = p;
}

__attribute__((always_inline)) static inline void
seek(tram_cursor *c, int32_t u16, size_t *byte, size_t *cp) {
  /* k units ahead lie within k bytes (no UTF-8 sequence is shorter than
   * the UTF-16 units it decodes to), so the k bytes can be read; if they
   * are ASCII, they are the k units. */
  size_t k = u16 > c->u16 ? (size_t)(u16 - c->u16) : 0;
  if (k <= 16 && ascii_short(c->bytes + c->byte, k)) {
    c->byte += k;
    c->cp += k;
    c->u16 += (int32_t)k;
    *byte = c->byte;
    *cp = c->cp;
    return;
  }
  seek_walk(c, u16, byte, cp);
}

/* seek to a token's start s then to its end e: one step when the bytes
 * from the cursor to e are at most 16 ASCII ones (white space, then the
 * token), as seek would take for each. */
__attribute__((always_inline)) static inline void
seek_token(tram_cursor *c, int32_t s, int32_t e, tram_token *t) {
  size_t k = (size_t)(e - c->u16);
  if (s >= c->u16 && e >= s && k <= 16 && ascii_short(c->bytes + c->byte, k)) {
    size_t d = (size_t)(s - c->u16);
    t->start = c->byte + d;
    t->cstart = c->cp + d;
    c->byte += k;
    c->cp += k;
    c->u16 = e;
    t->end = c->byte;
    t->cend = c->cp;
    return;
  }
  seek(c, s, &t->start, &t->cstart);
  seek(c, e, &t->end, &t->cend);
}

/* Appends one element to v without zeroing it (the caller sets every
 * field): one push per token, span and word. NULL on ENOMEM. */
static inline void *push_raw(tram_vec *v) {
  if (v->len >= v->cap && tram__vec_reserve(v, 1) != 0)
    return NULL;
  return (char *)v->data + v->len++ * v->elem;
}

/* Appends one token over u16[s..e) with the given syntactic words (a
 * space-separated list, or NULL for the token itself). fe (or NULL) is the
 * surface's front entry, for a plain word: its norm, stop flag and stem
 * come from there when known (else the normaliser makes them: t->norm is
 * NULL until then). */
__attribute__((always_inline)) static inline int
emit_body(tok_ctx *x, int32_t s, int32_t e, int kind, uint32_t flags,
          const char *words, const tram_front_entry *fe) {
  tram_analyzer *an = x->an;
  tram_doc *doc = x->doc;
  tram_token *t = push_raw(&doc->tokens);
  tram_span16 *sp = t ? push_raw(&an->spans) : NULL;
  if (!t || !sp) {
    if (t) /* no half-made token */
      doc->tokens.len--;
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  }
  sp->s = s;
  sp->e = e;
  seek_token(&x->cur, s, e, t);
  /* The surface is the caller's bytes unless a U+FFFD stands for invalid
   * ones (then it is the UTF-8 of the decoded text). */
  bool fffd = false;
  for (int32_t i = s; x->fffd && i < e && !fffd; i++)
    fffd = an->u16[i] == 0xFFFD;
  if (!fffd) {
    t->text = tram__bump_strndup(&x->bump, &doc->strings, doc->text + t->start,
                                 t->end - t->start);
  } else {
    t->text = utf8_of(doc, an->u16, s, e);
  }
  if (!t->text)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  if (fffd && (t->end - t->start != strlen(t->text) ||
               memcmp(t->text, doc->text + t->start, t->end - t->start) != 0))
    flags |= TRAM_TOKEN_REPLACED;
  t->kind = kind;
  t->lang = x->lang;
  t->sentence = x->sentence;
  t->flags = flags | case_flags(an->u16, s, e);
  t->norm = NULL;
  t->stem = "";
  if (fe && (fe->bits & TRAM_FRONT_NORM) && x->fill &&
      !(t->flags & TRAM_TOKEN_REPLACED)) {
    /* As the normaliser would (a plain word is neither elided nor a
     * clitic). */
    bool want_stem =
        x->stem && kind == TRAM_KIND_WORD && an->stemmer[x->lang] != NULL;
    if ((!want_stem || fe->bits & TRAM_FRONT_HAS_STEM) &&
        tram__front_fill(fe, t, &x->bump, &doc->strings, false, want_stem))
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
  } else if (e == s + 1 && x->ascii_stop && !flags && kind != TRAM_KIND_WORD &&
             an->u16[s] < 0x80 && !tram__is_alpha(an->u16[s])) {
    /* One ASCII character but a letter (mostly punctuation): its own
     * norm, no stem (not a word), as the normaliser would say without a
     * look-up in the front. */
    t->norm = t->text;
    if (x->ascii_stop[an->u16[s]] == 2)
      t->flags |= TRAM_TOKEN_STOP;
  }
  t->word_first = (uint32_t)doc->words.len;
  t->word_count = 0;
  uint32_t tok = (uint32_t)(doc->tokens.len - 1);
  if (!words || !*words) {
    tram_word *w = push_raw(&doc->words);
    if (!w)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (words)");
    *w = (tram_word){.form = t->text, .token = tok};
    t->word_count = 1;
    return TRAM_OK;
  }
  t->flags |= TRAM_TOKEN_MULTIWORD;
  for (const char *p = words; *p;) {
    const char *q = strchr(p, ' ');
    size_t n = q ? (size_t)(q - p) : strlen(p);
    tram_word *w = tram__vec_push(&doc->words);
    char *form = tram__bump_strndup(&x->bump, &doc->strings, p, n);
    if (!w || !form)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (words)");
    w->form = form;
    w->token = tok;
    t->word_count++;
    p = q ? q + 1 : p + n;
  }
  return TRAM_OK;
}

static int emit(tok_ctx *x, int32_t s, int32_t e, int kind, uint32_t flags,
                const char *words) {
  return emit_body(x, s, e, kind, flags, words, NULL);
}

/* ---- a small fixed buffer for the word list of one token. */

typedef struct wbuf {
  char s[4 * TRAM_KEY_MAX + 64];
  size_t n;
  bool over;
} wbuf;

static void wb_str(wbuf *w, const char *p, size_t n) {
  if (w->n + n + 1 >= sizeof w->s) {
    w->over = true;
    return;
  }
  memcpy(w->s + w->n, p, n);
  w->n += n;
  w->s[w->n] = 0;
}

/* Appends u16[s..e) in UTF-8, as written. */
static void wb_u16(wbuf *w, const UChar *u, int32_t s, int32_t e) {
  for (int32_t i = s; i < e;) {
    UChar32 c;
    U16_NEXT(u, i, e, c);
    char enc[4];
    wb_str(w, enc, tram__utf8_encode((uint32_t)c, enc));
  }
}

/* Upper-cases the first letter of a word list (Du → De le). */
static void wb_capitalize(wbuf *w, size_t at) {
  if (at >= w->n)
    return;
  UChar32 c;
  int32_t i = (int32_t)at, k = (int32_t)at;
  U8_NEXT(w->s, i, (int32_t)w->n, c);
  if (c < 0)
    return;
  char enc[4];
  size_t m = tram__utf8_encode((uint32_t)u_toupper(c), enc);
  if (m != (size_t)(i - k))
    return;
  memcpy(w->s + k, enc, m);
}

/* ---- special spans: URL, e-mail, @handle, #hashtag. */

static bool url_char(UChar32 c) {
  return c > ' ' && !tram__is_space(c) && c != '<' && c != '>' && c != '"' &&
         c != 0xAB && c != 0xBB;
}

/* Trailing punctuation is not part of a URL: "voir www.x.org." */
static int32_t trim_url_end(const UChar *u, int32_t s, int32_t e) {
  int32_t open = 0;
  for (int32_t i = s; i < e; i++)
    open += u[i] == '(' ? 1 : u[i] == ')' ? -1 : 0;
  while (e > s) {
    UChar c = u[e - 1];
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' ||
        c == '\'' || c == 0x2019) {
      e--;
    } else if (c == ')' && open < 0) {
      open++;
      e--;
    } else {
      break;
    }
  }
  return e;
}

static bool starts_ci(const UChar *u, int32_t i, int32_t end, const char *p) {
  for (; *p; p++, i++) {
    if (i >= end)
      return false;
    UChar c = u[i];
    c = c < 0x80 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : u_tolower(c);
    if (c != (UChar)*p)
      return false;
  }
  return true;
}

/* Can match_special find anything at i? Its own first tests, inline: an
 * '@' or '#', an '@' ahead (e-mail), or the first two letters of http://,
 * https://, www. or ftp:// (a non-ASCII second unit is left to
 * starts_ci, which lower-cases it with ICU). */
static inline bool may_be_special(const UChar *u, int32_t i, int32_t end,
                                  int32_t next_at) {
  UChar c = u[i], l = c | 32;
  if (c == '@' || c == '#' || next_at < end)
    return true;
  if ((l != 'h' && l != 'w' && l != 'f') || i + 1 >= end)
    return false;
  UChar d = u[i + 1];
  return d >= 0x80 || (d | 32) == (l == 'w' ? 'w' : 't');
}

/* Returns the length of a special span starting at i, setting *kind. */
static int32_t match_special(const UChar *u, int32_t i, int32_t end,
                             int32_t next_at, int *kind) {
  /* Only h, w, f (http, www, ftp), '@', '#' or a run reaching an '@' can
   * start one: the rest of the text is not scanned. */
  UChar c0 = u[i], l0 = c0 | 32;
  bool url = l0 == 'h' || l0 == 'w' || l0 == 'f';
  if (!url && c0 != '@' && c0 != '#' && next_at >= end)
    return 0;
  if (i > 0 && (is_wordchar(u[i - 1]) || u[i - 1] == '@'))
    return 0;
  if (url &&
      (starts_ci(u, i, end, "http://") || starts_ci(u, i, end, "https://") ||
       starts_ci(u, i, end, "www.") || starts_ci(u, i, end, "ftp://"))) {
    int32_t e = i;
    while (e < end && url_char(u[e]))
      e++;
    e = trim_url_end(u, i, e);
    *kind = TRAM_KIND_URL;
    return e - i > 4 ? e - i : 0;
  }
  if ((u[i] == '@' || u[i] == '#') && i + 1 < end &&
      (tram__is_alpha(u[i + 1]) || u[i + 1] == '_')) {
    int32_t e = i + 1;
    while (e < end && (is_wordchar(u[e]) || u[e] == '_'))
      e++;
    *kind = u[i] == '@' ? TRAM_KIND_HANDLE : TRAM_KIND_HASHTAG;
    return e - i;
  }
  /* e-mail: local part, '@', a dotted domain. Only a run that reaches an
   * '@' can be one, so the scan stops at the first other character; none
   * is tried when no '@' lies ahead (next_at is the next one, or end). */
  if (next_at < end && is_wordchar(u[i])) {
    int32_t e = i;
    while (e < end && (is_wordchar(u[e]) || u[e] == '.' || u[e] == '_' ||
                       u[e] == '-' || u[e] == '+'))
      e++;
    if (e < end && u[e] == '@' && e > i) {
      int32_t d = e + 1, dots = 0;
      while (d < end &&
             (is_wordchar(u[d]) || u[d] == '-' ||
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

/* ---- classification. */

/* Can a word segment be extended over c (extend_word, the elision rules
 * of tokenize_sentence)? Apostrophes, hyphens, '/' and '.'. */
static inline bool may_extend(UChar c) {
  if (c < 0x40)
    return (UINT64_C(1) << '\'' | UINT64_C(1) << '-' | UINT64_C(1) << '.' |
            UINT64_C(1) << '/') >>
               c &
           1;
  return c >= 0x2BC && (is_apos(c) || is_hyphen(c));
}

static bool all_digits(const UChar *u, int32_t s, int32_t e) {
  if (s >= e)
    return false;
  for (int32_t i = s; i < e; i++)
    if (!tram__is_digit(u[i]))
      return false;
  return true;
}

static bool num_char(UChar c) {
  return tram__is_digit(c) || c == '.' || c == ',' || c == ' ' || c == 0xA0 ||
         c == 0x202F || c == '\'' || c == 0x2019;
}

/* Is the ASCII character c one of $ + < = > ^ ` | ~ (a symbol, not
 * punctuation)? */
static inline bool ascii_symbol(UChar c) {
  const uint64_t lo = UINT64_C(1) << '$' | UINT64_C(1) << '+' |
                      UINT64_C(1) << '<' | UINT64_C(1) << '=' |
                      UINT64_C(1) << '>',
                 hi = UINT64_C(1) << ('^' - 64) | UINT64_C(1) << ('`' - 64) |
                      UINT64_C(1) << ('|' - 64) | UINT64_C(1) << ('~' - 64);
  return c < 0x80 && ((c < 64 ? lo : hi) >> (c & 63) & 1);
}

static int classify_any(const UChar *u, int32_t s, int32_t e) {
  UChar32 c;
  int32_t i = s;
  U16_NEXT(u, i, e, c);
  /* ASCII and Latin-1 letters without ICU (the answers below for them). */
  if (c < 0x80 && !(c >= '0' && c <= '9')) {
    if ((c | 32) >= 'a' && (c | 32) <= 'z')
      return TRAM_KIND_WORD;
    if (c > ' ' && c < 0x7F)
      return ascii_symbol(c) ? TRAM_KIND_SYMBOL : TRAM_KIND_PUNCT;
  } else if (c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7) {
    return TRAM_KIND_WORD;
  }
  if (c > 0xFF && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
    return TRAM_KIND_EMOJI;
  if (tram__is_digit(c)) {
    int32_t k = s;
    while (k < e && num_char(u[k]))
      k++;
    if (k == e)
      return TRAM_KIND_NUMBER;
    return TRAM_KIND_ORDINAL; /* 1er, 2e, 3º: digits then letters */
  }
  if (tram__is_alpha(c) || is_wordchar(c))
    return TRAM_KIND_WORD;
  if (c == '%')
    return TRAM_KIND_PUNCT;
  if (u_ispunct(c))
    return TRAM_KIND_PUNCT;
  if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION))
    return TRAM_KIND_EMOJI;
  int8_t type = (int8_t)u_charType(c);
  if (type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL ||
      type == U_MODIFIER_SYMBOL || type == U_OTHER_SYMBOL)
    return TRAM_KIND_SYMBOL;
  return TRAM_KIND_OTHER;
}

/* classify with the answers for a token starting with an ASCII or Latin-1
 * letter (most of them) or ASCII punctuation (most of the rest) inline. */
static inline int classify(const UChar *u, int32_t s, int32_t e) {
  UChar c = u[s];
  if (c < 0x80 ? (unsigned)((c | 32) - 'a') < 26
               : c >= 0xC0 && c <= 0xFF && c != 0xD7 && c != 0xF7)
    return TRAM_KIND_WORD;
  if (c > ' ' && c < 0x7F && !(c >= '0' && c <= '9'))
    return ascii_symbol(c) ? TRAM_KIND_SYMBOL : TRAM_KIND_PUNCT;
  return classify_any(u, s, e);
}

/* seg_end below where wordbreak.c cannot tell: ICU's cut, trimmed. */
static int32_t seg_end_icu(tok_ctx *x, int32_t a, int32_t end) {
  const UChar *u = x->an->u16;
  int32_t b = ubrk_following(x->an->words, a);
  if (b == UBRK_DONE || b > end)
    b = end;
  int32_t c = a;
  while (c < b && !tram__is_space(u[c]))
    c++;
  return c > a ? c : a + 1;
}

/* End of the ICU word segment at a, trimmed of white space, within end.
 * Latin text is cut by wordbreak.c, the rest by ICU. */
static inline int32_t seg_end(tok_ctx *x, int32_t a, int32_t end) {
  int32_t b = tram__wordbreak_next(x->an->u16, x->an->u16_len, a);
  if (b > a) /* no white space inside: nothing to trim */
    return b <= end ? b : end > a ? end : a + 1;
  return seg_end_icu(x, a, end);
}

/* ---- contractions and enclitics. */

/* Looks up "<a> <b>" in a table. */
static const char *pair_get(const tram_map *table, const tkey *a, const char *b,
                            size_t nb) {
  tkey k;
  memcpy(k.s, a->s, a->n);
  k.n = a->n;
  key_str(&k, " ", 1);
  key_str(&k, b, nb);
  return key_get(&k, table);
}

/* The words of a contraction u16[s..e) in context, into *w; false if the
 * token is one word here. The context is the previous token of the
 * sentence: `contraction_ctx` has "<token> <previous>" (or "<s>" at the
 * start, or "*<suffix>" of the previous word) → reading. When `anywhere`
 * is not NULL, it says whether the words are the same in every context
 * (no capital that could begin a name, no `contraction_ctx` entry for the
 * token): then the front may keep them. */
static bool contraction(tok_ctx *x, int32_t s, int32_t e, wbuf *w, bool *listed,
                        bool *anywhere) {
  if (e - s > TRAM_CONTRACTION_MAX)
    return false;
  const char *v = lookup(x, x->t->contractions, s, e);
  if (!v)
    return false;
  *listed = true; /* the answer may depend on the context */
  /* Capitalised inside a sentence, it begins a name: Al Gore, Del Bosque. */
  if (tram__is_upper(x->an->u16[s]) && e - s > 1 &&
      tram__is_lower(x->an->u16[s + 1]) && x->doc->tokens.len > x->sent_first &&
      rule_on(x->t, "contraction_names"))
    return false;
  tram_analyzer *an = x->an;
  const char *reading = v;
  if (anywhere)
    *anywhere = !tram__is_upper(an->u16[s]);
  if (x->t->contraction_ctx && tram__map_count(x->t->contraction_ctx)) {
    tkey tk;
    tk.n = 0;
    key_add(&tk, an->u16, s, e);
    if (anywhere && *anywhere) {
      char p[sizeof tk.s + 1];
      memcpy(p, tk.s, tk.n);
      p[tk.n] = ' ';
      *anywhere = !tram__map_any_prefix(x->t->contraction_ctx, p, tk.n + 1);
    }
    char pk[sizeof tk.s + 1];
    size_t pl = 0;
    const char *c = NULL;
    if (x->doc->tokens.len <= x->sent_first) {
      c = pair_get(x->t->contraction_ctx, &tk, "<s>", 3);
    } else {
      const tram_span16 *prev =
          TRAM_VEC_AT(&an->spans, tram_span16, an->spans.len - 1);
      if (prev->e - prev->s <= TRAM_KEY_MAX) {
        tkey p;
        p.n = 0;
        key_add(&p, an->u16, prev->s, prev->e);
        pl = p.n;
        memcpy(pk + 1, p.s, pl);
      }
      /* Every pair below ends with the previous word's last byte. */
      if (pl &&
          !tram__map_may_hold(x->t->contraction_ctx, tk.n + 2,
                              (unsigned char)tk.s[0], (unsigned char)pk[pl]))
        pl = 0;
      if (pl)
        c = pair_get(x->t->contraction_ctx, &tk, pk + 1, pl);
      /* Suffixes of the previous word, longest first: "des *ant". */
      for (size_t k = 1; !c && k < pl; k++) {
        if ((pk[1 + k] & 0xC0) == 0x80)
          continue;
        pk[k] = '*';
        c = pair_get(x->t->contraction_ctx, &tk, pk + k, pl - k + 1);
      }
    }
    if (c)
      reading = c;
  }
  if (!*reading || strcmp(reading, "=") == 0)
    return false;
  w->n = 0;
  w->over = false;
  wb_str(w, reading, strlen(reading));
  if (tram__is_upper(x->an->u16[s]))
    wb_capitalize(w, 0);
  return !w->over;
}

static bool has_acute(const UChar *u, int32_t s, int32_t e) {
  for (int32_t i = s; i < e; i++)
    if (u[i] == 0xE1 || u[i] == 0xE9 || u[i] == 0xED || u[i] == 0xF3 ||
        u[i] == 0xFA || u[i] == 0xC1 || u[i] == 0xC9 || u[i] == 0xCD ||
        u[i] == 0xD3 || u[i] == 0xDA)
      return true;
  return false;
}

static UChar strip_acute(UChar c) {
  switch (c) {
  case 0xE1:
    return 'a';
  case 0xE9:
    return 'e';
  case 0xED:
    return 'i';
  case 0xF3:
    return 'o';
  case 0xFA:
    return 'u';
  case 0xC1:
    return 'A';
  case 0xC9:
    return 'E';
  case 0xCD:
    return 'I';
  case 0xD3:
    return 'O';
  case 0xDA:
    return 'U';
  default:
    return c;
  }
}

/* A verb with attached pronouns (Spanish dámelo, decírselo): fills *w with
 * the verb (accent as `enclitic_hosts` says) and the pronouns. */
static bool enclitics(tok_ctx *x, int32_t s, int32_t e, wbuf *w,
                      bool *in_context) {
  const tram_lang_tables *t = x->t;
  if (!t->enclitic_hosts || !tram__map_count(t->enclitic_hosts) || e - s < 4 ||
      e - s > TRAM_KEY_MAX)
    return false;
  const UChar *u = x->an->u16;
  /* enclitic_keep, and the position below, are asked only once a pronoun
   * ends the word: a word without one is one word anywhere (front.h). */
  bool checked_keep = false;
  int32_t cut[TRAM_MAX_CLITICS + 1];
  char person[TRAM_MAX_CLITICS + 1];
  int n = 0;
  int32_t end = e;
  /* Peel pronouns from the right, longest first (los before os). */
  while (n < 3) {
    int32_t best = -1;
    const char *pv = NULL;
    for (int32_t k = 4; k >= 2 && best < 0; k--)
      if (end - k > s + 1 && (pv = lookup(x, t->enclitics, end - k, end)))
        best = end - k;
    if (best < 0)
      break;
    if (!checked_keep) {
      if (lookup(x, t->enclitic_keep, s, e))
        return false;
      checked_keep = true;
      /* Proper nouns inside a sentence are not verbs (Carlos). */
      if (tram__is_upper(u[s]) && x->doc->tokens.len > x->sent_first) {
        *in_context = true; /* the answer depends on the position */
        return false;
      }
    }
    person[n] = pv && *pv ? *pv : '3';
    /* A valid pair: the second of the third person, or the first "se". */
    if (n > 0 && person[n - 1] != '3' && person[n] != '0')
      return false;
    cut[n++] = best;
    end = best;
    /* Is the rest a host? A short verb listed whole ("=dar 1"), else the
     * longest listed ending. */
    const char *rep = NULL;
    int32_t hs = end;
    if (end - s <= 6) {
      tkey hk;
      hk.n = 0;
      key_str(&hk, "=", 1);
      key_add(&hk, u, s, end);
      key_str(&hk, n >= 2 ? " 2" : " 1", 2);
      rep = key_get(&hk, t->enclitic_hosts);
      hs = s;
    }
    for (int32_t k = 5; !rep && k >= 2; k--) {
      if (end - k < s)
        continue;
      tkey hk;
      hk.n = 0;
      key_add(&hk, u, end - k, end);
      key_str(&hk, n >= 2 ? " 2" : " 1", 2);
      rep = key_get(&hk, t->enclitic_hosts);
      hs = end - k;
    }
    if (rep && strcmp(rep, "!") == 0)
      return false;
    if (rep) {
      bool whole = hs == s;
      int32_t k = end - hs;
      /* The verb's stem must be long enough (par-te is no verb). */
      if (!whole && end - k - s < (has_acute(u, hs, end) ? 0 : 2))
        return false;
      w->n = 0;
      w->over = false;
      wb_u16(w, u, s, hs);
      if (*rep) {
        /* Keep the host's case pattern: upper-case word stays upper. */
        wbuf r = {.n = 0};
        wb_str(&r, rep, strlen(rep));
        if (tram__is_upper(u[end - 1])) {
          for (size_t i = 0; i < r.n; i++)
            if (r.s[i] >= 'a' && r.s[i] <= 'z')
              r.s[i] = (char)(r.s[i] - 'a' + 'A');
        }
        wb_str(w, r.s, r.n);
      } else {
        wb_u16(w, u, hs, end);
      }
      for (int i = n - 1; i >= 0; i--) {
        wb_str(w, " ", 1);
        wb_u16(w, u, cut[i], i > 0 ? cut[i - 1] : e);
      }
      return !w->over;
    }
    /* Imperative: an accented verb with two pronouns (dámelo → da me lo). */
    if (x->r.imperative && n >= 2 && end - s >= 2 && has_acute(u, s, end) &&
        !has_acute(u, end, e)) {
      w->n = 0;
      w->over = false;
      for (int32_t i = s; i < end; i++) {
        UChar c = strip_acute(u[i]);
        wb_u16(w, &c, 0, 1);
      }
      for (int i = n - 1; i >= 0; i--) {
        wb_str(w, " ", 1);
        wb_u16(w, u, cut[i], i > 0 ? cut[i - 1] : e);
      }
      return !w->over;
    }
  }
  return false;
}

/* ---- words. */

/* Clitic suffixes of u16[s..e) after a hyphen or an apostrophe, peeled from
 * the right, longest key first: cut[0] is the rightmost. Returns their
 * number. */
static int peel_clitics(tok_ctx *x, int32_t s, int32_t e, int32_t *cut) {
  const UChar *u = x->an->u16;
  int n = 0;
  int32_t end = e;
  while (n < TRAM_MAX_CLITICS) {
    int32_t best = -1;
    int32_t lo = end - 12 > s + 1 ? end - 12 : s + 1;
    for (int32_t h = lo; h < end - 1; h++)
      if ((is_hyphen(u[h]) || is_apos(u[h])) &&
          lookup(x, x->t->clitics, h, end)) {
        best = h;
        break;
      }
    if (best < 0)
      break;
    cut[n++] = best;
    end = best;
  }
  return n;
}

/* Does u16[s..e) end with one of the clitic_mwt verb endings? */
static bool mwt_host(tok_ctx *x, int32_t s, int32_t e) {
  const char *p = x->r.clitic_mwt;
  if (!p || !*p || strcmp(p, "0") == 0)
    return false;
  if (strcmp(p, "1") == 0)
    return true;
  const UChar *u = x->an->u16;
  while (*p) {
    while (*p == ' ')
      p++;
    size_t n = 0;
    while (p[n] && p[n] != ' ')
      n++;
    if (n && (int32_t)n < e - s) {
      bool ok = true;
      for (size_t i = 0; i < n && ok; i++)
        ok = u_tolower(u[e - (int32_t)n + (int32_t)i]) == (UChar)p[i];
      if (ok)
        return true;
    }
    p += n;
  }
  return false;
}

/* Does u16[s..e) hold an apostrophe or a hyphen? The marks are ' - (below
 * 'A') and U+02BC U+2010 U+2011 U+2019 (from U+02BC on): letters between
 * are passed with one comparison. */
static inline bool has_mark(const UChar *u, int32_t s, int32_t e) {
  for (int32_t i = s; i < e; i++) {
    UChar c = u[i];
    if ((UChar)(c - 0x41) < 0x2BC - 0x41)
      continue;
    if (c == '\'' || c == '-' || is_apos(c) || is_hyphen(c))
      return true;
  }
  return false;
}

static inline int emit_word(tok_ctx *x, int32_t s, int32_t e, int kind_s);

/* Emits a word u16[s..e) (no white space inside; may hold hyphens and
 * apostrophes), splitting elision prefixes, clitics, contractions and
 * enclitics according to the tables. `kind_s` is what classify gives for a
 * token starting at s, or -1 (classify looks only at the first character
 * unless it is a digit, and a word does not start with one). When set is
 * not NULL, the word is marked plain in the front when it proves so: in
 * its entry fe (found, not plain yet), else in a new one (hash check). */
static int emit_word_rules(tok_ctx *x, int32_t s, int32_t e, int kind_s,
                           tram_front_entry *set, uint32_t check,
                           tram_front_entry *fe) {
  const UChar *u = x->an->u16;
  uint32_t flags = 0;
  int rc;
  int32_t s0 = s;
  /* Entries of elision_keep all hold an apostrophe or a hyphen, and
   * elision and clitics need one: a plain word skips those lookups. */
  bool marked = has_mark(u, s, e);
  /* Elision from the left: l'Eurorégion, qu'aujourd'hui, d'l'… */
  while (marked && !lookup(x, x->t->elision_keep, s, e)) {
    int32_t a = s;
    while (a < e && a - s <= 8 && !is_apos(u[a]) && !is_hyphen(u[a]))
      a++;
    if (a >= e || a == s || !is_apos(u[a]) || !lookup(x, x->t->elision, s, a))
      break;
    if ((rc = emit(x, s, a + 1, TRAM_KIND_WORD, TRAM_TOKEN_ELIDED, NULL)))
      return rc;
    s = a + 1;
    if (s == e)
      return TRAM_OK;
  }
  /* The rest of an elided word (l'homme → homme) without a mark of its own
   * is cut as the same word alone would be (no rule below applies to an
   * unmarked word but what emit_word_rules does for it), so the front may
   * know it. */
  if (s != s0 && !has_mark(u, s, e))
    return emit_word(x, s, e, -1);
  int32_t cut[TRAM_MAX_CLITICS];
  int ncut = 0;
  if (marked && !lookup(x, x->t->elision_keep, s, e))
    ncut = peel_clitics(x, s, e, cut);
  int32_t base_e = ncut ? cut[ncut - 1] : e;
  bool hyph = false; /* (a plain word has no hyphen) */
  for (int32_t i = s; marked && i < base_e && !hyph; i++)
    hyph = is_hyphen(u[i]);
  if (hyph)
    flags |= TRAM_TOKEN_HYPHENATED;
  wbuf w;
  if (ncut && mwt_host(x, s, base_e) && !hyph &&
      !lookup(x, x->t->enclitics, s, base_e)) {
    /* One token: the verb, then each clitic's word(s). */
    w.n = 0;
    w.over = false;
    wb_u16(&w, u, s, base_e);
    for (int i = ncut - 1; i >= 0; i--) {
      int32_t ce = i > 0 ? cut[i - 1] : e;
      const char *v = lookup(x, x->t->clitics, cut[i], ce);
      wb_str(&w, " ", 1);
      if (v && *v)
        wb_str(&w, v, strlen(v));
      else
        wb_u16(&w, u, cut[i] + 1, ce);
    }
    if (!w.over)
      return emit(x, s, e, TRAM_KIND_WORD, flags, w.s);
  }
  const char *words = NULL;
  bool listed = false, in_context = false, anywhere = false;
  bool keep = set && !marked; /* (unmarked: s, base_e and flags as given) */
  if (contraction(x, s, base_e, &w, &listed, keep ? &anywhere : NULL)) {
    words = w.s;
    size_t n = (size_t)(e - s), wn = w.n + 1;
    if (keep && anywhere && n * sizeof(UChar) + wn <= TRAM_FRONT_DATA) {
      /* (a norm held there before may not leave room: it is dropped, the
       * normaliser puts it back) */
      if (!fe)
        fe = tram__front_new(set, check, u + s, n, x->lang, 0);
      fe->bits = TRAM_FRONT_WORDS;
      fe->words_n = (unsigned char)wn;
      memcpy(fe->data + TRAM_FRONT_DATA - wn, w.s, wn);
    }
  } else if (!ncut && enclitics(x, s, base_e, &w, &in_context)) {
    words = w.s;
  } else if (set && !marked && !listed && !in_context) {
    /* (unmarked: s, base_e and flags are as given) */
    if (fe)
      fe->bits |= TRAM_FRONT_PLAIN;
    else
      tram__front_new(set, check, u + s, (size_t)(e - s), x->lang,
                      TRAM_FRONT_PLAIN);
  }
  int kind = s == s0 && kind_s >= 0 ? kind_s : classify(u, s, base_e);
  if ((rc = emit(x, s, base_e, kind, flags, words)))
    return rc;
  for (int i = ncut - 1; i >= 0; i--) {
    int32_t ce = i > 0 ? cut[i - 1] : e;
    if ((rc = emit(x, cut[i], ce, TRAM_KIND_WORD, TRAM_TOKEN_CLITIC, NULL)))
      return rc;
  }
  return TRAM_OK;
}

/* emit_word_rules for a word the front does not hold as plain; the front's
 * answer inline. */
static inline int emit_word(tok_ctx *x, int32_t s, int32_t e, int kind_s) {
  const UChar *u = x->an->u16;
  if (!x->split)
    return emit(x, s, e, kind_s >= 0 ? kind_s : classify(u, s, e), 0, NULL);
  tram_front_entry *set = NULL, *fe = NULL;
  uint32_t check = 0;
  if (e - s <= TRAM_FRONT_KEY_MAX) {
    size_t n = (size_t)(e - s);
    uint64_t h = tram__hash_short(u + s, n * sizeof(UChar));
    set = tram__front_set(x->front, h);
    check = (uint32_t)(h >> 32);
    fe = tram__front_find(set, check, u + s, n, x->lang);
    /* A plain word (the most frequent emit), or a contraction whose words
     * the front holds (du, del): as the rules would emit it. */
    if (fe && fe->bits & (TRAM_FRONT_PLAIN | TRAM_FRONT_WORDS))
      return emit_body(
          x, s, e, kind_s >= 0 ? kind_s : classify(u, s, e), 0,
          fe->bits & TRAM_FRONT_WORDS ? tram__front_words(fe) : NULL, fe);
  }
  return emit_word_rules(x, s, e, kind_s, set, check, fe);
}

/* Is u16[s..e) letters and inner periods in short chunks (R.E.M, J.-C)? */
static bool acronym_body(const UChar *u, int32_t s, int32_t e) {
  int chunk = 0, dots = 0;
  for (int32_t i = s; i < e; i++) {
    if (u[i] == '.') {
      if (chunk == 0)
        return false;
      dots++;
      chunk = 0;
    } else if (tram__is_alpha(u[i])) {
      if (++chunk > 3)
        return false;
    } else if (!(is_hyphen(u[i]) && i > s && u[i - 1] == '.')) {
      return false;
    }
  }
  return dots > 0 && chunk > 0;
}

/* Longest known abbreviation starting at s and ending with a period within
 * the non-space run from s; returns its end or -1. Ambiguous entries
 * (value "?": "vol." is also a word) count only before a lower-case word or
 * a digit. */
static int32_t match_abbrev(tok_ctx *x, int32_t s, int32_t end) {
  const UChar *u = x->an->u16;
  if (!x->t)
    return -1;
  int32_t z = s;
  while (z < end && z - s < TRAM_KEY_MAX && !tram__is_space(u[z]))
    z++;
  for (int32_t p = z - 1; p > s; p--) {
    if (u[p] != '.')
      continue;
    if (p + 1 < end && is_wordchar(u[p + 1]))
      continue;
    const char *v = lookup(x, x->t->abbrev, s, p + 1);
    if (!v)
      continue;
    if (*v == '?') {
      int32_t n = p + 1;
      while (n < end && tram__is_space(u[n]))
        n++;
      if (n >= end || !(tram__is_lower(u[n]) || tram__is_digit(u[n])))
        continue;
    }
    return p + 1;
  }
  return -1;
}

/* Extends a word segment [s,e): hyphen- and slash-joined words, a period of
 * an abbreviation, an acronym or an initial; returns the new end. */
static int32_t extend_word(tok_ctx *x, int32_t s, int32_t e, int32_t end,
                           uint32_t *flags) {
  const UChar *u = x->an->u16;
  *flags = 0;
  for (;;) {
    if (e + 1 < end && (is_hyphen(u[e]) || (u[e] == '/' && x->r.slash_join)) &&
        is_wordchar(u[e + 1])) {
      e = seg_end(x, e + 1, end);
      continue;
    }
    /* Elision inside a compound: Sainte-Anne-d'Auray. */
    if (e + 1 < end && is_apos(u[e]) && is_wordchar(u[e + 1])) {
      bool hy = false;
      for (int32_t i = s; i < e && !hy; i++)
        hy = is_hyphen(u[i]);
      if (hy) {
        e = seg_end(x, e + 1, end);
        continue;
      }
    }
    break;
  }
  if (e >= end || u[e] != '.')
    return e;
  int32_t a = match_abbrev(x, s, end);
  if (a > e) {
    *flags = TRAM_TOKEN_ABBREV;
    return a;
  }
  if (e + 1 < end && is_wordchar(u[e + 1]))
    return e;
  /* R.E.M. / G.P. / J.-C. */
  if (acronym_body(u, s, e)) {
    *flags = TRAM_TOKEN_ABBREV;
    return e + 1;
  }
  /* Hyphenated initials: J.-P. */
  if (e - s == 1 && tram__is_upper(u[s]) && e + 3 < end &&
      is_hyphen(u[e + 1]) && tram__is_upper(u[e + 2]) && u[e + 3] == '.') {
    *flags = TRAM_TOKEN_ABBREV;
    return e + 4;
  }
  /* An initial before a capitalised name: J. Martí (not "… Louis I. Il"). */
  if (e - s == 1 && tram__is_upper(u[s]) && u[s] != 'I' && u[s] != 'X') {
    int32_t n = e + 1;
    while (n < end && tram__is_space(u[n]))
      n++;
    int32_t ne = n;
    while (ne < end && is_wordchar(u[ne]))
      ne++;
    if (n > e + 1 && n < end && tram__is_upper(u[n]) &&
        !lookup(x, x->t->stopwords, n, ne)) {
      *flags = TRAM_TOKEN_ABBREV;
      return e + 1;
    }
  }
  return e;
}

/* Extends a number segment [s,e) over digit groups (7 000), ranges and
 * scores (2-1, 1971-72), dates and fractions (8/1972), times (12:00) and a
 * glued percent sign; returns the new end. */
static int32_t extend_number(tok_ctx *x, int32_t s, int32_t e, int32_t end,
                             int *kind) {
  const UChar *u = x->an->u16;
  (void)s;
  for (;;) {
    if (e + 3 < end && (u[e] == ' ' || u[e] == 0xA0 || u[e] == 0x202F) &&
        all_digits(u, e + 1, e + 4) &&
        (e + 4 >= end || !tram__is_digit(u[e + 4])) && e - s <= 3 + 4 * 8) {
      /* Only after a group of 1–3 digits: "7 000", not "2010 000". */
      int32_t g = e;
      while (g > s && tram__is_digit(u[g - 1]))
        g--;
      if (e - g > 3)
        break;
      e = seg_end(x, e + 1, end);
      continue;
    }
    if (e + 1 < end && (is_hyphen(u[e]) || (u[e] == '/' && x->r.slash_join)) &&
        is_wordchar(u[e + 1])) {
      e = seg_end(x, e + 1, end);
      if (!all_digits(u, e - 1, e))
        *kind = TRAM_KIND_WORD;
      continue;
    }
    if (x->r.time_colon && e + 1 < end && u[e] == ':' &&
        tram__is_digit(u[e + 1])) {
      e = seg_end(x, e + 1, end);
      continue;
    }
    break;
  }
  if (x->r.percent_glued && e < end && u[e] == '%') {
    e++;
    *kind = TRAM_KIND_PERCENT;
  }
  return e;
}

/* A number glued to letters (1er, 23h30): ordinal suffixes stay, units are
 * split off. Emits and returns the end reached. */
static int split_number_letters(tok_ctx *x, int32_t s, int32_t e,
                                int32_t *out_e) {
  const UChar *u = x->an->u16;
  int32_t d = s;
  while (d < e && (tram__is_digit(u[d]) || u[d] == ',' || u[d] == '.'))
    d++;
  int32_t l = d;
  while (l < e && tram__is_alpha(u[l]))
    l++;
  *out_e = e;
  if (!x->split || l == d || !lookup(x, x->t->units, d, l) ||
      lookup(x, x->t->ordinals, d, e))
    return emit(x, s, e, TRAM_KIND_ORDINAL, 0, NULL);
  int rc = emit(x, s, d, TRAM_KIND_NUMBER, 0, NULL);
  if (!rc)
    rc = emit(x, d, l, TRAM_KIND_WORD, 0, NULL);
  if (!rc && l < e && all_digits(u, l, e))
    rc = emit(x, l, e, TRAM_KIND_NUMBER, 0, NULL);
  else
    *out_e = l;
  return rc;
}

/* White space follows the last token, if the sentence (from token
 * `first`) has one yet. */
static inline void mark_space_after(tok_ctx *x, size_t first) {
  if (x->doc->tokens.len > first)
    TRAM_VEC_AT(&x->doc->tokens, tram_token, x->doc->tokens.len - 1)->flags |=
        TRAM_TOKEN_SPACE_AFTER;
}

/* The loop's white-space step below for the commonest case, one space
 * then more text after a token ending at b: marks the token and returns
 * the position after the space (else b). */
static inline int32_t one_space(tok_ctx *x, int32_t b, int32_t e,
                                size_t first) {
  const UChar *u = x->an->u16;
  if (b + 1 < e && u[b] == ' ' && !tram__is_space(u[b + 1]) &&
      x->doc->tokens.len > first) {
    mark_space_after(x, first);
    return b + 1;
  }
  return b;
}

static int tokenize_sentence(tok_ctx *x, int32_t s, int32_t e) {
  tram_analyzer *an = x->an;
  const UChar *u = an->u16;
  size_t first = x->doc->tokens.len;
  x->sent_first = first;
  int32_t a = s, next_at = -1; /* next '@' at or after a (e if none) */
  int rc = TRAM_OK;
  while (a < e && rc == TRAM_OK) {
    if (tram__is_space(u[a])) {
      mark_space_after(x, first);
      while (a < e && tram__is_space(u[a]))
        a++;
      continue;
    }
    int kind;
    if (x->no_at) {
      next_at = e;
    } else if (next_at < a) {
      next_at = a;
      while (next_at < e && u[next_at] != '@')
        next_at++;
    }
    int32_t n = may_be_special(u, a, e, next_at)
                    ? match_special(u, a, e, next_at, &kind)
                    : 0;
    if (n > 0) {
      rc = emit(x, a, a + n, kind, 0, NULL);
      a += n;
      continue;
    }
    int32_t b = seg_end(x, a, e);
    kind = classify(u, a, b);
    int kind_a = kind; /* classify's answer for a token at a (emit_word) */
    /* A word before none of ' ’ ʼ - ‐ ‑ / . (mostly before a space or a
     * comma): no rule below extends it (elision, compound, abbreviation,
     * acronym, initial), so it goes straight to emit_word. */
    if (kind == TRAM_KIND_WORD && (b >= e || !may_extend(u[b]))) {
      rc = emit_word(x, a, b, kind_a);
      a = one_space(x, b, e, first);
      continue;
    }
    UChar c = u[a];
    /* A sign glued to a number after a space or an opening bracket. */
    if (x->r.signed_numbers && b == a + 1 &&
        (c == '-' || c == '+' || c == 0x2212) && b < e &&
        tram__is_digit(u[b]) &&
        (a == s || tram__is_space(u[a - 1]) || u[a - 1] == '(' ||
         u[a - 1] == '[')) {
      b = seg_end(x, b, e);
      kind = classify(u, a + 1, b);
      kind_a = -1;
    }
    if (kind == TRAM_KIND_PUNCT && b == a + 1 && (is_apos(c) || is_hyphen(c)) &&
        x->split && (a == s || tram__is_space(u[a - 1])) && b < e &&
        tram__is_alpha(u[b])) {
      /* A clitic written apart: "que se 'ls va", "diguem -ho". */
      int32_t z = seg_end(x, b, e);
      if (lookup(x, x->t->clitics, a, z)) {
        rc = emit(x, a, z, TRAM_KIND_WORD, TRAM_TOKEN_CLITIC, NULL);
        a = z;
        continue;
      }
    }
    if (kind == TRAM_KIND_PUNCT && b == a + 1 &&
        (c == '.' || c == '-' || c == '!' || c == '?' || c == 0x2026)) {
      while (b < e && u[b] == c)
        b++;
      rc = emit(x, a, b, kind, 0, NULL);
    } else if (kind == TRAM_KIND_WORD && x->split && b < e && is_apos(u[b]) &&
               (b + 1 == e ||
                (!tram__is_space(u[b + 1]) && !tram__is_alpha(u[b + 1]))) &&
               lookup(x, x->t->elision, a, b)) {
      /* An elided word before a digit or a quote (l'1, d'«) or at the
       * end. */
      b++;
      rc = emit(x, a, b, TRAM_KIND_WORD, TRAM_TOKEN_ELIDED, NULL);
    } else if (kind == TRAM_KIND_WORD) {
      uint32_t flags;
      /* "…l'l'l" + "'" at the end: the last elision keeps its apostrophe. */
      if (x->split && b < e && is_apos(u[b]) &&
          (b + 1 == e || tram__is_space(u[b + 1])) && b - a > 2 &&
          is_apos(u[b - 2]) && lookup(x, x->t->elision, b - 1, b))
        b++;
      b = extend_word(x, a, b, e, &flags);
      if (flags & TRAM_TOKEN_ABBREV)
        rc = emit(x, a, b, TRAM_KIND_WORD, flags, NULL);
      else
        rc = emit_word(x, a, b, kind_a);
    } else if (kind == TRAM_KIND_ORDINAL) {
      int32_t z = b;
      if (b < e && (is_hyphen(u[b]) || (u[b] == '/' && x->r.slash_join)) &&
          b + 1 < e && is_wordchar(u[b + 1])) {
        b = extend_number(x, a, b, e, &kind);
        rc = emit(x, a, b, TRAM_KIND_WORD, 0, NULL);
      } else {
        rc = split_number_letters(x, a, b, &z);
        b = z;
      }
    } else if (kind == TRAM_KIND_NUMBER) {
      b = extend_number(x, a, b, e, &kind);
      if (kind == TRAM_KIND_NUMBER) {
        int32_t p = b;
        while (p < e && (u[p] == ' ' || u[p] == 0xA0 || u[p] == 0x202F))
          p++;
        if (p < e && u[p] == '%')
          kind = TRAM_KIND_PERCENT;
      }
      rc = emit(x, a, b, kind, 0, NULL);
    } else {
      rc = emit(x, a, b, kind, 0, NULL);
    }
    a = one_space(x, b, e, first);
  }
  if (rc == TRAM_OK && x->doc->tokens.len > first)
    TRAM_VEC_AT(&x->doc->tokens, tram_token, first)->flags |=
        TRAM_TOKEN_SENT_START;
  return rc;
}

/* Gives an empty vector room for exactly n elements (tram__vec_reserve
 * would round up to a power of two). */
static int reserve_exact(tram_vec *v, size_t n) {
  if (v->cap || n > SIZE_MAX / v->elem)
    return tram__vec_reserve(v, n);
  void *d = tram__malloc(n * v->elem);
  if (!d)
    return TRAM_ENOMEM;
  v->data = d;
  v->cap = n;
  return TRAM_OK;
}

int tram__tokenize(tram_analyzer *an, tram_doc *doc, const int *sent_lang,
                   const double *sent_conf) {
  tok_ctx x = {.an = an, .doc = doc, .front = tram__word_front(an)};
  if (!x.front)
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  x.fill = !(an->opts.flags & TRAM_OPT_FOLD_ACCENTS);
  x.stem = !(an->opts.flags & TRAM_OPT_NO_STEM);
  an->spans.len = 0;
  /* Prose has about one token per five or six UTF-16 units: the spans
   * (analyzer scratch, kept between documents) and the doc's tokens and
   * words get room for one per five at once, the doc's at that size (not
   * rounded up to a power of two): most documents need no regrowth copy
   * and keep little slack. */
  size_t few = (size_t)an->u16_len / 5 + 16;
  if (tram__vec_reserve(&an->spans, few) || reserve_exact(&doc->tokens, few) ||
      reserve_exact(&doc->words, few))
    return tram__fail(an, TRAM_ENOMEM, "out of memory (tokens)");
  x.fffd = an->u16_fffd;
  /* Without any '@' in the text, no e-mail can start anywhere. */
  x.no_at = !memchr(doc->text, '@', doc->len);
  tram__cursor_init(&x.cur, doc->text, doc->len);
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(an->words, an->u16, an->u16_len, &st);
  if (U_FAILURE(st))
    return tram__fail(an, TRAM_EICU, "ICU word break: %s", u_errorName(st));
  size_t ns = an->sent_spans.len;
  int rules_lang = -1;
  for (size_t i = 0; i < ns; i++) {
    tram_span16 sp = *TRAM_VEC_AT(&an->sent_spans, tram_span16, i);
    x.lang = sent_lang[i];
    x.t = an->model->lang[x.lang];
    x.split = x.t && !(an->opts.flags & TRAM_OPT_NO_SPLIT);
    if (x.lang != rules_lang) {
      rules_lang = x.lang;
      x.ascii_stop = x.fill ? tram__ascii_stops(an, x.lang) : NULL;
      x.r.signed_numbers = rule_on(x.t, "signed_numbers");
      x.r.time_colon = rule_on(x.t, "time_colon");
      x.r.percent_glued = rule_on(x.t, "percent_glued");
      x.r.clitic_mwt =
          x.t ? tram__table_get(x.t->tokrules, "clitic_mwt", 10) : NULL;
      x.r.imperative = rule_on(x.t, "imperative_enclitics");
      x.r.slash_join = rule_on(x.t, "slash_join");
    }
    x.sentence = (uint32_t)doc->sentences.len;
    size_t first = doc->tokens.len;
    int rc = tokenize_sentence(&x, sp.s, sp.e);
    if (rc)
      return rc;
    /* A failed allocation in the shared look-up buffer (used by the
     * segmenter) made look-ups miss: report it now. */
    if (an->scratch.failed)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (scratch buffer)");
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
