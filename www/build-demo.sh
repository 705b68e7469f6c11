#!/usr/bin/env bash
# Builds the demo into dist/: the npm package's files (see build-package.sh)
# beside index.html, as the server's --demo-dir serves them.
set -euo pipefail
cd "$(dirname "$0")/.."
bash www/build-package.sh
rm -rf dist
mkdir -p dist
cp -r www/pkg dist/pkg
cp -r www/locales dist/locales
cp index.html www/404.html www/meeting-chat.css www/meeting-chat.js www/meeting-chat-element.js www/meeting-chat-headless.js www/loader.js dist/
# The server's --demo-dir serves these precompressed to browsers that accept
# them. Not for PROFILE=dev test builds: brotli's best on their 15 MB of wasm
# takes a minute, and the server's own test covers the serving.
if [ "${PROFILE:-release}" = "release" ]; then
    node www/precompress.mjs dist
fi
echo "built dist/ ($(du -sh dist | cut -f1))"
