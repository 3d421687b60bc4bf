#!/bin/sh
# `tramuntana langid [FILE|-]`: one output line per input line,
# code<TAB>confidence, from a file and from stdin, empty lines included;
# a damaged model file is refused with a message (exit 1); usage errors
# exit 2. Sentences written for this test.
set -u
cli=${TRAM_CLI:?TRAM_CLI not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

printf '%s\n' \
  "Nous avons pris le train de nuit pour rejoindre nos cousins." \
  "Ayer por la tarde fuimos al mercado a comprar fruta fresca." \
  "" \
  "Aquest estiu anirem a la muntanya amb els nostres amics." \
  "We took the night train to visit our cousins by the sea." >"$tmp/in.txt"
printf 'fr\nes\nother\nca\nother\n' >"$tmp/want.txt"

"$cli" langid "$tmp/in.txt" >"$tmp/out" 2>"$tmp/err" || fail "langid FILE: $(cat "$tmp/err")"
cut -f1 "$tmp/out" >"$tmp/codes"
cmp -s "$tmp/codes" "$tmp/want.txt" || fail "codes: $(tr '\n' ' ' <"$tmp/codes")"
awk -F'\t' 'NF != 2 || $2 < 0 || $2 > 1 { bad = 1 } END { exit bad }' \
  "$tmp/out" || fail "bad line format: $(cat "$tmp/out")"
awk -F'\t' 'NR == 3 && $2 != "0.0000" { bad = 1 }
            NR != 3 && $2 < 0.9 { bad = 1 } END { exit bad }' \
  "$tmp/out" || fail "confidences: $(cat "$tmp/out")"

"$cli" langid - <"$tmp/in.txt" >"$tmp/out2" 2>"$tmp/err" || fail "langid -"
cmp -s "$tmp/out" "$tmp/out2" || fail "stdin and file differ"
"$cli" langid <"$tmp/in.txt" >"$tmp/out3" 2>"$tmp/err" || fail "langid (stdin)"
cmp -s "$tmp/out" "$tmp/out3" || fail "default stdin differs"

# No final newline: the last line still counts.
printf 'Bon dia a tothom, com esteu?' | "$cli" langid >"$tmp/out4"
[ "$(cut -f1 "$tmp/out4")" = ca ] || fail "last line without newline: $(cat "$tmp/out4")"

# A damaged model is refused with a message.
head -c 100 /dev/zero >"$tmp/bad.model"
"$cli" langid --model "$tmp/bad.model" "$tmp/in.txt" >/dev/null 2>"$tmp/err"
[ $? = 1 ] || fail "damaged model not refused"
grep -q "cannot load the model" "$tmp/err" || fail "no message: $(cat "$tmp/err")"

"$cli" langid --no-such-option >/dev/null 2>&1
[ $? = 2 ] || fail "unknown option did not exit 2"
"$cli" langid "$tmp/missing.txt" >/dev/null 2>&1
[ $? = 1 ] || fail "missing file did not exit 1"

[ "$fails" = 0 ] || exit 1
echo "langid CLI: ok"
