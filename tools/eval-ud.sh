#!/bin/sh
# eval-ud.sh BUILD — tokens / words / sentences F1 (CoNLL 2018 shared task
# definitions, tools/ud_eval.py) of tramuntana against the UD treebanks in
# ../shared/data/ud, from raw text (tools/ud_text.py) as the shared task did.
# Tuning is done on dev; test figures are for reporting only.
# Env: TRAM_SHARED_DIR (default /work/shared), PYTHON (default /usr/bin/python3),
# UD_SPLITS="dev" limits the splits (default "dev test"; "train" adds French-Sequoia
# train, tuning material), UD_ERRORS=N prints N errors of each kind per treebank,
# UD_WRAP=80 wraps the raw text at 80 characters as the shared task's input was.
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
shared=${TRAM_SHARED_DIR:-/work/shared}
ud=$shared/data/ud
py=${PYTHON:-/usr/bin/python3}
cli=$build/tramuntana
if [ ! -d "$ud" ]; then
  echo "eval-ud: $ud not found; skipped"
  exit 0
fi
if [ ! -x "$cli" ]; then
  echo "eval-ud: $cli not found; build first" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
printf '%-20s %-5s %8s %8s %10s\n' treebank split tokens words sentences
for spec in fr:UD_French-GSD:fr_gsd:dev fr:UD_French-GSD:fr_gsd:test \
            es:UD_Spanish-AnCora:es_ancora:dev es:UD_Spanish-AnCora:es_ancora:test \
            ca:UD_Catalan-AnCora:ca_ancora:dev ca:UD_Catalan-AnCora:ca_ancora:test \
            fr:UD_French-Sequoia:fr_sequoia:dev fr:UD_French-Sequoia:fr_sequoia:train; do
  IFS=: read -r lang dir stem split <<EOF
$spec
EOF
  case " ${UD_SPLITS:-dev test} " in *" $split "*) ;; *) continue ;; esac
  gold=$ud/$dir/$stem-ud-$split.conllu
  if [ ! -f "$gold" ]; then
    printf '%-20s %-5s %s\n' "$dir" "$split" "(missing)"
    continue
  fi
  "$py" "$here/ud_text.py" ${UD_WRAP:+--wrap "$UD_WRAP"} "$gold" >"$tmp/in.txt" &&
    "$cli" analyze --lang "$lang" --no-stem --no-entities --no-themes --format conllu "$tmp/in.txt" >"$tmp/sys.conllu" &&
    "$py" "$here/ud_eval.py" "$gold" "$tmp/sys.conllu" >"$tmp/score" || {
    printf '%-20s %-5s %s\n' "$dir" "$split" "(failed)"
    status=1
    continue
  }
  tok=$(awk '$1=="tokens"{print $2}' "$tmp/score")
  wrd=$(awk '$1=="words"{print $2}' "$tmp/score")
  snt=$(awk '$1=="sentences"{print $2}' "$tmp/score")
  printf '%-20s %-5s %8s %8s %10s\n' "$dir" "$split" "$tok" "$wrd" "$snt"
  if [ "${UD_ERRORS:-0}" -gt 0 ]; then
    "$py" "$here/ud_eval.py" --errors "$UD_ERRORS" "$gold" "$tmp/sys.conllu" | tail -n +4
  fi
done
exit $status
