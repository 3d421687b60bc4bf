"""Tests of the Python binding (bindings/python/tramuntana).

Run by tests/scripts/test_python.sh with TRAMUNTANA_LIBRARY pointing at the
library under test and the binding on PYTHONPATH.
"""

import ctypes
import json
import os
import re
import subprocess
import threading
import unittest

import tramuntana
from tramuntana import _native

SOURCE_DIR = os.environ.get(
    "TRAM_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
        __file__)))))

FR = ("L'Eurorégion Pyrénées-Méditerranée coopère avec l'Impact Hub du "
      "Perthus. À Barcelone, 7 000 personnes 🙂 sont venues.")


def check_offsets(tc, doc):
    b = doc.text.encode("utf-8", "surrogatepass")
    for t in doc.tokens:
        tc.assertEqual(doc.text[t.start:t.end], t.text)
        if not re.search("[\ud800-\udfff]", t.text):
            tc.assertEqual(b[t.byte_start:t.byte_end].decode(), t.text)
        tc.assertLessEqual(t.start, t.end)
    for s in doc.sentences:
        tc.assertEqual(doc.text[s.start:s.end], s.text)
        tc.assertEqual(list(s.tokens),
                       doc.tokens[s.token_start:s.token_end])


class TestNative(unittest.TestCase):
    def test_every_prototype_declared(self):
        header = open(os.path.join(SOURCE_DIR, "include", "tramuntana.h"),
                      encoding="utf-8").read()
        names = set(re.findall(r"TRAM_API[^;(]*?\b(tram_\w+)\s*\(", header))
        self.assertGreater(len(names), 30)
        for name in names:
            f = getattr(_native, name, None)
            self.assertIsNotNone(f, name)
            self.assertIsNotNone(f.argtypes, name)

    def test_version(self):
        self.assertRegex(tramuntana.version(), r"^\d+\.\d+\.\d+$")
        self.assertEqual(tramuntana.__version__, tramuntana.version())
        self.assertEqual(tramuntana.schema, "tramuntana/1")
        n = _native.tram_version_number()
        major, minor, patch = map(int, tramuntana.version().split("."))
        self.assertEqual(n, major * 10000 + minor * 100 + patch)

    def test_loaded_the_library_under_test(self):
        want = os.environ.get("TRAMUNTANA_LIBRARY")
        if want:
            self.assertEqual(os.path.realpath(_native.path),
                             os.path.realpath(want))

    def test_statuses_become_errors(self):
        with self.assertRaises(tramuntana.TramuntanaError) as cm:
            _native.check(_native.ENOMEM)
        self.assertEqual(cm.exception.code, _native.ENOMEM)
        self.assertIn("out of memory", cm.exception.message)
        _native.check(0)


