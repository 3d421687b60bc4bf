/*
 * write.c — the doc as JSON ("tramuntana/1"), a readable summary, TSV (one
 * token per line) and CoNLL-U (sentences, tokens, multiword ranges,
 * SpaceAfter=No), all into a tram_buf.
 */
#include <math.h>
#include <string.h>

#include "internal.h"

static void jstr(tram_buf *b, const char *s) {
  tram__buf_putc(b, '"');
  tram__buf_json_str(b, s ? s : "", s ? strlen(s) : 0);
  tram__buf_putc(b, '"');
}

static void jnum(tram_buf *b, double v) {
  if (!isfinite(v))
    v = 0;
  tram__buf_printf(b, "%.4g", v);
}

static void jspan(tram_buf *b, size_t s, size_t e, size_t cs, size_t ce) {
  tram__buf_printf(b, "\"start\":%zu,\"end\":%zu,\"cstart\":%zu,\"cend\":%zu",
                   s, e, cs, ce);
}

int tram__write_json(const tram_doc *doc, tram_buf *b) {
  size_t nt, nw, ns, ne, no, nk, nth, nev;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  const tram_word *w = tram_doc_words(doc, &nw);
  const tram_sentence *s = tram_doc_sentences(doc, &ns);
  const tram_entity *ent = tram_doc_entities(doc, &ne);
  const tram_organisation *org = tram_doc_organisations(doc, &no);
  const tram_keyphrase *kp = tram_doc_keyphrases(doc, &nk);
  const tram_theme *th = tram_doc_themes(doc, &nth);
  const tram_evidence *ev = tram_doc_evidence(doc, &nev);
  (void)nw;
  (void)nev;
  tram__buf_printf(b,
                   "{\"schema\":\"%s\",\"language\":\"%s\","
                   "\"language_confidence\":",
                   tram_schema(), tram_lang_code(doc->lang));
  jnum(b, doc->lang_confidence);
  tram__buf_printf(b, ",\"bytes\":%zu,\"sentences\":[", doc->len);
  for (size_t i = 0; i < ns; i++) {
    tram__buf_puts(b, i ? ",{" : "{");
    jspan(b, s[i].start, s[i].end, s[i].cstart, s[i].cend);
    tram__buf_printf(
        b, ",\"lang\":\"%s\",\"confidence\":", tram_lang_code(s[i].lang));
    jnum(b, s[i].confidence);
    tram__buf_printf(b, ",\"tokens\":[%u,%u]}", s[i].token_first,
                     s[i].token_first + s[i].token_count);
  }
  tram__buf_puts(b, "],\"tokens\":[");
  for (size_t i = 0; i < nt; i++) {
    tram__buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
    jstr(b, t[i].text);
    tram__buf_putc(b, ',');
    jspan(b, t[i].start, t[i].end, t[i].cstart, t[i].cend);
    tram__buf_printf(b,
                     ",\"kind\":\"%s\",\"norm\":", tram_kind_name(t[i].kind));
    jstr(b, t[i].norm);
    tram__buf_puts(b, ",\"stem\":");
    jstr(b, t[i].stem);
    tram__buf_printf(b, ",\"lang\":\"%s\",\"sentence\":%u,\"flags\":[",
                     tram_lang_code(t[i].lang), t[i].sentence);
    int k = 0;
    for (uint32_t bit = 1; bit; bit <<= 1) {
      const char *name = tram_token_flag_name(bit);
      if (name && (t[i].flags & bit))
        tram__buf_printf(b, "%s\"%s\"", k++ ? "," : "", name);
    }
    tram__buf_putc(b, ']');
    if (t[i].word_count > 1) {
      tram__buf_puts(b, ",\"words\":[");
      for (uint32_t j = 0; j < t[i].word_count; j++) {
        if (j)
          tram__buf_putc(b, ',');
        jstr(b, w[t[i].word_first + j].form);
      }
      tram__buf_putc(b, ']');
    }
    tram__buf_putc(b, '}');
  }
  tram__buf_puts(b, "],\"entities\":[");
  for (size_t i = 0; i < ne; i++) {
    tram__buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
    jstr(b, ent[i].text);
    tram__buf_printf(b, ",\"type\":\"%s\",",
                     tram_entity_type_name(ent[i].type)
                         ? tram_entity_type_name(ent[i].type)
                         : "MISC");
    jspan(b, ent[i].start, ent[i].end, ent[i].cstart, ent[i].cend);
    tram__buf_puts(b, ",\"score\":");
    jnum(b, ent[i].score);
    if (ent[i].org >= 0)
      tram__buf_printf(b, ",\"org\":%d}", ent[i].org);
    else
      tram__buf_puts(b, ",\"org\":null}");
  }
  tram__buf_puts(b, "],\"organisations\":[");
  for (size_t i = 0; i < no; i++) {
    tram__buf_printf(b, "%s{\"id\":%d,\"name\":", i ? "," : "", org[i].id);
    jstr(b, org[i].name);
    tram__buf_puts(b, ",\"aliases\":[");
    for (uint32_t j = 0; j < org[i].alias_count; j++) {
      if (j)
        tram__buf_putc(b, ',');
      jstr(b, org[i].aliases[j]);
    }
    tram__buf_printf(b, "],\"mentions\":%u}", org[i].mentions);
  }
  tram__buf_puts(b, "],\"keyphrases\":[");
  for (size_t i = 0; i < nk; i++) {
    tram__buf_puts(b, i ? ",{\"text\":" : "{\"text\":");
    jstr(b, kp[i].text);
    tram__buf_puts(b, ",\"score\":");
    jnum(b, kp[i].score);
    tram__buf_printf(b, ",\"count\":%u}", kp[i].count);
  }
  tram__buf_puts(b, "],\"themes\":[");
  for (size_t i = 0; i < nth; i++) {
    tram__buf_puts(b, i ? ",{\"id\":" : "{\"id\":");
    jstr(b, th[i].id);
    tram__buf_puts(b, ",\"label\":");
    jstr(b, th[i].label);
    tram__buf_puts(b, ",\"score\":");
    jnum(b, th[i].score);
    tram__buf_puts(b, ",\"evidence\":[");
    for (uint32_t j = 0; j < th[i].evidence_count; j++) {
      const tram_evidence *e = &ev[th[i].evidence_first + j];
      tram__buf_puts(b, j ? ",{\"term\":" : "{\"term\":");
      jstr(b, e->term);
      tram__buf_putc(b, ',');
      jspan(b, e->start, e->end, e->cstart, e->cend);
      tram__buf_putc(b, '}');
    }
    tram__buf_puts(b, "]}");
  }
  tram__buf_puts(b, "]}\n");
  return TRAM_OK;
}

