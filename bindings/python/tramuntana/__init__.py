"""tramuntana — read French, Spanish and Catalan prose.

A ctypes binding of libtramuntana (pure Python, no compiler needed)::

    import tramuntana
    doc = tramuntana.analyze("L'Eurorégion coopère avec l'Impact Hub.")
    for tok in doc.tokens:
        print(tok.text, tok.start, tok.end, tok.stem)   # Python indices
    docs = tramuntana.analyze_many(texts, threads=4)

Objects follow the C library (STYLE.md): a :class:`Model` is loaded once and
shared by every thread; an :class:`Analyzer` is one thread's workspace; each
analysis returns a :class:`Document` of plain Python objects.

Offsets: ``start``/``end`` of tokens, sentences, entities and evidence are
Python string indices, so ``doc.text[tok.start:tok.end] == tok.text``;
``byte_start``/``byte_end`` are offsets into the UTF-8 encoding.

Text: ``str`` only (``bytes`` and other types raise TypeError, None too).
A lone surrogate (``"\\ud800"``, which UTF-8 cannot encode) is analysed as
U+FFFD, one character for one, so offsets still index the original string;
``Token.text`` then shows U+FFFD where the original has the surrogate.

Results cross the FFI in bulk: one ``tram_doc_write`` JSON call per document,
parsed with ``json.loads``; Python objects are built on first access.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import threading
from ctypes import byref, c_double, c_int, c_size_t
from dataclasses import dataclass, field
from typing import (Any, Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, Union)

from . import _native
from ._native import TramuntanaError

__all__ = [
    "Analyzer", "Document", "Entity", "Evidence", "Keyphrase", "Model",
    "Organisation", "Sentence", "Theme", "Token", "TramuntanaError",
    "analyze", "analyze_many", "identify", "version", "schema",
    "LANGUAGES",
]

#: Version of the loaded C library ("MAJOR.MINOR.PATCH").
__version__ = _native.version
#: The JSON schema tag of ``Document.raw`` ("tramuntana/1").
schema: str = _native.tram_schema().decode()
#: Languages an analyzer accepts for ``lang``.
LANGUAGES = ("auto", "fr", "es", "ca")

PathLike = Union[str, "os.PathLike[str]"]

_SURROGATES = re.compile("[\ud800-\udfff]")


def version() -> str:
    """Version of the loaded libtramuntana, e.g. ``"0.1.0"``."""
    return _native.version


def _encode(text: Any) -> bytes:
    """UTF-8 of a str; lone surrogates become U+FFFD (same length in code
    points, so code-point offsets stay Python indices)."""
    if not isinstance(text, str):
        raise TypeError(
            f"tramuntana analyses str, not {type(text).__name__}")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATES.sub("\ufffd", text).encode("utf-8")


# ------------------------------------------------------------ result types

_dc = dataclass(eq=True, repr=True, slots=True)


@_dc
class Token:
    """One surface token. ``words`` holds its syntactic words when it has
    several (``du`` → ``("de", "le")``), else is empty."""
    text: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    kind: str
    norm: str
    stem: str
    lang: str
    sentence: int
    flags: Tuple[str, ...]
    words: Tuple[str, ...] = ()

    @property
    def is_stop(self) -> bool:
        """In the stop list of its language."""
        return "stop" in self.flags

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "byte_start": self.byte_start, "byte_end": self.byte_end,
                "kind": self.kind, "norm": self.norm, "stem": self.stem,
                "lang": self.lang, "sentence": self.sentence,
                "flags": list(self.flags), "words": list(self.words)}


@_dc
class Sentence:
    """A sentence: its span, language and tokens (``tokens`` is
    ``doc.tokens[token_start:token_end]``)."""
    text: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    lang: str
    confidence: float
    token_start: int
    token_end: int
    tokens: Sequence[Token] = field(default=(), repr=False, compare=False)

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end,
                "byte_start": self.byte_start, "byte_end": self.byte_end,
                "lang": self.lang, "confidence": self.confidence,
                "token_start": self.token_start, "token_end": self.token_end}


@_dc
class Entity:
    """A named-entity mention; ``org`` is the index of its organisation in
    ``Document.organisations``, or None."""
    text: str
    type: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    score: float
    org: Optional[int]

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "type": self.type, "start": self.start,
                "end": self.end, "byte_start": self.byte_start,
                "byte_end": self.byte_end, "score": self.score,
                "org": self.org}


@_dc
class Organisation:
    """All the mentions of one organisation: canonical name, other forms."""
    id: int
    name: str
    aliases: Tuple[str, ...]
    mentions: int

    def to_dict(self) -> Dict[str, Any]:
        return {"id": self.id, "name": self.name,
                "aliases": list(self.aliases), "mentions": self.mentions}


@_dc
class Keyphrase:
    text: str
    score: float
    count: int

    def to_dict(self) -> Dict[str, Any]:
        return {"text": self.text, "score": self.score, "count": self.count}


@_dc
class Evidence:
    """Where a theme was found: the matched term and its span."""
    term: str
    start: int
    end: int
    byte_start: int
    byte_end: int

    def to_dict(self) -> Dict[str, Any]:
        return {"term": self.term, "start": self.start, "end": self.end,
                "byte_start": self.byte_start, "byte_end": self.byte_end}


@_dc
class Theme:
    """A taxonomy theme (``id`` such as ``"sdg-8"``), its label in the
    document's language, score and evidence."""
    id: str
    label: str
    score: float
    evidence: Tuple[Evidence, ...]

    def to_dict(self) -> Dict[str, Any]:
        return {"id": self.id, "label": self.label, "score": self.score,
                "evidence": [e.to_dict() for e in self.evidence]}


