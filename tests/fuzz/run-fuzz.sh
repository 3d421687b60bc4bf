#!/bin/sh
# run-fuzz.sh TARGET SECONDS [BUILD_DIR]
#
# Runs one libFuzzer target at the lowest priority (nice 19, one process) for
# SECONDS, starting from the committed corpus tests/fuzz/corpus/TARGET plus a
# working corpus in BUILD_DIR/fuzz-work/TARGET; then merges what is new back
# into the committed corpus (-merge=1 keeps only inputs that add coverage).
# Crashes land in BUILD_DIR/fuzz-artifacts/TARGET/; copy each into the
# committed corpus as a regression input once fixed. Prints the executions
# and the CPU time used.
#
# Build first (clang):
#   CC=clang cmake -S . -B build-fuzz -DTRAM_FUZZ_LIBFUZZER=ON \
#     -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined"
#   cmake --build build-fuzz --target fuzz_analyze fuzz_model fuzz_json \
#     fuzz_gazetteer fuzz_taxonomy
set -eu
target=$1
secs=$2
build=${3:-build-fuzz}
src=$(cd "$(dirname "$0")" && pwd)
bin=$build/tests/fuzz/$target
corpus=$src/corpus/$target
work=$build/fuzz-work/$target
art=$build/fuzz-artifacts/$target
mkdir -p "$work" "$art" "$corpus"
log=$build/fuzz-$target.log
dict=""
[ -f "$src/$target.dict" ] && dict="-dict=$src/$target.dict"
start=$(date +%s)
# -rss_limit_mb bounds memory; -max_len keeps inputs small enough to be fast
# (model inputs need the whole model file).
maxlen=4096
[ "$target" = fuzz_model ] && maxlen=$(( $(wc -c < "$(ls -S "$corpus"/* | head -1)") + 64 ))
set +e
/usr/bin/time -f "cpu_user=%U cpu_sys=%S maxrss_kb=%M" \
  nice -n 19 "$bin" -max_total_time="$secs" -max_len="$maxlen" \
  -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 $dict \
  -artifact_prefix="$art/" "$work" "$corpus" > "$log" 2>&1
rc=$?
set -e
nice -n 19 "$bin" -merge=1 -artifact_prefix="$art/merge-" "$corpus" "$work" \
  >> "$log" 2>&1 || true
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
cpu=$(grep -o 'cpu_user=[0-9.]* cpu_sys=[0-9.]*' "$log" | tail -1)
echo "$target: exit=$rc wall=$(( $(date +%s) - start ))s execs=${runs:-?} $cpu crashes=$(ls "$art" | wc -l) corpus=$(ls "$corpus" | wc -l)"
