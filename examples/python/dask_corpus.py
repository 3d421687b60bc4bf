#!/usr/bin/env python3
"""Analyse a JSON Lines corpus on a Dask cluster and aggregate the most
frequent organisations and themes.

    dask_corpus.py CORPUS.jsonl [--workers 2] [--scheduler tcp://host:8786]

Each input line is {"id": ..., "text": "..."}. The corpus is read as a
dask.bag in byte-range partitions (--partition-mb); each partition is
analysed inside a worker process with the tramuntana binding (one shared
model per process, one analyzer per thread, via tramuntana.analyze_many)
and reduced there to counts; only the counts travel back and are merged.

Without --scheduler a LocalCluster of worker processes is started on this
machine; with it, the workers of that cluster must be able to import
tramuntana and read the corpus path. Prints the top organisations and
themes, or the whole aggregate as JSON with --json.

Dask comes from Debian (python3-distributed); the binding needs
libtramuntana (TRAMUNTANA_LIBRARY, an install, or a build tree).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from typing import Any, Dict, Iterable, List


def analyse_partition(lines: Iterable[str], lang: str = "auto",
                      threads: int = 1) -> Dict[str, Any]:
    """Analyses the documents of one partition; returns its counts.

    Runs inside a worker: imports tramuntana there, so the driver needs
    only dask."""
    import tramuntana
    texts: List[str] = []
    errors = 0
    for line in lines:
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("text is not a string")
        except (ValueError, KeyError, TypeError):
            errors += 1
            continue
        texts.append(text)
    orgs_mentions: Counter = Counter()
    orgs_docs: Counter = Counter()
    themes_docs: Counter = Counter()
    themes_score: Dict[str, float] = {}
    labels: Dict[str, str] = {}
    langs: Counter = Counter()
    nbytes = 0
    for doc in tramuntana.analyze_many(texts, threads=threads, lang=lang):
        nbytes += len(doc.text.encode("utf-8", "surrogatepass"))
        langs[doc.language] += 1
        for org in doc.organisations:
            orgs_mentions[org.name] += org.mentions
            orgs_docs[org.name] += 1
        for th in doc.themes:
            themes_docs[th.id] += 1
            themes_score[th.id] = themes_score.get(th.id, 0.0) + th.score
            labels.setdefault(th.id, th.label)
    return {"documents": len(texts), "errors": errors, "bytes": nbytes,
            "languages": dict(langs),
            "organisations": {k: [orgs_mentions[k], orgs_docs[k]]
                              for k in orgs_mentions},
            "themes": {k: [themes_docs[k], themes_score[k], labels[k]]
                       for k in themes_docs}}


def merge(parts: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    """Adds up the counts of several partitions."""
    out: Dict[str, Any] = {"documents": 0, "errors": 0, "bytes": 0,
                           "languages": {}, "organisations": {},
                           "themes": {}}
    for p in parts:
        for k in ("documents", "errors", "bytes"):
            out[k] += p[k]
        for k, n in p["languages"].items():
            out["languages"][k] = out["languages"].get(k, 0) + n
        for name, (m, d) in p["organisations"].items():
            cur = out["organisations"].setdefault(name, [0, 0])
            cur[0] += m
            cur[1] += d
        for tid, (d, s, label) in p["themes"].items():
            cur = out["themes"].setdefault(tid, [0, 0.0, label])
            cur[0] += d
            cur[1] += s
    return out


def top(agg: Dict[str, Any], n: int) -> Dict[str, Any]:
    """The n most frequent organisations (by mentions) and themes (by the
    number of documents they were found in)."""
    orgs = sorted(agg["organisations"].items(),
                  key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:n]
    themes = sorted(agg["themes"].items(),
                    key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))[:n]
    return {
        "organisations": [{"name": k, "mentions": m, "documents": d}
                          for k, (m, d) in orgs],
        "themes": [{"id": k, "label": lab, "documents": d,
                    "mean_score": s / d if d else 0.0}
                   for k, (d, s, lab) in themes],
    }


def main(argv: List[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="JSON Lines file ({'id':…, 'text':…})")
    ap.add_argument("--scheduler", help="address of a running Dask "
                    "scheduler (default: start a LocalCluster)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                    help="LocalCluster worker processes (default: CPUs)")
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--partition-mb", type=float, default=4.0,
                    help="bytes of the corpus per partition, in MB")
    ap.add_argument("--lang", default="auto", help="auto, fr, es or ca")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--json", action="store_true",
                    help="print the whole aggregate and the top as JSON")
    args = ap.parse_args(argv)
    if not os.path.exists(args.corpus):
        print(f"dask_corpus: {args.corpus}: no such file", file=sys.stderr)
        return 1

    import dask.bag as db
    from dask.distributed import Client, LocalCluster

    t0 = time.perf_counter()
    if args.scheduler:
        cluster = None
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers,
                               threads_per_worker=args.threads_per_worker,
                               processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        nworkers = len(client.scheduler_info()["workers"])
        bag = db.read_text(os.path.abspath(args.corpus),
                           blocksize=int(args.partition_mb * 1e6))
        lang, threads = args.lang, args.threads_per_worker
        agg = bag.reduction(
            lambda lines: analyse_partition(lines, lang, threads),
            lambda parts: merge(parts)).compute()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    secs = time.perf_counter() - t0
    best = top(agg, args.top)
    if args.json:
        json.dump({"aggregate": agg, "top": best, "workers": nworkers,
                   "seconds": secs}, sys.stdout, ensure_ascii=False)
        print()
    else:
        print(f"{agg['documents']} documents ({agg['errors']} bad lines), "
              f"{agg['bytes'] / 1e6:.2f} MB in {secs:.1f} s on {nworkers} "
              f"workers; languages {agg['languages']}")
        print("\ntop organisations (mentions, documents):")
        for o in best["organisations"]:
            print(f"  {o['mentions']:6d} {o['documents']:6d}  {o['name']}")
        print("\ntop themes (documents, mean score):")
        for t in best["themes"]:
            print(f"  {t['documents']:6d} {t['mean_score']:6.3f}  "
                  f"{t['id']}  {t['label']}")
    return 0 if agg["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