int tram__write_text(const tram_doc *doc, tram_buf *b) {
  size_t nt, ns, ne, no, nk, nth;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  tram_doc_sentences(doc, &ns);
  const tram_entity *ent = tram_doc_entities(doc, &ne);
  const tram_organisation *org = tram_doc_organisations(doc, &no);
  const tram_keyphrase *kp = tram_doc_keyphrases(doc, &nk);
  const tram_theme *th = tram_doc_themes(doc, &nth);
  size_t words = 0, stops = 0;
  for (size_t i = 0; i < nt; i++) {
    words += t[i].kind == TRAM_KIND_WORD;
    stops += (t[i].flags & TRAM_TOKEN_STOP) != 0;
  }
  tram__buf_printf(b,
                   "language: %s (%.2f)\n%zu bytes, %zu sentences, %zu tokens "
                   "(%zu words, %zu stop words)\n",
                   tram_lang_code(doc->lang), doc->lang_confidence, doc->len,
                   ns, nt, words, stops);
  tram__buf_printf(b, "\norganisations (%zu):\n", no);
  for (size_t i = 0; i < no; i++) {
    tram__buf_printf(b, "  %s", org[i].name);
    /* Pad to 40 columns counted in code points, not bytes. */
    size_t cols = 0;
    for (const char *p = org[i].name; *p; p++)
      cols += ((unsigned char)*p & 0xC0) != 0x80;
    for (; cols < 40; cols++)
      tram__buf_putc(b, ' ');
    tram__buf_printf(b, " %u mention%s", org[i].mentions,
                     org[i].mentions == 1 ? "" : "s");
    for (uint32_t j = 0; j < org[i].alias_count; j++)
      tram__buf_printf(b, "%s%s", j ? ", " : "  aka ", org[i].aliases[j]);
    tram__buf_putc(b, '\n');
  }
  size_t others = 0;
  for (size_t i = 0; i < ne; i++)
    others += ent[i].type != TRAM_ENT_ORG;
  tram__buf_printf(b, "\nother entities (%zu):\n", others);
  for (size_t i = 0; i < ne; i++)
    if (ent[i].type != TRAM_ENT_ORG)
      tram__buf_printf(b, "  %-5s %s\n", tram_entity_type_name(ent[i].type),
                       ent[i].text);
  tram__buf_printf(b, "\nkeyphrases (%zu):\n", nk);
  for (size_t i = 0; i < nk; i++)
    tram__buf_printf(b, "  %6.3f  %s (%u)\n", kp[i].score, kp[i].text,
                     kp[i].count);
  tram__buf_printf(b, "\nthemes (%zu):\n", nth);
  for (size_t i = 0; i < nth; i++)
    tram__buf_printf(b, "  %6.3f  %s  %s\n", th[i].score, th[i].id,
                     th[i].label);
  return TRAM_OK;
}

