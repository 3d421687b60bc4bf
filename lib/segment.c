/*
 * segment.c — sentence boundaries.
 *
 * ICU's sentence break iterator (UAX #29) proposes boundaries: after . ? !
 * (and closing quotes or brackets) before an upper-case letter, and at line
 * and paragraph separators. Its locale "suppressions" (fr@ss=standard…) are
 * not used: they exist for French and Spanish only and match inside words
 * ("assumer." ends in the abbreviation "mer."), so every language takes the
 * untailored iterator and the checks below, which agree with the
 * tokeniser's (lib/tokenize.c):
 *
 *   - a boundary after a period is dropped when the chunk before it is an
 *     abbreviation of the language's `abbrev` table (longest match) or of the
 *     user's list (tram_options.abbreviations): "Sr. Puig", "p. ex. la",
 *     "EE. UU."; entries with the value "?" (also plain words: "vol.") count
 *     only before a lower-case word or a digit, entries with "." ("etc.") may
 *     end a sentence before a capitalised word;
 *   - an initial (J. Martí) or a short acronym ending in a single letter
 *     (J.A. Howe) before a capitalised word that is not a stop word, or
 *     initials before a bracket ("la firme T.A. (Tecnologie");
 *   - a period with no white space after it ("10.JPG", "ASP.NET", URLs),
 *     unless a capitalised word follows ("figura 1.El sistema");
 *   - "!" or "?" before a lower-case word, a quote and a comma, or a
 *     bracket and a comma ("¿un somni? (CCCB), on");
 *   - where the language's `segrules` table has quoted_speech_whole (es,
 *     ca: UD AnCora), any boundary inside an ASCII quotation whose closing
 *     quote is glued to its last word ("… conseguido. Es un premio",
 *     proclamó");
 *   - a boundary before a closing quote moves after it (see
 *     after_closing_quote: ASCII quotes are paired by parity, an unpaired
 *     one closes; closing_guillemet_next in `segrules`, UD French GSD).
 *   - an abbreviation that ends a sentence only before a capital ("vol.")
 *     goes on before a Roman numeral ("Vol. XVII") as before a number;
 *   - a boundary after a cut marked "(...)" or "[…]" right after a
 *     sentence end: the mark opens the next sentence (UD French).
 * Boundaries are added where ICU sees none (extra_break: list and dialogue
 * dashes, numbers and lower-case words after a period, upper-case
 * headlines, the `starters` table — articles and entries marked "lower"
 * only before a lower-case word and not after a word of `title_cues`,
 * subject pronouns also after a colon, articles too after a short heading
 * label and a colon where `segrules` has label_article_break (UD French
 * Sequoia) —, a web address before a capital, ";" where
 * `tokrules` has semicolon_break, UD French; a spaced hyphen after a word
 * before a capital, a number, a bracket or a quote, or after ";", where
 * `segrules` has list_dash_break, UD French Sequoia). These mostly find
 * the ends of headings, list items and sentences without a final period
 * when a text has lost its line breaks; a line break is itself a boundary,
 * unless it only wraps a line (soft_wrap: hard-wrapped text, as the CoNLL
 * 2018 shared task gave it).
 *
 * The rules were found on the UD dev splits and French-Sequoia train, and
 * checked on unlabelled news and scientific text; each is a data table or
 * a convention switch, not a sentence.
 *
 * Takes an->u16; gives an->sent_spans, trimmed of white space, never empty.
 * Each check looks a bounded distance around the boundary, and the quote
 * pointers only move forward: linear time. extra_break reads the text
 * sixteen units at a time (SSE2) and stops only at sentence marks and at
 * words that may start with a capital (tram__markscan_next).
 */
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "ascii.h"
#include "internal.h"
#include "scan16.h"
#include "sentbreak.h"

#define SEG_CHUNK_MAX 48

/* A line end: LF, CR, U+2028, U+2029. */
static inline bool is_eol(UChar c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* The first line end in u[i..n), or n. */
static int32_t next_eol(const UChar *u, int32_t i, int32_t n) {
  for (;; i++) {
    i = tram__skip16(u, i, n, '\n', '\r', true);
    if (i >= n)
      return n;
    if (is_eol(u[i]))
      return i;
  }
}

/* What extra_break has to look at (see tram__markscan_next): a mark
 * it judges, or a word whose first unit may be upper case ('-': a list
 * dash; 'h', 'w': a web address). Any other word start only ends a run of
 * capitalised words. Latin-1 upper case is ICU's Lu (U+00C0..U+00DE but
 * U+00D7); from U+0100 up ICU decides. */
static inline bool start_counts(UChar c) {
  if (c < 0x80)
    return (c >= 'A' && c <= 'Z') || c == '-' || c == 'h' || c == 'w';
  return c >= 0x100 || (c >= 0xC0 && c <= 0xDE && c != 0xD7);
}

/* A sentence mark extra_break judges. */
static inline bool is_mark(UChar c) {
  return c == '.' || c == '!' || c == '?' || c == ';' || c == 0x2026;
}

/* A mark, or a unit whose white space the scan leaves to tram__is_space: the
 * controls, NEL, no-break space and U+1600 up, but for the dashes, quotes
 * and bullets of U+2010..U+2025. Elsewhere only U+0020 is white space. */
static inline bool is_stop(UChar c) {
  return is_mark(c) || c < 0x20 || c == 0x85 || c == 0xA0 ||
         (c >= 0x1600 && !(c >= 0x2010 && c <= 0x2025));
}

void tram__markscan_init(tram_markscan *m, const UChar *u, int32_t s,
                         int32_t lim, int32_t e) {
  m->u = u;
  m->s = s;
  m->lim = lim;
  m->e = e;
  m->base = m->at = -1;
  m->stops = m->other = 0;
  m->prev16 = false;
}

/* Returns the stop p; the next call may start at p + 1 from the block's
 * masks unless u[p] is white space (a word starts after it, which the
 * masks, made from U+0020 alone, do not show). */
static inline int32_t found(tram_markscan *m, int32_t p) {
  m->at = tram__is_space(m->u[p]) ? -1 : p + 1;
  return p;
}

int32_t tram__markscan_next(tram_markscan *m, int32_t i, bool *reset) {
  const UChar *u = m->u;
  int32_t lim = m->lim;
  if (i >= lim)
    return lim;
  bool prev;
#if defined(__SSE2__)
  if (i == m->at) {
    /* Right after the last stop: the rest of its block is read already. */
    unsigned keep = ~0u << (i - m->base);
    unsigned ms = m->stops & keep, other = m->other & keep;
    if (ms) {
      unsigned k = (unsigned)__builtin_ctz(ms);
      if (other & ((1u << k) - 1))
        *reset = true;
      return found(m, m->base + (int32_t)k);
    }
    if (other)
      *reset = true;
    i = m->base + 16;
    prev = m->prev16;
  } else
#endif
    prev = i == m->s || tram__is_space(u[i - 1]);
  m->at = -1;
#if defined(__SSE2__)
  /* Sixteen units a step, split into their low and high bytes: bit masks
   * of the stops, the white space (U+0020 once the stops are out) and the
   * first units that count; word starts are the white space shifted by
   * one unit. */
  for (; i + 16 <= m->e && i < lim; i += 16) {
    __m128i b, h;
    tram__load16(u + i, &b, &h);
    __m128i big =
        _mm_xor_si128(_mm_cmpeq_epi8(h, _mm_setzero_si128()), tram__k8(-1));
    __m128i stop = _mm_andnot_si128(
        big,
        _mm_or_si128(
            _mm_or_si128(_mm_or_si128(tram__eq8(b, '.'), tram__eq8(b, '!')),
                         _mm_or_si128(tram__eq8(b, '?'), tram__eq8(b, ';'))),
            _mm_or_si128(
                tram__below8(b, 0x20),
                _mm_or_si128(tram__eq8(b, 0x85), tram__eq8(b, 0xA0)))));
    stop = _mm_or_si128(
        stop, _mm_andnot_si128(
                  _mm_and_si128(tram__eq8(h, 0x20), tram__in8(b, 0x10, 0x25)),
                  tram__above8(h, 0x15)));
    __m128i counts = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(tram__in8(b, 'A', 'Z'), tram__eq8(b, '-')),
                     _mm_or_si128(tram__eq8(b, 'h'), tram__eq8(b, 'w'))),
        _mm_andnot_si128(
            _mm_or_si128(tram__in8(b, 0xDF, 0xFF), tram__eq8(b, 0xD7)),
            tram__above8(b, 0xBF)));
    counts = _mm_or_si128(big, counts);
    unsigned msp = tram__mask8(_mm_andnot_si128(big, tram__eq8(b, ' ')));
    unsigned start = ((msp << 1) | (prev ? 1u : 0u)) & ~msp & 0xFFFF;
    unsigned mc = tram__mask8(counts);
    unsigned ms = tram__mask8(stop) | (start & mc);
    unsigned other = start & ~mc;
    if (lim - i < 16) {
      unsigned valid = (1u << (lim - i)) - 1;
      ms &= valid;
      other &= valid;
    }
    if (ms) {
      unsigned k = (unsigned)__builtin_ctz(ms);
      if (other & ((1u << k) - 1))
        *reset = true;
      m->base = i;
      m->stops = ms;
      m->other = other;
      m->prev16 = msp >> 15;
      return found(m, i + (int32_t)k);
    }
    if (other)
      *reset = true;
    prev = msp >> 15;
  }
