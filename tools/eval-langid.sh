#!/bin/sh
# Language identification on ../shared/data/langid/*.test.txt (issue 7), in
# one run and on the same inputs: tramuntana (tools/langid_eval.c), CLD2
# (Debian libcld2-dev) and libexttextcat (libexttextcat-dev, profiles ca,
# es, fr, oc plus it, pt, en, the languages tramuntana's model knows),
# every output mapped to fr / es / ca / oc / other. Each line is read
# whole, cut to its first word and to its first two words. Then the
# lang=auto policy on documents of 20 dev lines (langid_eval -D) and the
# identification overhead on the bench corpus (tools/langid_speed.c).
#
#   sh tools/eval-langid.sh BUILD_DIR            (make eval runs it)
#
# The two small C++ drivers (tools/langid_cld2.cc, tools/langid_textcat.cc)
# are compiled here with g++, outside the CMake build. A detector whose
# package is missing is left out with a message. Skips (exit 0) without
# ../shared/data. Test files are for the final figures only: tune on the
# dev files (LANGID_SPLIT=dev runs the same tables on fr/es/ca dev).
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${TRAM_SHARED_DIR:-$src/../shared}
data=$shared/data/langid
split=${LANGID_SPLIT:-test}
if [ ! -r "$data/fr.$split.txt" ]; then
  echo "eval-langid: $data not found; skipped"
  exit 0
fi
for t in langid_eval langid_speed; do
  [ -x "$build/$t" ] || { echo "eval-langid: $build/$t not built" >&2; exit 1; }
done
out=$build/langid-eval
mkdir -p "$out"
inputs=""
for l in fr es ca oc pt it; do
  [ -r "$data/$l.$split.txt" ] && inputs="$inputs $l=$data/$l.$split.txt"
done
# shellcheck disable=SC2086
"$build/langid_eval" -d "$out/inputs.txt" $inputs
systems=""
if [ -r /usr/include/cld2/public/compact_lang_det.h ]; then
  g++ -O2 -o "$out/langid_cld2" "$src/tools/langid_cld2.cc" -lcld2
  "$out/langid_cld2" <"$out/inputs.txt" >"$out/cld2.txt"
  systems="$systems -S cld2=$out/cld2.txt"
else
  echo "eval-langid: libcld2-dev not installed; CLD2 left out" >&2
fi
if [ -r /usr/include/libexttextcat/textcat.h ]; then
  g++ -O2 -o "$out/langid_textcat" "$src/tools/langid_textcat.cc" \
    -lexttextcat-2.0
  : >"$out/textcat.conf"
  for l in ca es fr oc it pt en; do
    echo "$l.lm $l--utf8" >>"$out/textcat.conf"
  done
  "$out/langid_textcat" "$out/textcat.conf" /usr/share/libexttextcat/ \
    <"$out/inputs.txt" >"$out/textcat.txt"
  systems="$systems -S libexttextcat=$out/textcat.txt"
else
  echo "eval-langid: libexttextcat-dev not installed; left out" >&2
fi
echo "# Language identification, $split split ($(date -u +%Y-%m-%d))"
# shellcheck disable=SC2086
"$build/langid_eval" $systems $inputs
if [ -r "$data/fr.dev.txt" ]; then
  echo
  # The per-sentence policy of lang=auto (lib/api.c) on the dev split, the
  # one it was tuned on.
  "$build/langid_eval" -D 20 fr="$data/fr.dev.txt" es="$data/es.dev.txt" \
    ca="$data/ca.dev.txt"
fi
bench=$build/bench
if [ -x "$src/bench/make_corpus.py" ] || [ -r "$src/bench/make_corpus.py" ]; then
  if [ ! -s "$bench/corpus-ca.txt" ]; then
    mkdir -p "$bench"
    /usr/bin/python3 "$src/bench/make_corpus.py" "$shared/data" "$bench" \
      >/dev/null
  fi
  echo
  echo "## overhead of lang=auto on tokenise+stem (bench corpus)"
  echo
  "$build/langid_speed" --rounds 5 fr="$bench/corpus-fr.txt" \
    es="$bench/corpus-es.txt" ca="$bench/corpus-ca.txt"
fi
