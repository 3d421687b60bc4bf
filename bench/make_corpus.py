#!/usr/bin/python3
"""Builds the throughput corpus: real fr/es/ca text from ../shared/data.

Usage: make_corpus.py SHARED_DATA_DIR OUT_DIR

Writes OUT_DIR/corpus-{fr,es,ca}.txt: documents separated by one blank line
(a document has no blank line inside), and OUT_DIR/corpus.md describing what
went in. Only dev and train material is read, never a test split:

  - UD dev treebanks (fr GSD, fr Sequoia, es AnCora, ca AnCora): the
    `# text =` sentences, 20 per document (news, wiki, fiction);
  - keyphrase documents (fr WikiNews; es CACIC, WICC abstracts and papers):
    one document per file;
  - language-id training text (langid/train/{fr,es,ca}.txt: Debian help
    pages and interface messages): 40 lines per document.

Licences of the sources are in their SOURCE.md files; the corpus is a build
product, never committed.
"""
import glob
import os
import sys

UD = {
    "fr": ["UD_French-GSD/fr_gsd-ud-dev.conllu",
           "UD_French-Sequoia/fr_sequoia-ud-dev.conllu"],
    "es": ["UD_Spanish-AnCora/es_ancora-ud-dev.conllu"],
    "ca": ["UD_Catalan-AnCora/ca_ancora-ud-dev.conllu"],
}
KEYPHRASE = {"fr": ["fr_wikinews"], "es": ["es_cacic57", "es_wicc78"],
             "ca": []}


def chunks(lines, n):
    for i in range(0, len(lines), n):
        yield "\n".join(lines[i:i + n])


def clean(doc):
    doc = doc.replace("\ufeff", "").replace("\r", "")
    return "\n".join(l.rstrip() for l in doc.split("\n") if l.strip())


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    report = ["# Throughput corpus (built by bench/make_corpus.py)", "",
              "| lang | source | documents | bytes |", "|---|---|---:|---:|"]
    for lang in ("fr", "es", "ca"):
        docs = []

        def add(source, items):
            items = [clean(d) for d in items]
            items = [d for d in items if d]
            docs.extend(items)
            report.append("| %s | %s | %d | %d |" % (
                lang, source, len(items),
                sum(len(d.encode()) for d in items)))

        for rel in UD[lang]:
            with open(os.path.join(data, "ud", rel), encoding="utf-8") as f:
                sents = [l[len("# text = "):].rstrip("\n") for l in f
                         if l.startswith("# text = ")]
            add("ud/" + rel, chunks(sents, 20))
        for kp in KEYPHRASE[lang]:
            files = sorted(glob.glob(os.path.join(data, "keyphrase", kp,
                                                  "docsutf8", "*.txt")))
            texts = []
            for p in files:
                with open(p, encoding="utf-8", errors="replace") as f:
                    texts.append(f.read())
            add("keyphrase/%s/docsutf8" % kp, texts)
        with open(os.path.join(data, "langid", "train", lang + ".txt"),
                  encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f]
        add("langid/train/%s.txt" % lang, chunks(lines, 40))
        with open(os.path.join(out, "corpus-%s.txt" % lang), "w",
                  encoding="utf-8") as f:
            f.write("\n\n".join(docs) + "\n")
    with open(os.path.join(out, "corpus.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(report) + "\n")
    print("\n".join(report))


if __name__ == "__main__":
    main()