#endif
  for (; i < lim; i++) {
    UChar c = u[i];
    if (is_stop(c))
      return i;
    bool space = c == ' ';
    if (prev && !space) {
      if (start_counts(c))
        return i;
      *reset = true;
    }
    prev = space;
  }
  return lim;
}

static bool is_opening(UChar c) {
  return c == '(' || c == '[' || c == '"' || c == 0xAB || c == 0x201C ||
         c == 0x2018 || c == '\'';
}

static bool is_dash(UChar c) {
  return c == '-' || c == 0x2013 || c == 0x2014 || c == 0x2012;
}

static bool is_quote(UChar c) {
  return c == '"' || c == 0xBB || c == 0xAB || c == 0x201D || c == 0x201C ||
         c == 0x2019 || c == '\'';
}

/* Lower-cases u16[s..e), at most SEG_CHUNK_MAX units (every caller's
 * bound), as UTF-8 into key (four bytes a unit at most); NULL if longer. */
static const char *lower_utf8(tram_analyzer *an, int32_t s, int32_t e,
                              char key[static 4 * SEG_CHUNK_MAX], size_t *n) {
  if (e - s > SEG_CHUNK_MAX)
    return NULL;
  size_t k = 0;
  for (int32_t i = s; i < e;) {
    UChar32 c = an->u16[i];
    if (c < 0x80) { /* ASCII: u_tolower is A-Z -> a-z */
      key[k++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      i++;
      continue;
    }
    U16_NEXT(an->u16, i, e, c);
    if (c == 0x2019 || c == 0x02BC)
      c = '\'';
    k += tram__utf8_encode((uint32_t)u_tolower(c), key + k);
  }
  *n = k;
  return key;
}

/* The byte lower_utf8 writes for the unit c when it is ASCII, else -1. */
static inline int key_byte(UChar c) {
  return c < 0x80 ? (c >= 'A' && c <= 'Z' ? c + 32 : c) : -1;
}

/* May the key lower_utf8 makes of u16[s..e) (s < e) be in m? Asked before
 * the key is made: it has a byte a unit at least, and the first and last
 * bytes of ASCII units (tram__map_may_hold). */
static inline bool may_hold16(const tram_analyzer *an, const tram_map *m,
                              int32_t s, int32_t e) {
  return tram__map_may_hold(m, (size_t)(e - s), key_byte(an->u16[s]),
                            key_byte(an->u16[e - 1]));
}

/* The abbreviation value of u16[s..e) ("" for a plain entry, "?" or ".",
 * with "C" when written in capitals too), or NULL if it is none. */
static const char *abbrev_value(tram_analyzer *an, const tram_lang_tables *t,
                                int32_t s, int32_t e) {
  if (e - s > SEG_CHUNK_MAX)
    return NULL;
  if (e > s && !may_hold16(an, t ? t->abbrev : NULL, s, e) &&
      !may_hold16(an, an->extra_abbrev, s, e))
    return NULL;
  size_t n;
  char key[4 * SEG_CHUNK_MAX];
  const char *k = lower_utf8(an, s, e, key, &n);
  if (!k)
    return NULL;
  const char *v = t ? tram__table_get(t->abbrev, k, n) : NULL;
  if (v)
    return v;
  if (an->extra_abbrev && tram__map_get(an->extra_abbrev, k, n, NULL))
    return "C"; /* the caller's word, in capitals too */
  return NULL;
}

static bool is_stopword(tram_analyzer *an, const tram_lang_tables *t, int32_t s,
                        int32_t e) {
  if (!t || e - s > SEG_CHUNK_MAX || e <= s)
    return false;
  size_t n;
  char key[4 * SEG_CHUNK_MAX];
  const char *k = lower_utf8(an, s, e, key, &n);
  return k && tram__table_get(t->stopwords, k, n);
}

/* Does u[0..n) hold the unit c? */
static bool memchr16(const UChar *u, UChar c, int32_t n) {
  for (int32_t i = 0; i < n; i++)
    if (u[i] == c)
      return true;
  return false;
}

/* Letters and inner periods in chunks of at most 3 letters, the last one a
 * single letter: J.A, H.R.F, J.-C. */
static bool initials(const UChar *u, int32_t s, int32_t e) {
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
    } else if (!(u[i] == '-' && i > s && u[i - 1] == '.')) {
      return false;
    }
  }
  return chunk == 1 &&
         (dots > 0 || (tram__is_upper(u[s]) && u[s] != 'I' && u[s] != 'X'));
}

/* Does u[i..len) start with a Roman numeral of two letters or more
 * (XVII, II), followed by no letter? */
static bool roman(const UChar *u, int32_t i, int32_t len) {
  int32_t j = i;
  while (j < len && j - i < 8 && u[j] < 0x80 && strchr("IVXLCDM", u[j]) &&
         u[j] != 0)
    j++;
  return j - i >= 2 && (j >= len || !tram__is_alpha(u[j]));
}

/* Does u[i..e) start with a web address (http://, https://, www.)? */
static bool is_url(const UChar *u, int32_t i, int32_t e) {
  static const char *const pre[] = {"http://", "https://", "www."};
  for (size_t k = 0; k < sizeof pre / sizeof *pre; k++) {
    int32_t j = 0;
    while (pre[k][j] && i + j < e && u[i + j] == (UChar)pre[k][j])
      j++;
    if (!pre[k][j])
      return true;
  }
  return false;
}

/* Does the white space before b hold a line break (a boundary ICU puts
 * there stays)? */
static bool line_end(const UChar *u, int32_t start, int32_t b) {
  for (int32_t i = b; i > start && tram__is_space(u[i - 1]); i--)
    if (is_eol(u[i - 1]))
      return true;
  return false;
}

/* The line breaks in u[s..e): CR LF counts once, a paragraph separator
 * (U+2029, VT, FF, NEL) twice. */
