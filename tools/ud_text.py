#!/usr/bin/python3
"""ud_text.py — the raw text of a CoNLL-U file, as the CoNLL 2018 shared task
gave it to the systems (its conllu_to_text.pl), so that tramuntana is
evaluated from raw text.

    ud_text.py [--wrap N] FILE.conllu > FILE.txt

Each sentence contributes its "# text =" line (rebuilt from FORM and
SpaceAfter=No when the comment is missing). Sentences of one paragraph are
joined by one space; "# newdoc" and "# newpar" start a new paragraph, written
after an empty line. A file without any paragraph or document marker (French
GSD and Sequoia) is one paragraph, as in the shared task: nothing in the
text tells where a paragraph ends, and inventing breaks (one per sentence,
say) would hand the segmenter the answer.

One difference from conllu_to_text.pl: it wraps lines at 80 characters
(a newline in place of a space); we write each paragraph on one line, because
line wrapping is a presentation artefact that a text of prose does not carry,
and tramuntana, like ICU, takes a line break as a sentence boundary.
--wrap N wraps lines at N characters as conllu_to_text.pl does (at the last
space that keeps a line within N characters): the shared task's exact
input, to measure how the segmenter copes with hard-wrapped prose.
"""

import sys


def sentences(path):
    """Yields (newpar, text) per sentence."""
    newpar, text, forms, skip = False, None, [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line.startswith("#"):
                body = line[1:].strip()
                if body.startswith("newdoc") or body.startswith("newpar"):
                    newpar = True
                elif body.startswith("text") and "=" in body:
                    text = body.split("=", 1)[1].strip()
                continue
            if not line.strip():
                if forms or text:
                    yield newpar, text if text is not None else "".join(forms)
                newpar, text, forms, skip = False, None, [], 0
                continue
            cols = line.split("\t")
            if "." in cols[0]:
                continue
            if "-" in cols[0]:
                skip = int(cols[0].split("-")[1])
                forms.append(cols[1])
                forms.append("" if "SpaceAfter=No" in cols[9] else " ")
                continue
            if int(cols[0]) <= skip:
                continue
            forms.append(cols[1])
            forms.append("" if "SpaceAfter=No" in cols[9] else " ")
    if forms or text:
        yield newpar, text if text is not None else "".join(forms)


def wrap(line, width):
    """Breaks `line` at spaces into lines of at most `width` characters
    (a longer word stays whole on its own line)."""
    out, cur = [], ""
    for word in line.split(" "):
        if cur and len(cur) + 1 + len(word) > width:
            out.append(cur)
            cur = word
        else:
            cur = cur + " " + word if cur else word
    out.append(cur)
    return "\n".join(out)


def main(argv):
    width = 0
    if len(argv) == 4 and argv[1] == "--wrap":
        width = int(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) != 2:
        sys.stderr.write("usage: ud_text.py [--wrap N] FILE.conllu\n")
        return 2
    out = []
    para = []
    for newpar, text in sentences(argv[1]):
        if newpar and para:
            out.append(" ".join(para))
            para = []
        para.append(text.strip())
    if para:
        out.append(" ".join(para))
    if width > 0:
        out = [wrap(p, width) for p in out]
    sys.stdout.write("\n\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
