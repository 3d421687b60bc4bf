/*
 * model.c — NER model sections: parsing and bounds-checking the
 * self-describing "ner/<code>" weight blobs (layout in ner.h), writing them
 * for the trainer (float weights quantised to int16 with one scale per
 * model), and the cue-word and gazetteer lexicons ("ner/cues",
 * "ner/gazetteer"; plain TSV).
 *
 * A weight blob is used in place when the container's bytes are 2-aligned
 * (they always are: sections are 8-aligned), so loading costs one CRC pass.
 */
#include <stdio.h>
#include <string.h>

#include "ner/ner.h"

static uint32_t rd32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static uint16_t rd16(const unsigned char *p) {
  return (uint16_t)(p[0] | p[1] << 8);
}
static void wr32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}
static void wr16(unsigned char *p, uint16_t v) {
  p[0] = (unsigned char)v;
  p[1] = (unsigned char)(v >> 8);
}

int tram__ner_model_parse(const void *data, size_t len, const char *section,
                          bool verify, tram_ner_model **out, tram_error *err) {
  const unsigned char *b = data;
  *out = NULL;
  {
    const uint32_t one = 1;
    if (*(const unsigned char *)&one != 1)
      return tram__set_error(err, TRAM_EMODEL, 0, section,
                             "NER weights need a little-endian host");
  }
  if (len < TRAM_NER_HEADER || memcmp(b, TRAM_NER_MAGIC, 8) != 0)
    return tram__set_error(err, TRAM_EMODEL, 0, section,
                           "not a NER model (bad magic or %zu bytes)", len);
  if (rd32(b + 8) != TRAM_NER_HEADER)
    return tram__set_error(err, TRAM_EMODEL, 8, section,
                           "bad NER header size %u", rd32(b + 8));
  if (rd16(b + 12) != TRAM_NER_MAJOR)
    return tram__set_error(err, TRAM_EVERSION, 12, section,
                           "NER format %u.%u, expected %u.x", rd16(b + 12),
                           rd16(b + 14), TRAM_NER_MAJOR);
  uint32_t lang = rd32(b + 16), nl = rd32(b + 20), bits = rd32(b + 24);
  uint32_t th = rd32(b + 28), lablen = rd32(b + 36), provlen = rd32(b + 40);
  uint32_t crc = rd32(b + 44), total = rd32(b + 48);
  if (total != len)
    return tram__set_error(err, TRAM_EMODEL, 48, section,
                           "NER length %u, section holds %zu bytes", total,
                           len);
  if (lang < TRAM_LANG_FR || lang >= TRAM_LANG_COUNT)
    return tram__set_error(err, TRAM_EMODEL, 16, section, "bad NER language %u",
                           lang);
  if (nl != TRAM_NER_NLABELS)
    return tram__set_error(err, TRAM_EMODEL, 20, section,
                           "%u labels, expected %d", nl, TRAM_NER_NLABELS);
  if (bits < 8 || bits > 24)
    return tram__set_error(err, TRAM_EMODEL, 24, section, "bad hash size 2^%u",
                           bits);
  uint32_t cbits = rd16(b + 14) >= 1 ? rd32(b + 52) : 0;
  uint32_t cwords = rd16(b + 14) >= 1 ? rd32(b + 56) : 0;
  uint32_t fset = rd16(b + 14) >= 1 ? rd32(b + 60) : 0;
  if (fset & ~(uint32_t)TRAM_NER_FSET_ALL)
    return tram__set_error(err, TRAM_EMODEL, 60, section,
                           "unknown NER optional parts %08x", fset);
  if (th != tram__ner_template_hash(cbits != 0, fset))
    return tram__set_error(err, TRAM_EMODEL, 28, section,
                           "feature templates %08x differ from this "
                           "library's %08x: retrain the model",
                           th, tram__ner_template_hash(cbits != 0, fset));
  if (cbits > 24 || (cbits && ((size_t)cwords >= (size_t)1 << cbits)))
    return tram__set_error(err, TRAM_EMODEL, 52, section,
                           "bad word-cluster table (2^%u slots, %u words)",
                           cbits, cwords);
  size_t strs = (size_t)lablen + provlen;
  size_t woff = (TRAM_NER_HEADER + strs + 7) & ~(size_t)7;
  size_t wlen = ((size_t)1 << bits) * nl * sizeof(int16_t);
  size_t clen = cbits ? ((size_t)1 << cbits) * 2 * sizeof(uint32_t) : 0;
  size_t glen = 0; /* own gazetteer: u32 length, text, padding */
  const char *gtext = NULL;
  if ((fset & TRAM_NER_FSET_GAZ) && woff <= len &&
      len - woff >= wlen + clen + 4) {
    uint32_t tl = rd32(b + woff + wlen + clen);
    glen = (4 + (size_t)tl + 7) & ~(size_t)7;
    gtext = (const char *)b + woff + wlen + clen + 4;
    if (tl == 0 || len - woff - wlen - clen < glen || gtext[tl - 1])
      return tram__set_error(err, TRAM_EMODEL, 60, section,
                             "bad NER gazetteer (%u bytes)", tl);
  } else if (fset & TRAM_NER_FSET_GAZ) {
    return tram__set_error(err, TRAM_EMODEL, 60, section,
                           "NER gazetteer missing");
  }
  if (lablen == 0 || provlen == 0 || strs > len || woff > len ||
      len - woff != wlen + clen + glen)
    return tram__set_error(err, TRAM_EMODEL, 36, section,
                           "NER sizes do not add up (labels %u, provenance "
                           "%u, weights %zu, clusters %zu, total %zu)",
                           lablen, provlen, wlen, clen, len);
  const char *labels = (const char *)b + TRAM_NER_HEADER;
  const char *prov = labels + lablen;
  if (labels[lablen - 1] || prov[provlen - 1] ||
      strcmp(labels, TRAM_NER_LABELS) != 0)
    return tram__set_error(err, TRAM_EMODEL, TRAM_NER_HEADER, section,
                           "unsupported NER label set");
  if (verify &&
      tram__crc32(0, b + TRAM_NER_HEADER, len - TRAM_NER_HEADER) != crc)
    return tram__set_error(err, TRAM_EMODEL, 44, section,
                           "NER checksum mismatch");
  float scale;
  memcpy(&scale, b + 32, 4);
  if (!(scale > 0) || scale > 1e6f)
    return tram__set_error(err, TRAM_EMODEL, 32, section,
                           "bad NER weight scale");
  tram_ner_model *m = tram__calloc(1, sizeof *m);
  if (!m)
    return tram__set_error(err, TRAM_ENOMEM, 0, section, "out of memory");
  m->lang = (int)lang;
  m->bits = bits;
  m->mask = ((uint64_t)1 << bits) - 1;
  m->scale = scale;
  m->provenance = prov;
  if (((uintptr_t)(b + woff) & 3u) == 0) {
    m->w = (const int16_t *)(const void *)(b + woff);
    if (clen)
      m->cl = (const uint32_t *)(const void *)(b + woff + wlen);
  } else {
    m->owned = tram__malloc(wlen + clen);
    if (!m->owned) {
      tram__free(m);
      return tram__set_error(err, TRAM_ENOMEM, 0, section, "out of memory");
    }
    memcpy(m->owned, b + woff, wlen + clen);
    m->w = m->owned;
    if (clen)
      m->cl = (const uint32_t *)(const void *)((char *)m->owned + wlen);
  }
  m->cl_mask = clen ? ((uint64_t)1 << cbits) - 1 : 0;
  m->cl_words = cwords;
  m->fset = fset;
  if (gtext) {
    size_t bad = 0;
    int grc = TRAM_ENOMEM;
    m->gaz = tram__calloc(1, sizeof *m->gaz);
    if (m->gaz)
      grc = tram__ner_lex_add_gazetteer(m->gaz, gtext, strlen(gtext), &bad);
    if (grc) {
      tram__ner_model_free(m);
      return grc == TRAM_ENOMEM
                 ? tram__set_error(err, TRAM_ENOMEM, 0, section,
                                   "out of memory")
                 : tram__set_error(err, TRAM_EMODEL, 60, section,
                                   "NER gazetteer line %zu is bad", bad);
    }
  }
  *out = m;
  return TRAM_OK;
}

