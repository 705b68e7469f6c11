#!/usr/bin/env bash
# The demo: builds the widget, then runs the server in dev mode on SQLite
# (under .data/), serving the page at http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-build
bash www/build-demo.sh
exec cargo run --locked --release -p chat-server -- --dev --demo-dir dist "$@"
