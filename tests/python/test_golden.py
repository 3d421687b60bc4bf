"""The Python binding over the bundled article agrees with the reviewed CLI
golden (tests/golden/article.tsv): same tokens, offsets (converted from
bytes), kinds, norms, stems, languages and flags; and the same
organisations, keyphrases and themes as the golden summary."""
import os
import unittest

import tramuntana

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ARTICLE = os.path.join(SRC, "examples", "mouves-euroregion-fr.txt")
GOLDEN = os.path.join(SRC, "tests", "golden")


class TestGolden(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(ARTICLE, encoding="utf-8") as f:
            cls.text = f.read()
        cls.doc = tramuntana.analyze(cls.text, lang="auto")

    def test_tokens_match_golden(self):
        with open(os.path.join(GOLDEN, "article.tsv"), encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f][1:]
        toks = self.doc.tokens
        self.assertEqual(len(toks), len(rows))
        for t, r in zip(toks, rows):
            sent, bstart, bend, text, kind, norm, stem, lang, flags = r
            self.assertEqual((t.sentence, t.byte_start, t.byte_end),
                             (int(sent), int(bstart), int(bend)))
            self.assertEqual(self.text[t.start:t.end], t.text)
            self.assertEqual((t.text, t.kind, t.norm, t.stem, t.lang),
                             (text, kind, norm, stem, lang))
            self.assertEqual(",".join(t.flags), flags)

    def test_summary_lists_match_golden(self):
        with open(os.path.join(GOLDEN, "article.txt"), encoding="utf-8") as f:
            golden = f.read()
        for org in self.doc.organisations:
            self.assertIn(org.name, golden)
        for kp in self.doc.keyphrases:
            self.assertIn(kp.text, golden)
        for th in self.doc.themes:
            self.assertIn(th.id, golden)


    def test_regressions(self):
        path = os.path.join(GOLDEN, "regressions.tsv")
        with open(path, encoding="utf-8") as f:
            cases = [line.rstrip("\n").split("\t") for line in f
                     if line.strip() and not line.startswith("#")]
        self.assertGreater(len(cases), 0)
        for name, lang, text, expected in cases:
            doc = tramuntana.analyze(text, lang=lang)
            got = " ".join(f"{t.text}/{t.sentence}" for t in doc.tokens)
            self.assertEqual(got, expected, name)


if __name__ == "__main__":
    unittest.main()