class Document:
    """The result of one analysis. Lists are built on first access from the
    JSON the library wrote; ``raw`` is that JSON object itself (schema
    "tramuntana/1", byte offsets in start/end, code points in cstart/cend,
    exactly as the CLI prints it)."""

    __slots__ = ("text", "raw", "_tokens", "_sentences", "_entities",
                 "_organisations", "_keyphrases", "_themes")

    def __init__(self, text: str, raw: Dict[str, Any]):
        self.text = text
        self.raw = raw
        self._tokens: Optional[List[Token]] = None
        self._sentences: Optional[List[Sentence]] = None
        self._entities: Optional[List[Entity]] = None
        self._organisations: Optional[List[Organisation]] = None
        self._keyphrases: Optional[List[Keyphrase]] = None
        self._themes: Optional[List[Theme]] = None

    @property
    def language(self) -> str:
        """The document's language code ("fr", "es", "ca", "other")."""
        return self.raw["language"]

    @property
    def language_confidence(self) -> float:
        return float(self.raw["language_confidence"])

    @property
    def tokens(self) -> List[Token]:
        if self._tokens is None:
            self._tokens = [
                Token(t["text"], t["cstart"], t["cend"], t["start"],
                      t["end"], t["kind"], t["norm"], t["stem"], t["lang"],
                      t["sentence"], tuple(t["flags"]),
                      tuple(t.get("words", ())))
                for t in self.raw["tokens"]]
        return self._tokens

    @property
    def sentences(self) -> List[Sentence]:
        if self._sentences is None:
            toks = self.tokens
            self._sentences = [
                Sentence(self.text[s["cstart"]:s["cend"]], s["cstart"],
                         s["cend"], s["start"], s["end"], s["lang"],
                         float(s["confidence"]), s["tokens"][0],
                         s["tokens"][1],
                         toks[s["tokens"][0]:s["tokens"][1]])
                for s in self.raw["sentences"]]
        return self._sentences

    @property
    def entities(self) -> List[Entity]:
        if self._entities is None:
            self._entities = [
                Entity(e["text"], e["type"], e["cstart"], e["cend"],
                       e["start"], e["end"], float(e["score"]), e["org"])
                for e in self.raw["entities"]]
        return self._entities

    @property
    def organisations(self) -> List[Organisation]:
        if self._organisations is None:
            self._organisations = [
                Organisation(o["id"], o["name"], tuple(o["aliases"]),
                             o["mentions"])
                for o in self.raw["organisations"]]
        return self._organisations

    @property
    def keyphrases(self) -> List[Keyphrase]:
        if self._keyphrases is None:
            self._keyphrases = [
                Keyphrase(k["text"], float(k["score"]), k["count"])
                for k in self.raw["keyphrases"]]
        return self._keyphrases

    @property
    def themes(self) -> List[Theme]:
        if self._themes is None:
            self._themes = [
                Theme(t["id"], t["label"], float(t["score"]),
                      tuple(Evidence(e["term"], e["cstart"], e["cend"],
                                     e["start"], e["end"])
                            for e in t["evidence"]))
                for t in self.raw["themes"]]
        return self._themes

    def __len__(self) -> int:
        return len(self.raw["tokens"])

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __repr__(self) -> str:
        return (f"<tramuntana.Document {self.language} "
                f"{len(self.raw['sentences'])} sentences "
                f"{len(self.raw['tokens'])} tokens>")

    def to_dict(self) -> Dict[str, Any]:
        """Plain dicts and lists (Python-index offsets plus byte offsets);
        for the library's own JSON object use ``raw``."""
        return {
            "schema": self.raw["schema"], "text": self.text,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "sentences": [s.to_dict() for s in self.sentences],
            "tokens": [t.to_dict() for t in self.tokens],
            "entities": [e.to_dict() for e in self.entities],
            "organisations": [o.to_dict() for o in self.organisations],
            "keyphrases": [k.to_dict() for k in self.keyphrases],
            "themes": [t.to_dict() for t in self.themes],
        }


