#!/usr/bin/python3
"""ud_eval.py — tokens / words / sentences F1 as the CoNLL 2018 UD shared task
defines them (Zeman et al. 2018, "CoNLL 2018 Shared Task: Multilingual Parsing
from Raw Text to Universal Dependencies", section 3). Own implementation,
Python 3 standard library only.

    ud_eval.py GOLD.conllu SYSTEM.conllu [--verbose] [--errors N]

Method. Both files are read as sequences of tokens (a multiword range line
"3-4", or a plain word line not inside a range) and syntactic words. Every
FORM loses its space characters (Unicode category Zs); the tokens' forms are
concatenated, and each token gets the span [start, end) of its characters in
that concatenation. The two concatenations must be the same string (the
system tokenised the same text); otherwise the first difference is reported
and the exit status is 2.

- Tokens: a system token is correct when a gold token has the same span.
- Sentences: a sentence's span runs from its first token's start to its last
  token's end; correct when a gold sentence has the same span.
- Words: a word outside a multiword token has its token's span and is aligned
  to a gold word with the same span. Where a multiword token (gold or system)
  is involved, the minimal region covering the overlapping tokens of both
  sides is found, and the words inside it are aligned by the longest common
  subsequence of their lower-cased forms.

Precision = correct / system count, recall = correct / gold count,
F1 = 2PR / (P + R); figures are printed as percentages.
"""

import sys
import unicodedata


class Word:
    __slots__ = ("form", "start", "end", "multi", "sent")

    def __init__(self, form, start, end, multi, sent):
        self.form, self.start, self.end = form, start, end
        self.multi, self.sent = multi, sent


def strip_spaces(s):
    return "".join(c for c in s if unicodedata.category(c) != "Zs")


def load(path):
    """Returns (chars, tokens, words, sentences); tokens and sentences are
    (start, end) spans, words a list of Word."""
    chars = []
    nchars = 0
    tokens, words, sentences = [], [], []
    sent_first = None  # index of the first token of the current sentence
    range_end = 0  # last word id covered by the open multiword token
    mwt = None  # (start, end) of the open multiword token
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if sent_first is not None and len(tokens) > sent_first:
                    sentences.append((tokens[sent_first][0], tokens[-1][1]))
                sent_first = None
                range_end, mwt = 0, None
                continue
            cols = line.split("\t")
            if len(cols) != 10:
                raise SystemExit("%s:%d: expected 10 columns" % (path, lineno))
            if sent_first is None:
                sent_first = len(tokens)
            ident = cols[0]
            if "." in ident:
                continue  # empty node
            form = strip_spaces(cols[1])
            if "-" in ident:
                a, b = ident.split("-")
                range_end = int(b)
                mwt = (nchars, nchars + len(form))
                tokens.append(mwt)
                chars.append(form)
                nchars += len(form)
                continue
            wid = int(ident)
            if mwt is not None and wid <= range_end:
                words.append(Word(form, mwt[0], mwt[1], True, len(sentences)))
                if wid == range_end:
                    mwt = None
                continue
            span = (nchars, nchars + len(form))
            tokens.append(span)
            words.append(Word(form, span[0], span[1], False, len(sentences)))
            chars.append(form)
            nchars += len(form)
    if sent_first is not None and len(tokens) > sent_first:
        sentences.append((tokens[sent_first][0], tokens[-1][1]))
    return "".join(chars), tokens, words, sentences


def span_matches(gold, system):
    """Number of system spans equal to a gold span (both sorted by start)."""
    gi = si = correct = 0
    while gi < len(gold) and si < len(system):
        if system[si][0] < gold[gi][0]:
            si += 1
        elif gold[gi][0] < system[si][0]:
            gi += 1
        else:
            correct += gold[gi][1] == system[si][1]
            gi += 1
            si += 1
    return correct


def _beyond(words, i, end):
    if i >= len(words):
        return True
    if words[i].multi:
        return words[i].start >= end
    return words[i].end > end


def _extend(w, end):
    return w.end if w.multi and w.end > end else end


def _region(gold, system, gi, si):
    """The minimal region around a multiword token: returns gs, ss, gi, si
    with [gs, gi) and [ss, si) the words inside it."""
    if gold[gi].multi:
        end = gold[gi].end
        if not system[si].multi and system[si].start < gold[gi].start:
            si += 1
    else:
        end = system[si].end
        if not gold[gi].multi and gold[gi].start < system[si].start:
            gi += 1
    gs, ss = gi, si
    while not _beyond(gold, gi, end) or not _beyond(system, si, end):
        if gi < len(gold) and (si >= len(system) or
                               gold[gi].start <= system[si].start):
            end = _extend(gold[gi], end)
            gi += 1
        else:
            end = _extend(system[si], end)
            si += 1
    return gs, ss, gi, si


