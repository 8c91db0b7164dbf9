#!/usr/bin/env bash
# Installs, at pinned versions, every tool that building, serving and testing podlab needs:
#   - the Rust target wasm32-unknown-unknown (and rustfmt, clippy)       via rustup
#   - chromium + chromium-driver (headless browser tests, screenshots)   via apt-get
#   - wasm-opt from binaryen 132 into ./.tools/binaryen (gitignored)     via npm
#   - wasm-bindgen-cli at the version Cargo.lock pins                    via cargo install
#   - trunk 0.21.14 (bundles the web page)                               via cargo install
# Idempotent: what is already there at the right version is skipped. Works non-interactively
# (CI=true, no stdin) as root, from any current directory.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

started=$(now)

# One install at a time on this machine (serve.sh and test.sh may start together).
lock_file="${CARGO_HOME:-$HOME/.cargo}/.podlab-install-tools.lock"
mkdir -p "$(dirname "$lock_file")"
exec 9>"$lock_file"
if ! flock -n 9; then
    say "another install-tools.sh is running; waiting for it"
    flock 9
fi

# Runs a command as root: directly when we are root, else through sudo without a prompt.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

timed() {
    local label="$1"
    shift
    local t0
    t0=$(now)
    "$@"
    say "$label: done in $(($(now) - t0))s"
}

install_rust_parts() {
    if ! command -v rustup >/dev/null; then
        echo "error: rustup not found; this machine's Rust toolchain is expected" >&2
        exit 1
    fi
    if rustup target list --installed | grep -qx "$WASM_TARGET"; then
        say "rust target $WASM_TARGET: present"
    else
        say "rust target $WASM_TARGET: installing"
        rustup target add "$WASM_TARGET"
    fi
    local component
    for component in rustfmt clippy; do
        if rustup component list --installed | grep -q "^$component"; then
            say "rust component $component: present"
        else
            say "rust component $component: installing"
            rustup component add "$component"
        fi
    done
}

install_chromium() {
    if command -v chromium >/dev/null && [ -x /usr/bin/chromedriver ]; then
        say "chromium + chromium-driver: present ($(chromedriver --version 2>/dev/null | cut -d' ' -f1-2))"
        return
    fi
    say "chromium + chromium-driver: installing with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q -o DPkg::Lock::Timeout=600 chromium chromium-driver </dev/null
    export CHROMEDRIVER=/usr/bin/chromedriver
}

installed_wasm_opt_version() {
    local bin="$BINARYEN_PREFIX/node_modules/.bin/wasm-opt"
    [ -x "$bin" ] && "$bin" --version 2>/dev/null | awk '{print $3}'
}

install_binaryen() {
    if [ "$(installed_wasm_opt_version || true)" = "$BINARYEN_VERSION" ]; then
        say "wasm-opt (binaryen $BINARYEN_VERSION): present in .tools/binaryen"
        return
    fi
    if ! command -v npm >/dev/null; then
        echo "error: npm not found; it installs binaryen (wasm-opt)" >&2
        exit 1
    fi
    say "wasm-opt (binaryen $BINARYEN_VERSION): installing with npm into .tools/binaryen"
    mkdir -p "$BINARYEN_PREFIX"
    npm install --prefix "$BINARYEN_PREFIX" --no-audit --no-fund --loglevel=error \
        "binaryen@$BINARYEN_VERSION.0.0" </dev/null
    local got
    got="$(installed_wasm_opt_version || true)"
    if [ "$got" != "$BINARYEN_VERSION" ]; then
        echo "error: wasm-opt reports version '$got', expected $BINARYEN_VERSION" >&2
        exit 1
    fi
}

installed_version_of() {
    # "trunk 0.21.14" / "wasm-bindgen 0.2.130" -> second word
    command -v "$1" >/dev/null && "$1" --version 2>/dev/null | awk '{print $2}'
}

install_wasm_bindgen_cli() {
    local want
    want="$(wasm_bindgen_lock_version)"
    if [ -z "$want" ]; then
        echo "error: no wasm-bindgen package in Cargo.lock" >&2
        exit 1
    fi
    if [ "$(installed_version_of wasm-bindgen || true)" = "$want" ] &&
        [ "$(installed_version_of wasm-bindgen-test-runner || true)" = "$want" ]; then
        say "wasm-bindgen-cli $want: present"
        return
    fi
    say "wasm-bindgen-cli $want: installing with cargo install (several minutes)"
    # Not --locked: the crate's own lock file pins dependencies that no longer build on this Rust.
    cargo install wasm-bindgen-cli --version "$want" --force </dev/null
}

# Someone may have started `cargo install trunk` by hand; a second build would only race it.
wait_for_foreign_trunk_install() {
    local waited=0
    while pgrep -f "cargo install trunk" >/dev/null 2>&1 && [ "$waited" -lt 1800 ]; do
        [ "$waited" -eq 0 ] && say "trunk: a 'cargo install trunk' is already running; waiting for it"
        sleep 10
        waited=$((waited + 10))
    done
}

install_trunk() {
    if [ "$(installed_version_of trunk || true)" = "$TRUNK_VERSION" ]; then
        say "trunk $TRUNK_VERSION: present"
        return
    fi
    wait_for_foreign_trunk_install
    if [ "$(installed_version_of trunk || true)" = "$TRUNK_VERSION" ]; then
        say "trunk $TRUNK_VERSION: present"
        return
    fi
    say "trunk $TRUNK_VERSION: installing with cargo install (about 12 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked --force </dev/null
}

check_trunk_toml() {
    local lock trunk
    lock="$(wasm_bindgen_lock_version)"
    trunk="$(wasm_bindgen_trunk_version)"
    if [ -n "$trunk" ] && [ "$trunk" != "$lock" ]; then
        echo "error: Trunk.toml asks for wasm_bindgen = \"$trunk\" but Cargo.lock pins $lock;" \
            "set [tools] wasm_bindgen = \"$lock\" in Trunk.toml" >&2
        exit 1
    fi
}

say "installing tools for podlab (root: $ROOT)"
timed "rust target/components" install_rust_parts
timed "chromium" install_chromium
timed "binaryen" install_binaryen
check_trunk_toml
timed "wasm-bindgen-cli" install_wasm_bindgen_cli
timed "trunk" install_trunk
say "tools ready in $(($(now) - started))s"