# ---------------------------------------------------------------- handles


class Model:
    """Models and language tables, loaded once, immutable, shared by any
    number of threads and analyzers.

    ``Model()`` loads the model embedded in the library; ``Model(path)`` a
    model file; ``Model(data=b"...")`` a model in memory. Use it as a
    context manager or call :meth:`close`; it is freed for real once its
    last analyzer is closed.
    """

    def __init__(self, path: Optional[PathLike] = None, *,
                 data: Optional[bytes] = None):
        h = _native.model_p()
        if path is not None and data is not None:
            raise TypeError("give a path or data, not both")
        if path is not None:
            if not isinstance(path, (str, os.PathLike)):
                raise TypeError(f"path must be str or os.PathLike, not "
                                f"{type(path).__name__}")
            err = _native.tram_error()
            rc = _native.tram_model_load(os.fsencode(path), byref(h),
                                         byref(err))
            _native.check(rc, err.message.decode("utf-8", "replace"))
        elif data is not None:
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError(f"data must be bytes, not "
                                f"{type(data).__name__}")
            buf = bytes(data)
            err = _native.tram_error()
            rc = _native.tram_model_load_memory(buf, len(buf), byref(h),
                                                byref(err))
            _native.check(rc, err.message.decode("utf-8", "replace"))
        else:
            _native.check(_native.tram_model_new_default(byref(h)))
        self._h: Optional[_native.model_p] = h
        self._users = 0
        self._closing = False
        self._lock = threading.Lock()

    def _handle(self) -> _native.model_p:
        if self._h is None or self._closing:
            raise ValueError("the model is closed")
        return self._h

    def _acquire(self) -> _native.model_p:
        with self._lock:
            h = self._handle()
            self._users += 1
            return h

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._closing and self._users == 0 and self._h is not None:
                _native.tram_model_free(self._h)
                self._h = None

    def describe(self) -> str:
        """Format version, sections, training corpora and licences."""
        return (_native.tram_model_describe(self._handle()) or b"").decode()

    def identify(self, text: str) -> Tuple[str, float]:
        """Language of a short text: (code, confidence). Thread-safe."""
        b = _encode(text)
        lang, conf = c_int(), c_double()
        _native.check(_native.tram_identify(self._handle(), b, len(b),
                                            byref(lang), byref(conf)))
        return _native.tram_lang_code(lang.value).decode(), conf.value

    def close(self) -> None:
        """Releases the model (at once, or when its last analyzer closes)."""
        with self._lock:
            if self._h is None or self._closing:
                return
            self._closing = True
            if self._users == 0:
                _native.tram_model_free(self._h)
                self._h = None

    def __enter__(self) -> "Model":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


_default_model: Optional[Model] = None
_default_lock = threading.Lock()


