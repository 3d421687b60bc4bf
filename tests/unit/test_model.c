/*
 * test_model.c — bad model files: truncated at every length (sampled when
 * the model is large), single bytes flipped, wrong format version, the other
 * byte order, bad magic, bad sizes and counts, sections pointing outside the
 * file, garbage inside each section (with checksums repaired so the section
 * parsers see it), unreadable paths. Each must fail with a precise status
 * and an error struct that says which section and which offset — never
 * crash, never leak (the ASan build runs this too) — and the good model must
 * still load afterwards.
 *
 * The model bytes come from the library itself (tram__default_model, the
 * embedded copy of build/model/tramuntana.model); the container layout is
 * restated here (lib/model/container.h) so the test does not trust the code
 * under test to find sections or compute checksums.
 */
#define _DEFAULT_SOURCE
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_bytes.h"
#include "tramuntana.h"

static unsigned char *good;
static size_t good_len;

/* Sizes of the walks: smaller in the sanitizer build (TRAM_SANITIZED). */
static size_t scaled(size_t normal, size_t sanitized) {
  return getenv("TRAM_SANITIZED") ? sanitized : normal;
}

static unsigned char *copy_good(void) {
  unsigned char *b = malloc(good_len);
  ck_assert_ptr_nonnull(b);
  memcpy(b, good, good_len);
  return b;
}

static void setup(void) {
  good = small_model(&good_len);
  ck_assert_ptr_nonnull(good);
}

static void teardown(void) { free(good); }

/* Loads b[0..len) and checks that it fails with `status` (0 = any failure),
 * with a message, the error struct consistent, no model. Returns err. */
static tram_error expect_fail(const unsigned char *b, size_t len, int status) {
  tram_model *m = (tram_model *)&m;
  tram_error err;
  memset(&err, 0x5a, sizeof err);
  int rc = tram_model_load_memory(b, len, &m, &err);
  ck_assert_ptr_null(m);
  ck_assert_int_ne(rc, TRAM_OK);
  if (status)
    ck_assert_msg(rc == status, "status %d (%s), expected %d: %s", rc,
                  tram_strerror(rc), status, err.message);
  ck_assert_int_eq(err.status, rc);
  ck_assert_ptr_nonnull(memchr(err.message, 0, sizeof err.message));
  ck_assert_ptr_nonnull(memchr(err.section, 0, sizeof err.section));
  ck_assert_msg(err.message[0] != 0, "empty error message");
  ck_assert_msg(err.offset <= len || len == 0, "offset %zu beyond %zu",
                err.offset, len);
  return err;
}

START_TEST(good_model_loads) {
  tram_model *m;
  tram_error err;
  ck_assert_int_eq(tram_model_load_memory(good, good_len, &m, &err), TRAM_OK);
  ck_assert_ptr_nonnull(strstr(tram_model_describe(m), "format: 1."));
  tram_model_free(m);
  /* NULL error struct is allowed; NULL data with a length is not. */
  ck_assert_int_eq(tram_model_load_memory(good, good_len, &m, NULL), TRAM_OK);
  tram_model_free(m);
  ck_assert_int_eq(tram_model_load_memory(NULL, 10, &m, NULL), TRAM_EINVAL);
  ck_assert_int_eq(tram_model_load_memory(good, good_len, NULL, NULL),
                   TRAM_EINVAL);
  ck_assert_int_eq(tram_model_load(NULL, &m, NULL), TRAM_EINVAL);
}
END_TEST

START_TEST(truncated) {
  /* Every length below `dense`, then `spread` more over the file. */
  size_t dense = scaled(512, 128), spread = scaled(400, 100);
  size_t step = good_len > dense ? (good_len - dense) / spread + 1 : 1;
  size_t tried = 0;
  for (size_t len = 0; len < good_len; len += len < dense ? 1 : step, tried++) {
    tram_error err = expect_fail(good, len, TRAM_EMODEL);
    ck_assert_str_eq(err.section, "header");
    if (len >= HDR)
      ck_assert_msg(strstr(err.message, "truncated") != NULL,
                    "length %zu: message does not say truncated: %s", len,
                    err.message);
  }
  ck_assert_uint_gt(tried, 10);
}
END_TEST

/* Names the section whose payload holds byte `at`, or NULL. */
static const char *section_at(const unsigned char *b, size_t at) {
  static char name[NAME_MAX_];
  uint32_t count = rd32(b + 20);
  for (uint32_t i = 0; i < count; i++) {
    const unsigned char *e = b + HDR + (size_t)i * ENTRY;
    uint64_t off = rd32(e + 48) | (uint64_t)rd32(e + 52) << 32;
    uint32_t slen = rd32(e + 56);
    if (at >= off && at < off + slen) {
      memcpy(name, e, NAME_MAX_);
      return name;
    }
  }
  return NULL;
}