def _lcs_align(g, s):
    """Pairs (i, j) of an LCS alignment of two lists of lower-case forms,
    taking equal forms greedily from the left as the shared task does."""
    n, m = len(g), len(s)
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            v = t[i + 1][j + 1] + 1 if g[i] == s[j] else 0
            t[i][j] = max(v, t[i + 1][j], t[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        if g[i] == s[j]:
            pairs.append((i, j))
            i += 1
            j += 1
        elif t[i][j] == t[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def align_words(gold, system):
    """Returns the list of aligned (gold index, system index) word pairs."""
    pairs = []
    gi = si = 0
    while gi < len(gold) and si < len(system):
        if gold[gi].multi or system[si].multi:
            gs, ss, gi, si = _region(gold, system, gi, si)
            if gi > gs and si > ss:
                gf = [w.form.lower() for w in gold[gs:gi]]
                sf = [w.form.lower() for w in system[ss:si]]
                pairs.extend((gs + a, ss + b) for a, b in _lcs_align(gf, sf))
        else:
            g, s = gold[gi], system[si]
            if (g.start, g.end) == (s.start, s.end):
                pairs.append((gi, si))
                gi += 1
                si += 1
            elif g.start <= s.start:
                gi += 1
            else:
                si += 1
    return pairs


def prf(correct, gold, system):
    p = correct / system if system else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return 100 * p, 100 * r, 100 * f


def evaluate(gold_path, system_path):
    gc, gt, gw, gs = load(gold_path)
    sc, st, sw, ss = load(system_path)
    if gc != sc:
        i = 0
        while i < min(len(gc), len(sc)) and gc[i] == sc[i]:
            i += 1
        raise ValueError(
            "texts differ at character %d: gold %r, system %r"
            % (i, gc[max(0, i - 20):i + 20], sc[max(0, i - 20):i + 20]))
    pairs = align_words(gw, sw)
    return {
        "tokens": (span_matches(gt, st), len(gt), len(st)),
        "words": (len(pairs), len(gw), len(sw)),
        "sentences": (span_matches(gs, ss), len(gs), len(ss)),
    }, (gc, gt, st, gw, sw, pairs, gs, ss)


def show_errors(detail, n):
    """Prints up to n token errors and n sentence errors with context."""
    chars, gt, st, gw, sw, pairs, gs, ss = detail
    gset, sset = set(gt), set(st)

    def ctx(a, b):
        return "%s[%s]%s" % (chars[max(0, a - 25):a], chars[a:b],
                             chars[b:b + 25])

    shown = 0
    for span in st:
        if span not in gset and shown < n:
            g = [x for x in gt if x[0] < span[1] and x[1] > span[0]]
            print("TOKEN sys %s gold %s  %s" % (
                chars[span[0]:span[1]],
                " ".join(chars[a:b] for a, b in g), ctx(span[0], span[1])))
            shown += 1
    for span in gt:
        if span not in sset and shown < 2 * n:
            print("TOKEN missed %s  %s" % (chars[span[0]:span[1]],
                                           ctx(span[0], span[1])))
            shown += 1
    aligned_g = {a for a, _ in pairs}
    shown = 0
    for i, w in enumerate(gw):
        if i not in aligned_g and shown < n:
            sys_words = [x.form for x in sw if x.start < w.end and
                         x.end > w.start]
            print("WORD gold %s (token %s) sys %s" % (
                w.form, chars[w.start:w.end], " ".join(sys_words)))
            shown += 1
    gb = {b for _, b in gs}
    sb = {b for _, b in ss}
    ends = [e for _, e in gt]

    def sent_ctx(b):
        """Gold tokens around offset b, separated by spaces: readable."""
        import bisect
        k = bisect.bisect_right(ends, b)
        left = " ".join(chars[a:e] for a, e in gt[max(0, k - 9):k])
        right = " ".join(chars[a:e] for a, e in gt[k:k + 6])
        return "%s | %s" % (left, right)

    shown = 0
    for b in sorted(sb - gb):
        if shown < n:
            print("SENT extra break  %s" % sent_ctx(b))
            shown += 1
    shown = 0
    for b in sorted(gb - sb):
        if shown < n:
            print("SENT missed break %s" % sent_ctx(b))
            shown += 1


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    verbose = "--verbose" in argv
    nerr = 0
    for i, a in enumerate(argv):
        if a == "--errors" and i + 1 < len(argv):
            nerr = int(argv[i + 1])
            args.remove(argv[i + 1])
    if len(args) != 2:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n")
        return 2
    try:
        scores, detail = evaluate(args[0], args[1])
    except ValueError as e:
        sys.stderr.write("ud_eval: %s\n" % e)
        return 2
    if verbose:
        print("%-10s %9s %9s %9s" % ("Metric", "Precision", "Recall", "F1"))
    for name in ("tokens", "words", "sentences"):
        p, r, f = prf(*scores[name])
        if verbose:
            print("%-10s %9.2f %9.2f %9.2f" % (name, p, r, f))
        else:
            print("%s\t%.2f" % (name, f))
    if nerr:
        show_errors(detail, nerr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
