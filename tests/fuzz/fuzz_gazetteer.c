/*
 * fuzz_gazetteer.c — libFuzzer target for gazetteer loading: the input is
 * written to a temporary file and passed as tram_options.gazetteer_path to
 * tram_analyzer_new (see fuzz_data_file in fuzz_common.c). Seeded with the
 * gazetteer files under data/.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_data_file(data, size, 'g');
  return 0;
}
