#!/bin/sh
# Renders resources/icon.svg into the PNGs the desktop packages use (run after editing the
# SVG; needs rsvg-convert, Debian package librsvg2-bin). electron-builder makes the Windows
# .ico and the macOS .icns from resources/icon.png; Linux takes resources/icons/<size>.png.
set -e
cd "$(dirname "$0")/../resources"
mkdir -p icons
for size in 16 24 32 48 64 128 256 512 1024; do
  rsvg-convert --width "$size" --height "$size" icon.svg --output "icons/${size}x${size}.png"
done
cp icons/1024x1024.png icon.png
