/*
 * fuzz.h — what every fuzz target shares: the libFuzzer entry point, a
 * model loaded once per process, and small helpers for carving option bytes
 * off the front of an input.
 *
 * Each target is one fuzz_*.c defining LLVMFuzzerTestOneInput. With clang
 * it links against libFuzzer (-fsanitize=fuzzer); with any compiler it links
 * against replay.c, a plain main that feeds it every file of the committed
 * corpus, so CI replays the corpus and every past crash on each build.
 */
#ifndef TRAM_FUZZ_H
#define TRAM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "tramuntana.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The embedded default model, loaded on first use and kept for the life of
 * the process (reachable, so LeakSanitizer does not count it). Never NULL:
 * a failure to load it aborts the fuzzer, since nothing can be tested. */
const tram_model *fuzz_model(void);

/* Aborts with a message: a broken invariant is a finding. */
void fuzz_fail(const char *what, const char *detail);

/* Writes data to a per-process temporary file, makes an analyzer with that
 * file as opts.gazetteer_path (which = 'g') or opts.taxonomy_path ('t'),
 * and, if the file was accepted, analyses a short text that names places,
 * organisations and themes. A rejected file must give TRAM_EDATA, TRAM_EIO
 * or TRAM_ENOMEM (with EDATA/EIO the analyzer may be handed out, carrying
 * the message; it must name something). */
void fuzz_data_file(const uint8_t *data, size_t size, int which);

#define FUZZ_CHECK(cond, detail)                                               \
  do {                                                                         \
    if (!(cond))                                                               \
      fuzz_fail(#cond, detail);                                                \
  } while (0)

#endif