START_TEST(flipped_bytes) {
  unsigned char *b = copy_good();
  size_t flips = scaled(800, 150);
  size_t step = good_len > flips ? good_len / flips : 1;
  size_t in_section = 0;
  for (size_t at = 0; at < good_len; at += step) {
    if (at == 18 || at == 19)
      continue; /* the minor version: informational, any value loads */
    for (int bit = 0; bit < 8; bit += 3) {
      b[at] ^= (unsigned char)(1u << bit);
      tram_model *m = NULL;
      tram_error err;
      int rc = tram_model_load_memory(b, good_len, &m, &err);
      /* A flip in padding between sections changes only the file CRC. */
      ck_assert_msg(rc != TRAM_OK, "flip at %zu went unnoticed", at);
      (void)expect_fail(b, good_len, 0);
      const char *sec = section_at(good, at);
      if (sec && at >= HDR) {
        ck_assert_msg(strcmp(err.section, sec) == 0,
                      "flip at %zu in section %s reported as section '%s' "
                      "(%s)",
                      at, sec, err.section, err.message);
        in_section++;
      }
      b[at] ^= (unsigned char)(1u << bit);
    }
  }
  ck_assert_uint_gt(in_section, 0);
  free(b);
}
END_TEST

START_TEST(wrong_version) {
  unsigned char *b = copy_good();
  b[16] = 2; /* major 2 */
  tram_error err = expect_fail(b, good_len, TRAM_EVERSION);
  ck_assert_str_eq(err.section, "header");
  ck_assert_uint_eq(err.offset, 16);
  ck_assert_ptr_nonnull(strstr(err.message, "2."));
  b[16] = 0; /* major 0 */
  expect_fail(b, good_len, TRAM_EVERSION);
  /* A newer minor version of the same major loads. */
  memcpy(b, good, good_len);
  b[18] = 9;
  tram_model *m;
  ck_assert_int_eq(tram_model_load_memory(b, good_len, &m, NULL), TRAM_OK);
  tram_model_free(m);
  free(b);
}
END_TEST

static void swap32(unsigned char *p) {
  unsigned char t = p[0];
  p[0] = p[3];
  p[3] = t;
  t = p[1];
  p[1] = p[2];
  p[2] = t;
}

START_TEST(wrong_endianness) {
  /* The header as a big-endian writer would have written it. */
  unsigned char *b = copy_good();
  swap32(b + 8);
  swap32(b + 12);
  unsigned char t = b[16];
  b[16] = b[17];
  b[17] = t;
  t = b[18];
  b[18] = b[19];
  b[19] = t;
  for (int o = 20; o < 32; o += 4)
    swap32(b + o);
  tram_error err = expect_fail(b, good_len, TRAM_EMODEL);
  ck_assert_str_eq(err.section, "header");
  ck_assert_uint_eq(err.offset, 12);
  ck_assert_ptr_nonnull(strstr(err.message, "byte order"));
  free(b);
}
END_TEST

START_TEST(bad_header_fields) {
  unsigned char *b = copy_good();
  b[0] = 'X';
  tram_error err = expect_fail(b, good_len, TRAM_EMODEL);
  ck_assert_str_eq(err.section, "header");
  ck_assert_uint_eq(err.offset, 0);
  memcpy(b, good, good_len);
  wr32(b + 8, 40); /* header size */
  expect_fail(b, good_len, TRAM_EMODEL);
  memcpy(b, good, good_len);
  wr32(b + 20, 0x7fffffff); /* section count */
  err = expect_fail(b, good_len, TRAM_EMODEL);
  ck_assert_uint_eq(err.offset, 20);
  memcpy(b, good, good_len);
  wr32(b + 28, (uint32_t)good_len + 8); /* total size */
  err = expect_fail(b, good_len, TRAM_EMODEL);
  ck_assert_uint_eq(err.offset, 28);
  /* Not a model at all. */
  expect_fail((const unsigned char *)"hello", 5, TRAM_EMODEL);
  expect_fail((const unsigned char *)"", 0, TRAM_EMODEL);
  free(b);
}
END_TEST