static int breaks_between(const UChar *u, int32_t s, int32_t e) {
  int n = 0;
  for (int32_t i = s; i < e; i++) {
    UChar c = u[i];
    if (c == '\n' || c == 0x2028 ||
        (c == '\r' && !(i + 1 < e && u[i + 1] == '\n')))
      n++;
    else if (c == 0x2029 || c == 0x0B || c == 0x0C || c == 0x85)
      n += 2;
  }
  return n;
}

/* Does a paragraph end at u[i]: U+2029, or a line feed followed by an
 * empty line? */
static bool para_break_at(const UChar *u, int32_t len, int32_t i) {
  if (u[i] == 0x2029)
    return true;
  if (u[i] != '\n')
    return false;
  for (int32_t j = i + 1; j < len && tram__is_space(u[j]); j++)
    if (u[j] == '\n' || u[j] == 0x2029)
      return true;
  return false;
}

/* Should the ICU boundary at `b` be dropped? The text before it ends, after
 * white space, with a period that belongs to an abbreviation. */
static bool suppress(tram_analyzer *an, const tram_lang_tables *t,
                     int32_t start, int32_t b) {
  const UChar *u = an->u16;
  int32_t e = b;
  while (e > start && tram__is_space(u[e - 1]))
    e--;
  if (e <= start)
    return false;
  /* No sentence starts with ";" (ICU breaks before one after a period and a
   * bracket when a capital follows): "Itziar (3a cat.); Alto de Agiña",
   * "n'hésitez pas ! ;-)". A line may (a list of fragments). */
  if (b < an->u16_len && u[b] == ';' && breaks_between(u, e, b) == 0)
    return true;
  /* No white space after the period: one token ("10.JPG", "ASP.NET",
   * "www.Exemple.org"), unless a capitalised word follows a word
   * ("mal-formé ».Pour le collectif": a space left out). */
  if (e == b && b < an->u16_len && tram__is_alnum(u[b])) {
    if (!(tram__is_upper(u[b]) && b + 1 < an->u16_len &&
          tram__is_lower(u[b + 1])))
      return true;
    int32_t w = e - 1;
    while (w > start && e - w < SEG_CHUNK_MAX && !tram__is_space(u[w - 1]))
      w--;
    if (is_url(u, w, e))
      return true;
  }
  int32_t te = e;
  while (te > start + 1 && e - te < 4 &&
         (u[te - 1] == ')' || u[te - 1] == ']' || is_quote(u[te - 1])))
    te--;
  if (u[te - 1] == '!' || u[te - 1] == '?') {
    /* "Yahoo! con", "madre! ", exclamó": the sentence goes on. */
    int32_t n = b;
    while (n < an->u16_len && n - b < 8 && tram__is_space(u[n]))
      n++;
    if (n < an->u16_len && is_quote(u[n])) {
      n++;
      while (n < an->u16_len && n - b < 8 && tram__is_space(u[n]))
        n++;
      return n < an->u16_len &&
             (u[n] == ',' || u[n] == ';' || tram__is_lower(u[n]));
    }
    if (n < an->u16_len && u[n] == '(') {
      /* "¿un triángulo imposible? (CCCB), en què": a bracket and a comma. */
      int32_t c = n + 1;
      while (c < an->u16_len && c - n < 64 && u[c] != ')' && u[c] != '(' &&
             u[c] != '.' && u[c] != '?' && u[c] != '!')
        c++;
      if (c < an->u16_len && u[c] == ')') {
        c++;
        while (c < an->u16_len && c - n < 72 && tram__is_space(u[c]))
          c++;
        return c < an->u16_len &&
               (u[c] == ',' || u[c] == ';' || tram__is_lower(u[c]));
      }
    }
    return n < an->u16_len && tram__is_lower(u[n]);
  }
  if (u[e - 1] != '.')
    return false;
  if (breaks_between(u, e, b) > 1)
    return false; /* a paragraph ends the sentence anyway; a single line
                     break may be a hard wrap ("M.\nDupont") */
  /* The chunk before the period: back to white space or an opening mark. */
  int32_t w = e - 1;
  while (w > start && e - w < SEG_CHUNK_MAX && !tram__is_space(u[w - 1]) &&
         !is_opening(u[w - 1]))
    w--;
  if (w == e - 1)
    return false; /* a lone period, "..." */
  if (u[e - 2] == '.')
    return false; /* an ellipsis "..." */
  int32_t nx = b;
  while (nx < an->u16_len && tram__is_space(u[nx]))
    nx++;
  if (nx >= an->u16_len)
    return false;
  UChar32 next;
  int32_t ne = nx;
  U16_NEXT(u, ne, an->u16_len, next);
  /* A number goes on the sentence like a lower-case word; so does a Roman
   * numeral after an abbreviation that ends a sentence only before a
   * capital ("vol. 3", "Vol. XVII, no 3"), not after any period: "CC",
   * "CDC", "ICV", "DVD" are acronyms that open sentences. */
  bool lower = tram__is_lower(next) || tram__is_digit(next);
  /* Longest abbreviation ending at the period, from the chunk start. */
  for (int32_t p = w; p < e - 1; p++) {
    if (p > w && u[p - 1] != '.' && !is_opening(u[p - 1]))
      continue;
    const char *v = abbrev_value(an, t, p, e);
    if (!v)
      continue;
    /* A word in capitals is an acronym ("el Valencia CF. La policía", "el
     * argumento AV. La transición"), not the abbreviation written in lower
     * case, unless the entry says it is written so too (value "C": "el BM.
     * Ciudad Real"). */
    if (!strchr(v, 'C') && e - 1 - p >= 2) {
      int32_t k = p;
      while (k < e - 1 && tram__is_upper(u[k]))
        k++;
      if (k == e - 1)
        continue;
    }
    if (*v == '?') {
      if (lower || roman(u, nx, an->u16_len))
        return true;
      /* A single capital is an initial first ("el búlgaro S. B. P.",
       * "Incopromar S. L.", "S. Sebastián"), not "s." (siglo). */
      if (e - p == 2 && tram__is_upper(u[p]))
        break;
      return false;
    }
    if (*v == '.')
      return lower;
    return true;
  }
  /* Two-chunk abbreviations: "p. ex.", "EE. UU.". */
  int32_t w2 = w;
  while (w2 > start && w - w2 < 4 && tram__is_space(u[w2 - 1]))
    w2--;
  if (w2 < w && w2 > start && u[w2 - 1] == '.') {
    int32_t v = w2 - 1;
    while (v > start && w2 - v < SEG_CHUNK_MAX && !tram__is_space(u[v - 1]))
      v--;
    if (v < w2 - 1) {
      const char *val = abbrev_value(an, t, v, e);
      if (val)
        return *val == '?'   ? lower || roman(u, nx, an->u16_len)
               : *val == '.' ? lower
                             : true;
    }
  }
  if (lower)
    return true;
  /* Initials before a bracket: "la firme T.A. (Tecnologie d'Avanguardia)". */
  if (next == '(' && nx + 1 < an->u16_len && tram__is_upper(u[nx + 1]) &&
      initials(u, w, e - 1) && memchr16(u + w, '.', e - 1 - w))
    return true;
  /* An initial or initials before a capitalised name: "J. Martí"; not
   * lower-case ones ("a las 10 p.m. Luego", "i.e."). A lone "I" or "X" (a
   * Roman numeral: "Juan Carlos I. El rey") only after another initial:
   * "E. I. C.". */
  if (tram__is_upper(next) && tram__is_upper(u[w]) &&
      (initials(u, w, e - 1) ||
       (e - w == 2 && (u[w] == 'I' || u[w] == 'X') && w - start >= 3 &&
        tram__is_space(u[w - 1]) && u[w - 2] == '.' &&
        tram__is_upper(u[w - 3]) &&
        (w - 3 == start || tram__is_space(u[w - 4]))))) {
    while (ne < an->u16_len && ne - nx < SEG_CHUNK_MAX &&
           (tram__is_alpha(u[ne]) || u[ne] == '-'))
      ne++;
    /* A stop word goes on a new sentence ("J. A las diez"), unless it is a
     * single letter with a period: one more initial ("M. A. J.", "R. E.
     * Ch.": Spanish "a", "e", "o", "u", "y"). */
    if (ne == nx + 1 && ne < an->u16_len && u[ne] == '.')
      return true;
    return !is_stopword(an, t, nx, ne);
  }
  return false;
}

