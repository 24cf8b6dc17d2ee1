#!/usr/bin/env bash
# Freeze bundler into dist/bundler and smoke-test the frozen executables: build the example case
# headless, start the GUI offscreen and close it. Used by .ci/run; needs pyinstaller (".[freeze]").
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$work/dist" --workpath "$work/build" packaging/bundler.spec
echo "freeze: $(( $(date +%s) - start )) s, $(du -sm "$work/dist/bundler" | cut -f1) MB"
app="$work/dist/bundler"
cp -r examples/aisha-v-wessex "$work/case"
BUNDLER_CACHE_DIR="$work/cache" "$app/bundler" build "$work/case/aisha-v-wessex.bundle.json" -o "$work/case/out.pdf"
test -s "$work/case/out.pdf"
# check runs the render-time probe in a child process of the frozen executable itself
"$app/bundler" check "$work/case/out.pdf" > "$work/check.txt"
grep -q "Every page draws in reasonable time" "$work/check.txt" || { cat "$work/check.txt"; exit 1; }
# A longer public build: the gate's first search of new documents runs in worker processes started
# from the frozen executable (multiprocessing's spawn), which a 9-page example never reaches.
"$python" - "$work/case/long.pdf" <<'PY'
import sys
from reportlab.pdfgen.canvas import Canvas
pdf = Canvas(sys.argv[1])
for n in range(1, 241):
    pdf.drawString(72, 720, f"Exhibit FK/3, page {n}: correspondence with the Home Office")
    pdf.showPage()
pdf.save()
PY
"$app/bundler" add "$work/case/aisha-v-wessex.bundle.json" "$work/case/long.pdf" --section E --date 2019-09-01 >/dev/null
BUNDLER_CACHE_DIR="$work/cache" timeout 900 "$app/bundler" build "$work/case/aisha-v-wessex.bundle.json" \
  -o "$work/case/long-out.pdf" | tail -3
test -s "$work/case/long-out.pdf"
# The GUI: start offscreen, quit from a timer after the window is up.
QT_QPA_PLATFORM=offscreen BUNDLER_GUI_SMOKE_QUIT_MS=1500 timeout 120 "$app/bundler-gui"
echo "frozen bundler and bundler-gui ran"