START_TEST(bad_section_table) {
  unsigned char *b = copy_good();
  uint32_t count = rd32(b + 20);
  ck_assert_uint_gt(count, 0);
  for (uint32_t i = 0; i < count; i++) {
    unsigned char *e = b + HDR + (size_t)i * ENTRY;
    char name[NAME_MAX_];
    memcpy(name, e, NAME_MAX_);
    /* Offset past the end. */
    wr32(e + 48, (uint32_t)good_len + 1);
    repair(b, good_len);
    tram_error err = expect_fail(b, good_len, TRAM_EMODEL);
    ck_assert_str_eq(err.section, name);
    ck_assert_uint_eq(err.offset, HDR + (size_t)i * ENTRY);
    memcpy(b, good, good_len);
    /* Length past the end; 64-bit offset high word. */
    wr32(e + 56, (uint32_t)good_len);
    repair(b, good_len);
    expect_fail(b, good_len, TRAM_EMODEL);
    memcpy(b, good, good_len);
    wr32(e + 52, 1);
    repair(b, good_len);
    expect_fail(b, good_len, TRAM_EMODEL);
    memcpy(b, good, good_len);
    /* Name not terminated, then empty. */
    memset(e, 'A', NAME_MAX_);
    repair(b, good_len);
    err = expect_fail(b, good_len, TRAM_EMODEL);
    ck_assert_str_eq(err.section, "table");
    memcpy(b, good, good_len);
    memset(e, 0, NAME_MAX_);
    repair(b, good_len);
    expect_fail(b, good_len, TRAM_EMODEL);
    memcpy(b, good, good_len);
  }
  free(b);
}
END_TEST

/* Garbage inside one section of b (a copy of model m), checksums repaired:
 * the section's own parser must either accept it or fail naming the
 * section; never crash. Returns 1 if rejected. */
static int garbage_in(unsigned char *b, const unsigned char *m, size_t len,
                      uint32_t i, int pass, uint32_t *seed) {
  const unsigned char *e = m + HDR + (size_t)i * ENTRY;
  char name[NAME_MAX_];
  memcpy(name, e, NAME_MAX_);
  size_t off = rd32(e + 48);
  size_t slen = rd32(e + 56);
  memcpy(b, m, len);
  for (size_t k = 0; k < slen; k++) {
    *seed = *seed * 1103515245u + 12345u;
    unsigned char r = (unsigned char)(*seed >> 16);
    if (pass == 0)
      b[off + k] = r; /* all random */
    else if (pass == 1 && k % 7 == 0)
      b[off + k] = r; /* sparse damage */
    else if (pass == 2)
      b[off + k] = (k % 3) ? '\t' : 0xff; /* separators, bad UTF-8 */
    else if (pass == 3 && k >= slen / 2)
      b[off + k] = 0; /* second half zeroed */
  }
  repair(b, len);
  tram_model *mod = NULL;
  tram_error err;
  memset(&err, 0, sizeof err);
  int rc = tram_model_load_memory(b, len, &mod, &err);
  if (rc == TRAM_OK) {
    /* Accepted: it must be usable. */
    tram_analyzer *an = NULL;
    int arc = tram_analyzer_new(mod, NULL, &an);
    if (arc == TRAM_OK) {
      tram_doc *doc = NULL;
      arc = tram_analyze(an, "L'Ajuntament de Girona. Hola.", 29, &doc);
      ck_assert_msg(arc == TRAM_OK, "section %s: accepted, then analysis: %s",
                    name, tram_analyzer_errmsg(an));
      tram_doc_free(doc);
    }
    tram_analyzer_free(an);
    tram_model_free(mod);
    return 0;
  }
  ck_assert_ptr_null(mod);
  ck_assert_msg(rc == TRAM_EMODEL || rc == TRAM_EDATA || rc == TRAM_EVERSION,
                "section %s: status %d", name, rc);
  ck_assert_msg(strcmp(err.section, name) == 0,
                "garbage in section %s reported as '%s': %s", name, err.section,
                err.message);
  ck_assert_msg(err.message[0], "no message");
  return 1;
}

/* Every section of the small model, four kinds of damage each. */
START_TEST(garbage_small_sections) {
  unsigned char *b = copy_good();
  uint32_t count = rd32(good + 20), seed = 12345;
  int rejected = 0;
  for (uint32_t i = 0; i < count; i++)
    for (int pass = 0; pass < 4; pass++)
      rejected += garbage_in(b, good, good_len, i, pass, &seed);
  printf("garbage in small sections: %d of %u damaged copies rejected\n",
         rejected, count * 4);
  free(b);
}
END_TEST

/* The big sections (trained models) of the full embedded model: random and
 * sparse damage. */
START_TEST(garbage_big_sections) {
  size_t len = tram__default_model_len;
  unsigned char *b = malloc(len);
  ck_assert_ptr_nonnull(b);
  uint32_t count = rd32(tram__default_model + 20), seed = 777;
  int rejected = 0, tried = 0;
  for (uint32_t i = 0; i < count; i++) {
    if (rd32(tram__default_model + HDR + (size_t)i * ENTRY + 56) <= SMALL_MAX)
      continue;
    for (int pass = 0; pass < (int)scaled(2, 1); pass++, tried++)
      rejected += garbage_in(b, tram__default_model, len, i, pass, &seed);
  }
  printf("garbage in big sections: %d of %d damaged copies rejected\n",
         rejected, tried);
  free(b);
}
END_TEST