void tram__ner_model_free(tram_ner_model *m) {
  if (!m)
    return;
  tram__free(m->owned);
  tram__ner_lex_free(m->gaz);
  tram__free(m->gaz);
  tram__free(m);
}

int tram__ner_model_write(tram_buf *out, int lang, uint32_t bits,
                          const float *w, const char *provenance) {
  return tram__ner_model_write_cl(out, lang, bits, w, NULL, 0, 0, provenance);
}

int tram__ner_model_write_cl(tram_buf *out, int lang, uint32_t bits,
                             const float *w, const uint32_t *cl, uint32_t cbits,
                             uint32_t cl_words, const char *provenance) {
  return tram__ner_model_write_ex(out, lang, bits, w, cl, cbits, cl_words, 0,
                                  NULL, provenance);
}

int tram__ner_model_write_ex(tram_buf *out, int lang, uint32_t bits,
                             const float *w, const uint32_t *cl, uint32_t cbits,
                             uint32_t cl_words, uint32_t fset, const char *gaz,
                             const char *provenance) {
  size_t nw = ((size_t)1 << bits) * TRAM_NER_NLABELS;
  float mx = 0;
  for (size_t i = 0; i < nw; i++) {
    float a = w[i] < 0 ? -w[i] : w[i];
    if (a > mx)
      mx = a;
  }
  float scale = mx > 0 ? mx / 32767.0f : 1.0f;
  uint32_t lablen = (uint32_t)sizeof TRAM_NER_LABELS;
  uint32_t provlen = (uint32_t)strlen(provenance) + 1;
  size_t woff = (TRAM_NER_HEADER + lablen + provlen + 7) & ~(size_t)7;
  if (!cl)
    cbits = cl_words = 0;
  size_t clen = cl ? ((size_t)1 << cbits) * 2 * sizeof(uint32_t) : 0;
  fset = gaz ? fset | TRAM_NER_FSET_GAZ : fset & ~(uint32_t)TRAM_NER_FSET_GAZ;
  size_t gl = gaz ? strlen(gaz) + 1 : 0;
  size_t glen = gaz ? (4 + gl + 7) & ~(size_t)7 : 0;
  size_t total = woff + nw * sizeof(int16_t) + clen + glen;
  unsigned char *b = tram__calloc(1, total);
  if (!b)
    return TRAM_ENOMEM;
  memcpy(b, TRAM_NER_MAGIC, 8);
  wr32(b + 8, TRAM_NER_HEADER);
  wr16(b + 12, TRAM_NER_MAJOR);
  wr16(b + 14, TRAM_NER_MINOR);
  wr32(b + 16, (uint32_t)lang);
  wr32(b + 20, TRAM_NER_NLABELS);
  wr32(b + 24, bits);
  wr32(b + 28, tram__ner_template_hash(cl != NULL, fset));
  memcpy(b + 32, &scale, 4);
  wr32(b + 36, lablen);
  wr32(b + 40, provlen);
  wr32(b + 48, (uint32_t)total);
  wr32(b + 52, cbits);
  wr32(b + 56, cl_words);
  wr32(b + 60, fset);
  memcpy(b + TRAM_NER_HEADER, TRAM_NER_LABELS, lablen);
  memcpy(b + TRAM_NER_HEADER + lablen, provenance, provlen);
  for (size_t i = 0; i < nw; i++) {
    float q = w[i] / scale;
    long v = (long)(q < 0 ? q - 0.5f : q + 0.5f);
    if (v > 32767)
      v = 32767;
    if (v < -32767)
      v = -32767;
    wr16(b + woff + 2 * i, (uint16_t)(int16_t)v);
  }
  for (size_t i = 0; i < clen / 4; i++)
    wr32(b + woff + nw * sizeof(int16_t) + 4 * i, cl[i]);
  if (gaz) {
    wr32(b + woff + nw * sizeof(int16_t) + clen, (uint32_t)gl);
    memcpy(b + woff + nw * sizeof(int16_t) + clen + 4, gaz, gl);
  }
  wr32(b + 44, tram__crc32(0, b + TRAM_NER_HEADER, total - TRAM_NER_HEADER));
  tram__buf_put(out, (const char *)b, total);
  tram__free(b);
  return out->failed ? TRAM_ENOMEM : TRAM_OK;
}

