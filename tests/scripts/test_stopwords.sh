#!/bin/sh
# The stop lists (data/lang/{fr,es,ca}/stopwords.tsv) against UD dev: each
# must flag at least 96% of function-word tokens (DET ADP PRON CCONJ SCONJ
# AUX, contractions) and at most 5% of content-word tokens
# (tools/stopwords_check.py). Skips (77) without ../shared.
set -u
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR is not set}
py=${TRAM_PYTHON:-/usr/bin/python3}
shared=${TRAM_SHARED_DIR:-$src/../shared}
if [ ! -d "$shared/data/ud" ]; then
  echo "skipped: $shared/data/ud not found"
  exit 77
fi
exec "$py" "$src/tools/stopwords_check.py" "$shared/data" "$src" \
  --min-function 96 --max-content 5
