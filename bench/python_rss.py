"""RSS growth of the Python binding over many analyses (issue: 100,000
analyses must leave RSS flat, < 5 MB growth after warm-up).

    TRAMUNTANA_LIBRARY=build/libtramuntana.so.1 PYTHONPATH=bindings/python \
        /usr/bin/python3 bench/python_rss.py [N]

Analyses N (default 100,000) short varied sentences with one Analyzer,
touching every token, and prints RSS after the first 10,000 (warm-up)
and at the end. By default every text also carries a new number, so the
analyzer's word cache keeps filling up to its bound (16 MB); UNIQUE=0
repeats the same texts, which shows what a leak would add.
Measured: 100,000 analyses +4.2 MB (UNIQUE=1; +6.3 MB at 300,000, the
cache filling towards its bound), -0.1 MB (UNIQUE=0)."""
import os
import sys

import tramuntana

WORDS = ("l'entreprise sociale coopérative del barri els veïns la ciudad "
         "emprendedores finance solidaire Barcelona Toulouse atur empleo "
         "dóna-li porta'ls dímelo au du des 7 000 12,5 % www.exemple.org").split()


UNIQUE = os.environ.get("UNIQUE", "1") == "1"


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    warm = min(10_000, n // 10)
    with tramuntana.Analyzer(lang="auto") as an:
        base = None
        for i in range(n):
            k = i % len(WORDS)
            text = " ".join(WORDS[k:] + WORDS[:k]) + (f" {i}." if UNIQUE else ".")
            doc = an.analyze(text)
            for t in doc.tokens:
                t.stem
            doc.organisations, doc.keyphrases, doc.themes
            if i + 1 == warm:
                base = rss_mb()
    end = rss_mb()
    print(f"{n} analyses: RSS {base:.1f} MB after {warm}, {end:.1f} MB at the "
          f"end: growth {end - base:+.2f} MB (target < 5 MB)")


if __name__ == "__main__":
    main()
