#!/usr/bin/env bash
# Installs everything yuqing needs on a fresh Debian machine with Python 3.11:
# Debian's chromium (Playwright drives it by path; `playwright install` is not used),
# a virtualenv in .venv with the project, the embedded SecantusDB server and the
# test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# A CJK font for the report's charts (matplotlib) and its screenshot test.
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "install.sh: please install ${missing[*]} with your package manager" >&2
  fi
fi

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
# setuptools >= 77 reads the SPDX `license` string of pyproject.toml when
# scrapyd-deploy runs setup.py in this environment; scrapyd itself wants < 81.
.venv/bin/python -m pip install -q --upgrade pip "setuptools>=77,<81"
.venv/bin/python -m pip install -q -e '.[embedded,dev]'
echo "install.sh: ready (.venv/bin/yuqing)"
