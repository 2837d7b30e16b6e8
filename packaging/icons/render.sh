#!/usr/bin/env bash
# Renders the app icon's PNG sizes for hicolor from the SVG (needs rsvg-convert: apt-get install librsvg2-bin), and
# the Windows .ico from them (ImageMagick).
# The PNGs and the .ico are committed, so building needs nothing but the repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
for size in 16 24 32 48 64 128 256; do
    mkdir -p "hicolor/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" org.autocloseeditor.AutoCloseEditor.svg \
        -o "hicolor/${size}x${size}/org.autocloseeditor.AutoCloseEditor.png"
done
# The Windows icon (the installer's and the executable's), every size in one .ico (needs ImageMagick's convert).
convert hicolor/{16x16,24x24,32x32,48x48,64x64,128x128,256x256}/org.autocloseeditor.AutoCloseEditor.png \
    org.autocloseeditor.AutoCloseEditor.ico
