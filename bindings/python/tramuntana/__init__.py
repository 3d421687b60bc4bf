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
``Token.text`` is the slice of the original string (surrogate included),
while ``norm`` and ``stem`` show U+FFFD.

Results cross the FFI in bulk: the library's token, word and sentence
arrays are read as whole ctypes arrays (one slice per column, no call per
token) and copied before the C doc is freed; Token objects are built on
first access. ``Analyzer.analyze_json`` gives the library's own JSON.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
from ctypes import (byref, c_char_p, c_double, c_int, c_size_t, c_uint32,
                    c_void_p, sizeof, string_at)
from typing import (Any, Dict, Iterable, Iterator, List, Optional, Sequence,
                    Tuple, TypeVar, Union)

from . import _native
from ._native import TramuntanaError

__all__ = [
    "Analyzer", "Document", "Entity", "Evidence", "Keyphrase", "Model",
    "Organisation", "Sentence", "Theme", "Token", "TramuntanaError",
    "analyze", "analyze_many", "analyze_iter", "identify", "version",
    "schema",
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
# Plain classes with __slots__ rather than dataclasses: defining seven
# dataclasses costs ~30 ms at import, and import time is part of the
# "first analysis" budget.


class _Record:
    """Base of the result types: repr, equality and to_dict from _fields."""
    __slots__ = ()
    _fields: Tuple[str, ...] = ()

    def __repr__(self) -> str:
        return "%s(%s)" % (type(self).__name__, ", ".join(
            f"{k}={getattr(self, k)!r}" for k in self._fields))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, k) == getattr(other, k)
                   for k in self._fields)

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> Dict[str, Any]:
        """The fields as plain JSON-serialisable data."""
        out: Dict[str, Any] = {}
        for k in self._fields:
            v = getattr(self, k)
            if isinstance(v, tuple):
                v = [x.to_dict() if isinstance(x, _Record) else x for x in v]
            out[k] = v
        return out


class Token(_Record):
    """One surface token. ``start``/``end`` are Python indices
    (``doc.text[start:end] == text``), ``byte_start``/``byte_end`` UTF-8
    offsets; ``kind`` is "word", "number", "punct", …; ``flags`` names such
    as "stop", "elided", "multiword"; ``words`` holds its syntactic words
    when it has several (``du`` → ``("de", "le")``), else is empty."""
    __slots__ = _fields = ("text", "start", "end", "byte_start", "byte_end",
                           "kind", "norm", "stem", "lang", "sentence",
                           "flags", "words")
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
    words: Tuple[str, ...]

    def __init__(self, text: str, start: int, end: int, byte_start: int,
                 byte_end: int, kind: str, norm: str, stem: str, lang: str,
                 sentence: int, flags: Tuple[str, ...],
                 words: Tuple[str, ...] = ()):
        self.text = text
        self.start = start
        self.end = end
        self.byte_start = byte_start
        self.byte_end = byte_end
        self.kind = kind
        self.norm = norm
        self.stem = stem
        self.lang = lang
        self.sentence = sentence
        self.flags = flags
        self.words = words

    @property
    def is_stop(self) -> bool:
        """In the stop list of its language."""
        return "stop" in self.flags


class Sentence(_Record):
    """A sentence: its span, language and confidence; ``tokens`` is
    ``doc.tokens[token_start:token_end]``."""
    __slots__ = ("text", "start", "end", "byte_start", "byte_end", "lang",
                 "confidence", "token_start", "token_end", "tokens")
    _fields = __slots__[:-1]
    text: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    lang: str
    confidence: float
    token_start: int
    token_end: int
    tokens: Sequence[Token]

    def __init__(self, text: str, start: int, end: int, byte_start: int,
                 byte_end: int, lang: str, confidence: float,
                 token_start: int, token_end: int,
                 tokens: Sequence[Token] = ()):
        self.text = text
        self.start = start
        self.end = end
        self.byte_start = byte_start
        self.byte_end = byte_end
        self.lang = lang
        self.confidence = confidence
        self.token_start = token_start
        self.token_end = token_end
        self.tokens = tokens


