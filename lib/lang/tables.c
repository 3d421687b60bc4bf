/*
 * tables.c — loads per-language rule tables (see tables.h) from the model.
 */
#include "tables.h"

#include <string.h>

#include "tramuntana.h"

static const char *stemmer_name(int lang) {
  switch (lang) {
  case TRAM_LANG_FR:
    return "french";
  case TRAM_LANG_ES:
    return "spanish";
  case TRAM_LANG_CA:
    return "catalan";
  default:
    return NULL;
  }
}

typedef struct load_ctx {
  tram_lang_tables *t;
  tram_map *map;
} load_ctx;

static int add_line(void *ctx, const char *line, size_t n, size_t lineno) {
  (void)lineno;
  load_ctx *lc = ctx;
  const char *tab = memchr(line, '\t', n);
  size_t klen = tab ? (size_t)(tab - line) : n;
  uintptr_t *slot = tram__map_slot(lc->map, line, klen, true);
  if (!slot)
    return TRAM_ENOMEM;
  const char *v = tab ? tab + 1 : line + n;
  char *copy = tram__arena_strndup(&lc->t->values, v, (size_t)(line + n - v));
  if (!copy)
    return TRAM_ENOMEM;
  *slot = (uintptr_t)copy;
  return 0;
}

int tram__lang_tables_load(const tram_container *c, int lang,
                           tram_lang_tables **out, tram_error *err) {
  *out = NULL;
  tram_lang_tables *t = tram__calloc(1, sizeof *t);
  if (!t)
    return tram__set_error(err, TRAM_ENOMEM, 0, "lang", "out of memory");
  t->lang = lang;
  t->stemmer = stemmer_name(lang);
  tram__arena_init(&t->values);
  int rc = TRAM_OK;
  char name[TRAM_SECTION_NAME_MAX];
#define TRAM__TABLE_LOAD(field, file)                                          \
  if (rc == TRAM_OK) {                                                         \
    t->field = tram__map_new();                                                \
    if (!t->field) {                                                           \
      rc = TRAM_ENOMEM;                                                        \
    } else {                                                                   \
      snprintf(name, sizeof name, "lang/%s/%s", tram_lang_code(lang), file);   \
      const tram_section *s = tram__container_find(c, name);                   \
      if (s) {                                                                 \
        load_ctx lc = {t, t->field};                                           \
        rc = tram__each_line((const char *)s->data, s->len, add_line, &lc);    \
      }                                                                        \
    }                                                                          \
  }
  TRAM_LANG_TABLE_LIST(TRAM__TABLE_LOAD)
#undef TRAM__TABLE_LOAD
  if (rc != TRAM_OK) {
    tram__lang_tables_free(t);
    return tram__set_error(err, rc, 0, "lang", "cannot load tables of %s",
                           tram_lang_code(lang));
  }
  *out = t;
  return TRAM_OK;
}

void tram__lang_tables_free(tram_lang_tables *t) {
  if (!t)
    return;
#define TRAM__TABLE_FREE(field, file) tram__map_free(t->field);
  TRAM_LANG_TABLE_LIST(TRAM__TABLE_FREE)
#undef TRAM__TABLE_FREE
  tram__arena_free(&t->values);
  tram__free(t);
}

const char *tram__table_get(const tram_map *table, const char *key, size_t n) {
  uintptr_t v;
  if (!table || !tram__map_get(table, key, n, &v))
    return NULL;
  return (const char *)v;
}
