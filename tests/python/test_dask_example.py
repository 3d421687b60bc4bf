"""examples/python/dask_corpus.py on a small corpus: a LocalCluster of two
worker processes analyses it by partitions, and its aggregate must equal the
same counts computed here in one process. Skipped when dask.distributed is
not importable or in a sanitizer build (slow, and the worker processes would
inherit the ASan preload)."""

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("TRAM_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(HERE)))
EXAMPLE = os.path.join(SOURCE_DIR, "examples", "python", "dask_corpus.py")

try:
    import dask.bag  # noqa: F401
    import distributed  # noqa: F401
    HAVE_DASK = True
except ImportError:
    HAVE_DASK = False


def load_example():
    spec = importlib.util.spec_from_file_location("dask_corpus", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@unittest.skipUnless(HAVE_DASK, "dask.distributed not importable "
                     "(Debian: apt-get install python3-distributed)")
@unittest.skipIf(os.environ.get("TRAM_SANITIZED") == "1",
                 "sanitizer build")
class TestDaskExample(unittest.TestCase):
    def test_cluster_equals_one_process(self):
        with open(os.path.join(SOURCE_DIR, "examples",
                               "mouves-euroregion-fr.txt"),
                  encoding="utf-8") as f:
            article = f.read()
        paras = [p.strip() for p in article.split("\n") if p.strip()]
        paras += ["L'Ajuntament de Barcelona i la Generalitat de Catalunya "
                  "impulsen l'economia social i solidària.",
                  "La Junta de Andalucía y el Ayuntamiento de Sevilla "
                  "apoyan a las cooperativas de consumo."]
        with tempfile.TemporaryDirectory() as tmp:
            corpus = os.path.join(tmp, "corpus.jsonl")
            lines = [json.dumps({"id": i, "text": p}, ensure_ascii=False)
                     for i, p in enumerate(paras * 3)]
            lines.insert(5, "{this is not json")
            with open(corpus, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            proc = subprocess.run(
                [sys.executable, EXAMPLE, corpus, "--workers", "2",
                 "--partition-mb", "0.004", "--json"],
                capture_output=True, text=True, timeout=120)
            self.assertEqual(proc.returncode, 1, proc.stderr)  # 1 bad line
            out = json.loads(proc.stdout)
        mod = load_example()
        want = mod.merge([mod.analyse_partition(lines)])
        got = out["aggregate"]
        self.assertEqual(out["workers"], 2)
        self.assertEqual(got["documents"], len(paras) * 3)
        self.assertEqual(got["errors"], 1)
        self.assertEqual(got["documents"], want["documents"])
        self.assertEqual(got["bytes"], want["bytes"])
        self.assertEqual(got["languages"], want["languages"])
        self.assertEqual(got["organisations"], want["organisations"])
        self.assertEqual(sorted(got["themes"]), sorted(want["themes"]))
        for tid, (d, s, label) in want["themes"].items():
            self.assertEqual(got["themes"][tid][0], d)
            self.assertAlmostEqual(got["themes"][tid][1], s, places=6)
            self.assertEqual(got["themes"][tid][2], label)
        # The top lists are sorted by their counts.
        ments = [o["mentions"] for o in out["top"]["organisations"]]
        self.assertEqual(ments, sorted(ments, reverse=True))
        docs = [t["documents"] for t in out["top"]["themes"]]
        self.assertEqual(docs, sorted(docs, reverse=True))
        self.assertTrue(out["top"]["themes"], "no theme found at all")


if __name__ == "__main__":
    unittest.main()
