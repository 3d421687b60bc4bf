#!/bin/sh
# Regenerates the article goldens (tests/golden/article.{tsv,txt}) with the
# CLI of BUILD. Read `git diff tests/golden` before committing: a golden
# changes only with a deliberate, explained change of behaviour.
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
cli=$(cd "$build" && pwd)/tramuntana
cd "$src/examples"
"$cli" analyze --format tsv mouves-euroregion-fr.txt >"$src/tests/golden/article.tsv"
"$cli" analyze --format text mouves-euroregion-fr.txt >"$src/tests/golden/article.txt"
git -C "$src" diff --stat -- tests/golden
