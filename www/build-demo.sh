#!/usr/bin/env bash
# Builds the widget for the browser into dist/: the wasm module and its JS
# glue (wasm-bindgen, no bundler), the package's JS and CSS, and index.html.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
cargo build --locked --target wasm32-unknown-unknown -p meeting-chat --profile "$profile"
# Cargo writes the dev profile to target/…/debug.
out_dir="$profile"
[ "$profile" = "dev" ] && out_dir=debug
rm -rf dist
mkdir -p dist/pkg
wasm-bindgen --target web --out-dir dist/pkg "target/wasm32-unknown-unknown/$out_dir/meeting_chat.wasm"
cp index.html www/meeting-chat.css www/meeting-chat.js www/meeting-chat-element.js dist/
echo "built dist/ ($(du -sh dist | cut -f1))"
