#!/bin/sh
# Golden test of the CLI over the bundled article: the token table
# (tests/golden/article.tsv) and the readable summary
# (tests/golden/article.txt) must match byte for byte. The goldens were read
# by a person before they were committed; when a deliberate change alters
# them, regenerate with tools/golden-update.sh BUILD, read the diff, and
# commit it with the reason.
set -u
cli=${TRAM_CLI:?TRAM_CLI not set}
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
cd "$src/examples" || exit 1
for fmt in tsv text; do
  ext=$fmt; [ "$fmt" = text ] && ext=txt
  if ! "$cli" analyze --format "$fmt" mouves-euroregion-fr.txt >"$tmp/out.$ext"; then
    echo "FAIL: the CLI failed on the article ($fmt)"
    status=1
    continue
  fi
  if ! diff -u "$src/tests/golden/article.$ext" "$tmp/out.$ext" >"$tmp/diff"; then
    echo "FAIL: $fmt output differs from tests/golden/article.$ext:"
    head -60 "$tmp/diff"
    status=1
  else
    echo "ok: article.$ext"
  fi
done
# Regression cases (tests/golden/regressions.tsv), named after their bug.
grep -v '^#' "$src/tests/golden/regressions.tsv" |
  while IFS="$(printf '\t')" read -r name lang input expected; do
    got=$(printf '%s' "$input" | "$cli" analyze --lang "$lang" --format tsv |
      awk -F'\t' 'NR > 1 { printf "%s%s/%s", (NR > 2 ? " " : ""), $4, $1 }')
    if [ "$got" != "$expected" ]; then
      echo "FAIL: regression $name: got '$got', want '$expected'"
      echo fail >>"$tmp/regressions"
    else
      echo "ok: regression $name"
    fi
  done
[ -s "$tmp/regressions" ] && status=1
exit $status