class TestAnalyze(unittest.TestCase):
    def test_tokens_and_offsets(self):
        doc = tramuntana.analyze(FR, lang="fr")
        self.assertEqual(doc.language, "fr")
        surf = [t.text for t in doc.tokens]
        for w in ("L'", "Eurorégion", "l'", "Impact", "du", "🙂"):
            self.assertIn(w, surf)
        check_offsets(self, doc)
        du = doc.tokens[surf.index("du")]
        self.assertEqual(du.words, ("de", "le"))
        self.assertIn("multiword", du.flags)
        self.assertEqual(doc.tokens[0].words, ())
        # After the emoji (1 Python char, 4 bytes) indices and bytes differ
        # by the multi-byte characters before it.
        last = doc.tokens[-1]
        self.assertEqual(last.end, len(FR))
        self.assertEqual(last.byte_end, len(FR.encode()))
        self.assertEqual(len(doc.sentences), 2)
        self.assertTrue(all(t.sentence in (0, 1) for t in doc.tokens))

    def test_languages(self):
        es = tramuntana.analyze("Dámelo, por favor, al salir del cine.",
                                lang="es")
        self.assertEqual(es.language, "es")
        self.assertTrue(any(t.words for t in es.tokens), es.tokens)
        ca = tramuntana.analyze("La col·lecció del museu.", lang="ca")
        self.assertIn("col·lecció", [t.text for t in ca.tokens])
        with self.assertRaises(ValueError):
            tramuntana.analyze("x", lang="xx")
        with self.assertRaises(TypeError):
            tramuntana.analyze("x", lang=3)

    def test_stems_and_stop_words(self):
        doc = tramuntana.analyze("Les enfants mangeaient des pommes.",
                                 lang="fr")
        by = {t.text: t for t in doc.tokens}
        self.assertEqual(by["mangeaient"].stem, "mang")
        self.assertTrue(by["Les"].is_stop)
        self.assertEqual(by["Les"].norm, "les")
        nostem = tramuntana.analyze("Les enfants mangeaient.", lang="fr",
                                    stem=False)
        self.assertEqual(nostem.tokens[2].stem, "")

    def test_wrong_types(self):
        for bad in (None, b"bytes", 3, ["a"], bytearray(b"x")):
            with self.assertRaises(TypeError):
                tramuntana.analyze(bad)
        with self.assertRaises(TypeError):
            tramuntana.analyze_many(["ok", None])
        with self.assertRaises(TypeError):
            tramuntana.Analyzer(model="not a model")
        with self.assertRaises(TypeError):
            tramuntana.identify(None)

    def test_empty_nul_and_surrogates(self):
        self.assertEqual(len(tramuntana.analyze("")), 0)
        doc = tramuntana.analyze("a\x00b c", lang="fr")
        check_offsets(self, doc)
        text = "Le chat\ud800 dort. Ça va\udfff."
        doc = tramuntana.analyze(text, lang="fr")
        self.assertEqual(doc.text, text)
        check_offsets(self, doc)
        self.assertEqual(doc.tokens[-1].end, len(text))
        repl = [t for t in doc.tokens if "\ufffd" in t.norm]
        self.assertTrue(repl)
        for t in repl:
            self.assertRegex(t.text, "[\ud800-\udfff]")

    def test_to_dict(self):
        doc = tramuntana.analyze(FR, lang="fr")
        d = doc.to_dict()
        json.dumps(d)  # plain data only
        self.assertEqual(d["schema"], "tramuntana/1")
        self.assertEqual(len(d["tokens"]), len(doc.tokens))
        self.assertEqual(d["tokens"][1]["text"], "Eurorégion")
        self.assertEqual(d["tokens"][1]["start"], 2)
        self.assertEqual(d["tokens"][2]["byte_start"], 14)
        for key in ("entities", "organisations", "keyphrases", "themes"):
            self.assertIsInstance(d[key], list)
            self.assertIsInstance(getattr(doc, key), list)
        for e in doc.entities:
            self.assertEqual(doc.text[e.start:e.end], e.text)
        for th in doc.themes:
            for ev in th.evidence:
                self.assertEqual(doc.text[ev.start:ev.end].lower(),
                                 ev.term.lower())

    def test_struct_arrays_agree_with_library_json(self):
        # The binding reads the C arrays; the library writes JSON from the
        # same doc: both must say the same thing, field by field.
        with open(os.path.join(SOURCE_DIR, "examples",
                               "mouves-euroregion-fr.txt"),
                  encoding="utf-8") as f:
            article = f.read()
        texts = [FR, "Dámelo del cajón, al lado. ¿Vale?",
                 "L'Ajuntament de Girona i la Generalitat de Catalunya "
                 "han signat un conveni amb la Universitat de Girona.",
                 article]
        an = tramuntana.Analyzer()
        seen = set()
        for text in texts:
            doc = an.analyze(text)
            raw = json.loads(an.analyze_json(text))
            self.assertEqual(raw["language"], doc.language)
            self.assertEqual(len(raw["tokens"]), len(doc.tokens))
            for t, r in zip(doc.tokens, raw["tokens"]):
                self.assertEqual(
                    (t.text, t.start, t.end, t.byte_start, t.byte_end,
                     t.kind, t.norm, t.stem, t.lang, t.sentence,
                     list(t.flags), list(t.words)),
                    (r["text"], r["cstart"], r["cend"], r["start"],
                     r["end"], r["kind"], r["norm"], r["stem"], r["lang"],
                     r["sentence"], r["flags"], r.get("words", [])))
            self.assertEqual(
                [(s.start, s.end, s.byte_start, s.byte_end, s.lang,
                  s.token_start, s.token_end) for s in doc.sentences],
                [(s["cstart"], s["cend"], s["start"], s["end"], s["lang"],
                  s["tokens"][0], s["tokens"][1]) for s in raw["sentences"]])
            self.assertEqual(
                [(e.text, e.type, e.start, e.end, e.org)
                 for e in doc.entities],
                [(e["text"], e["type"], e["cstart"], e["cend"], e["org"])
                 for e in raw["entities"]])
            self.assertEqual(
                [(o.id, o.name, list(o.aliases), o.mentions)
                 for o in doc.organisations],
                [(o["id"], o["name"], o["aliases"], o["mentions"])
                 for o in raw["organisations"]])
            self.assertEqual([(k.text, k.count) for k in doc.keyphrases],
                             [(k["text"], k["count"])
                              for k in raw["keyphrases"]])
            self.assertEqual(
                [(t.id, t.label, [(e.term, e.start, e.end)
                                  for e in t.evidence]) for t in doc.themes],
                [(t["id"], t["label"], [(e["term"], e["cstart"], e["cend"])
                                        for e in t["evidence"]])
                 for t in raw["themes"]])
            for key in ("entities", "organisations", "keyphrases", "themes"):
                if raw[key]:
                    seen.add(key)
        # The comparison above ran over non-empty arrays of each kind.
        self.assertEqual(seen, {"entities", "organisations", "keyphrases",
                                "themes"})

    def test_same_json_as_cli(self):
        cli = os.environ.get("TRAM_CLI")
        if not cli:
            self.skipTest("TRAM_CLI not set")
        out = subprocess.run([cli, "analyze", "--lang", "fr", "-f", "json",
                              "-"], input=FR.encode(), capture_output=True,
                             check=True).stdout
        self.assertEqual(
            json.loads(out),
            json.loads(tramuntana.Analyzer(lang="fr").analyze_json(FR)))


