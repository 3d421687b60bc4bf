#!/bin/sh
# Rebuilds data/models/langid.bin (the "langid" section of the default
# model) from ../shared/data with the trainer tools/langid_train.c.
#   sh tools/langid_train.sh BUILD_DIR [SHARED_DATA_DIR]
# Train splits only:
#  - langid/train/{fr,es,ca,oc,it,pt,en}.txt (Debian help and UI text);
#  - UD French-Sequoia train (news-style French prose, LGPL-LR);
#  - Europeana Newspapers French NER set (ner/fr_europeana_bnf/all.conll,
#    CC0; French newspapers of 1906/1920, OCR), its tokens joined back into
#    sentences;
#  - both French sets machine-translated with Apertium (fra-cat, then
#    cat-spa on the Catalan output, and fra-oci) into Catalan, Spanish and
#    Occitan news-style prose, the words Apertium did not know (marked *,
#    @, # or ~) dropped. Occitan gets its share so that news prose does not
#    become a cue for Catalan or Spanish against Occitan.
# Apertium (Debian packages apertium, apertium-fra-cat, apertium-spa-cat,
# apertium-oci-fra) is
# installed here when missing and run as root; the translations are cached
# in BUILD_DIR/langid-mt (about 4 minutes on one core the first time). Only
# this rebuild needs it; the library and its tests do not. The options were
# chosen on langid/*.dev.txt (tools/eval-langid.sh prints the tables).
set -eu
build=${1:?usage: langid_train.sh BUILD_DIR [SHARED_DATA_DIR]}
data=${2:-$(dirname "$0")/../../shared/data}
src=$(cd "$(dirname "$0")/.." && pwd)
t=$data/langid/train
seq=$data/ud/UD_French-Sequoia/fr_sequoia-ud-train.conllu
bnf=$data/ner/fr_europeana_bnf/all.conll
mt=$build/langid-mt
mkdir -p "$mt"

if ! command -v apertium >/dev/null 2>&1 ||
  [ ! -e /usr/share/apertium/modes/fra-cat.mode ] ||
  [ ! -e /usr/share/apertium/modes/cat-spa.mode ] ||
  [ ! -e /usr/share/apertium/modes/fra-oci.mode ]; then
  echo "langid_train: installing Apertium (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y \
    apertium apertium-fra-cat apertium-spa-cat apertium-oci-fra >&2
fi

# French sentences, one per line.
sed -n 's/^# text = //p' "$seq" >"$mt/seq.fr.new"
awk -F'\t' 'NF == 0 { if (s != "") print s; s = ""; next }
  { s = (s == "" ? $1 : s " " $1)
    if ($1 == "." || $1 == "?" || $1 == "!") { print s; s = "" } }
  END { if (s != "") print s }' "$bnf" |
  sed -E 's/ ([.,;:!?)])/\1/g; s/\( /(/g' | awk 'NF >= 4' >"$mt/bnf.fr.new"
for c in seq bnf; do # keep the cached translations if the text is the same
  if cmp -s "$mt/$c.fr.new" "$mt/$c.fr"; then
    rm "$mt/$c.fr.new"
  else
    mv "$mt/$c.fr.new" "$mt/$c.fr"
  fi
done

# Drops Apertium's unknown-word marks with their word, and empty lines.
clean() {
  sed -E 's/[*#@~][^ ]*//g; s/  +/ /g; s/^ //; s/ ([.,;:])/\1/g' | awk 'NF >= 3'
}
for c in seq bnf; do
  if [ ! -s "$mt/$c.es.raw" ] || [ "$mt/$c.fr" -nt "$mt/$c.es.raw" ]; then
    apertium fra-cat <"$mt/$c.fr" >"$mt/$c.ca.raw"
    apertium cat-spa <"$mt/$c.ca.raw" >"$mt/$c.es.raw"
  fi
  if [ ! -s "$mt/$c.oc.raw" ] || [ "$mt/$c.fr" -nt "$mt/$c.oc.raw" ]; then
    apertium fra-oci <"$mt/$c.fr" >"$mt/$c.oc.raw"
  fi
  for l in ca es oc; do
    clean <"$mt/$c.$l.raw" >"$mt/$c.$l.txt"
  done
done

prov="tramuntana langid model. Trained by tools/langid_train.sh (naive Bayes: a table of frequent words, hashed char 1-5-grams for the other words) on: Debian 12 help and UI text (langid/train/*.txt: fr es ca oc it pt en; MPL-2.0, GPL, LGPL, GFDL, CC-BY-SA-3.0 per package, see data/models/langid.md); UD French-Sequoia r2.16 train (LGPL-LR); Europeana Newspapers French NER corpus, BnF part (CC0); and both French sets machine-translated by Apertium fra-cat, cat-spa and fra-oci (GPL tools) into ca, es and oc. No non-commercial data."
"$build/langid_train" -b 17 -B 16 -a 0.02 -c 8 -N 0.25 -F -k 0.2 \
  -P fr=1e3,es=1e3,ca=1.1e3,oc=30 -p "$prov" \
  -o "$src/data/models/langid.bin" \
  fr="$t/fr.txt" fr="$seq" es="$t/es.txt" ca="$t/ca.txt" oc="$t/oc.txt" \
  it="$t/it.txt" pt="$t/pt.txt" en="$t/en.txt" \
  ca="$mt/seq.ca.txt" es="$mt/seq.es.txt" ca="$mt/bnf.ca.txt" \
  es="$mt/bnf.es.txt" fr="$mt/bnf.fr" oc="$mt/seq.oc.txt" oc="$mt/bnf.oc.txt"
