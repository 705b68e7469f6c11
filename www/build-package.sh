#!/usr/bin/env bash
# Builds the npm package in www/: the widget for wasm32, its JS glue
# (wasm-bindgen --target web, named as trunk names it, which Vite, webpack and a plain
# <script type="module"> page all load), then wasm-opt -Oz from npm's binaryen
# (Debian's is too old to read today's wasm). PROFILE=dev skips wasm-opt for
# quick test builds. `npm pack` in www/ then makes the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
if [ "$profile" = "release" ]; then
    # Panic locations name source files; without this they carry the build
    # machine's paths (its home and cargo registry) into the shipped wasm.
    cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$cargo_home/registry/src/= --remap-path-prefix=$PWD/="
fi
cargo build --locked --target wasm32-unknown-unknown -p meeting-chat --profile "$profile"
# Cargo writes the dev profile to target/…/debug.
out_dir="$profile"
[ "$profile" = "dev" ] && out_dir=debug
rm -rf www/pkg
wasm-bindgen --target web --no-typescript --out-name meeting-chat --out-dir www/pkg \
    "target/wasm32-unknown-unknown/$out_dir/meeting_chat.wasm"
if [ "$profile" = "release" ]; then
    [ -x www/node_modules/.bin/wasm-opt ] || (cd www && npm ci --no-audit --no-fund --loglevel=error)
    # wasm-bindgen keeps the target_features section, but name the features
    # anyway so a wasm-opt that ignores it still reads the module.
    www/node_modules/.bin/wasm-opt -Oz \
        --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals --enable-reference-types --enable-multivalue \
        www/pkg/meeting-chat_bg.wasm -o www/pkg/meeting-chat_bg.wasm
fi
echo "built www/pkg ($profile)"
