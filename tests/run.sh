#!/usr/bin/env bash
# Install everything the test suite needs, then run it. The README's test command, and CI's.
# Debian packages come from apt-get (as root, or with sudo); Python packages from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

# tool → Debian package. LibreOffice converts DOCX, poppler's pdftotext is the third, independent
# text extractor for the leak tests, qpdf is the benchmark's baseline, Tesseract (with its English
# pack, in libs) OCRs scans, the rest let Qt run offscreen.
declare -A needs=(
  [soffice]=libreoffice-writer-nogui [pdftotext]=poppler-utils [qpdf]=qpdf [xvfb-run]=xvfb
  [tesseract]=tesseract-ocr
)
# fonts-liberation2 and crosextra: the metric twins of Times New Roman/Arial/Courier New and Calibri/Cambria;
# fonts-urw-base35: an OpenType CFF font for the CFF CID font tests; poppler-data: the CJK CMaps
# pdftotext needs to read the CID fonts of the attack tests.
# The libxcb* and libxkbcommon-x11-0: Qt's X11 plugin, for the tests that drag with a real mouse under Xvfb.
libs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 fonts-dejavu-core tesseract-ocr-eng
  fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea fonts-urw-base35 poppler-data
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-randr0 libxcb-xkb1 libxcb-xfixes0 libxcb-xinerama0 libxkbcommon-x11-0)
# Debian's python3 needs python3-venv for 'python3 -m venv' (PEP 668: no pip into the system Python).
[ -n "${VIRTUAL_ENV:-}" ] || [ -x .venv/bin/python ] || python3 -c "import ensurepip" 2>/dev/null || libs+=(python3-venv)
missing=()
for tool in "${!needs[@]}"; do command -v "$tool" >/dev/null || missing+=("${needs[$tool]}"); done
for lib in "${libs[@]}"; do dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib"); done
if ((${#missing[@]})); then
  if ! command -v apt-get >/dev/null; then
    echo "Please install: ${missing[*]} (Debian names; use your system's package manager)" >&2
    exit 1
  fi
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Inside an active virtual environment use it; else the repository's own .venv (made when missing),
# the same one the README's quick start makes.
python=python3
if [ -z "${VIRTUAL_ENV:-}" ]; then
  [ -x .venv/bin/python ] || python3 -m venv .venv
  python=.venv/bin/python
fi
"$python" -m pip install -q --disable-pip-version-check -e ".[test]"
# Tests that need LibreOffice, poppler or the corpus fail (not skip) when these say so.
export BUNDLER_TESTS_REQUIRE_ALL=1 QT_QPA_PLATFORM=offscreen
exec "$python" -m pytest "$@"
