/*
 * themes.c — the last stage: keyphrases and taxonomy themes.
 *
 * Takes the doc's tokens (norm, stem, stop flag, kind, sentence, language)
 * and gives doc->keyphrases (top tram_options.max_keyphrases, default 10,
 * see themes/keyphrase.c for the method), doc->themes (top max_themes,
 * default 5) and doc->evidence (the matched terms of each theme, as spans
 * of the text).
 *
 * Theme matching walks the tokens once, reusing the token classes the
 * keyphrase pass computed. At each content word it looks the key
 * "<lang><stem>" up in the taxonomy's index (the user's taxonomy if the
 * options name one, else the model's; themes/taxonomy.c) and tries every
 * term starting with that stem: the term's following stems must match the
 * next tokens of the same sentence, link words (articles, prepositions:
 * "destruction de la biodiversité") skipped, at most three in a row. A
 * one-word term matches by form instead of stem when the stem is short
 * (under five letters), the word is capitalised inside a sentence (a name)
 * or the term says "=word". The longest term wins (equally long terms of
 * other themes count too); matching resumes after it.
 * Each theme then scores
 *     raw(t) = weight(t) · Σ over distinct terms m of w(m) · (1 + ln n(m))
 * (w = 1.5 for multiword terms, 1 otherwise; n = occurrences), so many
 * different terms count more than one term repeated. A theme needs
 * raw ≥ 2 (two matches, or one multiword term plus anything) to be kept;
 * the reported score is raw / (raw + 2 + words/100) in (0, 1), which grows
 * with evidence and shrinks with document length.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "themes/keyphrase.h"
#include "themes/taxonomy.h"

#define MAX_EVIDENCE 64 /* per theme kept in the doc */

static int keyphrases(tram_kp_set *s, const tram_analyzer *an, tram_doc *doc) {
  tram_kp_params p;
  tram__kp_params_default(&p);
  size_t max = an->opts.max_keyphrases ? an->opts.max_keyphrases : 10;
  /* tram__kp_select looks at the best 3·max. */
  tram__kp_score(s, &p, 4 * max);
  uint32_t *sel = tram__malloc(max * sizeof *sel);
  if (!sel)
    return TRAM_ENOMEM;
  size_t nsel = tram__kp_select(s, max, sel);
  int rc = TRAM_OK;
  for (size_t i = 0; i < nsel && rc == TRAM_OK; i++) {
    tram_kp_cand *c = TRAM_VEC_AT(&s->cands, tram_kp_cand, sel[i]);
    const char *text = tram__kp_text(s, c);
    tram_keyphrase *k = text ? tram__vec_push(&doc->keyphrases) : NULL;
    if (!k ||
        !(k->text = tram__arena_strndup(&doc->strings, text, strlen(text))))
      rc = TRAM_ENOMEM;
    else {
      k->score = c->score;
      k->count = c->count;
    }
  }
  tram__free(sel);
  return rc;
}

typedef struct match {
  uint32_t term, theme;
  size_t first, last; /* token indices */
} match;

typedef struct theme_acc {
  double raw;
  uint32_t theme;
  uint32_t first_match; /* order of appearance, for ties */
} theme_acc;

static int by_raw(const void *a, const void *b) {
  const theme_acc *x = a, *y = b;
  if (x->raw != y->raw)
    return x->raw < y->raw ? 1 : -1;
  return x->first_match < y->first_match ? -1 : 1;
}

static int by_term(const void *a, const void *b) {
  const match *x = a, *y = b;
  if (x->theme != y->theme)
    return x->theme < y->theme ? -1 : 1;
  if (x->term != y->term)
    return x->term < y->term ? -1 : 1;
  return x->first < y->first ? -1 : x->first > y->first;
}

static bool is_link(const unsigned char *cls, const tram_token *tok, size_t i) {
  return cls[i] == TRAM_KP_C_LINK ||
         (tok[i].kind == TRAM_KIND_WORD && (tok[i].flags & TRAM_TOKEN_ELIDED));
}