class TestHandles(unittest.TestCase):
    def test_context_managers(self):
        with tramuntana.Model() as m:
            self.assertIsInstance(m.describe(), str)
            with tramuntana.Analyzer(m, lang="ca") as an:
                doc = an.analyze("Bon dia a tothom.")
                self.assertEqual(doc.language, "ca")
                conllu = an.analyze_conllu("Bon dia.")
                self.assertIn("# text = Bon dia.", conllu)
            with self.assertRaises(ValueError):
                an.analyze("closed")
            self.assertEqual(doc.tokens[0].text, "Bon")  # docs outlive it

    def test_model_outlives_close_while_in_use(self):
        m = tramuntana.Model()
        an = tramuntana.Analyzer(m, lang="fr")
        m.close()  # deferred: the analyzer still uses it
        self.assertEqual(an.analyze("Le chat.").tokens[1].text, "chat")
        with self.assertRaises(ValueError):
            tramuntana.Analyzer(m)
        an.close()
        self.assertIsNone(m._h)
        m.close()  # twice is fine

    def test_model_errors(self):
        with self.assertRaises(tramuntana.TramuntanaError) as cm:
            tramuntana.Model("/nonexistent/tramuntana.model")
        self.assertEqual(cm.exception.code, _native.EIO)
        with self.assertRaises(tramuntana.TramuntanaError) as cm:
            tramuntana.Model(data=b"not a model at all" * 10)
        self.assertIn(cm.exception.code, (_native.EMODEL, _native.EVERSION))
        with self.assertRaises(TypeError):
            tramuntana.Model(3)
        with self.assertRaises(TypeError):
            tramuntana.Model(data="str")

    def test_bad_taxonomy_names_file_and_line(self):
        import tempfile
        with tempfile.NamedTemporaryFile("w", suffix=".tax",
                                         delete=False) as f:
            f.write("[ok]\nlabel.en = Fine\nthis line is not a statement\n")
        try:
            with self.assertRaises(tramuntana.TramuntanaError) as cm:
                tramuntana.Analyzer(taxonomy=f.name)
            self.assertEqual(cm.exception.code, _native.EDATA)
            self.assertIn(os.path.basename(f.name), str(cm.exception))
            self.assertIn(":3", str(cm.exception))
        finally:
            os.unlink(f.name)

    def test_identify(self):
        lang, conf = tramuntana.identify(
            "El consell municipal ha aprovat el pressupost d'enguany.")
        self.assertIn(lang, ("fr", "es", "ca", "oc", "other"))
        self.assertGreaterEqual(conf, 0.0)
        self.assertLessEqual(conf, 1.0)

    def test_options(self):
        doc = tramuntana.analyze("Élève ÉTÉ", lang="fr", fold_accents=True)
        self.assertEqual([t.norm for t in doc.tokens], ["eleve", "ete"])
        doc = tramuntana.analyze("l'école", lang="fr", split=False)
        self.assertEqual(len(doc.tokens), 1)
        with self.assertRaises(TypeError):
            tramuntana.Analyzer(max_themes=-1)