/* -------------------------------------------------------- word clusters */

int tram__ner_clusters_build(const uint64_t *h, const uint16_t *path,
                             const uint8_t *len, size_t n, uint32_t **out,
                             uint32_t *cbits) {
  uint32_t b = 4;
  while (((size_t)1 << b) < n + n / 2 + 1)
    b++;
  size_t cap = (size_t)1 << b;
  uint32_t *t = tram__calloc(cap * 2, sizeof *t);
  if (!t)
    return TRAM_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    uint32_t check = (uint32_t)(h[i] >> 32) | 1u;
    size_t j = (size_t)h[i] & (cap - 1);
    while (t[2 * j] && t[2 * j] != check)
      j = (j + 1) & (cap - 1);
    t[2 * j] = check;
    t[2 * j + 1] = (uint32_t)path[i] | (uint32_t)(len[i] > 16 ? 16 : len[i])
                                           << 16;
  }
  *out = t;
  *cbits = b;
  return TRAM_OK;
}

/* ------------------------------------------------------------- lexicons */

static const struct {
  const char *name;
  uint32_t bit;
} cue_classes[] = {
    {"legal", TRAM_NER_CUE_LEGAL},     {"orghead", TRAM_NER_CUE_ORGHEAD},
    {"lochead", TRAM_NER_CUE_LOCHEAD}, {"pertitle", TRAM_NER_CUE_PERTITLE},
    {"article", TRAM_NER_CUE_ARTICLE}, {"connect", TRAM_NER_CUE_CONNECT},
    {"stop", TRAM_NER_CUE_STOP},       {"orgctx", TRAM_NER_CUE_ORGCTX},
    {"common", TRAM_NER_CUE_COMMON},   {"coord", TRAM_NER_CUE_COORD},
};