static size_t chars(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* When a one-word term must match by form, not by stem: a capitalised word
 * inside a sentence is likely part of a name ("Suite Communication" is not
 * "communs"); a short stem is ambiguous (Catalan "dona", woman or gives,
 * stems like "donació"); and "=word" terms ask for it. The form may take a
 * plural -s or -es. */
static bool name_clash(const tram_token *t, const tram_tx_term *term) {
  if (term->nstems != 1)
    return false;
  bool by_form = term->exact ||
                 ((t->flags & TRAM_TOKEN_CAPITALIZED) &&
                  !(t->flags & TRAM_TOKEN_SENT_START)) ||
                 chars(t->stem) < 5;
  if (!by_form)
    return false;
  if (!term->form)
    return true;
  size_t fl = strlen(term->form);
  if (strncmp(t->norm, term->form, fl) != 0)
    return true;
  const char *rest = t->norm + fl;
  return !(!rest[0] || !strcmp(rest, "s") || !strcmp(rest, "es"));
}

/* Length in tokens of term `ti` matched from token i, or 0. */
static size_t match_term(const tram_taxonomy *tx, const unsigned char *cls,
                         const tram_token *tok, size_t n, size_t i,
                         const tram_tx_term *term) {
  const char *const *stems = tx->stems.data;
  size_t j = i;
  for (uint16_t k = 1; k < term->nstems; k++) {
    size_t skipped = 0;
    j++;
    while (j < n && tok[j].sentence == tok[i].sentence &&
           is_link(cls, tok, j) && skipped < 3) {
      j++;
      skipped++;
    }
    if (j >= n || tok[j].sentence != tok[i].sentence ||
        (tok[j].kind != TRAM_KIND_WORD && tok[j].kind != TRAM_KIND_NUMBER) ||
        strcmp(tok[j].stem && tok[j].stem[0] ? tok[j].stem : tok[j].norm,
               stems[term->first_stem + k]) != 0)
      return 0;
  }
  return j - i + 1;
}

static int themes(const tram_model *m, const tram_analyzer *an, tram_doc *doc,
                  tram_kp_set *kp) {
  const unsigned char *cls = kp->cls;
  const tram_taxonomy *tx = an->user_taxonomy ? an->user_taxonomy : m->taxonomy;
  if (!tx || !tx->index || !tx->themes.len)
    return TRAM_OK;
  size_t n = doc->tokens.len;
  const tram_token *tok = doc->tokens.data;
  tram_vec matches;
  tram__vec_init(&matches, sizeof(match));
  char key[128];
  size_t words = 0;
  int rc = TRAM_OK;
  for (size_t i = 0; i < n && rc == TRAM_OK;) {
    const tram_token *t = &tok[i];
    if (t->kind != TRAM_KIND_WORD || !t->stem) {
      i++;
      continue;
    }
    words++;
    /* Terms start with a content word. */
    if (is_link(cls, tok, i) || (t->flags & TRAM_TOKEN_STOP)) {
      i++;
      continue;
    }
    /* The index entry of its stem, looked up once per word of the doc. */
    uintptr_t head = 0;
    tram_kp_word *w = kp->widx[i] != UINT32_MAX
                          ? TRAM_VEC_AT(&kp->words, tram_kp_word, kp->widx[i])
                          : NULL;
    if (w && w->tx_lang == t->lang + 1) {
      head = w->tx_head;
    } else {
      size_t sl = strlen(t->stem);
      if (sl && sl + 1 < sizeof key && t->lang >= 0 && t->lang < 10) {
        key[0] = (char)('0' + t->lang);
        memcpy(key + 1, t->stem, sl);
        tram__map_get(tx->index, key, sl + 1, &head);
      }
      if (w) {
        w->tx_head = head;
        w->tx_lang = t->lang + 1;
      }
    }
    /* The longest match wins; equally long terms of other themes (a term
     * listed under several themes) all count. */
    size_t best_len = 0;
    for (uintptr_t h = head; h;) {
      const tram_tx_term *term = TRAM_VEC_AT(&tx->terms, tram_tx_term, h - 1);
      size_t len = match_term(tx, cls, tok, n, i, term);
      if (len > best_len && !name_clash(t, term))
        best_len = len;
      h = term->next;
    }
    if (!best_len) {
      i++;
      continue;
    }
    size_t before = matches.len;
    for (uintptr_t h = head; h && rc == TRAM_OK;) {
      const tram_tx_term *term = TRAM_VEC_AT(&tx->terms, tram_tx_term, h - 1);
      bool dup = false;
      for (size_t q = before; q < matches.len; q++)
        dup |= TRAM_VEC_AT(&matches, match, q)->theme == term->theme;
      if (!dup && match_term(tx, cls, tok, n, i, term) == best_len &&
          !name_clash(t, term)) {
        match *mt = tram__vec_push(&matches);
        if (!mt) {
          rc = TRAM_ENOMEM;
          break;
        }
        mt->term = (uint32_t)(h - 1);
        mt->theme = term->theme;
        mt->first = i;
        mt->last = i + best_len - 1;
      }
      h = term->next;
    }
    i += best_len;
  }
  size_t nth = tx->themes.len;
  theme_acc *acc = rc ? NULL : tram__calloc(nth, sizeof *acc);
  if (!rc && !acc)
    rc = TRAM_ENOMEM;
  if (rc == TRAM_OK && matches.len) {
    for (size_t k = 0; k < nth; k++) {
      acc[k].theme = (uint32_t)k;
      acc[k].first_match = UINT32_MAX;
    }
    for (size_t k = 0; k < matches.len; k++) {
      match *mt = TRAM_VEC_AT(&matches, match, k);
      if (acc[mt->theme].first_match == UINT32_MAX)
        acc[mt->theme].first_match = (uint32_t)k;
    }
    /* Group by (theme, term) to count distinct terms. */
    qsort(matches.data, matches.len, sizeof(match), by_term);
    for (size_t k = 0; k < matches.len;) {
      match *mt = TRAM_VEC_AT(&matches, match, k);
      size_t e = k + 1;
      while (e < matches.len &&
             TRAM_VEC_AT(&matches, match, e)->term == mt->term)
        e++;
      const tram_tx_term *term =
          TRAM_VEC_AT(&tx->terms, tram_tx_term, mt->term);
      const tram_tx_theme *th =
          TRAM_VEC_AT(&tx->themes, tram_tx_theme, mt->theme);
      acc[mt->theme].raw +=
          th->weight * term->weight * (1 + log((double)(e - k)));
      k = e;
    }
    /* Evidence is written in text order per theme. */
    size_t *start = tram__calloc(nth + 1, sizeof *start);
    if (!start)
      rc = TRAM_ENOMEM;
    for (size_t k = 0; rc == TRAM_OK && k < matches.len; k++)
      start[TRAM_VEC_AT(&matches, match, k)->theme + 1]++;
    for (size_t k = 0; rc == TRAM_OK && k < nth; k++)
      start[k + 1] += start[k];
    theme_acc *order = rc ? NULL : tram__malloc(nth * sizeof *order);
    if (!rc && !order)
      rc = TRAM_ENOMEM;
    if (rc == TRAM_OK) {
      memcpy(order, acc, nth * sizeof *order);
      qsort(order, nth, sizeof *order, by_raw);
    }
    size_t max = an->opts.max_themes ? an->opts.max_themes : 5;
    match *ms = matches.data;
    for (size_t r = 0; rc == TRAM_OK && r < nth && r < max; r++) {
      if (order[r].raw < 2.0)
        break;
      uint32_t tid = order[r].theme;
      const tram_tx_theme *th = TRAM_VEC_AT(&tx->themes, tram_tx_theme, tid);
      /* This theme's matches, back in text order. */
      size_t a = start[tid], b = start[tid + 1];
      match *sorted = tram__malloc((b - a) * sizeof *sorted);
      if (!sorted) {
        rc = TRAM_ENOMEM;
        break;
      }
      memcpy(sorted, ms + a, (b - a) * sizeof *sorted);
      for (size_t x = 1; x < b - a; x++) /* insertion sort by position */
        for (size_t y = x; y > 0 && sorted[y - 1].first > sorted[y].first;
             y--) {
          match tmp = sorted[y];
          sorted[y] = sorted[y - 1];
          sorted[y - 1] = tmp;
        }
      tram_theme *out = tram__vec_push(&doc->themes);
      if (!out) {
        tram__free(sorted);
        rc = TRAM_ENOMEM;
        break;
      }
      out->id = th->id;
      const char *label =
          th->label[doc->lang >= 0 && doc->lang < TRAM_LANG_COUNT
                        ? doc->lang
                        : TRAM_LANG_AUTO];
      out->label = label ? label : th->label[TRAM_LANG_AUTO];
      for (int l = 0; !out->label && l < TRAM_LANG_COUNT; l++)
        out->label = th->label[l];
      /* Strings must outlive the taxonomy: copy them into the doc. */
      out->id = tram__arena_strndup(&doc->strings, th->id, strlen(th->id));
      out->label =
          tram__arena_strndup(&doc->strings, out->label, strlen(out->label));
      double raw = order[r].raw;
      out->score = raw / (raw + 2.0 + (double)words / 100.0);
      out->evidence_first = (uint32_t)doc->evidence.len;
      for (size_t x = 0; x < b - a && x < MAX_EVIDENCE && rc == TRAM_OK; x++) {
        tram_evidence *ev = tram__vec_push(&doc->evidence);
        if (!ev) {
          rc = TRAM_ENOMEM;
          break;
        }
        const tram_token *t0 = &tok[sorted[x].first];
        const tram_token *t1 = &tok[sorted[x].last];
        ev->start = t0->start;
        ev->end = t1->end;
        ev->cstart = t0->cstart;
        ev->cend = t1->cend;
        ev->term = tram__arena_strndup_utf8(
            &doc->strings, doc->text + ev->start, ev->end - ev->start);
        if (!ev->term)
          rc = TRAM_ENOMEM;
        out->evidence_count++;
      }
      if (!out->id || !out->label)
        rc = TRAM_ENOMEM;
      tram__free(sorted);
    }
    tram__free(order);
    tram__free(start);
  }
  tram__free(acc);
  tram__vec_free(&matches);
  return rc;
}

int tram__themes(tram_analyzer *an, tram_doc *doc) {
  const tram_model *m = an->model;
  tram_kp_set s;
  tram__kp_set_init(&s);
  int rc = tram__kp_collect(m->taxonomy, doc, &s);
  if (rc == TRAM_OK)
    rc = keyphrases(&s, an, doc);
  if (rc == TRAM_OK)
    rc = themes(m, an, doc, &s);
  tram__kp_set_free(&s);
  if (rc == TRAM_ENOMEM)
    return tram__fail(an, rc, "out of memory (themes)");
  return rc;
}
