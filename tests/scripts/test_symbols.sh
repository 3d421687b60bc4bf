#!/bin/sh
# The exported-symbol contract of libtramuntana.so (the Python binding
# relies on it):
#   1. the functions the library exports (nm -D, defined, type T) are exactly
#      tests/symbols.txt (sorted, one per line);
#   2. nothing else is exported: every defined dynamic symbol is tram_*;
#   3. tests/symbols.txt is exactly the TRAM_API functions of
#      include/tramuntana.h;
#   4. the SONAME is libtramuntana.so.1 (an ABI number, bumped on purpose).
# Adding a public function means adding it to tests/symbols.txt.
# Env: TRAM_LIBRARY (the built libtramuntana.so), TRAM_SOURCE_DIR.
set -u
lib=${TRAM_LIBRARY:?TRAM_LIBRARY is not set}
src=${TRAM_SOURCE_DIR:?TRAM_SOURCE_DIR is not set}
list="$src/tests/symbols.txt"
for tool in nm objdump; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "skipped: $tool not found (binutils)"
    exit 77
  fi
done
[ -f "$lib" ] || { echo "FAIL: no library at $lib"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
export LC_ALL=C

# 0. the committed list is sorted, unique and only tram_* names.
sort -u "$list" >"$tmp/list"
if ! cmp -s "$tmp/list" "$list"; then
  echo "FAIL: $list is not sorted and unique (LC_ALL=C sort -u)"
  status=1
fi
if grep -v '^tram_[a-z0-9_]*$' "$list"; then
  echo "FAIL: names above in $list are not tram_* functions"
  status=1
fi

# 1. exported functions == the list.
nm -D --defined-only "$lib" >"$tmp/nm.raw" || { echo "FAIL: nm -D $lib"; exit 1; }
# A coverage build (make coverage) links gcov's runtime into the library:
# its symbols are not ours.
grep -v -E ' (__gcov_[A-Za-z0-9_]*|mangle_path)(@.*)?$' "$tmp/nm.raw" >"$tmp/nm" || true
awk '$2 == "T" { print $3 }' "$tmp/nm" | sed 's/@.*//' | sort -u >"$tmp/exported"
if ! diff -u "$list" "$tmp/exported" >"$tmp/diff"; then
  echo "FAIL: exported functions differ from tests/symbols.txt" \
       "(- committed, + exported):"
  cat "$tmp/diff"
  status=1
fi

# 2. nothing but tram_* is exported (functions, data, anything defined).
awk 'NF >= 3 { print $2, $3 }' "$tmp/nm" | sed 's/@.*//' |
  grep -v ' tram_[A-Za-z0-9_]*$' >"$tmp/foreign" || true
if [ -s "$tmp/foreign" ]; then
  echo "FAIL: exported symbols without the tram_ prefix:"
  cat "$tmp/foreign"
  status=1
fi
if awk '$2 != "T" { print }' "$tmp/nm" | grep -q .; then
  echo "FAIL: exported symbols that are not functions:"
  awk '$2 != "T"' "$tmp/nm"
  status=1
fi

# 3. the list == the TRAM_API functions of the public header.
grep -E '^TRAM_API ' "$src/include/tramuntana.h" |
  sed -E 's/^[^(]*[ *]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/' | sort -u >"$tmp/header"
if ! diff -u "$list" "$tmp/header" >"$tmp/diff"; then
  echo "FAIL: tests/symbols.txt differs from the TRAM_API functions of" \
       "include/tramuntana.h (- list, + header):"
  cat "$tmp/diff"
  status=1
fi

# 4. SONAME.
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
if [ "$soname" != "libtramuntana.so.1" ]; then
  echo "FAIL: SONAME is '$soname', expected libtramuntana.so.1"
  status=1
fi

n=$(wc -l <"$list")
[ $status -eq 0 ] && echo "ok: $n tram_* functions exported, nothing else; SONAME $soname"
exit $status
