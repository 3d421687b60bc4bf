/*
 * fuzz_invariants.h — checks that a doc is internally consistent: every
 * span lies inside the text and is ordered, every index points inside its
 * array, every string is there. Shared by the analyse and JSON targets and
 * by the unit tests that run pathological input (header-only, static).
 */
#ifndef TRAM_FUZZ_INVARIANTS_H
#define TRAM_FUZZ_INVARIANTS_H

#include <string.h>

#include "tramuntana.h"

/* Whether s is valid UTF-8 (no overlong forms, surrogates or code points
 * past U+10FFFF): every string the library gives must be, whatever the
 * input bytes (invalid ones read as U+FFFD). */
static inline int fuzz_utf8_ok(const char *str) {
  const unsigned char *s = (const unsigned char *)str;
  while (*s) {
    unsigned char c = *s;
    int need = c < 0x80                 ? 0
               : c >= 0xC2 && c <= 0xDF ? 1
               : c >= 0xE0 && c <= 0xEF ? 2
               : c >= 0xF0 && c <= 0xF4 ? 3
                                        : -1;
    if (need < 0)
      return 0;
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    for (int i = 1; i <= need; i++, lo = 0x80, hi = 0xBF)
      if (s[i] < lo || s[i] > hi)
        return 0;
    s += need + 1;
  }
  return 1;
}

/* Returns NULL if the doc is consistent, else a description of the first
 * broken invariant (static string). */
static inline const char *fuzz_doc_check(const tram_doc *doc, size_t len) {
  size_t nt, nw, ns, ne, no, nk, nth, nev, tlen;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  const tram_word *w = tram_doc_words(doc, &nw);
  const tram_sentence *s = tram_doc_sentences(doc, &ns);
  const tram_entity *e = tram_doc_entities(doc, &ne);
  const tram_organisation *o = tram_doc_organisations(doc, &no);
  const tram_keyphrase *k = tram_doc_keyphrases(doc, &nk);
  const tram_theme *th = tram_doc_themes(doc, &nth);
  const tram_evidence *ev = tram_doc_evidence(doc, &nev);
  const char *text = tram_doc_text(doc, &tlen);
  if (tlen != len || !text)
    return "doc text length differs from input";
  if (text[len] != 0)
    return "doc text not NUL-terminated";
  int dl = tram_doc_lang(doc, NULL);
  if (dl < 0 || dl >= TRAM_LANG_COUNT)
    return "doc language out of range";
  size_t prev_end = 0, prev_cend = 0;
  for (size_t i = 0; i < nt; i++) {
    if (t[i].start > t[i].end || t[i].end > len)
      return "token span outside the text";
    if (t[i].cstart > t[i].cend || t[i].cend > len)
      return "token code-point span out of order";
    if (t[i].start < prev_end || t[i].cstart < prev_cend)
      return "tokens overlap or go backwards";
    prev_end = t[i].end;
    prev_cend = t[i].cend;
    if (!t[i].text || !t[i].norm || !t[i].stem)
      return "token string is NULL";
    if (!fuzz_utf8_ok(t[i].text) || !fuzz_utf8_ok(t[i].norm) ||
        !fuzz_utf8_ok(t[i].stem))
      return "token string is not valid UTF-8";
    if (t[i].kind < 0 || t[i].kind >= TRAM_KIND_COUNT)
      return "token kind out of range";
    if (t[i].lang < 0 || t[i].lang >= TRAM_LANG_COUNT)
      return "token language out of range";
    if (t[i].sentence >= ns)
      return "token sentence index out of range";
    if (t[i].word_count < 1 || t[i].word_first > nw ||
        t[i].word_count > nw - t[i].word_first)
      return "token words out of range";
  }
  for (size_t i = 0; i < nw; i++)
    if (!w[i].form || w[i].token >= nt || !fuzz_utf8_ok(w[i].form))
      return "word without form or token, or not valid UTF-8";
  for (size_t i = 0; i < ns; i++) {
    if (s[i].start > s[i].end || s[i].end > len || s[i].cstart > s[i].cend)
      return "sentence span outside the text";
    if (s[i].token_first > nt || s[i].token_count > nt - s[i].token_first)
      return "sentence tokens out of range";
    if (s[i].lang < 0 || s[i].lang >= TRAM_LANG_COUNT)
      return "sentence language out of range";
    if (!(s[i].confidence >= 0 && s[i].confidence <= 1))
      return "sentence confidence outside [0,1]";
  }
  for (size_t i = 0; i < ne; i++) {
    if (e[i].start > e[i].end || e[i].end > len || !e[i].text)
      return "entity span outside the text";
    if (!fuzz_utf8_ok(e[i].text))
      return "entity text is not valid UTF-8";
    if (e[i].token_first > nt || e[i].token_count > nt - e[i].token_first)
      return "entity tokens out of range";
    if (!tram_entity_type_name(e[i].type))
      return "entity type unknown";
    if (e[i].org < -1 || (e[i].org >= 0 && (size_t)e[i].org >= no))
      return "entity organisation out of range";
  }
  for (size_t i = 0; i < no; i++) {
    if (!o[i].name || (o[i].alias_count && !o[i].aliases))
      return "organisation without name or aliases";
    if (!fuzz_utf8_ok(o[i].name))
      return "organisation name is not valid UTF-8";
    for (uint32_t j = 0; j < o[i].alias_count; j++)
      if (!o[i].aliases[j] || !fuzz_utf8_ok(o[i].aliases[j]))
        return "organisation alias is NULL or not valid UTF-8";
  }
  for (size_t i = 0; i < nk; i++)
    if (!k[i].text || !fuzz_utf8_ok(k[i].text))
      return "keyphrase without text or not valid UTF-8";
  for (size_t i = 0; i < nth; i++) {
    if (!th[i].id || !th[i].label)
      return "theme without id or label";
    if (th[i].evidence_first > nev ||
        th[i].evidence_count > nev - th[i].evidence_first)
      return "theme evidence out of range";
  }
  for (size_t i = 0; i < nev; i++) {
    if (!ev[i].term || ev[i].start > ev[i].end || ev[i].end > len)
      return "evidence span outside the text";
    if (!fuzz_utf8_ok(ev[i].term))
      return "evidence term is not valid UTF-8";
  }
  return NULL;
}

#endif