def default_model() -> Model:
    """The embedded model, loaded once per process and shared."""
    global _default_model
    if _default_model is None:
        with _default_lock:
            if _default_model is None:
                _default_model = Model()
    return _default_model


def _lines(v: Union[None, str, Iterable[str]], what: str) -> Optional[bytes]:
    if v is None:
        return None
    if isinstance(v, str):
        v = [v]
    items = list(v)
    for x in items:
        if not isinstance(x, str):
            raise TypeError(f"{what} must be str items, not "
                            f"{type(x).__name__}")
    return ("\n".join(items) + "\n").encode("utf-8")


class Analyzer:
    """One thread's workspace (ICU iterators, stemmers, caches) made from a
    :class:`Model`. An analyzer serialises its own calls with a lock; for
    parallel work make one per thread (as :func:`analyze_many` does).

    Options: ``lang`` ("auto", "fr", "es", "ca"), ``fold_accents``,
    ``stem``, ``entities``, ``themes``, ``split`` (elision/clitic/
    contraction splitting), ``strict_utf8``, extra ``abbreviations`` and
    ``stopwords`` (iterables of str), ``gazetteer`` and ``taxonomy`` file
    paths, ``max_keyphrases`` and ``max_themes`` (0 = library default).
    """

    def __init__(self, model: Optional[Model] = None, *, lang: str = "auto",
                 fold_accents: bool = False, stem: bool = True,
                 entities: bool = True, themes: bool = True,
                 split: bool = True, strict_utf8: bool = False,
                 abbreviations: Optional[Iterable[str]] = None,
                 stopwords: Optional[Iterable[str]] = None,
                 gazetteer: Optional[PathLike] = None,
                 taxonomy: Optional[PathLike] = None,
                 max_keyphrases: int = 0, max_themes: int = 0):
        if model is None:
            model = default_model()
        if not isinstance(model, Model):
            raise TypeError(f"model must be a tramuntana.Model, not "
                            f"{type(model).__name__}")
        if not isinstance(lang, str):
            raise TypeError(f"lang must be str, not {type(lang).__name__}")
        code = _native.tram_lang_from_code(lang.encode())
        if code < 0 or code == _native.LANG_OTHER:
            raise ValueError(f"unknown language {lang!r}; use one of "
                             f"{', '.join(LANGUAGES)}")
        for name, v in (("max_keyphrases", max_keyphrases),
                        ("max_themes", max_themes)):
            if not isinstance(v, int) or isinstance(v, bool) or v < 0:
                raise TypeError(f"{name} must be a non-negative int")
        opts = _native.tram_options()
        _native.tram_options_init(byref(opts))
        opts.lang = code
        flags = 0
        if fold_accents:
            flags |= _native.OPT_FOLD_ACCENTS
        if strict_utf8:
            flags |= _native.OPT_STRICT_UTF8
        if not stem:
            flags |= _native.OPT_NO_STEM
        if not entities:
            flags |= _native.OPT_NO_ENTITIES
        if not themes:
            flags |= _native.OPT_NO_THEMES
        if not split:
            flags |= _native.OPT_NO_SPLIT
        opts.flags = flags
        # Keep the buffers alive while tram_analyzer_new copies them.
        keep = [_lines(abbreviations, "abbreviations"),
                _lines(stopwords, "stopwords"),
                os.fsencode(gazetteer) if gazetteer is not None else None,
                os.fsencode(taxonomy) if taxonomy is not None else None]
        (opts.abbreviations, opts.stopwords, opts.gazetteer_path,
         opts.taxonomy_path) = keep
        opts.max_keyphrases = max_keyphrases
        opts.max_themes = max_themes
        self._model = model
        mh = model._acquire()
        h = _native.analyzer_p()
        rc = _native.tram_analyzer_new(mh, byref(opts), byref(h))
        if rc < 0:
            model._release()
            _native.check(rc)
        self._h: Optional[_native.analyzer_p] = h
        self._lock = threading.Lock()
        self.lang = lang

    def _doc(self, b: bytes) -> _native.doc_p:
        d = _native.doc_p()
        if self._h is None:
            raise ValueError("the analyzer is closed")
        rc = _native.tram_analyze(self._h, b, len(b), byref(d))
        if rc < 0:
            detail = (_native.tram_analyzer_errmsg(self._h) or b"").decode(
                "utf-8", "replace")
            _native.check(rc, detail or None)
        return d

    def analyze(self, text: str) -> Document:
        """Analyses one text; returns a :class:`Document`."""
        b = _encode(text)
        with self._lock:
            d = self._doc(b)
            try:
                raw = _native.write(d, _native.FORMAT_JSON)
            finally:
                _native.tram_doc_free(d)
        return Document(text, json.loads(raw))

    def analyze_json(self, text: str) -> str:
        """The library's JSON for one text (schema "tramuntana/1", byte
        offsets in start/end), as a string."""
        return self._write(text, _native.FORMAT_JSON)

    def analyze_conllu(self, text: str) -> str:
        """CoNLL-U: sentences, tokens and multiword ranges."""
        return self._write(text, _native.FORMAT_CONLLU)

    def _write(self, text: str, fmt: int) -> str:
        b = _encode(text)
        with self._lock:
            d = self._doc(b)
            try:
                return _native.write(d, fmt).decode("utf-8")
            finally:
                _native.tram_doc_free(d)

    def close(self) -> None:
        """Releases the analyzer (Documents it made stay valid)."""
        with self._lock:
            if self._h is not None:
                _native.tram_analyzer_free(self._h)
                self._h = None
                self._model._release()

    def __enter__(self) -> "Analyzer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


