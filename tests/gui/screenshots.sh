#!/usr/bin/env bash
# tests/gui/screenshots.sh OUTDIR — builds, then saves PNGs of the real editor under Xvfb into OUTDIR: the main window
# with pending edits, the value editor refusing a value and explaining one, the save confirmation, the conflict dialog.
set -euo pipefail
out=${1:?usage: tests/gui/screenshots.sh OUTDIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmake --preset release -S "$root" >/dev/null
cmake --build "$root/build/release" --target screenshot_tour
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1400x900x24" "$root/build/release/tests/gui/screenshot_tour" "$out"