class Entity(_Record):
    """A named-entity mention: ``type`` is "PER", "LOC", "ORG" or "MISC";
    ``org`` the index of its organisation in ``Document.organisations``, or
    None."""
    __slots__ = _fields = ("text", "type", "start", "end", "byte_start",
                           "byte_end", "score", "org")
    text: str
    type: str
    start: int
    end: int
    byte_start: int
    byte_end: int
    score: float
    org: Optional[int]

    def __init__(self, text: str, type: str, start: int, end: int,
                 byte_start: int, byte_end: int, score: float,
                 org: Optional[int]):
        self.text = text
        self.type = type
        self.start = start
        self.end = end
        self.byte_start = byte_start
        self.byte_end = byte_end
        self.score = score
        self.org = org


class Organisation(_Record):
    """All the mentions of one organisation: canonical ``name`` (its most
    complete form), the other forms in ``aliases``, and ``mentions``."""
    __slots__ = _fields = ("id", "name", "aliases", "mentions")
    id: int
    name: str
    aliases: Tuple[str, ...]
    mentions: int

    def __init__(self, id: int, name: str, aliases: Tuple[str, ...],
                 mentions: int):
        self.id = id
        self.name = name
        self.aliases = aliases
        self.mentions = mentions


class Keyphrase(_Record):
    """A keyphrase: commonest written form, score, occurrences."""
    __slots__ = _fields = ("text", "score", "count")
    text: str
    score: float
    count: int

    def __init__(self, text: str, score: float, count: int):
        self.text = text
        self.score = score
        self.count = count


class Evidence(_Record):
    """Where a theme was found: the matched term and its span."""
    __slots__ = _fields = ("term", "start", "end", "byte_start", "byte_end")
    term: str
    start: int
    end: int
    byte_start: int
    byte_end: int

    def __init__(self, term: str, start: int, end: int, byte_start: int,
                 byte_end: int):
        self.term = term
        self.start = start
        self.end = end
        self.byte_start = byte_start
        self.byte_end = byte_end


class Theme(_Record):
    """A taxonomy theme (``id`` such as ``"sdg-8"``), its label in the
    document's language, score and evidence."""
    __slots__ = _fields = ("id", "label", "score", "evidence")
    id: str
    label: str
    score: float
    evidence: Tuple[Evidence, ...]

    def __init__(self, id: str, label: str, score: float,
                 evidence: Tuple[Evidence, ...]):
        self.id = id
        self.label = label
        self.score = score
        self.evidence = evidence


