#!/bin/sh
# tools/ner_clusters on a made-up text where two word groups never share a
# context: days only in "on X morning", towns only in "in X harbour". The
# two groups must get one 2-bit path prefix each, and different ones (the
# first split sets the function words apart);
# the output is in the Brown "paths" format (path, word, count), words
# seen fewer than --min times are left out, and plain text gets its
# elisions split ("l'" is a word of its own).
set -u
build=${TRAM_BUILD_DIR:?TRAM_BUILD_DIR not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
for i in 1 2 3 4 5 6; do
  for d in monday tuesday friday sunday; do
    echo "we met on $d morning and left ."
    echo "they sailed on $d morning with l'equip ."
  done
  for t in brest vigo cadaques sete; do
    echo "we met in $t harbour and left ."
    echo "they sailed in $t harbour with l'equip ."
  done
done >"$tmp/text.txt"
echo "rareword appears once ." >>"$tmp/text.txt"
# a one-shot offline tool: it leaves its tables to process exit, so
# LeakSanitizer (sanitizer build) is off for it; the library is checked elsewhere
if ! ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$build/ner_clusters" --lang ca --out "$tmp/paths.tsv" --min 3 \
  --context 20 "$tmp/text.txt" 2>"$tmp/err"; then
  fail "ner_clusters failed: $(cat "$tmp/err")"
else
  bit() { awk -F'\t' -v w="$1" '$2 == w { print substr($1, 1, 2) }' "$tmp/paths.tsv"; }
  d=$(for w in monday tuesday friday sunday; do bit "$w"; done | sort -u)
  t=$(for w in brest vigo cadaques sete; do bit "$w"; done | sort -u)
  [ "$(echo "$d" | wc -l)" -eq 1 ] && [ -n "$d" ] || fail "days split: '$d'"
  [ "$(echo "$t" | wc -l)" -eq 1 ] && [ -n "$t" ] || fail "towns split: '$t'"
  [ "$d" != "$t" ] || fail "days and towns in one cluster ($d)"
  grep -q "	rareword	" "$tmp/paths.tsv" && fail "a word seen once was kept"
  grep -q "	l'	" "$tmp/paths.tsv" || fail "elision l' not split off"
  awk -F'\t' 'NF != 3 || $1 !~ /^[01]+$/ || $3 !~ /^[0-9]+$/ { bad = 1 }
    END { exit bad }' "$tmp/paths.tsv" || fail "a line is not path<TAB>word<TAB>count"
  [ "$(awk -F'\t' '$2 == "monday" { print $3 }' "$tmp/paths.tsv")" = 12 ] ||
    fail "count of monday is not 12"
fi
[ "$fails" -eq 0 ] && echo "ok: ner_clusters"
exit "$fails"
