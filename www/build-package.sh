#!/usr/bin/env bash
# Builds the npm package in www/: the widget for wasm32 (twice: with the
# panel, and headless without it), each one's JS glue
# (wasm-bindgen --target web, named as trunk names it, which Vite, webpack and a plain
# <script type="module"> page all load), then wasm-opt -Oz from npm's binaryen
# (Debian's is too old to read today's wasm) and esbuild's minifier on the
# glue. PROFILE=dev skips both for quick test builds. `npm pack` in www/ then makes the tarball.
#
# The panel entry is split (the `split` feature, then wasm-split-cli, the
# splitter cargo-leptos uses): its lazily loaded parts become pkg/split_*.wasm
# (and pkg/chunk_*.wasm for code parts share), fetched by pkg/__wasm_split.js
# with `new URL("./split_….wasm", import.meta.url)`, which bundlers follow.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${PROFILE:-release}"
if [ "$profile" = "release" ]; then
    # Panic locations name source files; without this they carry the build
    # machine's paths (its home and cargo registry) into the shipped wasm.
    cargo_home="${CARGO_HOME:-$HOME/.cargo}"
    export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$cargo_home/registry/src/= --remap-path-prefix=$PWD/="
fi
# Cargo writes the dev profile to target/…/debug.
out_dir="$profile"
[ "$profile" = "dev" ] && out_dir=debug
rm -rf www/pkg
# build_entry NAME [cargo args]: one entry's wasm and glue, named NAME in www/pkg.
build_entry() {
    local name=$1
    shift
    local wasm="target/wasm32-unknown-unknown/$out_dir/meeting_chat.wasm" keep=() parts=()
    if [[ " $* " == *" --features split "* ]]; then
        # The splitter reads the linker's relocations; only this crate's link
        # is told to keep them, so both entries share their compiled dependencies.
        cargo rustc --locked --target wasm32-unknown-unknown -p meeting-chat --lib --profile "$profile" "$@" \
            -- -Clink-args=--emit-relocs
        # The main module goes on to wasm-bindgen, keeping the exports the parts import.
        wasm-split-cli --target web --out-name "$name" "$wasm" www/pkg
        wasm="www/pkg/$name.wasm"
        keep=(--keep-lld-exports)
        parts=(www/pkg/split_*.wasm www/pkg/chunk_*.wasm www/pkg/__wasm_split.js)
    else
        cargo build --locked --target wasm32-unknown-unknown -p meeting-chat --profile "$profile" "$@"
    fi
    wasm-bindgen --target web --no-typescript "${keep[@]}" --out-name "$name" --out-dir www/pkg "$wasm"
    rm -f "www/pkg/$name.wasm"
    if [ "${#parts[@]}" -gt 0 ]; then
        # The glue names the splitter's loader module once per part it
        # imports, as repeated keys of one object (bundlers warn): keep the first.
        perl -0pi -e 'my $seen = 0; s/^\s*"\.\/__wasm_split\.js": import\d+,\n/$seen++ ? "" : $&/mge' "www/pkg/$name.js"
    fi
    if [ "$profile" = "release" ]; then
        [ -x www/node_modules/.bin/esbuild ] || (cd www && npm ci --no-audit --no-fund --loglevel=error)
        local module
        for module in "www/pkg/${name}_bg.wasm" "${parts[@]}"; do
            [[ "$module" == *.wasm ]] || continue
            # wasm-bindgen keeps the target_features section, but name the features
            # anyway so a wasm-opt that ignores it still reads the module.
            # --low-memory-unused: Rust's wasm puts its stack first, growing down
            # from 1 MiB to 0, and its data above it, so the low 1 KiB is reached
            # only by a stack already overflowing; knowing that, wasm-opt folds
            # constant offsets into loads and stores (-2.2 KiB gzip headless).
            # -Os measured smaller than -Oz once gzipped, with that flag.
            www/node_modules/.bin/wasm-opt -Os --low-memory-unused \
                --enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int --enable-sign-ext \
                --enable-mutable-globals --enable-reference-types --enable-multivalue \
                "$module" -o "$module"
        done
        # The glue is one JS function per import the wasm makes, each with the
        # Rust doc comment of what it wraps: minified, it is a third the size.
        local glue
        for glue in "www/pkg/${name}.js" "${parts[@]}"; do
            [[ "$glue" == *.js ]] || continue
            www/node_modules/.bin/esbuild "$glue" --minify --format=esm --log-level=warning \
                --outfile="$glue" --allow-overwrite
        done
    fi
}
# "meeting-chat": the JS API and the panel. "meeting-chat/headless": the JS API alone.
build_entry meeting-chat --features split
build_entry meeting-chat-headless --no-default-features
echo "built www/pkg ($profile)"
