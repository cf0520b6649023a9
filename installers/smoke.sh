#!/usr/bin/env bash
# Build the one-folder bundle with installers/itadesk.spec (the release spec) and run the
# frozen program as an officer would (installers/smoke_frozen.py: CLI import, report, the PDF's
# text read back with pdftotext; the window opens the file offscreen and quits, installed and
# portable), so a data file missing from the spec fails here and not on an office PC.
# Usage: bash installers/smoke.sh [--no-build]   (PYTHON=... picks the interpreter; default .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
DIST=build/smoke/dist
START=$(date +%s)
if [ "${1:-}" != "--no-build" ]; then
  "$PYTHON" -m pip install -q -e ".[build]"
  "$PYTHON" installers/build.py --bundle-only --dist "$DIST" --work build/smoke/work
fi
BUILT=$(date +%s)
"$PYTHON" installers/smoke_frozen.py "$DIST/ITADesk"
END=$(date +%s)
echo "smoke.sh: OK (bundle $(du -sh "$DIST/ITADesk" | cut -f1); build $((BUILT - START)) s, run $((END - BUILT)) s)"
