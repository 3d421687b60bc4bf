#!/bin/sh
# Installs the Debian packages given as arguments that are missing.
# As root it runs apt-get; otherwise it says what to install and fails only
# if something is missing.
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null && apt-get install -y -qq $missing >/dev/null || {
    echo "apt-get install$missing failed" >&2; exit 1; }
else
  echo "missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
  exit 1
fi