static const char *const type_names[] = {"PER", "LOC", "ORG", "MISC"};

/* Splits a TSV line into up to 3 fields. */
static int fields(const char *line, size_t n, const char **f, size_t *fl) {
  int k = 0;
  size_t s = 0;
  for (size_t i = 0; i <= n && k < 3; i++) {
    if (i == n || line[i] == '\t') {
      f[k] = line + s;
      fl[k++] = i - s;
      s = i + 1;
    }
  }
  return k;
}

/* Languages a line applies to: bit per tram_lang; empty or "*" = all. */
static unsigned lang_mask(const char *s, size_t n) {
  if (n == 0 || (n == 1 && s[0] == '*'))
    return ~0u;
  unsigned m = 0;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && s[j] != ',')
      j++;
    char code[8] = {0};
    if (j - i < sizeof code) {
      memcpy(code, s + i, j - i);
      int l = tram_lang_from_code(code);
      if (l > 0)
        m |= 1u << l;
    }
    i = j + 1;
  }
  return m;
}

typedef struct lex_ctx {
  tram_ner_lex *lex;
  tram_buf low;
  size_t bad;
} lex_ctx;

static int cue_line(void *vctx, const char *line, size_t n, size_t lineno) {
  lex_ctx *c = vctx;
  const char *f[3];
  size_t fl[3];
  int k = fields(line, n, f, fl);
  uint32_t bit = 0;
  for (size_t i = 0; k >= 2 && i < sizeof cue_classes / sizeof *cue_classes;
       i++)
    if (strlen(cue_classes[i].name) == fl[1] &&
        memcmp(cue_classes[i].name, f[1], fl[1]) == 0)
      bit = cue_classes[i].bit;
  if (!bit || fl[0] == 0) {
    c->bad = lineno;
    return TRAM_EDATA;
  }
  unsigned lm = lang_mask(k > 2 ? f[2] : "", k > 2 ? fl[2] : 0);
  c->low.len = 0;
  if (tram__ner_lower(f[0], fl[0], &c->low))
    return TRAM_ENOMEM;
  for (int l = 0; l < TRAM_LANG_COUNT; l++) {
    if (!(lm & (1u << l)))
      continue;
    if (!c->lex->cues[l] && !(c->lex->cues[l] = tram__map_new()))
      return TRAM_ENOMEM;
    uintptr_t *v =
        tram__map_slot(c->lex->cues[l], c->low.data, c->low.len, true);
    if (!v)
      return TRAM_ENOMEM;
    *v |= bit;
  }
  return TRAM_OK;
}

int tram__ner_lex_add_cues(tram_ner_lex *lex, const char *text, size_t len,
                           size_t *bad_line) {
  lex_ctx c = {lex, {0}, 0};
  tram__buf_init(&c.low);
  int rc = tram__each_line(text, len, cue_line, &c);
  tram__buf_free(&c.low);
  if (bad_line)
    *bad_line = c.bad;
  return rc;
}

static int gaz_line(void *vctx, const char *line, size_t n, size_t lineno) {
  lex_ctx *c = vctx;
  const char *f[3];
  size_t fl[3];
  int k = fields(line, n, f, fl);
  int type = -1;
  for (int t = 0; k >= 2 && t < 4; t++)
    if (strlen(type_names[t]) == fl[1] &&
        memcmp(type_names[t], f[1], fl[1]) == 0)
      type = t;
  if (type < 0 || fl[0] == 0) {
    c->bad = lineno;
    return TRAM_EDATA;
  }
  /* Key: lower-case tokens (split on spaces; apostrophes end a token)
   * joined by one space. */
  c->low.len = 0;
  if (tram__ner_lower(f[0], fl[0], &c->low))
    return TRAM_ENOMEM;
  tram_buf key;
  tram__buf_init(&key);
  size_t ntok = 0, first_len = 0;
  const char *s = c->low.data;
  size_t i = 0, m = c->low.len;
  while (i < m) {
    while (i < m && s[i] == ' ')
      i++;
    size_t j = i;
    while (j < m && s[j] != ' ' && s[j] != '\'')
      j++;
    if (j < m && s[j] == '\'')
      j++;
    if (j > i) {
      if (ntok++)
        tram__buf_putc(&key, ' ');
      else
        first_len = j - i;
      tram__buf_put(&key, s + i, j - i);
    }
    i = j;
  }
  int rc = TRAM_OK;
  if (ntok == 0 || key.failed) {
    rc = key.failed ? TRAM_ENOMEM : TRAM_OK;
  } else {
    uintptr_t *v = tram__map_slot(c->lex->gaz, key.data, key.len, true);
    uintptr_t *fv =
        v ? tram__map_slot(c->lex->gaz_first, key.data, first_len, true) : NULL;
    if (!v || !fv)
      rc = TRAM_ENOMEM;
    else {
      *v |= (uintptr_t)1 << type;
      if (*fv < ntok)
        *fv = ntok;
    }
  }
  tram__buf_free(&key);
  return rc;
}

