#!/bin/sh
# The Python binding's unit tests (tests/python, unittest) against the
# library of this build, with Debian's Python ($TRAM_PYTHON).
# In a sanitizer build the library needs the ASan runtime preloaded into the
# (uninstrumented) interpreter; leaks of Python itself are not ours.
set -u
py=${TRAM_PYTHON:-/usr/bin/python3}
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR not set}
command -v "$py" >/dev/null 2>&1 || { echo "skip: $py not found"; exit 77; }
export TRAMUNTANA_LIBRARY="${TRAM_LIBRARY:?TRAM_LIBRARY not set}"
export PYTHONPATH="$src/bindings/python${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1
if [ "${TRAM_SANITIZED:-0}" = 1 ]; then
  asan=$(${CC:-cc} -print-file-name=libasan.so)
  ubsan=$(${CC:-cc} -print-file-name=libubsan.so)
  export LD_PRELOAD="$asan $ubsan"
  export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
fi
exec "$py" -m unittest discover -s "$src/tests/python" -p 'test_*.py' -v