class TestMany(unittest.TestCase):
    def test_order_and_equality(self):
        texts = ["Document numéro %d : la région finance %d projets." %
                 (i, i * 7) for i in range(200)]
        texts[17] = ""
        texts[33] = "Hola\ud800 món."
        one = [tramuntana.analyze(t, lang="fr").to_dict() for t in texts]
        for threads in (1, 2, 4):
            many = tramuntana.analyze_many(texts, threads=threads, lang="fr")
            self.assertEqual(len(many), len(texts))
            for i, d in enumerate(many):
                self.assertEqual(d.text, texts[i])
                self.assertEqual(d.to_dict(), one[i], i)
        self.assertEqual(tramuntana.analyze_many([]), [])
        self.assertEqual(len(tramuntana.analyze_many(iter(["a", "b"]))), 2)
        with self.assertRaises(ValueError):
            tramuntana.analyze_many(["a"], threads=0)

    def test_analyze_iter(self):
        texts = ["Frase número %d del corpus." % i for i in range(150)]
        gen = (t for t in texts)  # a generator: read lazily
        out = list(tramuntana.analyze_iter(gen, threads=3, chunk=7,
                                           lang="es"))
        self.assertEqual([d.text for d in out], texts)
        self.assertEqual(out[42].tokens[2].text, "42")
        self.assertEqual(list(tramuntana.analyze_iter([])), [])
        with self.assertRaises(TypeError):
            list(tramuntana.analyze_iter(["ok"] * 40 + [None], chunk=8))
        with self.assertRaises(ValueError):
            next(tramuntana.analyze_iter(["x"], lang="xx"))
        # Stopping early is fine (analyzers are closed by the generator).
        it = tramuntana.analyze_iter(texts, threads=2, chunk=5)
        self.assertEqual(next(it).text, texts[0])
        it.close()

    def test_threads_share_one_model(self):
        m = tramuntana.Model()
        out = {}

        def run(k):
            with tramuntana.Analyzer(m, lang="es") as an:
                out[k] = [an.analyze("Frase %d del hilo %d." % (i, k))
                          for i in range(50)]

        ts = [threading.Thread(target=run, args=(k,)) for k in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        for k in range(4):
            self.assertEqual(len(out[k]), 50)
            self.assertEqual(out[k][3].tokens[1].text, "3")
            self.assertEqual(out[k][3].tokens[4].text, str(k))
        m.close()


if __name__ == "__main__":
    unittest.main()
