#!/bin/sh
# make bench: the pathological inputs of tests/unit/patho_inputs.h (no
# space, 1M x "l'", runs of hyphens / apostrophes / middle dots, l·l,
# combining marks, one enormous token, the same organisation name repeated,
# binary garbage, only punctuation) at 10 MB each, against ordinary prose
# (the bundled article repeated): CPU seconds per MB, ratio to prose (target
# <= 3x), tokens, peak RSS (each input in its own process).
#   sh bench/run-pathological.sh BUILD_DIR [MB]
set -eu
build=${1:-build}
mb=${2:-10}
src=$(cd "$(dirname "$0")/.." && pwd)
TRAM_SOURCE_DIR=$src "$build/patho_bench" "$mb" || {
  echo "(a row missed the 3x target; see above)"
  exit 0
}