# ------------------------------------------------------- one-call helpers

_local = threading.local()


def _thread_analyzer(options: Dict[str, Any]) -> Analyzer:
    """A cached analyzer per thread and option set, on the default model."""
    cache = getattr(_local, "analyzers", None)
    if cache is None:
        cache = _local.analyzers = {}
    key = tuple(sorted((k, repr(v)) for k, v in options.items()))
    an = cache.get(key)
    if an is None:
        an = cache[key] = Analyzer(default_model(), **options)
    return an


def analyze(text: str, lang: str = "auto", **options: Any) -> Document:
    """Analyses one text with the embedded model; ``options`` as for
    :class:`Analyzer`. The analyzer is cached per thread, so repeated calls
    are cheap."""
    _encode(text)  # type check before anything else
    return _thread_analyzer(dict(options, lang=lang)).analyze(text)


def analyze_many(texts: Iterable[str], *, threads: Optional[int] = None,
                 lang: str = "auto", model: Optional[Model] = None,
                 **options: Any) -> List[Document]:
    """Analyses many texts on ``threads`` threads (default: one per CPU),
    one analyzer per thread and one shared model; returns the Documents in
    input order. The C analysis runs without the GIL, so the threads run
    in parallel."""
    items = list(texts)
    for i, t in enumerate(items):
        if not isinstance(t, str):
            raise TypeError(f"texts[{i}] is {type(t).__name__}, not str")
    if threads is None:
        threads = os.cpu_count() or 1
    if not isinstance(threads, int) or isinstance(threads, bool) \
            or threads < 1:
        raise ValueError("threads must be a positive int")
    threads = max(1, min(threads, len(items)))
    model = model or default_model()
    results: List[Optional[Document]] = [None] * len(items)
    if not items:
        return []
    # Made here, so that bad options raise in the caller's thread.
    analyzers = [Analyzer(model, lang=lang, **options)
                 for _ in range(threads)]
    counter = itertools.count()  # next() is atomic under the GIL
    errors: List[BaseException] = []

    def work(an: Analyzer) -> None:
        try:
            n = len(items)
            while not errors:
                i = next(counter)
                if i >= n:
                    return
                results[i] = an.analyze(items[i])
        except BaseException as e:  # re-raised in the caller's thread
            errors.append(e)

    try:
        if threads == 1:
            work(analyzers[0])
        else:
            pool = [threading.Thread(target=work, args=(an,), daemon=True)
                    for an in analyzers]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
    finally:
        for an in analyzers:
            an.close()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]


def identify(text: str) -> Tuple[str, float]:
    """Language of a short text with the embedded model's classifier:
    (code, confidence); ("other", 0.0) when the model has no classifier."""
    return default_model().identify(text)