/* TSV and CoNLL-U fields must not hold tabs or newlines. */
static void put_field(tram_buf *b, const char *s) {
  for (; *s; s++)
    tram__buf_putc(b, (*s == '\t' || *s == '\n' || *s == '\r') ? ' ' : *s);
}

int tram__write_tsv(const tram_doc *doc, tram_buf *b) {
  size_t nt;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  tram__buf_puts(b,
                 "sentence\tstart\tend\ttext\tkind\tnorm\tstem\tlang\tflags\n");
  for (size_t i = 0; i < nt; i++) {
    tram__buf_printf(b, "%u\t%zu\t%zu\t", t[i].sentence, t[i].start, t[i].end);
    put_field(b, t[i].text);
    tram__buf_printf(b, "\t%s\t", tram_kind_name(t[i].kind));
    put_field(b, t[i].norm);
    tram__buf_putc(b, '\t');
    put_field(b, t[i].stem);
    tram__buf_printf(b, "\t%s\t", tram_lang_code(t[i].lang));
    int k = 0;
    for (uint32_t bit = 1; bit; bit <<= 1) {
      const char *name = tram_token_flag_name(bit);
      if (name && (t[i].flags & bit))
        tram__buf_printf(b, "%s%s", k++ ? "," : "", name);
    }
    tram__buf_putc(b, '\n');
  }
  return TRAM_OK;
}

int tram__write_conllu(const tram_doc *doc, tram_buf *b) {
  size_t nt, ns;
  const tram_token *t = tram_doc_tokens(doc, &nt);
  const tram_word *w = tram_doc_words(doc, NULL);
  const tram_sentence *s = tram_doc_sentences(doc, &ns);
  for (size_t i = 0; i < ns; i++) {
    tram__buf_printf(b, "# sent_id = %zu\n# lang = %s\n# text = ", i + 1,
                     tram_lang_code(s[i].lang));
    /* The sentence text with line breaks flattened. */
    for (size_t k = s[i].start; k < s[i].end; k++) {
      char c = doc->text[k];
      tram__buf_putc(b,
                     (c == '\n' || c == '\r' || c == '\t' || c == 0) ? ' ' : c);
    }
    tram__buf_putc(b, '\n');
    unsigned id = 1;
    for (uint32_t j = 0; j < s[i].token_count; j++) {
      const tram_token *tk = &t[s[i].token_first + j];
      const char *misc =
          (tk->flags & TRAM_TOKEN_SPACE_AFTER) || j + 1 == s[i].token_count
              ? "_"
              : "SpaceAfter=No";
      if (tk->word_count > 1) {
        tram__buf_printf(b, "%u-%u\t", id, id + tk->word_count - 1);
        put_field(b, tk->text);
        tram__buf_printf(b, "\t_\t_\t_\t_\t_\t_\t_\t%s\n", misc);
        for (uint32_t k = 0; k < tk->word_count; k++) {
          tram__buf_printf(b, "%u\t", id++);
          put_field(b, w[tk->word_first + k].form);
          tram__buf_puts(b, "\t_\t_\t_\t_\t_\t_\t_\t_\n");
        }
      } else {
        tram__buf_printf(b, "%u\t", id++);
        put_field(b, tk->text);
        tram__buf_printf(b, "\t_\t_\t_\t_\t_\t_\t_\t%s\n", misc);
      }
    }
    tram__buf_putc(b, '\n');
  }
  return TRAM_OK;
}