int tram__ner_lex_add_gazetteer(tram_ner_lex *lex, const char *text, size_t len,
                                size_t *bad_line) {
  if (!lex->gaz && !(lex->gaz = tram__map_new()))
    return TRAM_ENOMEM;
  if (!lex->gaz_first && !(lex->gaz_first = tram__map_new()))
    return TRAM_ENOMEM;
  lex_ctx c = {lex, {0}, 0};
  tram__buf_init(&c.low);
  int rc = tram__each_line(text, len, gaz_line, &c);
  tram__buf_free(&c.low);
  if (bad_line)
    *bad_line = c.bad;
  return rc;
}

void tram__ner_lex_free(tram_ner_lex *lex) {
  if (!lex)
    return;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram__map_free(lex->cues[l]);
  tram__map_free(lex->gaz);
  tram__map_free(lex->gaz_first);
  memset(lex, 0, sizeof *lex);
}

int tram__ner_load(const tram_container *c, tram_ner **out, tram_error *err) {
  *out = NULL;
  bool any = false;
  for (size_t i = 0; i < c->count; i++)
    if (strncmp(c->sections[i].name, "ner/", 4) == 0)
      any = true;
  if (!any)
    return TRAM_OK;
  tram_ner *ner = tram__calloc(1, sizeof *ner);
  if (!ner)
    return tram__set_error(err, TRAM_ENOMEM, 0, "ner", "out of memory");
  int rc = TRAM_OK;
  for (int l = TRAM_LANG_FR; l < TRAM_LANG_COUNT && rc == TRAM_OK; l++) {
    char name[TRAM_SECTION_NAME_MAX];
    snprintf(name, sizeof name, "ner/%s", tram_lang_code(l));
    const tram_section *s = tram__container_find(c, name);
    if (!s)
      continue;
    /* The container has checked the section's CRC already. */
    rc = tram__ner_model_parse(s->data, s->len, name, false, &ner->model[l],
                               err);
    if (rc == TRAM_OK && ner->model[l]->lang != l)
      rc = tram__set_error(err, TRAM_EMODEL, s->offset + 16, name,
                           "section %s holds a model for language %d", name,
                           ner->model[l]->lang);
  }
  const tram_section *s = tram__container_find(c, "ner/cues");
  size_t bad = 0;
  if (rc == TRAM_OK && s) {
    rc = tram__ner_lex_add_cues(&ner->lex, (const char *)s->data, s->len, &bad);
    if (rc == TRAM_EDATA)
      rc = tram__set_error(err, TRAM_EMODEL, s->offset, "ner/cues",
                           "bad cue line %zu", bad);
  }
  s = tram__container_find(c, "ner/gazetteer");
  if (rc == TRAM_OK && s) {
    rc = tram__ner_lex_add_gazetteer(&ner->lex, (const char *)s->data, s->len,
                                     &bad);
    if (rc == TRAM_EDATA)
      rc = tram__set_error(err, TRAM_EMODEL, s->offset, "ner/gazetteer",
                           "bad gazetteer line %zu", bad);
  }
  if (rc == TRAM_ENOMEM)
    tram__set_error(err, rc, 0, "ner", "out of memory");
  if (rc) {
    tram__ner_free(ner);
    return rc;
  }
  *out = ner;
  return TRAM_OK;
}

void tram__ner_free(tram_ner *ner) {
  if (!ner)
    return;
  for (int l = 0; l < TRAM_LANG_COUNT; l++)
    tram__ner_model_free(ner->model[l]);
  tram__ner_lex_free(&ner->lex);
  tram__free(ner);
}
