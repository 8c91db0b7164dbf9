# Shared settings for podlab's scripts. Source it: `. "$(dirname "$0")/lib.sh"`.
#
# Sets ROOT (the repository root, whatever the current directory), puts the project's tools on
# PATH and points the browser-test runner at Debian's chromedriver and the crate's webdriver.json.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT

# Pinned tool versions (wasm-bindgen-cli follows Cargo.lock, see wasm_bindgen_lock_version).
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"
WASM_TARGET="wasm32-unknown-unknown"

# Tools installed for this checkout only (gitignored).
TOOLS_DIR="$ROOT/.tools"
BINARYEN_PREFIX="$TOOLS_DIR/binaryen"

export PATH="$BINARYEN_PREFIX/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# wasm-bindgen-test-runner finds the driver through CHROMEDRIVER (else PATH), and the browser's
# capabilities through WASM_BINDGEN_TEST_WEBDRIVER_JSON (else ./webdriver.json).
if [ -z "${CHROMEDRIVER:-}" ] && [ -x /usr/bin/chromedriver ]; then
    export CHROMEDRIVER=/usr/bin/chromedriver
fi
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="${WASM_BINDGEN_TEST_WEBDRIVER_JSON:-$ROOT/webdriver.json}"
# Test binaries that do not say where they run (wasm_bindgen_test_configure!) run in the browser
# too: podlab's wasm code is a web page, and node has no DOM.
export WASM_BINDGEN_USE_BROWSER="${WASM_BINDGEN_USE_BROWSER:-1}"
# The browser tests may take a while to load on a busy 2-core machine (seconds).
export WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}"

# Print a step heading.
say() {
    printf '==> %s\n' "$*"
}

# The wasm-bindgen version that Cargo.lock pins (trunk and the test runner must match it).
wasm_bindgen_lock_version() {
    awk '
        /^\[\[package\]\]/ { in_pkg = 0 }
        /^name = "wasm-bindgen"$/ { in_pkg = 1; next }
        in_pkg && /^version = / { gsub(/"/, "", $3); print $3; exit }
    ' "$ROOT/Cargo.lock"
}

# The wasm-bindgen version that Trunk.toml's [tools] section asks for.
wasm_bindgen_trunk_version() {
    sed -n 's/^wasm_bindgen *= *"\([^"]*\)".*/\1/p' "$ROOT/Trunk.toml" | head -n 1
}

# Seconds since the epoch, for timing stages.
now() {
    date +%s
}
