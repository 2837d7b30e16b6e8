#!/usr/bin/env bash
# Renders the app icon's PNG sizes for hicolor from the SVG (needs rsvg-convert: apt-get install librsvg2-bin).
# The PNGs are committed, so building needs nothing but the repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for size in 16 24 32 48 64 128 256; do
    mkdir -p "hicolor/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" org.autocloseeditor.AutoCloseEditor.svg \
        -o "hicolor/${size}x${size}/org.autocloseeditor.AutoCloseEditor.png"
done
