#!/usr/bin/env bash
# The one list of Debian packages lode needs to build, test and benchmark.
# Installs only what is missing; safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config time
  libboost-dev libboost-program-options-dev   # Boost.DLL is header-only, in libboost-dev
  libicu-dev libre2-dev libyaml-cpp-dev libtbb-dev
  libmimalloc-dev                             # lode's allocator (documents cross threads)
  libuchardet-dev libxml2-dev                 # read.files: encoding detection, HTML
  libgtest-dev libgmock-dev
  nlohmann-json3-dev
  libsqlite3-dev sqlite3
  libxlsxwriter-dev python3-openpyxl          # export.xlsx; openpyxl reads it back in tests
  chromium fonts-wqy-microhei                 # export.html: the browser test renders the report (with a CJK font)
  libxxhash-dev libdtl-dev python3            # dedup.*: xxHash, dtl (line alignment); tests run bench/gencorpus.py
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