/* Does the word that ends at `e` (after an elided prefix: "l'album")
 * belong to the table `m`? */
static bool word_before_in(tram_analyzer *an, const tram_map *m, int32_t s,
                           int32_t e) {
  int32_t w = e;
  while (w > s && e - w < SEG_CHUNK_MAX && !tram__is_space(an->u16[w - 1]) &&
         an->u16[w - 1] != '\'' && an->u16[w - 1] != 0x2019)
    w--;
  if (!m || w >= e || e - w > SEG_CHUNK_MAX || !may_hold16(an, m, w, e))
    return false;
  size_t n;
  char key[4 * SEG_CHUNK_MAX];
  const char *k = lower_utf8(an, w, e, key, &n);
  return k && tram__table_get(m, k, n);
}

/* starter()'s first test, which needs no word end: may a word that starts
 * at u16[s] be in the `starters` table at all? */
static inline bool may_start(tram_analyzer *an, const tram_lang_tables *t,
                             int32_t s) {
  if (!t || !t->starters || !tram__map_count(t->starters))
    return false;
  /* Most capitalised words start with a letter no entry starts with: no
   * key to build (the key's first byte is this one lower-cased). */
  UChar f = an->u16[s];
  return f >= 0x80 || tram__map_may_hold(t->starters, 1,
                                         f >= 'A' && f <= 'Z' ? f + 32 : f, -1);
}

/* Is u16[s..e) (a word, maybe with a trailing comma) a capitalised word of
 * the language's `starters` table (an elided word by its prefix: j')?
 * `prev` is the end of the word before it. Entries with the value
 * "article" (Le, La, L', Une) count only before a lower-case word (never
 * "Le Monde", "La Haye", "L'Humanité") and not after a word of the
 * `title_cues` table ("le roman La vie devant soi", "intitulé L'influence
 * d'un livre"): a title of a work is capitalised on its first word only.
 * Entries with the value "lower" (Chez, Toute, Située) count likewise.
 * `colon`: 0 no colon before, 1 a colon (subject pronouns only), 2 a colon
 * after a heading label (subject pronouns and articles). */
static bool starter(tram_analyzer *an, const tram_lang_tables *t, int32_t s,
                    int32_t e, int32_t prev, int colon) {
  if (!may_start(an, t, s))
    return false;
  int32_t we = e;
  while (e > s && (u_ispunct(an->u16[e - 1])))
    e--;
  /* An elided pronoun counts by its prefix: "J'aime" → j'. */
  bool elided = false;
  if (e - s >= 3 && (an->u16[s + 1] == '\'' || an->u16[s + 1] == 0x2019) &&
      tram__is_lower(an->u16[s + 2])) {
    e = s + 2;
    elided = true;
  }
  for (int32_t i = s + 1; i < e; i++) {
    UChar c = an->u16[i];
    if (c < 0x80 ? !(c >= 'a' && c <= 'z') && c != '\''
                 : !tram__is_lower(c) && c != 0x2019)
      return false;
  }
  size_t n;
  char key[4 * SEG_CHUNK_MAX];
  const char *k = lower_utf8(an, s, e, key, &n);
  const char *v = k ? tram__table_get(t->starters, k, n) : NULL;
  if (!v)
    return false;
  if (*v == 'a' || *v == 'l') {
    if (colon == 1 || (!elided && e != we))
      return false;
    if (!elided) { /* the next word is lower-case */
      int32_t nx = we;
      while (nx < an->u16_len && nx - we < 4 && tram__is_space(an->u16[nx]))
        nx++;
      if (nx == we || nx >= an->u16_len || !tram__is_lower(an->u16[nx]))
        return false;
    }
    return !word_before_in(an, t->title_cues, 0, prev);
  }
  /* "subject": a subject pronoun, which also opens a sentence after a
   * colon. A title or a label may open with any of them ("le guide Comment
   * créer des rapports", "l'option Ne pas déranger"). */
  return (!colon || *v == 's') && !word_before_in(an, t->title_cues, 0, prev);
}

/* Does the word that ends at `e` (after an elided prefix: "c'est") belong
 * to the stop words? A sentence does not end with "de", "et", "est": the
 * capitalised word after it begins a name or a title ("parmi lesquels Les
 * Temps nouveaux", "C'est Au Bonheur du Jour"). */
static bool after_stopword(tram_analyzer *an, const tram_lang_tables *t,
                           int32_t s, int32_t e) {
  return t && word_before_in(an, t->stopwords, s, e);
}

/* Is the boundary at b a single line break inside a sentence (hard-wrapped
 * text, as the CoNLL 2018 shared task's raw text was)? Not after a
 * terminator (suppress() judges a period before a single line break as
 * before a space), nor before a bullet or a dash and a capital (a list
 * item). Yes after a comma before a lower-case word or after a stop word,
 * after a line of three words or more before a lower-case word, and where
 * the text is wrapped (see below) and the next word would not have fitted
 * on the line. *width caches the text's wrap width (-1: not
 * measured yet; 0: not wrapped). */
