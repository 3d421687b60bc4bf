#!/bin/sh
# Regenerates data/keyphrase/<lang>.df from the langid TRAIN corpus.
# Usage: tools/kp-bgfreq.sh BUILD_DIR   (see data/keyphrase/SOURCE.md)
set -eu
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
train=${TRAM_SHARED_DIR:-$here/../shared}/data/langid/train
for l in fr es ca; do
  "$build/kp_bgfreq" "$l" "$train/$l.txt" 3 > "$here/data/keyphrase/$l.df"
done
