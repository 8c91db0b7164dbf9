#!/usr/bin/env bash
# Serves podlab's page at http://127.0.0.1:8080/ (rebuilding on every change), after installing
# the tools it needs (scripts/install-tools.sh).
#   bash scripts/serve.sh            # port 8080
#   bash scripts/serve.sh 9000       # or PORT=9000 bash scripts/serve.sh
# Further arguments go to `trunk serve` (e.g. --release).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

port="${PORT:-8080}"
if [ $# -gt 0 ] && [[ "$1" =~ ^[0-9]+$ ]]; then
    port="$1"
    shift
fi

bash "$ROOT/scripts/install-tools.sh"
say "serving podlab at http://127.0.0.1:$port/ (Ctrl-C stops)"
exec trunk serve --address 127.0.0.1 --port "$port" "$@"