static bool soft_wrap(tram_analyzer *an, const tram_lang_tables *t,
                      int32_t start, int32_t b, int32_t *width) {
  const UChar *u = an->u16;
  int32_t e = b;
  while (e > start && tram__is_space(u[e - 1]))
    e--;
  if (e <= start || breaks_between(u, e, b) != 1)
    return false;
  int32_t n = b;
  while (n < an->u16_len && tram__is_space(u[n]))
    n++;
  if (n >= an->u16_len || breaks_between(u, b, n) > 0)
    return false;
  /* A terminator, maybe behind closing quotes or brackets, was judged by
   * suppress(). */
  int32_t te = e;
  while (te > start + 1 && e - te < 4 &&
         (u[te - 1] == ')' || u[te - 1] == ']' || is_quote(u[te - 1])))
    te--;
  UChar p = u[te - 1];
  /* ... except before a dash wrapped to the line start, which extra_break
   * judges as after a space ("26 de julio.\n- El líder": a dated
   * heading). */
  bool term = p == '.' || p == '!' || p == '?' || p == 0x2026;
  if (term &&
      !(is_dash(u[n]) && n + 1 < an->u16_len && tram__is_space(u[n + 1])))
    return false;
  UChar32 c;
  int32_t k = n;
  U16_NEXT(u, k, an->u16_len, c);
  /* A list item or a dialogue line starts on its own line ("- Pommes"; an
   * incise dash wrapped to the line start goes on: "- un poco -"). */
  if (u[n] == 0x2022 || u[n] == '*' || u[n] == 0xB7)
    return false;
  if (is_dash(u[n]) && !term) {
    int32_t m = n + 1;
    while (m < an->u16_len && m - n < 4 && tram__is_space(u[m]))
      m++;
    if (m >= an->u16_len || tram__is_upper(u[m]) || tram__is_digit(u[m]) ||
        u[m] == 0xBF || u[m] == 0xA1)
      return false;
  }
  p = u[e - 1];
  /* A line cut after a comma before a lower-case word, or after a stop
   * word ("le président de\nLa Poste"): the sentence goes on, wrapped or
   * not (but a list of words, one a line, stays cut). */
  if ((p == ',' && tram__is_lower(c)) ||
      (tram__is_alpha(p) && tram__is_alpha(c) &&
       after_stopword(an, t, start, e)))
    return true;
  /* A line of three words or more that ends with no terminator before a
   * lower-case word: the sentence goes on, whatever the line widths (text
   * taken from a PDF page is cut at uneven widths: "utilizando
   * pensamiento\ncrítico, trabajo en equipo"); a list of words, one a line,
   * stays cut. */
  if (tram__is_lower(c)) {
    int words = 0;
    for (int32_t j = e; j > start && words < 3; j--) {
      if (is_eol(u[j - 1]))
        break;
      if (!tram__is_space(u[j - 1]) &&
          (j - 1 == start || tram__is_space(u[j - 2])))
        words++;
    }
    if (words >= 3)
      return true;
  }
  /* Greedy wrapping: the line was cut because the next word did not fit
   * in the text's longest line (a short heading line is not). The text
   * counts as wrapped when that line is 40 units or more and at least
   * three lines come within 80% of it (not an address or a short message
   * whose first line happens to be the longest). */
  if (*width < 0) {
    /* One pass keeps the three longest lines: three lines come within 80%
     * of the longest when the third longest does. */
    int32_t l1 = 0, l2 = 0, l3 = 0, len = an->u16_len;
    for (int32_t ls = 0;;) {
      int32_t i = next_eol(u, ls, len), l = i - ls;
      if (l > l3) {
        if (l > l1) {
          l3 = l2, l2 = l1, l1 = l;
        } else if (l > l2) {
          l3 = l2, l2 = l;
        } else {
          l3 = l;
        }
      }
      if (i >= len)
        break;
      ls = i + 1;
    }
    *width = l1 >= 40 && l3 * 5 >= l1 * 4 ? l1 : 0;
  }
  if (*width == 0)
    return false;
  int32_t ls = e;
  while (ls > 0 && !is_eol(u[ls - 1]))
    ls--;
  int32_t we = n;
  while (we < an->u16_len && !tram__is_space(u[we]))
    we++;
  return (e - ls) + 1 + (we - n) > *width;
}

/* The end of the word at u[i] within e: its first white space, or
 * i + SEG_CHUNK_MAX + 1 when it is longer (too long for any table). */
static inline int32_t word_end(const UChar *u, int32_t i, int32_t e) {
  int32_t we = i;
  while (we < e && we - i <= SEG_CHUNK_MAX && !tram__is_space(u[we]))
    we++;
  return we;
}

/* All letters upper-case, at least two of them: a headline word, maybe
 * with a plural in brackets ("SPECIALE(S)") and, when it has four letters
 * or more (not a run of acronyms: "RPR, PS, UDF"), a comma. Returns the
 * number of letters, or 0. */
static int caps_word(const UChar *u, int32_t s, int32_t e) {
  int letters = 0;
  bool comma = e - s > 1 && u[e - 1] == ',';
  if (comma)
    e--;
  for (int32_t i = s; i < e; i++) {
    if (tram__is_alpha(u[i])) {
      if (!tram__is_upper(u[i]))
        return 0;
      letters++;
    } else if (!tram__is_digit(u[i]) && u[i] != '-' && u[i] != '\'' &&
               !(i > s && (u[i] == '(' || u[i] == ')'))) {
      return 0;
    }
  }
  return letters >= (comma ? 4 : 2) ? letters : 0;
}

/* Is the spaced hyphen at u[i] (after a word) a list dash: a capitalised
 * word follows, and the next spaced hyphen, if one comes within 80 units,
 * is not followed by a lower-case word or a comma, as the closing dash of
 * an incise is ("... dolor - Eruption" but "la literatura - Jules Verne -
 * i a la")? */
static bool list_dash(const UChar *u, int32_t i, int32_t e) {
  int32_t m = i + 1;
  while (m < e && m - i < 4 && tram__is_space(u[m]))
    m++;
  /* An item starts with a capital, a number, a bracket, a quote or a note
   * mark ("- ( en ) Phillip", "- ^ cf.", "- 4 janvier 1989 :"). */
  if (m >= e || !(tram__is_upper(u[m]) || tram__is_digit(u[m]) || u[m] == '(' ||
                  u[m] == '^' || u[m] == '"' || u[m] == 0xAB))
    return false;
  /* A number after another, a bracket or a word of one or two letters is
   * arithmetic or a range: "1914 - 1918", "de 0 à n - 1", "LBound(x) - 1",
   * "(- 33 % en 2012 et - 60 % en 2011)"; an item after a heading word
   * ("Chronologie - 4 janvier 1989 :") is not. */
  if (tram__is_digit(u[m]) &&
      !(i >= 4 && tram__is_alpha(u[i - 2]) && tram__is_alpha(u[i - 3]) &&
        tram__is_alpha(u[i - 4])))
    return false;
  for (int32_t k = m; k + 2 < e && k - i < 80; k++) {
    if (u[k] != '-' || !tram__is_space(u[k - 1]))
      continue;
    int32_t n = k + 1;
    while (n < e && n - k < 4 && tram__is_space(u[n]))
      n++;
    if (n == k + 1 && u[n] != ',')
      continue; /* a hyphen glued to the next word: "-5", "-t-il" */
    return !(n < e && (tram__is_lower(u[n]) || u[n] == ',' || u[n] == ')'));
  }
  return true;
}

/* Is u[s..c) (c a colon) a heading label: one to three words, the first
 * capitalised, no other punctuation ("Distribution :", "Insuffisance
 * rénale :")? After one, an article opens a sentence as after a line
 * break ("Absorption : La concentration moyenne…"). */
static bool heading_label(const UChar *u, int32_t s, int32_t c) {
  while (s < c && tram__is_space(u[s]))
    s++;
  if (s >= c || c - s > 48 || !tram__is_upper(u[s]))
    return false;
  int words = 1;
  for (int32_t k = s; k < c - 1; k++) {
    if (tram__is_space(u[k])) {
      if (!tram__is_space(u[k + 1]) && ++words > 3)
        return false;
    } else if (!tram__is_alnum(u[k]) && u[k] != '-' && u[k] != '\'' &&
               u[k] != 0x2019) {
      return false;
    }
  }
  return true;
}

/* Is u[i] inside brackets opened after s, within 200 units? */
static bool in_brackets(const UChar *u, int32_t s, int32_t i) {
  int depth = 0;
  for (int32_t k = i - 1; k >= s && i - k < 200; k--) {
    if (u[k] == ')' || u[k] == ']')
      depth++;
    else if ((u[k] == '(' || u[k] == '[') && --depth < 0)
      return true;
  }
  return false;
}

/* Is u[s..c] (c a closing bracket before a period) a dateline: a place,
 * maybe a date, and the agency or the province in brackets ("Oviedo (EFE)",
 * "Reus (Tarragona), 23 may (EFE)", "Santiago de Compostela, 23 may
 * (EFECOM)")? Capitalised words, numbers and commas; a lower-case word is a
 * stop word ("de") or comes after a number (the date: "23 may"). */
