#!/usr/bin/env bash
# Refresh static/vendor/ from the npm registry (versions in static/vendor/README.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund bootstrap@5.3.8 htmx.org@2.0.8 echarts@6.1.0 >/dev/null
npm install --no-audit --no-fund @fontsource/noto-serif-sc@5.3.0 @fontsource/noto-sans-sc@5.3.0 >/dev/null
v="$top/static/vendor"
mkdir -p "$v/bootstrap" "$v/htmx" "$v/echarts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/LICENSE "$v/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$v/htmx/"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE "$v/echarts/"
# The PDF's fonts: one "chinese-simplified" subset per weight (no unicode-range split), as
# woff, which WeasyPrint unpacks ~50x faster than woff2.
fs=node_modules/@fontsource
mkdir -p "$v/fonts/noto-serif-sc" "$v/fonts/noto-sans-sc"
cp $fs/noto-serif-sc/files/noto-serif-sc-chinese-simplified-{400,700}-normal.woff $fs/noto-serif-sc/LICENSE "$v/fonts/noto-serif-sc/"
cp $fs/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff $fs/noto-sans-sc/LICENSE "$v/fonts/noto-sans-sc/"
echo "static/vendor refreshed"
