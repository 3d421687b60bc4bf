#!/usr/bin/python3
"""ner_translate.py — machine-translates a two-column IOB2 .conll file with
Apertium, carrying the entity markup through the translation.

    tools/ner_translate.py cat-spa IN.conll OUT.conll

Each sentence becomes one HTML paragraph; each entity is wrapped in
<b class="TYPE">…</b>. Apertium's HTML mode keeps tags as "superblanks", so
the words inside a tag come out translated but still inside it (names it
does not know pass through unchanged, -u drops the unknown-word mark). The
output is re-tokenised (punctuation split off, elided articles split as the
UD treebanks do: l' d' qu'…), tokens inside a tag get B-/I- tags, and
function words the translator pulled into a tag ("du", "de la") are put
back outside. Sentences whose entity count changed are dropped.

Needs the Debian packages apertium, apertium-spa-cat and apertium-fra-cat.
"""
import html
import re
import subprocess
import sys

NOCLOSE_BEFORE = set(",.;:!?)]}»%")
ELISION = re.compile(
    r"^((?:[ldmnstcj]|qu|jusqu|lorsqu|puisqu|quoiqu)['’])(.+)$", re.I)
LEADING_FUNC = {"du", "de", "des", "le", "la", "les", "l'", "d'", "au", "aux",
                "del", "el", "los", "las", "al", "lo", "els", "dels", "als",
                "a", "en", "à"}
PUNCT = re.compile(r"^([\"'«“(\[¿¡]*)(.*?)([\"'»”)\],.;:!?…]*)$")


def read_conll(path):
    sents, cur = [], []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        parts = line.split("\t")
        cur.append((parts[0], parts[1] if len(parts) > 1 else "O"))
    if cur:
        sents.append(cur)
    return sents


def detok(tokens):
    out = ""
    for i, t in enumerate(tokens):
        if i and not (out.endswith("'") or out.endswith("’") or
                      out.endswith("(") or t[:1] in NOCLOSE_BEFORE):
            out += " "
        out += t
    return out


def to_html(sent):
    parts, i = [], 0
    while i < len(sent):
        tok, tag = sent[i]
        if tag.startswith("B-") or tag.startswith("I-"):
            typ = tag[2:]
            j = i + 1
            while j < len(sent) and sent[j][1] == "I-" + typ:
                j += 1
            words = html.escape(detok([t for t, _ in sent[i:j]]), quote=False)
            parts.append('<b class="%s">%s</b>' % (typ, words))
            i = j
        else:
            parts.append(html.escape(tok, quote=False))
            i += 1
    # join with the same spacing rules, tags treated as words
    out = ""
    for k, p in enumerate(parts):
        plain = re.sub(r"<[^>]+>", "", p)
        if k and not (out.endswith("'") or out.endswith("’") or
                      out.endswith("(") or plain[:1] in NOCLOSE_BEFORE):
            out += " "
        out += p
    return "<p>" + out + "</p>"


def tokenize(text):
    toks = []
    for w in text.split():
        m = PUNCT.match(w)
        lead, core, trail = m.group(1), m.group(2), m.group(3)
        toks.extend(lead)
        while core:
            e = ELISION.match(core)
            if e:
                toks.append(e.group(1).replace("’", "'"))
                core = e.group(2)
                continue
            toks.append(core)
            break
        toks.extend(trail if trail != "..." else [trail])
    return [t for t in toks if t]


def from_html(par):
    out = []
    pos = 0
    for m in re.finditer(r'<b class="(\w+)">(.*?)</b>', par):
        for t in tokenize(html.unescape(par[pos:m.start()])):
            out.append((t, "O"))
        ent = tokenize(html.unescape(m.group(2)))
        k = 0
        while k < len(ent) - 1 and ent[k].lower() in LEADING_FUNC:
            out.append((ent[k], "O"))
            k += 1
        for n, t in enumerate(ent[k:]):
            out.append((t, ("B-" if n == 0 else "I-") + m.group(1)))
        pos = m.end()
    for t in tokenize(html.unescape(par[pos:])):
        out.append((t, "O"))
    return out


def main():
    pair, src, dst = sys.argv[1:4]
    sents = read_conll(src)
    doc = "\n".join(to_html(s) for s in sents)
    res = subprocess.run(["apertium", "-f", "html", "-u", pair], input=doc,
                         capture_output=True, text=True, check=True).stdout
    pars = re.findall(r"<p>(.*?)</p>", res, re.S)
    if len(pars) != len(sents):
        sys.exit("paragraph count changed: %d -> %d" % (len(sents), len(pars)))
    kept = dropped = 0
    with open(dst, "w", encoding="utf-8") as f:
        for s, p in zip(sents, pars):
            t = from_html(p.replace("\n", " "))
            ne_in = sum(1 for _, g in s if g.startswith("B-"))
            ne_out = sum(1 for _, g in t if g.startswith("B-"))
            if not t or ne_in != ne_out:
                dropped += 1
                t = [("", "")]  # keep sentence count for block splits
            else:
                kept += 1
            if t[0][0]:
                for tok, g in t:
                    f.write("%s\t%s\n" % (tok, g))
            else:
                f.write(".\tO\n")
            f.write("\n")
    print("%s: %d sentences kept, %d dropped" % (dst, kept, dropped),
          file=sys.stderr)


if __name__ == "__main__":
    main()
