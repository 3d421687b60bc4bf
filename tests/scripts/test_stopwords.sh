#!/bin/sh
# The stop lists (data/lang/{fr,es,ca}/stopwords.tsv) against UD dev: each
# must flag at least 96% of function-word tokens (DET ADP PRON CCONJ SCONJ
# AUX, contractions) and at most 5% of content-word tokens
# (tools/stopwords_check.py). Every entry must be written as a norm (NFC,
# lower-case, ASCII apostrophe). Skips (77) without ../shared/data/ud, after
# the form check.
set -u
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR is not set}
py=${TRAM_PYTHON:-/usr/bin/python3}
shared=${TRAM_SHARED_DIR:-$src/../shared}
exec "$py" "$src/tools/stopwords_check.py" "$shared/data" "$src" \
  --min-function 96 --max-content 5