static bool dateline(tram_analyzer *an, const tram_lang_tables *t, int32_t s,
                     int32_t c) {
  const UChar *u = an->u16;
  while (s < c && tram__is_space(u[s]))
    s++;
  int32_t o = c - 1;
  while (o > s && c - o < 32 && u[o] != '(' && u[o] != ')')
    o--;
  if (o <= s || u[o] != '(' || c - o < 3 || !tram__is_upper(u[o + 1]) ||
      c - s > 64 || !tram__is_upper(u[s]))
    return false;
  bool number = false;
  int words = 0, depth = 0;
  for (int32_t k = s; k < c;) {
    /* Brackets pair inside the dateline ("Madrid), Méndez (Recreativo) y
     * Josetxo (Eibar)" closes one opened before the sentence start). */
    if (u[k] == '(' && ++depth > 1)
      return false;
    if (u[k] == ')' && --depth < 0)
      return false;
    if (tram__is_space(u[k]) || u[k] == ',' || u[k] == '(' || u[k] == ')') {
      k++;
      continue;
    }
    int32_t we = k;
    while (we < c && !tram__is_space(u[we]) && u[we] != ',' && u[we] != '(' &&
           u[we] != ')')
      we++;
    if (++words > 10)
      return false;
    for (int32_t j = k; j < we; j++)
      if (!tram__is_alnum(u[j]) && u[j] != '-' && u[j] != '/' && u[j] != '\'' &&
          u[j] != 0x2019)
        return false;
    if (tram__is_digit(u[k]))
      number = true;
    else if (!tram__is_upper(u[k]) && !number && k < o &&
             !is_stopword(an, t, k, we))
      return false; /* any word inside the agency's bracket */
    k = we;
  }
  return true;
}

/* First boundary to add inside (s, e) that ICU does not propose, or -1:
 *   - before a dialogue dash after a sentence end ("acabó. - Por qué"), or
 *     a spaced list dash before anything ("sirop. - si vous"), except
 *     after a short dated heading ("6 de julio. - Barak");
 *   - before a number or a lower-case word after a sentence-final period
 *     ("generales. 6 de julio", "prochain. on y va"), the period closing a
 *     word of three (four) letters or more that is no abbreviation; before
 *     a number also after a number of three digits or more, a closing
 *     quote or bracket ("en 2008. 23 épreuves", "Aqsa". 12 de");
 *   - after a headline of three upper-case words or more, before a
 *     capitalised word ("EL BARÇA GANA El equipo");
 *   - before a word of the language's `starters` table (capitalised
 *     pronouns and connectives: Il, Cette, Puis, J') that follows a
 *     lower-case word that is no stop word with no punctuation between, or
 *     a colon for the subject pronouns ("suivantes : Ce qui") and, after
 *     a heading label of one to three words where `labels` is set, the
 *     articles ("Absorption : La concentration");
 *   - before a capitalised word after a web address;
 *   - after ";" before a capitalised word, or a lower-case word outside
 *     brackets, where `semi` is set. */
static int32_t extra_break(tram_analyzer *an, const tram_lang_tables *t,
                           bool semi, bool dashes, bool labels, int32_t s,
                           int32_t e) {
  const UChar *u = an->u16;
  int caps = 0, long_caps = 0;
  bool url = false;
  tram_markscan scan;
  tram__markscan_init(&scan, u, s, e - 2, an->u16_len);
  for (int32_t i = s; i + 2 < e; i++) {
    /* Straight to the next unit with work; a word start in between that
     * cannot be upper case ends any run of capitalised words. */
    bool reset = false;
    i = tram__markscan_next(&scan, i, &reset);
    if (reset) {
      url = false;
      caps = long_caps = 0;
    }
    if (i + 2 >= e)
      break;
    UChar c = u[i];
    bool space = tram__is_space(c);
    bool start = (i == s || tram__is_space(u[i - 1])) && !space;
    if (!start && !is_mark(c))
      continue;
    /* A list item: a spaced hyphen after a colon (an incise never starts
     * there: "il vous sera administré : - si vous"), or after a word or a
     * bracket before a capitalised word ("Douleur dorsale - Douleur"). */
    if (start && c == '-' && dashes && i >= s + 2 && tram__is_space(u[i + 1]) &&
        (u[i - 2] == ':' ||
         ((tram__is_lower(u[i - 2]) || tram__is_digit(u[i - 2]) ||
           u[i - 2] == ')' || u[i - 2] == ']') &&
          list_dash(u, i, e))))
      return i;
    if (start) {
      /* A word starts. Only capitalised ones matter below, and whether the
       * word before was a web address. */
      bool after_url = url;
      url = (c == 'h' || c == 'w') && is_url(u, i, e);
      if (!tram__is_upper(u[i])) {
        caps = long_caps = 0;
      } else {
        /* A web address ends a sentence before a capital: "… les
         * Pyrénées : http://www.exemple.fr Progressant dans …". */
        if (after_url && (tram__is_alnum(u[i - 2]) || u[i - 2] == '/'))
          return i;
        /* The word's end (its first white space, or past SEG_CHUNK_MAX
         * units), looked for only where a test below needs it. */
        int32_t we = -1;
        /* A capitalised pronoun or connective after a lower-case word with
         * no punctuation opens a sentence: "… la Formula Nippon Il était". */
        if (i >= s + 2 &&
            (tram__is_lower(u[i - 2]) || tram__is_digit(u[i - 2]) ||
             (u[i - 2] == ')' &&
              (i < 3 || (u[i - 3] != '.' && u[i - 3] != 0x2026)))) &&
            may_start(an, t, i)) {
          we = word_end(u, i, e);
          if (we - i <= SEG_CHUNK_MAX && starter(an, t, i, we, i - 1, 0) &&
              !after_stopword(an, t, s, i - 1))
            return i;
        }
        /* A subject pronoun after a colon: "les inscriptions suivantes : Ce
         * qui justifierait" (an enumeration or a quotation would not start
         * with one); an article too after a heading label where `segrules`
         * has label_article_break ("Absorption : La concentration"). */
        if (i >= s + 2 && u[i - 2] == ':' && may_start(an, t, i)) {
          if (we < 0)
            we = word_end(u, i, e);
          if (we - i <= SEG_CHUNK_MAX &&
              starter(an, t, i, we, i - 1,
                      labels && heading_label(u, s, i - 2) ? 2 : 1))
            return i;
        }
        /* A word whose second unit is an ASCII lower-case letter (the
         * commonest capitalised word) is no headline word and longer than
         * one letter: caps_word would answer 0. */
        bool lower_next = u[i + 1] >= 'a' && u[i + 1] <= 'z';
        int letters = 0;
        if (!lower_next) {
          if (we < 0)
            we = word_end(u, i, e);
          letters = caps_word(u, i, we);
        }
        if (letters) {
          caps++;
          long_caps += letters >= 5;
        } else if (!lower_next && we - i == 1) {
          /* "A" inside a headline: neither counts nor breaks the run. */
        } else {
          /* Three words in capitals, or two long ones (not acronyms:
           * "DONNEES CLINIQUES Indications", but "la Copa UEFA FC
           * Barcelona"). */
          if (i > s && (caps >= 3 || long_caps >= 2) &&
              (tram__is_lower(u[i + 1]) ||
               ((u[i + 1] == '\'' || u[i + 1] == 0x2019) && i + 2 < e &&
                tram__is_lower(u[i + 2]))))
            return i;
          caps = long_caps = 0;
        }
      }
    }
    if (c == ';' && (semi || dashes) && tram__is_space(u[i + 1])) {
      int32_t n = i + 1;
      while (n < e && tram__is_space(u[n]))
        n++;
      /* Before a lower-case word too, unless inside brackets ("(bolus de
       * 0,1 mg/kg ; perfusion de 0,25 mg/kg)"). */
      /* A quotation that opens with a capital: "Ménétrez ; « Nous
       * avions". */
      int32_t q = n;
      if (q < e && (u[q] == '"' || u[q] == 0xAB || u[q] == 0x201C)) {
        q++;
        while (q < e && q - n < 4 && tram__is_space(u[q]))
          q++;
        if (!(q < e && tram__is_upper(u[q])))
          q = n;
      }
      if (n < e && semi &&
          (tram__is_upper(u[q]) ||
           (tram__is_lower(u[n]) && !in_brackets(u, s, i))))
        return n;
      /* A list item after ";": "constituée le 2 juillet ; - Jules Roy". */
      if (n + 1 < e && dashes && u[n] == '-' && tram__is_space(u[n + 1]))
        return n;
      continue;
    }
    if (!(c == '.' || c == '!' || c == '?' || c == 0x2026) ||
        !tram__is_space(u[i + 1]))
      continue;
    int32_t n = i + 1;
    while (n < e && tram__is_space(u[n]))
      n++;
    if (n >= e)
      break;
    /* A short dated heading, from the sentence start or a colon: "6 de
     * julio. - Barak presenta", "desde que accedió al poder: 1999 17 de
     * mayo. - El candidato". */
    int32_t hs = i;
    while (hs > s && i - hs < 30 && u[hs - 1] != ':')
      hs--;
    bool heading = false;
    for (int32_t k = hs; k < i && i - hs < 30 && !dashes &&
                         (hs == s || u[hs - 1] == ':') && !heading;
         k++)
      heading = tram__is_digit(u[k]);
    /* A dateline, from the sentence start: "Oviedo (EFE). - El portavoz". */
    if (!heading && !dashes && i - 1 > s && u[i - 1] == ')' && is_dash(u[n]))
      heading = dateline(an, t, s, i - 1);
    if (is_dash(u[n]) && !heading) {
      int32_t m = n;
      while (m < e && m - n < 8 && (is_dash(u[m]) || tram__is_space(u[m])))
        m++;
      /* A dialogue dash before a capital ("- Ya", "-Ya"); a spaced list
       * dash before anything ("- si vous", "- 5 avril"). */
      if (m < e &&
          (tram__is_upper(u[m]) || u[m] == 0xBF || u[m] == 0xA1 ||
           (tram__is_space(u[n + 1]) &&
            (tram__is_alnum(u[m]) || is_opening(u[m]) || u[m] == '^'))))
        return n;
    } else if (c == '.' && (tram__is_digit(u[n]) || tram__is_lower(u[n]))) {
      bool digit = tram__is_digit(u[n]);
      int32_t w = i;
      while (w > s && i - w < SEG_CHUNK_MAX &&
             (tram__is_alpha(u[w - 1]) || (digit && tram__is_digit(u[w - 1]))))
        w--;
      /* Before a lower-case word only after a longer word, maybe elided:
       * "prochain. on s'y retrouve", "d'années. à l'âge" (casual or
       * lower-cased text), never "cf. la"; before a number also after a
       * number of three digits or more ("en 2008. 23 épreuves"); before
       * either after a closing quote or bracket ("(Al Aqsa"). 12 de
       * octubre", "l'astronomie). à travers"). */
      int32_t min = digit ? 3 : 4;
      if ((i - w >= min || (i - w == 2 && min == 3 && tram__is_lower(u[w]))) &&
          (w == s || tram__is_space(u[w - 1]) || u[w - 1] == '\'' ||
           u[w - 1] == 0x2019) &&
          !abbrev_value(an, t, w, i + 1))
        return n;
      if (i == w && i > s &&
          (u[i - 1] == ')' || u[i - 1] == ']' || u[i - 1] == 0xBB ||
           u[i - 1] == 0x201D ||
           (u[i - 1] == '"' && i - 1 > s && !tram__is_space(u[i - 2]))))
        return n;
    }
  }
  return -1;
}

