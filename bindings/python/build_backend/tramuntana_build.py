"""A minimal PEP 517 / PEP 660 build backend for the tramuntana binding.

Why not setuptools: pip builds in an isolated environment and would fetch
setuptools from PyPI, which breaks `pip install ./bindings/python` offline.
The package is pure Python, so a wheel is just a zip of tramuntana/ plus
the .dist-info files (PEP 427); this module writes it with the standard
library only.

At build time it records the C library's directory in tramuntana/_config.py
(inside the wheel only): $TRAMUNTANA_LIBDIR if set, else
`pkg-config --variable=libdir tramuntana` (set PKG_CONFIG_PATH for a
non-standard prefix), else nothing (the binding then searches as
_native.py describes).
"""

import base64
import hashlib
import os
import re
import subprocess
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = "tramuntana"


def _meta():
    text = open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8").read()

    def get(key):
        m = re.search(r'^%s\s*=\s*"([^"]*)"' % key, text, re.M)
        return m.group(1) if m else ""

    return get("name"), get("version"), get("description"), \
        get("requires-python")


def _libdir():
    d = os.environ.get("TRAMUNTANA_LIBDIR", "")
    if d:
        return d
    try:
        out = subprocess.run(["pkg-config", "--variable=libdir", "tramuntana"],
                             capture_output=True, text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            return os.path.realpath(out.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return ""


def _dist_info(name, version, description, requires):
    di = f"{name}-{version}.dist-info"
    metadata = (f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                f"Summary: {description}\nLicense: MIT\n"
                f"Requires-Python: {requires}\n")
    wheel = ("Wheel-Version: 1.0\nGenerator: tramuntana_build\n"
             "Root-Is-Purelib: true\nTag: py3-none-any\n")
    return di, {f"{di}/METADATA": metadata, f"{di}/WHEEL": wheel,
                f"{di}/top_level.txt": PKG + "\n"}


def _write_wheel(wheel_directory, files):
    name, version, description, requires = _meta()
    di, meta = _dist_info(name, version, description, requires)
    files = dict(files)
    files.update({k: v.encode() for k, v in meta.items()})
    fname = f"{name}-{version}-py3-none-any.whl"
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, fname), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arc, data in sorted(files.items()):
            z.writestr(arc, data)
            digest = base64.urlsafe_b64encode(
                hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arc},sha256={digest},{len(data)}")
        record.append(f"{di}/RECORD,,")
        z.writestr(f"{di}/RECORD", "\n".join(record) + "\n")
    return fname


def _config_py():
    return (b"# Written by the build backend at install time.\n"
            b"LIBDIR = " + repr(_libdir()).encode() + b"\n")


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    files = {}
    src = os.path.join(HERE, PKG)
    for f in sorted(os.listdir(src)):
        if f.endswith(".py") or f == "py.typed":
            if f == "_config.py":
                continue
            with open(os.path.join(src, f), "rb") as fh:
                files[f"{PKG}/{f}"] = fh.read()
    files[f"{PKG}/_config.py"] = _config_py()
    return _write_wheel(wheel_directory, files)


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    # A .pth file puts the source directory on sys.path (PEP 660).
    return _write_wheel(wheel_directory,
                        {"tramuntana_editable.pth": (HERE + "\n").encode()})


def build_sdist(sdist_directory, config_settings=None):
    import tarfile
    name, version, _, _ = _meta()
    base = f"{name}-{version}"
    fname = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, fname), "w:gz") as t:
        for rel in ["pyproject.toml", "build_backend/tramuntana_build.py"] + \
                [f"{PKG}/{f}" for f in sorted(os.listdir(
                    os.path.join(HERE, PKG)))
                 if (f.endswith(".py") and f != "_config.py")
                 or f == "py.typed"]:
            t.add(os.path.join(HERE, rel), arcname=f"{base}/{rel}")
    return fname