class Document:
    """The result of one analysis: plain Python data, copied out of the
    library in bulk (the C doc is already freed). The lists of Token,
    Sentence, Entity, … objects are built on first access."""

    __slots__ = ("text", "language", "language_confidence", "_raw",
                 "_cache")

    def __init__(self, text: str, language: str, language_confidence: float,
                 raw: Dict[str, Any]):
        #: The analysed string, as given.
        self.text = text
        #: The document's language code ("fr", "es", "ca", "other").
        self.language = language
        #: Confidence of ``language``, in [0, 1].
        self.language_confidence = language_confidence
        self._raw = raw  # table name -> copy made by _Table.copy
        self._cache: Optional[Dict[str, list]] = None

    def _cols(self, name: str) -> Dict[str, list]:
        return _TABLES[name].columns(self._raw.get(name))

    def _get(self, name: str) -> Optional[list]:
        return self._cache.get(name) if self._cache is not None else None

    def _put(self, name: str, v: list) -> list:
        if self._cache is None:
            self._cache = {}
        self._cache[name] = v
        return v

    @property
    def tokens(self) -> List[Token]:
        """Surface tokens in text order."""
        v = self._get("tokens")
        if v is not None:
            return v
        c = self._cols("tokens")
        cs, ce, bs, be = c["cstart"], c["cend"], c["start"], c["end"]
        norm, stem, kind, lang = c["norm"], c["stem"], c["kind"], c["lang"]
        sent, flags, wf, wc = (c["sentence"], c["flags"], c["word_first"],
                               c["word_count"])
        words = self._cols("words")["form"]
        text = self.text
        kn, ln, fl = _KINDS, _LANGS, _flag_names
        return self._put("tokens", [
            Token(text[cs[i]:ce[i]], cs[i], ce[i], bs[i], be[i], kn[kind[i]],
                  norm[i], stem[i], ln[lang[i]], sent[i], fl(flags[i]),
                  tuple(words[wf[i]:wf[i] + wc[i]]) if wc[i] > 1 else ())
            for i in range(len(cs))])

    @property
    def sentences(self) -> List[Sentence]:
        """Sentences, each with its slice of ``tokens``."""
        v = self._get("sentences")
        if v is not None:
            return v
        toks, text = self.tokens, self.text
        c = self._cols("sentences")
        return self._put("sentences", [
            Sentence(text[cs:ce], cs, ce, bs, be, _LANGS[lang], conf, tf,
                     tf + tc, toks[tf:tf + tc])
            for bs, be, cs, ce, tf, tc, lang, conf in zip(
                c["start"], c["end"], c["cstart"], c["cend"],
                c["token_first"], c["token_count"], c["lang"],
                c["confidence"])])

    @property
    def entities(self) -> List[Entity]:
        """Named-entity mentions."""
        v = self._get("entities")
        if v is not None:
            return v
        c = self._cols("entities")
        return self._put("entities", [
            Entity(t, _ENT_TYPES[ty] if 0 <= ty < 4 else "MISC", cs, ce, bs,
                   be, sc, org if org >= 0 else None)
            for t, ty, cs, ce, bs, be, sc, org in zip(
                c["text"], c["type"], c["cstart"], c["cend"], c["start"],
                c["end"], c["score"], c["org"])])

    @property
    def organisations(self) -> List[Organisation]:
        """Organisations: all mentions of each, deduplicated."""
        v = self._get("organisations")
        if v is not None:
            return v
        return self._put("organisations", [
            Organisation(i, name.decode(), tuple(a.decode() for a in al), m)
            for i, name, al, m in self._raw.get("organisations", ())])

    @property
    def keyphrases(self) -> List[Keyphrase]:
        """Keyphrases, most relevant first."""
        v = self._get("keyphrases")
        if v is not None:
            return v
        c = self._cols("keyphrases")
        return self._put("keyphrases", [
            Keyphrase(t, sc, n)
            for t, sc, n in zip(c["text"], c["score"], c["count"])])

    @property
    def themes(self) -> List[Theme]:
        """Taxonomy themes with their evidence, best first."""
        v = self._get("themes")
        if v is not None:
            return v
        e = self._cols("evidence")
        ev = [Evidence(t, cs, ce, bs, be) for t, cs, ce, bs, be in zip(
            e["term"], e["cstart"], e["cend"], e["start"], e["end"])]
        c = self._cols("themes")
        return self._put("themes", [
            Theme(i, lab, sc, tuple(ev[f:f + n]))
            for i, lab, sc, f, n in zip(c["id"], c["label"], c["score"],
                                        c["evidence_first"],
                                        c["evidence_count"])])

    def __len__(self) -> int:
        r = self._raw.get("tokens")
        return r[0] if r else 0

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def __repr__(self) -> str:
        r = self._raw.get("sentences")
        return (f"<tramuntana.Document {self.language} "
                f"{r[0] if r else 0} sentences {len(self)} tokens>")

    def to_dict(self) -> Dict[str, Any]:
        """Plain dicts and lists, JSON-serialisable (Python-index offsets in
        start/end, UTF-8 offsets in byte_start/byte_end). For the library's
        own JSON (schema "tramuntana/1") use ``Analyzer.analyze_json``."""
        return {
            "schema": schema, "text": self.text,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "sentences": [s.to_dict() for s in self.sentences],
            "tokens": [t.to_dict() for t in self.tokens],
            "entities": [e.to_dict() for e in self.entities],
            "organisations": [o.to_dict() for o in self.organisations],
            "keyphrases": [k.to_dict() for k in self.keyphrases],
            "themes": [t.to_dict() for t in self.themes],
        }


# ------------------------------------------------- reading a doc in bulk

_KINDS = [_native.tram_kind_name(k).decode() for k in range(12)]
_LANGS = [_native.tram_lang_code(k).decode() for k in range(6)]
_ENT_TYPES = [(_native.tram_entity_type_name(k) or b"MISC").decode()
              for k in range(4)]
