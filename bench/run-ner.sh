#!/bin/sh
# NER speed: model load and pipeline words/s with and without entities, on
# the French langid dev text (or the bundled article when it is absent).
B=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
F=${TRAM_SHARED_DIR:-$ROOT/../shared}/data/langid/fr.dev.txt
[ -f "$F" ] || F="$ROOT/examples/mouves-euroregion-fr.txt"
"$B/ner_bench" "$F" --lang fr --seconds 3
