#!/usr/bin/python3
"""conll_sentences.py — an independent sentence-segmentation check built from
a CoNLL NER file (token<TAB>tag per line, blank line between sentences), e.g.
the Spanish CoNLL-2002 EFE news (../shared/data/ner/es_conll2002/train.conll).
Python 3 standard library only.

    conll_sentences.py [--join-dash] CONLL TEXT_OUT GOLD_OUT

Each sentence is detokenised (no space before , . ; : ) ? ! » % or a closing
quote, none after ( ¿ ¡ « or an opening quote; straight double quotes paired
within the sentence), the sentences of a document are joined by a space into
one paragraph, and documents are separated by an empty line in TEXT_OUT.
The files have no document markers: a dateline ("Madrid , 25 may ( EFE ) .")
opens a document, a line of "=" closes one (and is dropped). GOLD_OUT is
CoNLL-U-like: one line per CoNLL token (ID, FORM, eight "_"), an empty line
after each sentence; tools/ud_eval.py scores it against
`tramuntana analyze --format conllu TEXT_OUT` (its sentence F1 only needs the
sentence spans over the non-space characters; its token figures mean little).

CoNLL-2002 conventions differ from AnCora's: a dateline, the "-" after it
and the first sentence are three sentences. --join-dash joins a sentence that
is a lone "-" to the sentences on both sides (AnCora's dated heading, one
sentence). Compare segmenter versions by the difference they make.
"""

import re
import sys

NO_SPACE_BEFORE = set(",.;:)?!»%]}") | {"..."}
NO_SPACE_AFTER = set("(¿¡«[{")
DATELINE = re.compile(r",\s*\d+\s+\w+\s*\(\s*EFE\w*\s*\)\s*\.$")


def read_sentences(path):
    sent = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            tok = line.split("\t")[0]
            if tok == "-DOCSTART-":
                continue
            sent.append(tok)
    if sent:
        yield sent


def detok(tokens):
    """The sentence's text; quotes paired within the sentence."""
    out = []
    glue = True  # no space before the next token
    quote_open = False
    for tok in tokens:
        if tok == '"':
            if quote_open:
                out.append(tok)
                glue = False
            else:
                out.append(("" if glue else " ") + tok)
                glue = True
            quote_open = not quote_open
            continue
        if tok in NO_SPACE_BEFORE or glue:
            out.append(tok)
        else:
            out.append(" " + tok)
        glue = tok in NO_SPACE_AFTER
    return "".join(out)


def documents(path, join_dash):
    doc = []
    for sent in read_sentences(path):
        if all(set(t) <= {"="} for t in sent):
            if doc:
                yield doc
            doc = []
            continue
        if DATELINE.search(" ".join(sent)) and doc:
            yield doc
            doc = []
        doc.append(sent)
    if doc:
        yield doc


def join_dashes(doc):
    out = []
    pending = False  # the last sentence of out ends with a lone "-"
    for sent in doc:
        if sent == ["-"] and out:
            out[-1] = out[-1] + sent
            pending = True
        elif pending:
            out[-1] = out[-1] + sent
            pending = False
        else:
            out.append(sent)
    return out


def main(argv):
    args = [a for a in argv[1:] if a != "--join-dash"]
    join_dash = len(args) != len(argv) - 1
    if len(args) != 3:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    ndocs = nsents = 0
    with open(args[1], "w", encoding="utf-8") as text, \
            open(args[2], "w", encoding="utf-8") as gold:
        for doc in documents(args[0], join_dash):
            if join_dash:
                doc = join_dashes(doc)
            if ndocs:
                text.write("\n")
            text.write(" ".join(detok(s) for s in doc) + "\n")
            for sent in doc:
                for i, tok in enumerate(sent, 1):
                    gold.write("%d\t%s%s\n" % (i, tok, "\t_" * 8))
                gold.write("\n")
            ndocs += 1
            nsents += len(doc)
    sys.stderr.write("conll_sentences: %d documents, %d sentences\n" %
                     (ndocs, nsents))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
