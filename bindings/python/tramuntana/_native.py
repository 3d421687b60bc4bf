"""Low layer of the tramuntana binding: finds and loads libtramuntana,
declares every prototype of include/tramuntana.h once, and turns negative
status codes into TramuntanaError.

Nothing here is Pythonic on purpose; ``tramuntana/__init__.py`` builds the
friendly layer on top. ctypes releases the GIL during every foreign call, so
analyses on several threads (one analyzer each) run in parallel.

Where the library is looked for, in order:

1. the ``TRAMUNTANA_LIBRARY`` environment variable (a path to the .so);
2. next to this package (``tramuntana/libtramuntana.so*``);
3. the directory recorded when the package was installed with pip
   (``_config.LIBDIR``, from ``pkg-config --variable=libdir tramuntana`` or
   ``TRAMUNTANA_LIBDIR`` at build time);
4. a build tree around the source checkout (``<repo>/build*/``) and the
   ``lib/`` directories of the prefix the package is installed in;
5. the system: ``ctypes.util.find_library("tramuntana")``, then the dynamic
   loader's own search (``LD_LIBRARY_PATH``, ld.so.cache).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import glob
import os
import sys
from ctypes import (POINTER, Structure, c_char, c_char_p, c_double, c_int,
                    c_size_t, c_uint, c_uint32, c_void_p)
from typing import List, Optional

#: The ABI (SONAME) major this binding was written for.
SOVERSION = 1
#: Library versions this binding accepts: same MAJOR.MINOR series or newer
#: within the same major (TRAM_VERSION_NUMBER = major*10000+minor*100+patch).
MIN_VERSION_NUMBER = 100  # 0.1.0
_LIBNAME = "libtramuntana.so"

# Status codes (TRAM_STATUS_LIST in tramuntana.h).
OK = 0
EINVAL = -1
ENOMEM = -2
ELANG = -3
EMODEL = -4
EIO = -5
EUTF8 = -6
ETOOBIG = -7
EICU = -8
EVERSION = -9
EDATA = -10

# Languages, kinds, formats, flags (enums and macros of tramuntana.h).
LANG_AUTO, LANG_FR, LANG_ES, LANG_CA, LANG_OC, LANG_OTHER = range(6)
FORMAT_JSON, FORMAT_TEXT, FORMAT_TSV, FORMAT_CONLLU = range(4)
OPTIONS_VERSION = 1
OPT_FOLD_ACCENTS = 1 << 0
OPT_STRICT_UTF8 = 1 << 1
OPT_NO_STEM = 1 << 2
OPT_NO_ENTITIES = 1 << 3
OPT_NO_THEMES = 1 << 4
OPT_NO_SPLIT = 1 << 5


class TramuntanaError(Exception):
    """A libtramuntana call failed.

    ``code`` is the negative status (``tramuntana._native.EINVAL``, …) and
    ``message`` the library's message, with the handle's detail when there is
    one.
    """

    def __init__(self, code: int, message: str):
        super().__init__(f"{message} (status {code})")
        self.code = code
        self.message = message


# ---------------------------------------------------------------- structs


class tram_error(Structure):
    _fields_ = [("status", c_int), ("offset", c_size_t),
                ("section", c_char * 64), ("message", c_char * 256)]


class tram_options(Structure):
    _fields_ = [("version", c_uint), ("lang", c_int), ("flags", c_uint32),
                ("abbreviations", c_char_p), ("stopwords", c_char_p),
                ("gazetteer_path", c_char_p), ("taxonomy_path", c_char_p),
                ("max_keyphrases", c_uint), ("max_themes", c_uint)]


class tram_token(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t),
                ("cstart", c_size_t), ("cend", c_size_t),
                ("text", c_char_p), ("norm", c_char_p), ("stem", c_char_p),
                ("kind", c_int), ("lang", c_int), ("sentence", c_uint32),
                ("flags", c_uint32), ("word_first", c_uint32),
                ("word_count", c_uint32)]


class tram_word(Structure):
    _fields_ = [("form", c_char_p), ("token", c_uint32)]


class tram_sentence(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t),
                ("cstart", c_size_t), ("cend", c_size_t),
                ("token_first", c_uint32), ("token_count", c_uint32),
                ("lang", c_int), ("confidence", c_double)]


class tram_entity(Structure):
    _fields_ = [("start", c_size_t), ("end", c_size_t),
                ("cstart", c_size_t), ("cend", c_size_t),
                ("token_first", c_uint32), ("token_count", c_uint32),
                ("text", c_char_p), ("type", c_int), ("score", c_double),
                ("org", c_int)]


class tram_organisation(Structure):
    _fields_ = [("id", c_int), ("name", c_char_p),
                ("aliases", POINTER(c_char_p)), ("alias_count", c_uint32),
                ("mentions", c_uint32)]


class tram_keyphrase(Structure):
    _fields_ = [("text", c_char_p), ("score", c_double), ("count", c_uint32)]


class tram_evidence(Structure):
    _fields_ = [("term", c_char_p), ("start", c_size_t), ("end", c_size_t),
                ("cstart", c_size_t), ("cend", c_size_t)]


class tram_theme(Structure):
    _fields_ = [("id", c_char_p), ("label", c_char_p), ("score", c_double),
                ("evidence_first", c_uint32), ("evidence_count", c_uint32)]


# Opaque handles, each its own pointer type so they cannot be mixed up.
class model_p(c_void_p):
    pass


class analyzer_p(c_void_p):
    pass


class doc_p(c_void_p):
    pass


# --------------------------------------------------------------- loading


def _candidates() -> List[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    out: List[str] = []
    env = os.environ.get("TRAMUNTANA_LIBRARY")
    if env:
        return [env]  # explicit: no silent fallback to another library
    out += sorted(glob.glob(os.path.join(here, _LIBNAME + "*")))
    try:
        from . import _config  # written by the pip build backend
        libdir = getattr(_config, "LIBDIR", "")
        if libdir:
            out.append(os.path.join(libdir, f"{_LIBNAME}.{SOVERSION}"))
    except ImportError:
        pass
    # Source checkout: <repo>/bindings/python/tramuntana -> <repo>/build*/.
    repo = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    if os.path.isfile(os.path.join(repo, "include", "tramuntana.h")):
        builds = sorted(d for d in os.listdir(repo) if d.startswith("build"))
        if "build" in builds:
            builds.remove("build")
            builds.insert(0, "build")
        for name in builds:
            out.append(os.path.join(repo, name, f"{_LIBNAME}.{SOVERSION}"))
    # Installed in a prefix: <prefix>/lib*/pythonX[.Y]/{site,dist}-packages/
    # tramuntana -> <prefix>/lib[64|/<multiarch>]/.
    parts = here.split(os.sep)
    if len(parts) >= 5 and parts[-2] in ("site-packages", "dist-packages") \
            and parts[-3].startswith("python") and parts[-4].startswith("lib"):
        prefix = os.sep.join(parts[:-4]) or os.sep
        for sub in ("lib", "lib64", os.path.join("lib", _multiarch())):
            out.append(os.path.join(prefix, sub, f"{_LIBNAME}.{SOVERSION}"))
    found = ctypes.util.find_library("tramuntana")
    if found:
        out.append(found)
    out.append(f"{_LIBNAME}.{SOVERSION}")  # the dynamic loader's search
    return out


def _multiarch() -> str:
    return getattr(sys.implementation, "_multiarch", "") or "x86_64-linux-gnu"


def _load() -> ctypes.CDLL:
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    hint = "; ".join(errors) if errors else "no candidate found"
    raise ImportError(
        "tramuntana: cannot load libtramuntana (set TRAMUNTANA_LIBRARY to "
        f"the path of {_LIBNAME}.{SOVERSION}): {hint}")


lib = _load()
#: Path of the loaded library.
path = lib._name


# The same library seen through PyDLL: its calls keep the GIL. Used for the
# calls that return at once (accessors, names, frees), so that reading a doc
# does not hand the GIL to another thread a dozen times; the calls that work
# (tram_analyze, tram_doc_write, model and analyzer set-up, tram_identify)
# go through `lib` (CDLL), which releases the GIL so threads run in parallel.
_pylib = ctypes.PyDLL(path)
_KEEP_GIL = {
    "tram_strerror", "tram_version", "tram_version_number", "tram_schema",
    "tram_lang_code", "tram_lang_from_code", "tram_options_init",
    "tram_analyzer_errmsg", "tram_doc_free", "tram_kind_name",
    "tram_token_flag_name", "tram_entity_type_name", "tram_doc_tokens",
    "tram_doc_words", "tram_doc_sentences", "tram_doc_entities",
    "tram_doc_organisations", "tram_doc_keyphrases", "tram_doc_themes",
    "tram_doc_evidence", "tram_doc_text", "tram_doc_lang", "tram_free",
    "tram_model_describe"}


def _proto(name, restype, *argtypes):
    f = getattr(_pylib if name in _KEEP_GIL else lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


# Every function of include/tramuntana.h, in header order.
tram_strerror = _proto("tram_strerror", c_char_p, c_int)
tram_version = _proto("tram_version", c_char_p)
tram_version_number = _proto("tram_version_number", c_int)
tram_schema = _proto("tram_schema", c_char_p)
tram_lang_code = _proto("tram_lang_code", c_char_p, c_int)
tram_lang_from_code = _proto("tram_lang_from_code", c_int, c_char_p)
tram_options_init = _proto("tram_options_init", None, POINTER(tram_options))
tram_model_new_default = _proto("tram_model_new_default", c_int,
                                POINTER(model_p))
tram_model_load = _proto("tram_model_load", c_int, c_char_p, POINTER(model_p),
                         POINTER(tram_error))
tram_model_load_memory = _proto("tram_model_load_memory", c_int, c_void_p,
                                c_size_t, POINTER(model_p),
                                POINTER(tram_error))
tram_model_free = _proto("tram_model_free", None, model_p)
tram_model_describe = _proto("tram_model_describe", c_char_p, model_p)
tram_identify = _proto("tram_identify", c_int, model_p, c_char_p, c_size_t,
                       POINTER(c_int), POINTER(c_double))
tram_analyzer_new = _proto("tram_analyzer_new", c_int, model_p,
                           POINTER(tram_options), POINTER(analyzer_p))
tram_analyzer_free = _proto("tram_analyzer_free", None, analyzer_p)
tram_analyzer_errmsg = _proto("tram_analyzer_errmsg", c_char_p, analyzer_p)
tram_analyze = _proto("tram_analyze", c_int, analyzer_p, c_char_p, c_size_t,
                      POINTER(doc_p))
tram_analyze_text = _proto("tram_analyze_text", c_int, c_char_p, c_size_t,
                           POINTER(tram_options), POINTER(doc_p))
tram_doc_free = _proto("tram_doc_free", None, doc_p)
tram_kind_name = _proto("tram_kind_name", c_char_p, c_int)
tram_token_flag_name = _proto("tram_token_flag_name", c_char_p, c_uint32)
tram_entity_type_name = _proto("tram_entity_type_name", c_char_p, c_int)
# The doc accessors return the address of a borrowed array (an int, or None
# when empty) rather than POINTER(struct): the Pythonic layer reads whole
# columns from that address, and a POINTER result costs a cast per call.
# The array element types are tram_token, tram_word, ... above.
tram_doc_tokens = _proto("tram_doc_tokens", c_void_p, doc_p, POINTER(c_size_t))
tram_doc_words = _proto("tram_doc_words", c_void_p, doc_p, POINTER(c_size_t))
tram_doc_sentences = _proto("tram_doc_sentences", c_void_p, doc_p,
                            POINTER(c_size_t))
tram_doc_entities = _proto("tram_doc_entities", c_void_p, doc_p,
                           POINTER(c_size_t))
tram_doc_organisations = _proto("tram_doc_organisations", c_void_p, doc_p,
                                POINTER(c_size_t))
tram_doc_keyphrases = _proto("tram_doc_keyphrases", c_void_p, doc_p,
                             POINTER(c_size_t))
tram_doc_themes = _proto("tram_doc_themes", c_void_p, doc_p,
                         POINTER(c_size_t))
tram_doc_evidence = _proto("tram_doc_evidence", c_void_p, doc_p,
                           POINTER(c_size_t))
tram_doc_text = _proto("tram_doc_text", c_void_p, doc_p, POINTER(c_size_t))
tram_doc_lang = _proto("tram_doc_lang", c_int, doc_p, POINTER(c_double))
tram_doc_write = _proto("tram_doc_write", c_int, doc_p, c_int,
                        POINTER(c_void_p), POINTER(c_size_t))
tram_free = _proto("tram_free", None, c_void_p)

# The version check: refuse a library of another major or an older one.
version = tram_version().decode()
version_number = tram_version_number()
if version_number // 10000 != MIN_VERSION_NUMBER // 10000 or \
        version_number < MIN_VERSION_NUMBER:
    raise ImportError(
        f"tramuntana: {path} is version {version}; this binding needs "
        f"{MIN_VERSION_NUMBER // 10000}.x >= "
        f"{MIN_VERSION_NUMBER // 10000}.{MIN_VERSION_NUMBER // 100 % 100}")


def check(status: int, detail: Optional[str] = None) -> None:
    """Raises TramuntanaError for a negative status."""
    if status < 0:
        msg = tram_strerror(status).decode()
        if detail:
            msg = f"{msg}: {detail}"
        raise TramuntanaError(status, msg)


def write(doc: doc_p, fmt: int) -> bytes:
    """One tram_doc_write call: the whole doc in `fmt`, as bytes."""
    buf = c_void_p()
    n = c_size_t()
    check(tram_doc_write(doc, fmt, ctypes.byref(buf), ctypes.byref(n)))
    try:
        return ctypes.string_at(buf, n.value)
    finally:
        tram_free(buf)
