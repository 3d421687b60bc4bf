#!/bin/sh
# Streaming at scale (issue 5 targets), in one run:
#  1. peak RSS of `tramuntana analyze --input jsonl` on a ~10 MB corpus and
#     on a much larger one (BIG_MB, default 1000 MB: the 10 MB corpus
#     repeated) — memory must stay flat (< 10% apart);
#  2. documents/s with -j 2 against -j 1 on the 10 MB corpus (target >= 1.8x
#     on two idle cores);
#  3. Python analyze_many(threads=J) against the CLI (-j J) on 10,000 short
#     documents (target >= 80%);
#  4. Python: import tramuntana + first analysis (target < 200 ms).
# The corpus is real prose: the fr, es and ca language-id training texts of
# ../shared/data/langid/train (Debian package descriptions and docs; licences
# in their SOURCE.md), grouped 8 lines to a document.
#
#   sh bench/run-stream.sh BUILD_DIR            (make bench runs it)
#   BIG_MB=200 sh bench/run-stream.sh build     (smaller big corpus)
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/.." && pwd)
cli=$build/tramuntana
lib=$build/libtramuntana.so.1
py=${TRAM_PYTHON:-/usr/bin/python3}
big_mb=${BIG_MB:-1000}
jobs=${JOBS2:-2}
data=${TRAM_SHARED_DIR:-$src/../shared}/data/langid/train
[ -x "$cli" ] || { echo "run-stream: $cli not built" >&2; exit 1; }
[ -r "$data/fr.txt" ] || { echo "run-stream: $data not found; skipped" >&2; exit 0; }
tmp=${TMPDIR:-/tmp}/tram-stream.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM

# --- corpora
"$py" - "$data" "$tmp" "$big_mb" <<'EOF'
import json, os, sys
data, out, big_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
langs = ["fr", "es", "ca"]
lines = {l: open(os.path.join(data, l + ".txt"), encoding="utf-8").read().splitlines() for l in langs}
docs = []
for l in langs:
    ls = lines[l]
    for i in range(0, len(ls) - 7, 8):
        docs.append(" ".join(ls[i:i + 8]))
# interleave languages
docs = [d for trio in zip(*[docs[i::3] for i in range(3)]) for d in trio]
with open(os.path.join(out, "small.jsonl"), "w", encoding="utf-8") as f:
    size = 0
    n = 0
    while size < 10_000_000:
        d = docs[n % len(docs)]
        line = json.dumps({"id": n, "text": d}, ensure_ascii=False) + "\n"
        f.write(line)
        size += len(line.encode())
        n += 1
shorts = [s for l in langs for s in lines[l] if 40 <= len(s) <= 200]
with open(os.path.join(out, "short.jsonl"), "w", encoding="utf-8") as f:
    for i in range(10_000):
        f.write(json.dumps({"id": i, "text": shorts[(i * 7919) % len(shorts)]}, ensure_ascii=False) + "\n")
EOF
small=$tmp/small.jsonl
small_bytes=$(wc -c <"$small")
big=$tmp/big.jsonl
reps=$(( (big_mb * 1000000 + small_bytes - 1) / small_bytes ))
i=0
: >"$big"
while [ $i -lt $reps ]; do cat "$small" >>"$big"; i=$((i + 1)); done
big_bytes=$(wc -c <"$big")

echo "== tramuntana streaming benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "corpora: small $small_bytes bytes, big $big_bytes bytes ($reps x small), short 10000 docs"

# run LABEL ARGS...: one CLI run; prints wall time, docs/s, MB/s, CPU
# seconds (user + sys, all threads) and peak RSS.
run() {
  label=$1
  shift
  /usr/bin/time -f "%e %M %U %S" -o "$tmp/time" "$cli" analyze --no-progress -q "$@" >"$tmp/stats"
  set -- $(cat "$tmp/time")
  docs=$(awk '$1 == "documents" { print $2 }' "$tmp/stats")
  bytes=$(awk '$1 == "bytes" { print $2 }' "$tmp/stats")
  awk -v l="$label" -v s="$1" -v rss="$2" -v u="$3" -v y="$4" -v d="$docs" -v b="$bytes" 'BEGIN {
    printf "%-26s %7.2f s %6.0f docs/s %6.2f MB/s  CPU %7.2f s  peak RSS %6.1f MB\n", l, s, d / s, b / s / 1e6, u + y, rss / 1024 }'
  echo "$1 $2 $docs" >"$tmp/last"
}