_FLAG_BITS = [(1 << b, (_native.tram_token_flag_name(1 << b) or b"").decode())
              for b in range(32)]
_FLAG_BITS = [(bit, name) for bit, name in _FLAG_BITS if name]
_flag_cache: Dict[int, Tuple[str, ...]] = {}


def _flag_names(flags: int) -> Tuple[str, ...]:
    names = _flag_cache.get(flags)
    if names is None:
        names = tuple(n for bit, n in _FLAG_BITS if flags & bit)
        if len(_flag_cache) < 4096:
            _flag_cache[flags] = names
    return names


# One huge array type per element type, made once: from_address() on it
# reads nothing, and each slice reads exactly the elements it names. (A
# `ctype * n` type per doc costs ~10 us and fills ctypes' type cache.)
_HUGE = 1 << 30
_huge_types: Dict[Any, Any] = {}


def _huge(ctype: Any) -> Any:
    t = _huge_types.get(ctype)
    if t is None:
        t = _huge_types[ctype] = ctype * _HUGE
    return t


_FORMATS = {c_size_t: "N", c_uint32: "I", c_int: "i", c_double: "d"}


class _Table:
    """Copies one C struct array out of a doc in two moves: the structs'
    bytes as one bytes object (numbers), and each string field as one
    NUL-joined bytes object (C strings hold no NUL). The copy is a tuple of
    bytes, which the cyclic GC does not track; so a million kept Documents
    do not make every garbage collection slower. Columns are decoded on
    demand with memoryview casts (one strided slice per field)."""

    def __init__(self, struct: Any, numbers: Sequence[str],
                 strings: Sequence[str] = ()):
        self.size = sizeof(struct)
        ftypes = dict(struct._fields_)
        self.numbers = []
        for name in numbers:
            ctype = ftypes[name]
            w = sizeof(ctype)
            off = getattr(struct, name).offset
            assert self.size % w == 0 and off % w == 0, (struct, name)
            self.numbers.append((name, _FORMATS[ctype], off // w,
                                 self.size // w))
        assert self.size % _PTR == 0
        self.strings = [(name, getattr(struct, name).offset // _PTR)
                        for name in strings]
        self.slots = self.size // _PTR

    def copy(self, addr: Optional[int], n: int) -> Optional[tuple]:
        if not n or not addr:
            return None
        ptrs = _huge(c_char_p).from_address(addr)
        end = n * self.slots
        return (n, string_at(addr, n * self.size)) + tuple(
            b"\0".join(ptrs[i:i + end:self.slots]) for _, i in self.strings)

    def columns(self, copy: Optional[tuple]) -> Dict[str, list]:
        out: Dict[str, list] = {}
        if copy is None:
            for name, *_ in self.numbers:
                out[name] = []
            for name, _ in self.strings:
                out[name] = []
            return out
        mv = memoryview(copy[1])
        views: Dict[str, memoryview] = {}
        for name, fmt, i, stride in self.numbers:
            v = views.get(fmt)
            if v is None:
                v = views[fmt] = mv.cast(fmt)
            out[name] = v[i::stride].tolist()
        for k, (name, _) in enumerate(self.strings):
            out[name] = copy[2 + k].decode("utf-8", "replace").split("\0")
        return out


_PTR = sizeof(c_void_p)
_TABLES = {
    "tokens": _Table(_native.tram_token, (
        "start", "end", "cstart", "cend", "kind", "lang", "sentence",
        "flags", "word_first", "word_count"), ("norm", "stem")),
    "words": _Table(_native.tram_word, (), ("form",)),
    "sentences": _Table(_native.tram_sentence, (
        "start", "end", "cstart", "cend", "token_first", "token_count",
        "lang", "confidence")),
    "entities": _Table(_native.tram_entity, (
        "start", "end", "cstart", "cend", "type", "score", "org"),
        ("text",)),
    "keyphrases": _Table(_native.tram_keyphrase, ("score", "count"),
                         ("text",)),
    "evidence": _Table(_native.tram_evidence, (
        "start", "end", "cstart", "cend"), ("term",)),
    "themes": _Table(_native.tram_theme, (
        "score", "evidence_first", "evidence_count"), ("id", "label")),
}
_ACCESSORS = [(name, getattr(_native, "tram_doc_" + name))
              for name in _TABLES]


def _read_doc(d: Any, text: str) -> Document:
    """Copies everything out of a tram_doc: a few bulk copies per array, no
    call per token."""
    n = c_size_t()
    nb = byref(n)
    raw: Dict[str, Any] = {}
    for name, accessor in _ACCESSORS:
        p = accessor(d, nb)
        if n.value:
            raw[name] = _TABLES[name].copy(p, n.value)
    p = _native.tram_doc_organisations(d, nb)
    if n.value:
        arr = (_native.tram_organisation * n.value).from_address(p)
        raw["organisations"] = [
            (o.id, o.name, [o.aliases[k] for k in range(o.alias_count)],
             o.mentions) for o in arr]
    conf = c_double()
    lang = _native.tram_doc_lang(d, byref(conf))
    return Document(text, _LANGS[lang] if 0 <= lang < 6 else "other",
                    conf.value, raw)


# ---------------------------------------------------------------- handles


class _Handle:
    """What Model and Analyzer share: a context manager whose exit, like
    garbage collection, calls :meth:`close`."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass


_H = TypeVar("_H", bound=_Handle)


class Model(_Handle):
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


class Analyzer(_Handle):
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
            # A bad taxonomy or gazetteer file still hands out the analyzer
            # so that its message (file and line) can be read: read, free.
            detail = None
            if h:
                detail = (_native.tram_analyzer_errmsg(h) or b"").decode(
                    "utf-8", "replace") or None
                _native.tram_analyzer_free(h)
            model._release()
            _native.check(rc, detail)
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
                return _read_doc(d, text)
            finally:
                _native.tram_doc_free(d)

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


def analyze_iter(texts: Iterable[str], *, threads: Optional[int] = None,
                 lang: str = "auto", model: Optional[Model] = None,
                 chunk: int = 32, **options: Any) -> Iterator[Document]:
    """Like :func:`analyze_many` but lazy: reads ``texts`` as it goes and
    yields the Documents in input order, with at most ``2 * threads``
    chunks of ``chunk`` texts in flight, so memory stays flat on corpora of
    any size (a generator over a file works)."""
    if threads is None:
        threads = os.cpu_count() or 1
    if not isinstance(threads, int) or isinstance(threads, bool) \
            or threads < 1:
        raise ValueError("threads must be a positive int")
    if not isinstance(chunk, int) or chunk < 1:
        raise ValueError("chunk must be a positive int")
    from concurrent.futures import ThreadPoolExecutor
    model = model or default_model()
    pool_analyzers: List[Analyzer] = []
    local = threading.local()
    lock = threading.Lock()
    Analyzer(model, lang=lang, **options).close()  # bad options raise here

    def run(batch: List[str]) -> List[Document]:
        an = getattr(local, "an", None)
        if an is None:
            an = local.an = Analyzer(model, lang=lang, **options)
            with lock:
                pool_analyzers.append(an)
        return [an.analyze(t) for t in batch]

    it = iter(texts)
    index = 0

    def next_batch() -> List[str]:
        nonlocal index
        batch = []
        for t in itertools.islice(it, chunk):
            if not isinstance(t, str):
                raise TypeError(f"texts[{index + len(batch)}] is "
                                f"{type(t).__name__}, not str")
            batch.append(t)
        index += len(batch)
        return batch

    pending: List[Any] = []
    try:
        with ThreadPoolExecutor(max_workers=threads) as ex:
            try:
                while True:
                    while len(pending) < 2 * threads:
                        batch = next_batch()
                        if not batch:
                            break
                        pending.append(ex.submit(run, batch))
                    if not pending:
                        break
                    yield from pending.pop(0).result()
            finally:
                for f in pending:  # stopped early: drop what has not run
                    f.cancel()
    finally:
        for an in pool_analyzers:
            an.close()


def identify(text: str) -> Tuple[str, float]:
    """Language of a short text with the embedded model's classifier:
    (code, confidence); ("other", 0.0) when the model has no classifier."""
    return default_model().identify(text)
