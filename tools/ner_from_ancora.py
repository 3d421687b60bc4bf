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

    tools/ner_from_ancora.py --unk es_ancora-ud-dev.conllu UNK.conll
    tools/ner_from_ancora.py --fill UNK.conll PRED.tsv OUT.conll

Self-training for those dropped sentences: --unk writes them with their
unclassified spans tagged B-UNK/I-UNK (the spans are gold, only the class is
unknown); ner_eval --pred labels them with a first model; --fill gives each
UNK span the commonest type the model put on its tokens (sentences where the
model saw nothing in some span are dropped).
"""
import collections
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


def convert(sent, unk=False):
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
            if xpos == "np00000" and unk:
                pending.append((len(toks) - 1, "UNK", misc))
                continue
            if xpos == "np00000":
                return None
            if xpos.startswith("np0000") and xpos[6:7] in CLS:
                pending.append((len(toks) - 1, CLS[xpos[6]], misc))
            continue
        toks.append([c[1], "O"])
        xpos, misc = c[4], c[9]
        if xpos == "np00000" and unk:
            pending.append((len(toks) - 1, "UNK", misc))
            continue
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


def fill(unk_path, pred_path, dst):
    sents, cur = [], []
    for line in open(unk_path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            if cur:
                sents.append(cur)
            cur = []
        else:
            cur.append(line.split("\t"))
    if cur:
        sents.append(cur)
    pred = [l.rstrip("\n").split("\t") for l in open(pred_path, encoding="utf-8")
            if l.strip()]
    k = kept = dropped = 0
    with open(dst, "w", encoding="utf-8") as f:
        for s in sents:
            labs = [t[1] for t in s]
            ps = [pred[k + j][2] for j in range(len(s))]
            k += len(s)
            ok, j = True, 0
            while j < len(s) and ok:
                if labs[j] != "B-UNK":
                    j += 1
                    continue
                e = j + 1
                while e < len(s) and labs[e] == "I-UNK":
                    e += 1
                c = collections.Counter(x[2:] for x in ps[j:e] if x != "O")
                if not c:
                    ok = False
                    break
                typ = c.most_common(1)[0][0]
                for q in range(j, e):
                    labs[q] = ("B-" if q == j else "I-") + typ
                j = e
            if not ok:
                dropped += 1
                continue
            kept += 1
            for t, l in zip(s, labs):
                f.write("%s\t%s\n" % (t[0], l))
            f.write("\n")
    print("%s: %d sentences kept, %d dropped" % (dst, kept, dropped),
          file=sys.stderr)


def main():
    if sys.argv[1] == "--fill":
        fill(*sys.argv[2:5])
        return
    unk = sys.argv[1] == "--unk"
    src, dst = sys.argv[2:4] if unk else sys.argv[1:3]
    kept = dropped = 0
    with open(dst, "w", encoding="utf-8") as f:
        for s in sentences(src):
            t = convert(s, unk)
            if unk and (t is None or not any(g.endswith("UNK") for _, g in t)):
                continue
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
