/*
 * fuzz_taxonomy.c — libFuzzer target for taxonomy loading: the input is written
 * to a temporary file and passed as tram_options.taxonomy_path to
 * tram_analyzer_new (see fuzz_data_file in fuzz_common.c). Seeded with the
 * taxonomy files under data/.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_data_file(data, size, 't');
  return 0;
}