echo
echo "-- 1. memory: $cli analyze --input jsonl -j $jobs -f stats FILE"
run "10 MB corpus, -j $jobs" --input jsonl -j "$jobs" -f stats "$small"
rss_small=$(cut -d' ' -f2 "$tmp/last")
run "$((big_bytes / 1000000)) MB corpus, -j $jobs" --input jsonl -j "$jobs" -f stats "$big"
rss_big=$(cut -d' ' -f2 "$tmp/last")
awk -v a="$rss_small" -v b="$rss_big" 'BEGIN { printf "peak RSS big/small: %.3f (target < 1.10)\n", b / a }'

echo
echo "-- 2. threads: $cli analyze --input jsonl -j N FILE > /dev/null (JSON out)"
for j in 1 2; do
  /usr/bin/time -f "%e %U %S" -o "$tmp/j$j" "$cli" analyze --no-progress -q --input jsonl -j $j "$small" >/dev/null
done
n_small=$(wc -l <"$small")
awk -v n="$n_small" -v b="$small_bytes" '
  FILENAME ~ /j1$/ { t1 = $1; c1 = $2 + $3 } FILENAME ~ /j2$/ { t2 = $1; c2 = $2 + $3 }
  END {
    printf "-j 1: %6.2f s %6.0f docs/s %6.2f MB/s  CPU %6.2f s\n", t1, n / t1, b / t1 / 1e6, c1
    printf "-j 2: %6.2f s %6.0f docs/s %6.2f MB/s  CPU %6.2f s\n", t2, n / t2, b / t2 / 1e6, c2
    printf "-j 2 / -j 1 docs/s: %.2fx (target >= 1.8x on two idle cores)\n", t1 / t2
    printf "CPU seconds -j 2 / -j 1: %.2f (1.00 = no parallel overhead)\n", c2 / c1 }' "$tmp/j1" "$tmp/j2"

echo
echo "-- 3. Python analyze_many(threads=$jobs) vs CLI -j $jobs, 10000 short documents"
/usr/bin/time -f "%e %U %S" -o "$tmp/time" "$cli" analyze --no-progress -q --input jsonl -j "$jobs" "$tmp/short.jsonl" >/dev/null
cat >"$tmp/many.py" <<'EOF'
import json, sys, time
path, jobs = sys.argv[1], int(sys.argv[2])
cli_s, cli_cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
import tramuntana
texts = [json.loads(l)["text"] for l in open(path, encoding="utf-8")]
tramuntana.analyze("Bon dia.")  # model loaded (the CLI's start-up is timed)
t1, c1 = time.perf_counter(), time.process_time()
docs = tramuntana.analyze_many(texts, threads=jobs)
t2, c2 = time.perf_counter(), time.process_time()
ntok = sum(len(d.tokens) for d in docs)
t3 = time.perf_counter()
n = len(texts)
print(f"CLI -j {jobs} (whole process, JSON out): {cli_s:6.2f} s {n / cli_s:6.0f} docs/s  CPU {cli_cpu:5.2f} s")
print(f"analyze_many(threads={jobs}):           {t2 - t1:6.2f} s {n / (t2 - t1):6.0f} docs/s  CPU {c2 - c1:5.2f} s")
print(f"  -> {cli_s / (t2 - t1) * 100:.0f}% of the CLI's docs/s; "
      f"{cli_cpu / (c2 - c1) * 100:.0f}% per CPU second (target >= 80%)")
print(f"  then {ntok} Token objects built on first access: {t3 - t2:.2f} s")
EOF
# shellcheck disable=SC2046
TRAMUNTANA_LIBRARY=$lib PYTHONPATH=$src/bindings/python "$py" "$tmp/many.py" "$tmp/short.jsonl" "$jobs" $(cat "$tmp/time")

echo
echo "-- 4. Python import + first analysis (3 fresh processes)"
for k in 1 2 3; do
  TRAMUNTANA_LIBRARY=$lib PYTHONPATH=$src/bindings/python "$py" -c '
import time
t0, c0 = time.perf_counter(), time.process_time()
import tramuntana
t1 = time.perf_counter()
d = tramuntana.analyze("Le conseil régional a voté le budget de la région.")
assert d.tokens
t2, c2 = time.perf_counter(), time.process_time()
print("import %.0f ms + first analysis (model load included) %.0f ms = %.0f ms, CPU %.0f ms (target < 200 ms)"
      % ((t1 - t0) * 1e3, (t2 - t1) * 1e3, (t2 - t0) * 1e3, (c2 - c0) * 1e3))'
done