/* ASCII quotes are paired within the paragraph and this many UTF-16 units
 * before a boundary (a stray quote earlier in a long text must not flip
 * every later one). */
#define QUOTE_WINDOW 4000

/* The positions of the ASCII quotes counted at a boundary, oldest first,
 * so that none is read twice: a power of two above QUOTE_WINDOW. */
#define QUOTE_RING 4096

/* An ASCII quote with no other one this many UTF-16 units after it opens
 * no quotation: a stray quote after a sentence end closes one whose
 * opening is lost ("tu es une bête ! " Les serveurs"). */
#define QUOTE_FAR 400

/* A boundary at b that ICU put before a spaced closing quote ("bête ! "
 * Les", "pièce. » Les") moves after it; `open` says whether an odd number of
 * ASCII quotes precede b within QUOTE_WINDOW, `next` is the position of the
 * first ASCII quote after the one at b (or len). Returns -1 when the
 * sentence goes on after an ASCII or English closing quote ("polítics... ".
 * Fou", "bien. " dijo"); UD French GSD starts the next sentence with a
 * closing guillemet there ("adoptée. », répond-il"). */
static int32_t after_closing_quote(const UChar *u, int32_t len, int32_t start,
                                   int32_t b, bool open, int32_t next,
                                   bool guillemet_next) {
  int32_t q = b;
  while (q < len && q - b < 4 && tram__is_space(u[q]))
    q++;
  if (q >= len || q == 0 || !tram__is_space(u[q - 1]) ||
      !(u[q] == 0xBB || u[q] == 0x201D || u[q] == '"'))
    return b;
  int32_t n = q + 1;
  while (n < len && tram__is_space(u[n]))
    n++;
  /* A period after the closing quote ends the sentence the quote closes,
   * whatever the convention: "… ne renoncerons pas ! ». L'assemblée" (no
   * sentence "»." of its own). */
  if (n < len && u[n] == '.' && !(n + 1 < len && u[n + 1] == '.'))
    return -1;
  /* Where `segrules` has closing_guillemet_next (UD French GSD), a » that
   * closes a quotation opened before this sentence starts the next one:
   * "« … Appalaches. » Stipe reconnaît" (but "signifie « pièce. » Les"). */
  if (u[q] == 0xBB && guillemet_next && !memchr16(u + start, 0xAB, b - start)) {
    int32_t m = q + 1; /* never a lone » before a line break */
    while (m < len && m - q < 8 && tram__is_space(u[m]) && u[m] != '\n' &&
           u[m] != 0x2029)
      m++;
    if (m < len && !tram__is_space(u[m]))
      return b;
  }
  /* An ASCII quote closes an open quotation, or none when unpaired. */
  if (u[q] == '"' && !open && next < len && next - q <= QUOTE_FAR)
    return b;
  if (u[q] != 0xBB && n < len &&
      (u[n] == '.' || u[n] == ',' || u[n] == ';' || u[n] == ':' ||
       tram__is_lower(u[n])))
    return -1;
  /* An ASCII quote glued to the next word opens a quotation. */
  if (u[q] == '"' && n == q + 1 && n < len)
    return b;
  if (n >= len || tram__is_upper(u[n]))
    return q + 1;
  for (int32_t i = q + 1; i < n; i++) /* the line ends after the quote */
    if (is_eol(u[i]))
      return q + 1;
  return b;
}

/* Is u[s..e), white space aside, an ellipsis in brackets: "(...)",
 * "[…]"? */
static bool cut_mark(const UChar *u, int32_t s, int32_t e) {
  while (s < e && tram__is_space(u[s]))
    s++;
  while (e > s && tram__is_space(u[e - 1]))
    e--;
  if (e - s < 3 || !(u[s] == '(' || u[s] == '[') ||
      !(u[e - 1] == ')' || u[e - 1] == ']'))
    return false;
  int32_t dots = 0;
  for (int32_t i = s + 1; i < e - 1; i++) {
    if (u[i] == '.')
      dots++;
    else if (u[i] == 0x2026)
      dots += 3;
    else
      return false;
  }
  return dots >= 3;
}

