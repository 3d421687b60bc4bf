#!/usr/bin/python3
"""ner_from_ancora.py — derives a two-column IOB2 NER file from an AnCora
UD treebank (CoNLL-U with AnCora's XPOS), the way
../shared/data/ner/ca_ancora_ud_derived was made:

    tools/ner_from_ancora.py es_ancora-ud-dev.conllu OUT.conll

Surface tokens are kept (a multiword token such as "al" stays one token);
an entity starts at every word tagged np0000X (o ORG, p PER, l LOC, a MISC)
and covers as many surface tokens as its MWE=A_B_C annotation has parts.
Sentences holding an unclassified proper noun (np00000, most of them in the
Spanish treebank) are dropped, so every kept sentence is fully labelled.
"""
import sys

CLS = {"o": "ORG", "p": "PER", "l": "LOC", "a": "MISC"}


def sentences(path):
    cur = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                yield cur
            cur = []
        elif not line.startswith("#"):
            cur.append(line.split("\t"))
    if cur:
        yield cur


def convert(sent):
    toks = []  # [form, tag]
    skip_to = 0
    pending = []  # (surface index, type, parts)
    for c in sent:
        tid = c[0]
        if "." in tid:
            continue
        if "-" in tid:
            a, b = tid.split("-")
            toks.append([c[1], "O"])
            skip_to = int(b)
            continue
        idx = int(tid)
        if idx <= skip_to:
            xpos, misc = c[4], c[9]
            if xpos == "np00000":
                return None
            if xpos.startswith("np0000") and xpos[6:7] in CLS:
                pending.append((len(toks) - 1, CLS[xpos[6]], misc))
            continue
        toks.append([c[1], "O"])
        xpos, misc = c[4], c[9]
        if xpos == "np00000":
            return None
        if xpos.startswith("np0000") and xpos[6:7] in CLS:
            pending.append((len(toks) - 1, CLS[xpos[6]], misc))
    for start, typ, misc in pending:
        n = 1
        for kv in misc.split("|"):
            if kv.startswith("MWE="):
                n = len(kv[4:].split("_"))
        for k in range(start, min(start + n, len(toks))):
            if toks[k][1] != "O":
                break
            toks[k][1] = ("B-" if k == start else "I-") + typ
    return toks


def main():
    src, dst = sys.argv[1:3]
    kept = dropped = 0
    with open(dst, "w", encoding="utf-8") as f:
        for s in sentences(src):
            t = convert(s)
            if t is None:
                dropped += 1
                continue
            kept += 1
            for form, tag in t:
                f.write("%s\t%s\n" % (form, tag))
            f.write("\n")
    print("%s: %d sentences kept, %d dropped" % (dst, kept, dropped),
          file=sys.stderr)


if __name__ == "__main__":
    main()
