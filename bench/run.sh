#!/bin/sh
# make bench: runs every bench/run-*.sh with the build folder as $1.
set -u
build=${1:-build}
status=0
for f in bench/run-*.sh; do
  [ -f "$f" ] || continue
  echo "=== $f"
  sh "$f" "$build" || status=1
done
exit $status
