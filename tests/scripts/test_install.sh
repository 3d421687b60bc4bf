#!/bin/sh
# Install into a temporary prefix and use it as a user would:
#  - cmake --install puts the headers, the shared library with its SONAME
#    links, the CLI (which runs from there and finds the bundled article),
#    the man page, tramuntana.pc and the CMake package;
#  - examples/c builds against it with pkg-config and with CMake
#    (find_package(Tramuntana) -> tramuntana::tramuntana), and both run;
#  - the Python package imports against the installed library, from the
#    source tree (TRAMUNTANA_LIBRARY) and once installed with pip (offline,
#    into a target directory) without any environment variable.
set -u
build=${TRAM_BUILD_DIR:?TRAM_BUILD_DIR not set}
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR not set}
py=${TRAM_PYTHON:-/usr/bin/python3}
if [ "${TRAM_SANITIZED:-0}" = 1 ]; then
  echo "skip: a sanitizer build is not installed for outside programs"
  exit 77
fi
for tool in cmake pkg-config cc; do
  command -v $tool >/dev/null 2>&1 || { echo "skip: no $tool"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log" >&2; echo "FAIL: cmake --install" >&2; exit 1; }
libdir=$(dirname "$(find "$prefix" -name 'libtramuntana.so' | head -1)")
[ -d "$libdir" ] || { echo "FAIL: no libtramuntana.so installed" >&2; exit 1; }

# --- files
for f in include/tramuntana.h include/tramuntana_version.h bin/tramuntana \
  share/man/man1/tramuntana.1 share/tramuntana/examples/mouves-euroregion-fr.txt; do
  [ -e "$prefix/$f" ] || fail "$f not installed"
done
for f in pkgconfig/tramuntana.pc cmake/Tramuntana/TramuntanaConfig.cmake \
  cmake/Tramuntana/TramuntanaConfigVersion.cmake cmake/Tramuntana/TramuntanaTargets.cmake; do
  [ -e "$libdir/$f" ] || fail "$libdir/$f not installed"
done
soname=$(objdump -p "$libdir/libtramuntana.so" 2>/dev/null | awk '/SONAME/ { print $2 }')
case "$soname" in
libtramuntana.so.[0-9]*) ;;
*) fail "SONAME is '$soname'" ;;
esac
[ -L "$libdir/libtramuntana.so" ] || fail "libtramuntana.so is not a link"
[ "$(readlink "$libdir/libtramuntana.so")" = "$soname" ] || fail "libtramuntana.so does not point to $soname"
[ -L "$libdir/$soname" ] || fail "$soname is not a link to the versioned file"
[ -f "$(readlink -f "$libdir/$soname")" ] || fail "$soname is dangling"
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$prefix/share/man/man1/tramuntana.1" 2>/dev/null | grep -q "jsonl" ||
    fail "the man page does not render"
fi

# --- the installed CLI runs from the prefix (RPATH) and finds the article
"$prefix/bin/tramuntana" >"$tmp/cli.out" 2>"$tmp/cli.err" || fail "installed CLI: $(cat "$tmp/cli.err")"
grep -q "share/tramuntana/examples/mouves-euroregion-fr.txt" "$tmp/cli.out" ||
  fail "installed CLI did not use the installed article: $(head -3 "$tmp/cli.out")"
loaded=$(ldd "$prefix/bin/tramuntana" | awk '/libtramuntana/ { print $3 }')
[ -n "$loaded" ] && [ "$(realpath "$loaded")" = "$(realpath "$libdir/$soname")" ] ||
  fail "installed CLI does not load the installed library: $loaded"

# --- examples/c with pkg-config (C and C++ compilers, -pedantic -Werror)
export PKG_CONFIG_PATH="$libdir/pkgconfig"
pkg-config --exists tramuntana || fail "pkg-config does not see tramuntana"
[ "$(pkg-config --variable=includedir tramuntana | xargs realpath)" = "$(realpath "$prefix/include")" ] ||
  fail "tramuntana.pc includedir is $(pkg-config --variable=includedir tramuntana)"
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -pedantic -Werror -o "$tmp/ex-pc" "$src/examples/c/example.c" \
  $(pkg-config --cflags --libs tramuntana) || fail "pkg-config build"
LD_LIBRARY_PATH="$libdir" "$tmp/ex-pc" "Le Conseil régional d'Occitanie." >"$tmp/ex.out" || fail "pkg-config example run"
grep -q "	Conseil	word	" "$tmp/ex.out" || fail "example output: $(head -3 "$tmp/ex.out")"
if command -v c++ >/dev/null 2>&1; then
  printf '#include <tramuntana.h>\nint main() { return tram_version_number() > 0 ? 0 : 1; }\n' >"$tmp/cxx.cc"
  # shellcheck disable=SC2046
  c++ -Wall -Wextra -pedantic -Werror -o "$tmp/cxx" "$tmp/cxx.cc" $(pkg-config --cflags --libs tramuntana) ||
    fail "the header does not compile as C++"
fi

# --- examples/c with CMake
if cmake -S "$src/examples/c" -B "$tmp/exb" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cm.log" 2>&1 &&
  cmake --build "$tmp/exb" >>"$tmp/cm.log" 2>&1; then
  "$tmp/exb/example" "La Generalitat de Catalunya." >"$tmp/ex2.out" || fail "CMake example run"
  grep -q "	Generalitat	word	" "$tmp/ex2.out" || fail "CMake example output: $(head -3 "$tmp/ex2.out")"
else
  cat "$tmp/cm.log" >&2
  fail "CMake build of examples/c"
fi

# --- Python against the installed library
if command -v "$py" >/dev/null 2>&1; then
  TRAMUNTANA_LIBRARY="$libdir/$soname" PYTHONPATH="$src/bindings/python" PYTHONDONTWRITEBYTECODE=1 \
    "$py" -c 'import tramuntana, sys; d = tramuntana.analyze("Bon dia a tothom.", lang="ca"); assert [t.text for t in d.tokens][:2] == ["Bon", "dia"]; assert tramuntana._native.path == sys.argv[1], tramuntana._native.path' \
    "$libdir/$soname" || fail "Python with TRAMUNTANA_LIBRARY"
  if "$py" -m pip --version >/dev/null 2>&1; then
    "$py" -m pip install --no-index --no-cache-dir --disable-pip-version-check -q \
      --target "$tmp/site" "$src/bindings/python" >"$tmp/pip.log" 2>&1 ||
      { cat "$tmp/pip.log" >&2; fail "pip install ./bindings/python"; }
    rm -rf "$src/bindings/python/build_backend/__pycache__"
    (cd "$tmp" && env -u TRAMUNTANA_LIBRARY PYTHONPATH="$tmp/site" PYTHONDONTWRITEBYTECODE=1 "$py" -c '
import os, sys, tramuntana
assert os.path.realpath(tramuntana._native.path) == os.path.realpath(sys.argv[1]), tramuntana._native.path
assert tramuntana.__file__.startswith(sys.argv[2]), tramuntana.__file__
d = tramuntana.analyze_many(["Hola, ¿qué tal?", "Le chat dort."], threads=2, lang="auto")
assert d[1].tokens[1].text == "chat"
' "$libdir/$soname" "$tmp/site") || fail "pip-installed package with the installed library"
  else
    echo "note: $py has no pip; pip install not tested" >&2
  fi
fi

[ "$fails" = 0 ] || { echo "$fails failure(s)" >&2; exit 1; }
echo "test_install: ok"
