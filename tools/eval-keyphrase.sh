#!/bin/sh
# Keyphrase evaluation (issue 4): P/R/F1 at 5 and 10, stemmed exact match,
# on ../shared/data/keyphrase (fr_wikinews, es_cacic57, es_wicc78), for the
# library and two baselines (FirstPhrases, TF-IDF with document frequencies
# from the same collection), on the dev half (even positions in file-name
# order, used for tuning), the test half (odd positions) and all documents.
# Usage: tools/eval-keyphrase.sh BUILD_DIR
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
data=${TRAM_SHARED_DIR:-$here/../shared}/data/keyphrase
if [ ! -d "$data" ]; then
  echo "eval-keyphrase: $data not found, skipped"
  exit 0
fi
tool=$build/kp_eval
[ -x "$tool" ] || { echo "eval-keyphrase: $tool not built"; exit 1; }
echo "| set | split | docs | method | P@5 | R@5 | F1@5 | P@10 | R@10 | F1@10 |"
echo "|---|---|---:|---|---:|---:|---:|---:|---:|---:|"
for split in dev test all; do
  for s in fr_wikinews:fr es_cacic57:es es_wicc78:es; do
    "$tool" eval "$data/${s%:*}" "${s#*:}" "$split" || exit 1
  done
done
