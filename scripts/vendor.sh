#!/usr/bin/env bash
# Refresh static/vendor/ from the npm registry (versions in static/vendor/README.md).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund bootstrap@5.3.8 htmx.org@2.0.8 echarts@6.1.0 >/dev/null
v="$top/static/vendor"
mkdir -p "$v/bootstrap" "$v/htmx" "$v/echarts"
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/LICENSE "$v/bootstrap/"
cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE "$v/htmx/"
cp node_modules/echarts/dist/echarts.min.js node_modules/echarts/LICENSE "$v/echarts/"
echo "static/vendor refreshed"
