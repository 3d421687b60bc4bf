#!/bin/sh
# make bench: throughput and peak RSS of tramuntana next to a bare ICU
# word-break pass over the same bytes, in one run (bench/tram_bench.c).
#   sh bench/run-throughput.sh BUILD_DIR [ROUNDS]
# Builds BUILD_DIR/bench/corpus-{fr,es,ca}.txt (about 15 MB of fr/es/ca text
# from ../shared/data, dev/train material only; bench/make_corpus.py) and
# runs tram_bench over it. Skips (exit 0, with a message) without
# ../shared/data. Env: TRAM_SHARED_DIR (default: ../shared next to the
# source tree), PYTHON (default /usr/bin/python3).
set -eu
build=${1:-build}
rounds=${2:-5}
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${TRAM_SHARED_DIR:-$src/../shared}
py=${PYTHON:-/usr/bin/python3}
bench="$build/tram_bench"
if [ ! -d "$shared/data/langid/train" ] || [ ! -d "$shared/data/ud" ]; then
  echo "skipped: $shared/data not found (the corpus is built from it)"
  exit 0
fi
if [ ! -x "$bench" ]; then
  echo "error: $bench not built (cmake --build $build --target tram_bench)" >&2
  exit 1
fi
out="$build/bench"
mkdir -p "$out"
if [ ! -s "$out/corpus-ca.txt" ] ||
  [ "$src/bench/make_corpus.py" -nt "$out/corpus-ca.txt" ]; then
  "$py" "$src/bench/make_corpus.py" "$shared/data" "$out" >/dev/null
fi
cat "$out/corpus.md"
echo
echo "command: $bench --rounds $rounds fr=$out/corpus-fr.txt es=$out/corpus-es.txt ca=$out/corpus-ca.txt"
"$bench" --rounds "$rounds" fr="$out/corpus-fr.txt" es="$out/corpus-es.txt" \
  ca="$out/corpus-ca.txt" 2>/dev/null | tee "$out/throughput.md"