static int push_span(tram_analyzer *an, int32_t s, int32_t e) {
  while (s < e && tram__is_space(an->u16[s]))
    s++;
  while (e > s && tram__is_space(an->u16[e - 1]))
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

/* Pushes [s, e), cut where extra_break says. */
static int push_sentence(tram_analyzer *an, const tram_lang_tables *t,
                         bool semi, bool dashes, bool labels, int32_t s,
                         int32_t e) {
  for (;;) {
    int32_t c = extra_break(an, t, semi, dashes, labels, s, e);
    if (c < 0)
      break;
    int rc = push_span(an, s, c);
    if (rc)
      return rc;
    s = c;
  }
  return push_span(an, s, e);
}

int tram__segment(tram_analyzer *an, tram_doc *doc, int lang) {
  an->sent_spans.len = 0;
  if (an->u16_len == 0)
    return TRAM_OK;
  if (lang < 0 || lang >= TRAM_LANG_COUNT)
    lang = TRAM_LANG_OTHER;
  /* Root rules without locale suppressions (see the note at the top). */
  UBreakIterator *bi = an->sents;
  const tram_lang_tables *t = an->model->lang[lang];
  const char *sv =
      t ? tram__table_get(t->tokrules, "semicolon_break", 15) : NULL;
  bool semi = sv && strcmp(sv, "0") != 0;
  const char *qv =
      t ? tram__table_get(t->segrules, "quoted_speech_whole", 19) : NULL;
  bool quoted = qv && strcmp(qv, "0") != 0;
  const char *gv =
      t ? tram__table_get(t->segrules, "closing_guillemet_next", 22) : NULL;
  bool guillemet_next = gv && strcmp(gv, "0") != 0;
  const char *dv =
      t ? tram__table_get(t->segrules, "list_dash_break", 15) : NULL;
  bool dashes = dv && strcmp(dv, "0") != 0;
  const char *lv =
      t ? tram__table_get(t->segrules, "label_article_break", 19) : NULL;
  bool labels = lv && strcmp(lv, "0") != 0;
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(bi, an->u16, an->u16_len, &st);
  if (U_FAILURE(st))
    return tram__fail(an, TRAM_EICU, "ICU sentence break: %s", u_errorName(st));
  /* A text without an ASCII quote (most: typographic quotes are not
   * counted) keeps the count below at 0, with no pass over it. An ASCII
   * byte in the caller's UTF-8 is that unit in an->u16 (invalid bytes too:
   * their U+FFFD never covers one). */
  bool ascii_quotes = memchr(doc->text, '"', doc->len) != NULL;
  int32_t start = 0, qpos = ascii_quotes ? 0 : an->u16_len;
  int32_t nq = 0, cq = 0, lb = 0;
  int32_t width = -1;       /* the longest line, measured when first needed */
  int32_t ring[QUOTE_RING]; /* quote positions, ring[qh..qt) mod QUOTE_RING */
  uint32_t qh = 0, qt = 0;
  /* ICU's boundaries, restated for Latin text (sentbreak.c). */
  tram_sentbreak sbi;
  tram__sentbreak_init(&sbi, bi, an->u16, an->u16_len);
  for (int32_t b = tram__sentbreak_iter_next(&sbi); b != UBRK_DONE;
       b = tram__sentbreak_iter_next(&sbi)) {
    if (b < an->u16_len &&
        (suppress(an, t, start, b) || soft_wrap(an, t, start, b, &width)))
      continue;
    /* Quotes counted incrementally over the whole text, in one pass: their
     * positions are kept, and those now more than QUOTE_WINDOW before b
     * leave the count. */
    for (; qpos < b; qpos++) {
      /* Scanned to the text's end, not to b: sixteen units a step up to
       * the unit that stops the scan even when b is closer (units one at a
       * time near b otherwise); a stop at or after b waits for its
       * boundary. */
      qpos = tram__skip16(an->u16, qpos, an->u16_len, '"', '\n', true);
      if (qpos >= b)
        break;
      UChar c = an->u16[qpos];
      if (c == '"') {
        /* A full ring's oldest quote is more than QUOTE_WINDOW units
         * before qpos, out of the window at b already. */
        if (qt - qh == QUOTE_RING)
          qh++;
        ring[qt++ % QUOTE_RING] = qpos;
      } else if ((c == '\n' && qpos > 0 && an->u16[qpos - 1] == '\n') ||
                 c == 0x2029) {
        qh = qt; /* a new paragraph */
      }
    }
    while (qh != qt && ring[qh % QUOTE_RING] < b - QUOTE_WINDOW)
      qh++;
    uint32_t quotes = qt - qh;
    /* The first ASCII quote after one that may follow b, only when there is
     * one: the pointer only moves forward. */
    const UChar *u = an->u16;
    int32_t qb = b;
    while (qb < an->u16_len && qb - b < 4 && tram__is_space(u[qb]))
      qb++;
    if (qb < an->u16_len && u[qb] == '"') {
      if (nq <= qb)
        nq = qb + 1;
      while (nq < an->u16_len && u[nq] != '"')
        nq++;
    }
    /* Inside a quotation whose closing quote is glued to its last word
     * ("… conseguido. Es un gran premio", proclamó): quoted speech belongs
     * to the sentence that reports it, where `segrules` has
     * quoted_speech_whole (UD AnCora; UD French splits). A spaced closing
     * quote (a detokenised text) does not count. cq (the first ASCII quote
     * at or after b) and lb (the first paragraph break: a single line break
     * may be a hard wrap) only move forward. */
    if (quoted && quotes % 2 == 1) {
      if (cq < b)
        cq = b;
      while (cq < an->u16_len && u[cq] != '"')
        cq++;
      if (lb < b)
        lb = b;
      while (lb < an->u16_len && !para_break_at(u, an->u16_len, lb))
        lb++;
      int32_t e = b;
      while (e > start && tram__is_space(u[e - 1]))
        e--;
      /* A quotation that is a sentence of its own, with no clause that
       * reports it (it opens the sentence and a period follows its closing
       * quote: "\"No sólo nos insultan. Da la impresión de que desean que
       * ETA actúe\"."), is split as UD's curators split AnCora's. */
      int32_t os = start;
      while (os < b && tram__is_space(u[os]))
        os++;
      bool own = ring[(qt - 1) % QUOTE_RING] == os && cq + 1 < an->u16_len &&
                 u[cq + 1] == '.';
      if (cq < an->u16_len && cq < lb && cq - b <= QUOTE_FAR &&
          !tram__is_space(u[cq - 1]) && u[cq - 1] != '"' &&
          breaks_between(u, e, b) < 2 && !own)
        continue;
    }
    int32_t nb = after_closing_quote(an->u16, an->u16_len, start, b,
                                     quotes % 2 == 1, nq, guillemet_next);
    if (nb < 0)
      continue;
    b = nb;
    /* A cut marked by an ellipsis in brackets after a sentence end opens
     * the next sentence ("42 matchs. (...) Les universités"). */
    if (cut_mark(an->u16, start, b) && !line_end(an->u16, start, b))
      continue;
    int rc = push_sentence(an, t, semi, dashes, labels, start, b);
    if (rc)
      return rc;
    start = b;
  }
  if (start < an->u16_len)
    return push_sentence(an, t, semi, dashes, labels, start, an->u16_len);
  return TRAM_OK;
}
