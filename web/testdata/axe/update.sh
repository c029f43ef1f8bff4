#!/usr/bin/env bash
# Vendors axe-core's browser bundle for the accessibility checks of the
# browser tests (web/browser_test.go), so they need no network in CI.
# Usage: bash web/testdata/axe/update.sh [version]   (needs npm)
set -euo pipefail
version=${1:-4.14.1}
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null)
tar -xzf "$tmp/axe-core-$version.tgz" -C "$tmp"
cp "$tmp/package/axe.min.js" axe.min.js
cp "$tmp/package/LICENSE" LICENSE
echo "$version" > VERSION
echo "axe-core $version: $(wc -c < axe.min.js) bytes"
