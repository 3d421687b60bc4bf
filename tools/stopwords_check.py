#!/usr/bin/python3
"""Checks the stop lists data/lang/{fr,es,ca}/stopwords.tsv against UD dev.

Usage: stopwords_check.py SHARED_DATA_DIR [SOURCE_DIR] [--min-function PCT]
                           [--max-content PCT]

For each language, over the surface tokens of the UD dev treebank(s)
(lower-cased, ’ folded to '): the share of function-word tokens (UPOS DET,
ADP, PRON, CCONJ, SCONJ, AUX, or a multiword token such as "du" / "del")
the list flags, the share of content-word tokens (NOUN, PROPN, VERB, ADJ,
ADV, NUM) it flags, the commonest function-word forms it misses and the
list entries that are mostly content words. With the thresholds it exits 1
when a language flags fewer function-word or more content-word tokens
(tests/scripts/test_stopwords.sh), 77 when UD is absent. Dev only: the lists were
written by hand and checked with this report; no test split is read.
"""
import collections
import os
import sys
import unicodedata

DEV = {
    "fr": ["UD_French-GSD/fr_gsd-ud-dev.conllu",
           "UD_French-Sequoia/fr_sequoia-ud-dev.conllu"],
    "es": ["UD_Spanish-AnCora/es_ancora-ud-dev.conllu"],
    "ca": ["UD_Catalan-AnCora/ca_ancora-ud-dev.conllu"],
}
FUNCTION = {"DET", "ADP", "PRON", "CCONJ", "SCONJ", "AUX"}
CONTENT = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"}


def norm(s):
    return s.lower().replace("\u2019", "'").replace("\u02bc", "'")


def tokens(path):
    """Yields (surface form, 'function'|'content'|'other') per token."""
    skip_to = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            c = line.rstrip("\n").split("\t")
            if "-" in c[0]:
                a, b = c[0].split("-")
                skip_to = int(b)
                yield c[1], "function"
                continue
            if "." in c[0] or int(c[0]) <= skip_to:
                continue
            kind = ("function" if c[3] in FUNCTION else
                    "content" if c[3] in CONTENT else "other")
            yield c[1], kind


def main():
    args, min_f, max_c = [], None, None
    argv = sys.argv[1:]
    while argv:
        a = argv.pop(0)
        if a == "--min-function":
            min_f = float(argv.pop(0))
        elif a == "--max-content":
            max_c = float(argv.pop(0))
        else:
            args.append(a)
    data = args[0] if args else "../shared/data"
    src = args[1] if len(args) > 1 else "."
    status, checked = 0, 0
    # Entries must be written as the library's norms are: NFC, lower-case,
    # ASCII apostrophe, one word.
    for lang in DEV:
        with open(os.path.join(src, "data/lang", lang, "stopwords.tsv"),
                  encoding="utf-8") as f:
            for n, l in enumerate(f, 1):
                w = l.rstrip("\n")
                if not w or w[0] == "#":
                    continue
                if (w != unicodedata.normalize("NFC", norm(w)) or
                        any(c.isspace() for c in w)):
                    print("FAIL %s/stopwords.tsv:%d: %r is not a norm" % (
                        lang, n, w))
                    status = 1
    for lang, files in DEV.items():
        paths = [os.path.join(data, "ud", p) for p in files]
        if not all(os.path.exists(p) for p in paths):
            print("skipped %s: UD dev not found" % lang)
            continue
        checked += 1
        with open(os.path.join(src, "data/lang", lang, "stopwords.tsv"),
                  encoding="utf-8") as f:
            stop = {l.strip() for l in f if l.strip() and l[0] != "#"}
        seen = collections.Counter()
        missed = collections.Counter()
        as_content = collections.Counter()
        as_any = collections.Counter()
        for p in paths:
            for form, kind in tokens(p):
                w = norm(form)
                hit = w in stop
                seen[kind, hit] += 1
                if kind == "function" and not hit:
                    missed[w] += 1
                if hit:
                    as_any[w] += 1
                    if kind == "content":
                        as_content[w] += 1
        f_tot = seen["function", True] + seen["function", False]
        c_tot = seen["content", True] + seen["content", False]
        print("%s: %d entries; function-word tokens flagged %.1f%% (%d/%d); "
              "content-word tokens flagged %.2f%% (%d/%d)" % (
                  lang, len(stop), 100 * seen["function", True] / f_tot,
                  seen["function", True], f_tot,
                  100 * seen["content", True] / c_tot,
                  seen["content", True], c_tot))
        print("  commonest function words missed: " + ", ".join(
            "%s %d" % kv for kv in missed.most_common(15)))
        mostly = [(w, n, as_any[w]) for w, n in as_content.most_common()
                  if n * 2 > as_any[w]]
        print("  entries mostly content words: " + (", ".join(
            "%s %d/%d" % t for t in mostly[:15]) or "none"))
        pf = 100 * seen["function", True] / f_tot
        pc = 100 * seen["content", True] / c_tot
        if min_f is not None and pf < min_f:
            print("FAIL %s: function words flagged %.1f%% < %.1f%%" % (
                lang, pf, min_f))
            status = 1
        if max_c is not None and pc > max_c:
            print("FAIL %s: content words flagged %.2f%% > %.2f%%" % (
                lang, pc, max_c))
            status = 1
    return status if checked or status else 77


if __name__ == "__main__":
    sys.exit(main())
