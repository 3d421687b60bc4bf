#!/bin/sh
# make eval: runs every tools/eval-*.sh (each one capability's evaluation
# against ../shared/data) with the build folder as $1.
set -u
build=${1:-build}
status=0
for f in tools/eval-*.sh; do
  [ -f "$f" ] || continue
  echo "=== $f"
  sh "$f" "$build" || status=1
done
exit $status
