#!/usr/bin/env bash
# tests/gui/screenshots.sh OUTDIR — builds, then saves PNGs of the real editor under Xvfb into OUTDIR: the overview
# with pending edits and a risky value, the details view, the value editor refusing a value and explaining one, the
# save confirmation, the conflict dialog, the snapshot windows, a value's change history (and where auditing is off),
# the environment picker, the window in a dark palette and at 200 %.
set -euo pipefail
out=${1:?usage: tests/gui/screenshots.sh OUTDIR}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmake --preset release -S "$root" >/dev/null
cmake --build "$root/build/release" --target screenshot_tour
mkdir -p "$out"
xvfb-run -a -s "-screen 0 1400x900x24" "$root/build/release/tests/gui/screenshot_tour" "$out"
# The same window at 200 %, on a screen with room for it.
QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 2700x1750x24" "$root/build/release/tests/gui/screenshot_tour" "$out" --scaled
