#!/bin/sh
# tools/ud_eval.py and tools/ud_text.py on a hand-made treebank whose scores
# are worked out by hand (CoNLL 2018 definitions):
#   gold  "Il va au(à le) marché." / "Bon !" / "Fin."  — 9 tokens, 10 words
#   sys   "Il va au marché." / "Bon ! Fin."            — "au" not split,
#         "Fin." one token: 8 tokens, 8 words, 2 sentences.
# tokens: 7 correct → 2·7/(9+8) = 82.35; words: Il va marché . Bon ! align
# (au ≠ à le, Fin. ≠ Fin .) → 2·6/(10+8) = 66.67; sentences: 1 correct of
# 3 gold, 2 system → 40.00. ud_text.py rebuilds the raw text, one paragraph
# per # newpar, wrapped at N characters with --wrap N.
set -u
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR not set}
py=${TRAM_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
t=$(printf '\t')
row() { # ID FORM MISC
  printf '%s\t%s\t_\t_\t_\t_\t_\t_\t_\t%s\n' "$1" "$2" "${3:-_}"
}
{
  echo "# newpar"
  echo "# text = Il va au marché."
  row 1 Il; row 2 va; row 3-4 au; row 3 à; row 4 le
  row 5 marché SpaceAfter=No; row 6 .; echo
  echo "# text = Bon !"
  row 1 Bon; row 2 '!'; echo
  echo "# newpar"
  echo "# text = Fin."
  row 1 Fin SpaceAfter=No; row 2 .; echo
} >"$tmp/gold.conllu"
{
  row 1 Il; row 2 va; row 3 au; row 4 marché SpaceAfter=No; row 5 .; echo
  row 1 Bon; row 2 '!'; row 3 Fin.; echo
} >"$tmp/sys.conllu"
"$py" "$src/tools/ud_eval.py" "$tmp/gold.conllu" "$tmp/sys.conllu" >"$tmp/out" ||
  fail "ud_eval.py exited $?"
printf 'tokens\t82.35\nwords\t66.67\nsentences\t40.00\n' >"$tmp/want"
cmp -s "$tmp/out" "$tmp/want" || fail "scores: $(cat "$tmp/out")"
# Identical files score 100 everywhere.
"$py" "$src/tools/ud_eval.py" "$tmp/gold.conllu" "$tmp/gold.conllu" >"$tmp/out"
[ "$(grep -c "${t}100.00\$" "$tmp/out")" = 3 ] || fail "self: $(cat "$tmp/out")"
# A different text is an error (exit 2), not a score.
sed 's/marché/marche/' "$tmp/sys.conllu" >"$tmp/bad.conllu"
"$py" "$src/tools/ud_eval.py" "$tmp/gold.conllu" "$tmp/bad.conllu" >/dev/null 2>&1
[ $? = 2 ] || fail "a different text was scored"
# The error listing shows the gold tokens around a missed break.
"$py" "$src/tools/ud_eval.py" --errors 5 "$tmp/gold.conllu" "$tmp/sys.conllu" >"$tmp/out"
grep -q '^SENT missed break .*Bon ! | Fin \.$' "$tmp/out" ||
  fail "error listing: $(cat "$tmp/out")"
# Raw text: sentences of a paragraph joined by a space, paragraphs by an
# empty line.
"$py" "$src/tools/ud_text.py" "$tmp/gold.conllu" >"$tmp/txt"
printf 'Il va au marché. Bon !\n\nFin.\n' >"$tmp/want"
cmp -s "$tmp/txt" "$tmp/want" || fail "ud_text: $(cat "$tmp/txt")"
# --wrap 10 breaks lines at spaces as conllu_to_text.pl does.
"$py" "$src/tools/ud_text.py" --wrap 10 "$tmp/gold.conllu" >"$tmp/txt"
printf 'Il va au\nmarché.\nBon !\n\nFin.\n' >"$tmp/want"
cmp -s "$tmp/txt" "$tmp/want" || fail "ud_text --wrap: $(cat "$tmp/txt")"
[ "$fails" = 0 ] || exit 1
echo "ud_eval: ok"
