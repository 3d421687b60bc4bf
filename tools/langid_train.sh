#!/bin/sh
# Rebuilds data/models/langid.bin (the "langid" section of the default
# model) from ../shared/data with the trainer tools/langid_train.c.
#   sh tools/langid_train.sh BUILD_DIR [SHARED_DATA_DIR]
# Train splits only: langid/train/{fr,es,ca,oc,it,pt,en}.txt (Debian help and
# UI text) + UD French-Sequoia train (news-style French prose). The options
# were chosen on langid/*.dev.txt (tools/eval-langid.sh prints the tables).
set -eu
build=${1:?usage: langid_train.sh BUILD_DIR [SHARED_DATA_DIR]}
data=${2:-$(dirname "$0")/../../shared/data}
src=$(cd "$(dirname "$0")/.." && pwd)
t=$data/langid/train
seq=$data/ud/UD_French-Sequoia/fr_sequoia-ud-train.conllu
prov="tramuntana langid model. Trained by tools/langid_train.sh (multinomial naive Bayes, hashed char 1-5-grams + words) on: Debian 12 help and UI text (langid/train/*.txt: fr es ca oc it pt en; MPL-2.0, GPL, LGPL, GFDL, CC-BY-SA-3.0 per package, see data/models/langid.md) and UD French-Sequoia r2.16 train (LGPL-LR). No non-commercial data."
"$build/langid_train" -b 18 -a 0.05 -c 8 -N 0.25 \
  -P fr=1e5,es=1e5,ca=1e5,oc=1e3 -p "$prov" \
  -o "$src/data/models/langid.bin" \
  fr="$t/fr.txt" fr="$seq" es="$t/es.txt" ca="$t/ca.txt" oc="$t/oc.txt" \
  it="$t/it.txt" pt="$t/pt.txt" en="$t/en.txt"