/* Broken gazetteer and taxonomy files: TRAM_EDATA or TRAM_EIO, and the
 * analyzer handed out with a message naming the file (and the line for a
 * malformed one); a good file after a bad one still works. */
static void bad_file(int which, const char *content, int status,
                     const char *must_say) {
  char path[] = "/tmp/tram-data-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "wb");
  fputs(content, f);
  fclose(f);
  tram_model *m;
  ck_assert_int_eq(tram_model_new_default(&m), TRAM_OK);
  tram_options o;
  tram_options_init(&o);
  if (which == 'g')
    o.gazetteer_path = path;
  else
    o.taxonomy_path = path;
  tram_analyzer *an = NULL;
  int rc = tram_analyzer_new(m, &o, &an);
  ck_assert_msg(rc == status, "%c file: status %d (%s), expected %d", which, rc,
                tram_strerror(rc), status);
  if (rc != TRAM_OK) {
    ck_assert_ptr_nonnull(an);
    const char *msg = tram_analyzer_errmsg(an);
    ck_assert_msg(strstr(msg, path) != NULL, "message does not name %s: %s",
                  path, msg);
    if (must_say)
      ck_assert_msg(strstr(msg, must_say) != NULL, "message lacks '%s': %s",
                    must_say, msg);
  }
  tram_analyzer_free(an);
  remove(path);
  if (rc != TRAM_OK) {
    /* The same path, unreadable now: TRAM_EIO, named. */
    an = NULL;
    ck_assert_int_eq(tram_analyzer_new(m, &o, &an), TRAM_EIO);
    ck_assert_ptr_nonnull(an);
    ck_assert_ptr_nonnull(strstr(tram_analyzer_errmsg(an), path));
    tram_analyzer_free(an);
  }
  tram_model_free(m);
}

START_TEST(bad_data_files) {
  bad_file('g', "Generalitat de Catalunya\tORG\tca\nToulouse\tLOC\n", TRAM_OK,
           NULL);
  bad_file('g', "Generalitat de Catalunya\tORG\nnot a gazetteer line\n",
           TRAM_EDATA, ":2");
  bad_file('g', "Name\tNOTATYPE\n", TRAM_EDATA, ":1");
  bad_file('t', "\x01\x02 garbage \xff\xfe\n\t\t\t\n", TRAM_EDATA, NULL);
}
END_TEST

START_TEST(bad_paths) {
  tram_model *m = (tram_model *)&m;
  tram_error err;
  ck_assert_int_eq(tram_model_load("/nonexistent/tramuntana.model", &m, &err),
                   TRAM_EIO);
  ck_assert_ptr_null(m);
  ck_assert_str_eq(err.section, "/nonexistent/tramuntana.model");
  ck_assert_ptr_nonnull(strstr(err.message, "/nonexistent"));
  /* A directory opens but cannot be read. */
  ck_assert_int_ne(tram_model_load("/tmp", &m, &err), TRAM_OK);
  ck_assert_ptr_null(m);
  /* A truncated file on disk reports the same as in memory. */
  char path[] = "/tmp/tram-model-XXXXXX";
  int fd = mkstemp(path);
  ck_assert_int_ge(fd, 0);
  FILE *f = fdopen(fd, "wb");
  fwrite(good, 1, good_len / 2, f);
  fclose(f);
  ck_assert_int_eq(tram_model_load(path, &m, &err), TRAM_EMODEL);
  ck_assert_ptr_nonnull(strstr(err.message, "truncated"));
  f = fopen(path, "wb");
  fwrite(good, 1, good_len, f);
  fclose(f);
  ck_assert_int_eq(tram_model_load(path, &m, &err), TRAM_OK);
  tram_model_free(m);
  remove(path);
}
END_TEST

static Suite *suite(void) {
  Suite *s = suite_create("model");
  TCase *tc = tcase_create("bad");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, good_model_loads);
  tcase_add_test(tc, truncated);
  tcase_add_test(tc, flipped_bytes);
  tcase_add_test(tc, wrong_version);
  tcase_add_test(tc, wrong_endianness);
  tcase_add_test(tc, bad_header_fields);
  tcase_add_test(tc, bad_section_table);
  tcase_add_test(tc, garbage_small_sections);
  tcase_add_test(tc, garbage_big_sections);
  tcase_add_test(tc, bad_paths);
  tcase_add_test(tc, bad_data_files);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) {
  SRunner *sr = srunner_create(suite());
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
