#!/bin/sh
# The `tramuntana` command: default run over the bundled article, --help,
# --version, usage errors (exit 2), missing files (exit 1), every output
# format (JSON validated with Python's json module, offsets checked against
# the input), stdin, and JSON Lines streaming: input order kept on several
# threads, ids, bad lines reported with their number while the run goes on,
# progress and summary on stderr.
set -u
cli=${TRAM_CLI:?TRAM_CLI not set}
py=${TRAM_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# expect STATUS CMD...: runs CMD, stdout in $tmp/out, stderr in $tmp/err.
expect() {
  want=$1
  shift
  "$@" >"$tmp/out" 2>"$tmp/err"
  got=$?
  [ "$got" = "$want" ] || fail "'$*' exited $got, not $want: $(head -c 300 "$tmp/err")"
}
has() { grep -q -- "$2" "$1" || fail "$1 lacks '$2': $(head -c 300 "$1")"; }

# --- default run, help, version
expect 0 "$cli"
has "$tmp/out" "sentences"
has "$tmp/out" "language: "
expect 0 "$cli" --help
has "$tmp/out" "usage: "
has "$tmp/out" "analyze"
expect 0 "$cli" analyze --help
has "$tmp/out" "--input"
expect 0 "$cli" --version
grep -Eq '^tramuntana [0-9]+\.[0-9]+\.[0-9]+ \(JSON schema tramuntana/1\)$' "$tmp/out" ||
  fail "--version: $(cat "$tmp/out")"

# --- usage errors: exit 2, a clear message on stderr, nothing on stdout
expect 2 "$cli" --bogus
has "$tmp/err" "unknown option '--bogus'"
expect 2 "$cli" frobnicate
has "$tmp/err" "unknown command 'frobnicate'"
expect 2 "$cli" analyze --format xml
has "$tmp/err" "--format wants"
expect 2 "$cli" analyze --lang klingon
has "$tmp/err" "--lang wants"
expect 2 "$cli" analyze --lang
has "$tmp/err" "wants a value"
expect 2 "$cli" analyze -j -3
has "$tmp/err" "--jobs wants"
expect 2 "$cli" analyze --input jsonl --format tsv
has "$tmp/err" "writes json or stats"
[ -s "$tmp/out" ] && fail "usage error wrote to stdout"

# --- missing file: exit 1, named on stderr; the other files still analysed
printf 'Le chat dort. El gos dorm.\n' >"$tmp/a.txt"
expect 1 "$cli" analyze --format json "$tmp/nope.txt" "$tmp/a.txt"
has "$tmp/err" "nope.txt: No such file or directory"
[ "$(wc -l <"$tmp/out")" = 1 ] || fail "the readable file was not analysed"

# --- formats over one text with multi-byte characters
printf "L'Eurorégion Pyrénées-Méditerranée coopère avec l'Impact Hub du Perthus.\nÀ Barcelone, 7 000 personnes.\n" >"$tmp/fr.txt"
expect 0 "$cli" analyze --lang fr --format json "$tmp/fr.txt"
"$py" - "$tmp/out" "$tmp/fr.txt" <<'EOF' || fail "JSON output"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, len(lines)
doc = json.loads(lines[0])
raw = open(sys.argv[2], "rb").read()
text = raw.decode("utf-8")
assert doc["schema"] == "tramuntana/1", doc["schema"]
assert doc["language"] == "fr"
assert doc["bytes"] == len(raw)
for key in ("sentences", "tokens", "entities", "organisations", "keyphrases", "themes"):
    assert isinstance(doc[key], list), key
assert len(doc["sentences"]) == 2, doc["sentences"]
for t in doc["tokens"]:
    assert raw[t["start"]:t["end"]].decode() == t["text"], t
    assert text[t["cstart"]:t["cend"]] == t["text"], t
    assert isinstance(t["flags"], list)
    assert "words" not in t or len(t["words"]) > 1, t
surf = [t["text"] for t in doc["tokens"]]
assert "L'" in surf and "Eurorégion" in surf, surf
du = [t for t in doc["tokens"] if t["text"] == "du"][0]
assert du["words"] == ["de", "le"], du
for s in doc["sentences"]:
    a, b = s["tokens"]
    assert 0 <= a < b <= len(doc["tokens"])
    assert text[s["cstart"]:s["cend"]].startswith(doc["tokens"][a]["text"])
EOF
expect 0 "$cli" analyze --lang fr --format tsv "$tmp/fr.txt"
head -1 "$tmp/out" | grep -q "^sentence	start	end	text	kind	norm	stem	lang	flags$" ||
  fail "TSV header: $(head -1 "$tmp/out")"
awk -F'\t' 'NF != 9 { bad = 1 } END { exit bad }' "$tmp/out" || fail "TSV has rows without 9 columns"
grep -q "	Eurorégion	word	eurorégion	" "$tmp/out" || fail "TSV lacks the Eurorégion row"
expect 0 "$cli" analyze --lang fr --format conllu "$tmp/fr.txt"
[ "$(grep -c '^# text = ' "$tmp/out")" = 2 ] || fail "CoNLL-U: not two sentences"
awk -F'\t' '/^[0-9]/ && NF != 10 { bad = 1 } END { exit bad }' "$tmp/out" || fail "CoNLL-U rows without 10 columns"
grep -Eq '^[0-9]+-[0-9]+	du	' "$tmp/out" || fail "CoNLL-U lacks the du multiword range"
expect 0 "$cli" analyze --lang fr --format stats "$tmp/fr.txt"
has "$tmp/out" "^documents	1$"
has "$tmp/out" "^tokens	[1-9]"
has "$tmp/out" "^MB/s	"
expect 0 "$cli" analyze --lang fr "$tmp/fr.txt"
has "$tmp/out" "2 sentences"

# --- stdin, and options without the command name
printf 'Hola, ¿qué tal?' | "$cli" analyze --lang es -f json - >"$tmp/out" 2>"$tmp/err" || fail "stdin run"
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["language"]=="es" and d["bytes"]==17, d' "$tmp/out" || fail "stdin JSON"
printf 'Hola.' | "$cli" -l es -f json >"$tmp/out" 2>"$tmp/err" || fail "options without 'analyze'"

# --- JSON Lines: order, ids, bad lines, blank lines, threads
"$py" - "$tmp/in.jsonl" <<'EOF'
import json, sys
texts = ["Le conseil régional finance %d projets à Perpignan." % i for i in range(300)]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    for i, t in enumerate(texts):
        if i == 41:
            f.write("{not json\n")
        elif i == 77:
            f.write('{"id": "no-text"}\n')
        elif i == 100:
            f.write("\n")
        else:
            f.write(json.dumps({"id": "d%d" % i, "text": t * (1 + i % 7)}, ensure_ascii=i % 2 == 0) + "\n")
EOF
for j in 1 3; do
  expect 1 "$cli" analyze --input jsonl -j $j --no-progress "$tmp/in.jsonl"
  "$py" - "$tmp/out" "$tmp/in.jsonl" <<'EOF' || fail "JSON Lines output (-j $j)"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
src = open(sys.argv[2], encoding="utf-8").read().splitlines()
want = [i for i, l in enumerate(src) if l.strip()]
assert len(out) == len(want), (len(out), len(want))
for o, i in zip(out, want):
    if i == 41:
        assert o["error"].startswith("not JSON") and o["line"] == 42 and o["id"] is None, o
    elif i == 77:
        assert "text" in o["error"] and o["line"] == 78 and o["id"] == "no-text", o
    else:
        d = json.loads(src[i])
        assert o["id"] == d["id"], (o["id"], d["id"])
        assert o["schema"] == "tramuntana/1"
        assert o["bytes"] == len(d["text"].encode()), o["bytes"]
        t = o["tokens"][3]
        assert d["text"][t["cstart"]:t["cend"]] == t["text"], t
EOF
  has "$tmp/err" "in.jsonl:42: not JSON"
  has "$tmp/err" "in.jsonl:78: not an object"
  has "$tmp/err" "297 documents, .* 2 errors"
done
expect 1 "$cli" analyze --input jsonl -f stats -q "$tmp/in.jsonl"
has "$tmp/out" "^documents	297$"
has "$tmp/out" "^errors	2$"
grep -q "documents, " "$tmp/err" && fail "--quiet still printed the summary"
# a document's own "lang" overrides --lang; a bad one is an error line
printf '%s\n' '{"id":"es","text":"Hola, ¿qué tal?","lang":"es"}' '{"id":"bad","text":"x","lang":"xx"}' \
  '{"id":"fr","text":"Le chat dort."}' '{"id":"ca","text":"Bon dia.","lang":"ca"}' >"$tmp/lang.jsonl"
expect 1 "$cli" analyze --input jsonl --lang fr -j 2 "$tmp/lang.jsonl"
"$py" - "$tmp/out" <<'EOF' || fail "per-document lang"
import json, sys
out = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
assert [o["id"] for o in out] == ["es", "bad", "fr", "ca"], out
assert [o.get("language") for o in out] == ["es", None, "fr", "ca"], out
assert "lang" in out[1]["error"] and out[1]["line"] == 2, out[1]
EOF
has "$tmp/err" "lang.jsonl:2: \"lang\" must be"
printf '{"text":"Bon dia."}\n' >"$tmp/one.jsonl"
expect 0 "$cli" analyze --input jsonl --progress "$tmp/one.jsonl"
grep -q "$(printf '\r')" "$tmp/err" || fail "--progress drew nothing"
has "$tmp/out" '^{"id":1,"schema":"tramuntana/1"'
expect 0 "$cli" analyze --input jsonl --no-progress "$tmp/one.jsonl"
grep -q "$(printf '\r')" "$tmp/err" && fail "--no-progress drew a bar"
has "$tmp/err" "1 documents, "

[ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "test_cli: ok"
