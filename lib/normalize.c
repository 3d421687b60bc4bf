/*
 * normalize.c — norm, stop-word flag and Snowball stem of every token.
 *
 * norm = NFC, lower-case (ICU full case mapping), apostrophes folded to ',
 * and with TRAM_OPT_FOLD_ACCENTS the combining marks removed (NFD, drop Mn,
 * NFC). The stop flag looks the unfolded norm up in the sentence language's
 * `stopwords` table and the user's list. The stem is libstemmer's for the
 * token's language, applied to the unfolded norm (Snowball expects accents)
 * of word tokens only; stems are cached per analyzer and language, since
 * natural text repeats its words (Zipf).
 */
#include <libstemmer.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "internal.h"

#define STEM_CACHE_MAX 200000

/* Lower-cased NFC of the token, apostrophes folded, into an->scratch as
 * UTF-16 then UTF-8. Returns the UTF-8 length or -1. */
static int norm_of(tram_analyzer *an, const tram_span16 *sp, UChar *buf,
                   int32_t cap, int32_t *ulen) {
  UErrorCode st = U_ZERO_ERROR;
  const UChar *src = an->u16 + sp->s;
  int32_t n = sp->e - sp->s;
  UChar tmp[256];
  int32_t m = u_strToLower(tmp, 256, src, n, "", &st);
  if (U_FAILURE(st) || m > 256)
    return -1;
  st = U_ZERO_ERROR;
  int32_t k = unorm2_normalize(an->nfc, tmp, m, buf, cap, &st);
  if (U_FAILURE(st) || k > cap)
    return -1;
  for (int32_t i = 0; i < k; i++)
    if (buf[i] == 0x2019 || buf[i] == 0x02BC)
      buf[i] = '\'';
  *ulen = k;
  return 0;
}

static int fold_accents(tram_analyzer *an, UChar *buf, int32_t cap,
                        int32_t *len) {
  UChar d[512];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = unorm2_normalize(an->nfd, buf, *len, d, 512, &st);
  if (U_FAILURE(st) || n > 512)
    return -1;
  int32_t o = 0;
  for (int32_t i = 0; i < n; i++)
    if (u_charType(d[i]) != U_NON_SPACING_MARK)
      d[o++] = d[i];
  st = U_ZERO_ERROR;
  *len = unorm2_normalize(an->nfc, d, o, buf, cap, &st);
  return U_FAILURE(st) || *len > cap ? -1 : 0;
}

static char *to_utf8(tram_arena *a, const UChar *u, int32_t n) {
  char tmp[1024];
  int32_t need = 0;
  UErrorCode st = U_ZERO_ERROR;
  u_strToUTF8(tmp, sizeof tmp, &need, u, n, &st);
  if (U_FAILURE(st) || need >= (int32_t)sizeof tmp)
    return NULL;
  return tram__arena_strndup(a, tmp, (size_t)need);
}

static const char *stem_of(tram_analyzer *an, int lang, const char *w,
                           size_t n) {
  tram_map *cache = an->stem_cache[lang];
  uintptr_t v;
  if (tram__map_get(cache, w, n, &v))
    return (const char *)v;
  const sb_symbol *r =
      sb_stemmer_stem(an->stemmer[lang], (const sb_symbol *)w, (int)n);
  if (!r)
    return NULL;
  int rl = sb_stemmer_length(an->stemmer[lang]);
  if (tram__map_count(cache) >= STEM_CACHE_MAX) {
    /* Bounded memory on endless input: start afresh. */
    tram__map_clear(cache);
    for (int l = 0; l < TRAM_LANG_COUNT; l++)
      if (an->stem_cache[l] && l != lang)
        tram__map_clear(an->stem_cache[l]);
    tram__arena_free(&an->stem_arena);
  }
  char *s = tram__arena_strndup(&an->stem_arena, (const char *)r, (size_t)rl);
  uintptr_t *slot = s ? tram__map_slot(cache, w, n, true) : NULL;
  if (!slot)
    return NULL;
  *slot = (uintptr_t)s;
  return s;
}

int tram__normalize(tram_analyzer *an, tram_doc *doc) {
  size_t nt = doc->tokens.len;
  bool fold = (an->opts.flags & TRAM_OPT_FOLD_ACCENTS) != 0;
  bool stem = !(an->opts.flags & TRAM_OPT_NO_STEM);
  UChar buf[512];
  for (size_t i = 0; i < nt; i++) {
    tram_token *t = TRAM_VEC_AT(&doc->tokens, tram_token, i);
    const tram_span16 *sp = TRAM_VEC_AT(&an->spans, tram_span16, i);
    int32_t ulen;
    if (sp->e - sp->s > 200 || norm_of(an, sp, buf, 512, &ulen) < 0) {
      /* Enormous tokens (a URL, a run of letters): norm = text. */
      t->norm = t->text;
      continue;
    }
    char *norm = to_utf8(&doc->strings, buf, ulen);
    if (!norm)
      return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
    size_t nlen = strlen(norm);
    const tram_lang_tables *tab = an->model->lang[t->lang];
    if ((tab && tram__table_get(tab->stopwords, norm, nlen)) ||
        (an->extra_stop && tram__map_get(an->extra_stop, norm, nlen, NULL)))
      t->flags |= TRAM_TOKEN_STOP;
    if (stem && t->kind == TRAM_KIND_WORD && an->stemmer[t->lang]) {
      const char *s = stem_of(an, t->lang, norm, nlen);
      if (!s)
        return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
      t->stem = strcmp(s, norm) == 0 ? norm
                                     : tram__arena_strndup(&doc->strings, s,
                                                           strlen(s));
      if (!t->stem)
        return tram__fail(an, TRAM_ENOMEM, "out of memory (stems)");
    }
    if (fold) {
      if (fold_accents(an, buf, 512, &ulen) == 0) {
        char *f = to_utf8(&doc->strings, buf, ulen);
        if (!f)
          return tram__fail(an, TRAM_ENOMEM, "out of memory (norms)");
        norm = f;
      }
    }
    t->norm = norm;
  }
  return TRAM_OK;
}
