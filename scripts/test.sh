#!/usr/bin/env bash
# THE test command of podlab. Installs the tools (scripts/install-tools.sh), then runs, stopping at
# the first stage that fails:
#   fmt, clippy (native and wasm32), cargo test (native), the fidelity cases listed in
#   tests/fidelity.txt (from ../shared/fidelity/cases), the project's own scenarios
#   (tests/scenarios/*.sh), the browser tests (cargo test --target wasm32-unknown-unknown, headless
#   chromium), and `trunk build --release` with the bundle size.
# Prints each stage's time and ends with `stages: N passed, M failed`.
# Works from any current directory; with CI=true and no stdin.
#   bash scripts/test.sh                     # everything (what CI runs)
#   bash scripts/test.sh fidelity bundle     # only these stages (after the tools)
# Stages: tools fmt clippy-native clippy-wasm32 test-native fuzz bench-smoke fidelity scenarios test-browser bundle bench-browser
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT" || exit 1

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ "${CI:-}" = "true" ]; then
    # A fresh clone builds everything once: incremental caches and debug info only cost time.
    export CARGO_INCREMENTAL=0
    export CARGO_PROFILE_DEV_DEBUG=0
    export CARGO_PROFILE_TEST_DEBUG=0
fi

SHARED_FIDELITY="$(cd "$ROOT/.." && pwd)/shared/fidelity"
RESULTS_DIR="$ROOT/target/test-results"
CASE_TIMEOUT="${CASE_TIMEOUT:-120}"

ALL_STAGES="tools fmt clippy-native clippy-wasm32 test-native fuzz bench-smoke fidelity scenarios test-browser bundle bench-browser"
for wanted in "$@"; do
    if [[ " $ALL_STAGES " != *" $wanted "* ]]; then
        echo "error: no stage '$wanted'; the stages are: $ALL_STAGES" >&2
        exit 2
    fi
done
ONLY_STAGES=" $* "

passed=0
failed=0
suite_started=$(now)

finish() {
    say "total time $(($(now) - suite_started))s"
    echo "stages: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# stage NAME COMMAND...: runs one stage, prints its time, stops the whole run if it fails.
stage() {
    local name="$1"
    shift
    local t0 rc
    if [ "$ONLY_STAGES" != "  " ] && [ "$name" != tools ] && [[ "$ONLY_STAGES" != *" $name "* ]]; then
        return 0
    fi
    t0=$(now)
    echo
    say "stage $name"
    "$@"
    rc=$?
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        say "stage $name: ok ($(($(now) - t0))s)"
    else
        failed=$((failed + 1))
        say "stage $name: FAILED with exit code $rc ($(($(now) - t0))s)"
        finish
    fi
}

# ---- fidelity ---------------------------------------------------------------------------------

# The case names listed in tests/fidelity.txt (comments and blank lines dropped).
listed_cases() {
    sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$ROOT/tests/fidelity.txt" |
        grep -v '^$'
}

podlab_bin() {
    echo "$ROOT/target/debug/podlab"
}

# compare_one SCRIPT EXPECTED_BASE OUT_DIR: runs podlab on SCRIPT, compares with EXPECTED_BASE.out
# (and EXPECTED_BASE.alt.out if present). Prints one line; sets CMP_SAME and CMP_TOTAL.
# Returns 0 when every command is identical.
compare_one() {
    local script="$1" expected="$2" out_dir="$3"
    local name got rc summary
    name="$(basename "$script" .sh)"
    got="$out_dir/$name.out"
    local -a wanted=("$expected.out")
    [ -f "$expected.alt.out" ] && wanted+=("$expected.alt.out")

    (cd "$(dirname "$script")" && timeout "$CASE_TIMEOUT" "$(podlab_bin)" run "$script") \
        >"$got" 2>"$out_dir/$name.err" </dev/null
    rc=$?
    python3 "$SHARED_FIDELITY/scenario.py" compare "$got" "${wanted[@]}" >"$out_dir/$name.cmp" 2>&1
    local cmp_rc=$?
    summary="$(grep -E '^[0-9]+/[0-9]+ commands identical$' "$out_dir/$name.cmp" | tail -n 1)"
    CMP_SAME="${summary%%/*}"
    CMP_TOTAL="$(echo "$summary" | sed -n 's/^[0-9]*\/\([0-9]*\) .*/\1/p')"
    : "${CMP_SAME:=0}" "${CMP_TOTAL:=0}"
    local note=""
    [ "$rc" -eq 124 ] && note=" (podlab timed out after ${CASE_TIMEOUT}s)"
    [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && note=" (podlab exited $rc)"
    if [ "$cmp_rc" -eq 0 ] && [ -n "$summary" ]; then
        printf '  ok    %-28s %s%s\n' "$name" "$summary" "$note"
        return 0
    fi
    printf '  FAIL  %-28s %s%s\n' "$name" "${summary:-compare gave no result}" "$note"
    return 1
}

# Prints the head of a failed comparison and of podlab's stderr.
show_failure() {
    local out_dir="$1" name="$2"
    sed -n '1,60p' "$out_dir/$name.cmp" | sed 's/^/        /'
    if [ -s "$out_dir/$name.err" ]; then
        echo "        podlab stderr:"
        sed -n '1,20p' "$out_dir/$name.err" | sed 's/^/        /'
    fi
}

run_fidelity() {
    local cases="$SHARED_FIDELITY/cases"
    if [ ! -d "$cases" ] || [ ! -f "$SHARED_FIDELITY/scenario.py" ]; then
        echo "error: the shared fidelity cases are missing: expected $cases and" \
            "$SHARED_FIDELITY/scenario.py (the shared/ folder beside the repository)" >&2
        return 1
    fi
    if [ ! -f "$ROOT/tests/fidelity.txt" ]; then
        echo "error: tests/fidelity.txt (the list of cases that must pass) is missing" >&2
        return 1
    fi
    cargo build --bin podlab || return 1
    local out_dir="$RESULTS_DIR/fidelity"
    rm -rf "$out_dir" && mkdir -p "$out_dir"

    local -a listed
    mapfile -t listed < <(listed_cases)
    local name same=0 total=0 bad=0
    echo "listed cases (must pass):"
    for name in "${listed[@]}"; do
        if [ ! -f "$cases/$name.sh" ] || [ ! -f "$cases/$name.out" ]; then
            printf '  FAIL  %-28s missing %s.sh or %s.out in %s\n' "$name" "$name" "$name" "$cases"
            bad=$((bad + 1))
            continue
        fi
        if ! compare_one "$cases/$name.sh" "$cases/$name" "$out_dir"; then
            show_failure "$out_dir" "$name"
            bad=$((bad + 1))
        fi
        same=$((same + CMP_SAME))
        total=$((total + CMP_TOTAL))
    done
    echo "listed: $((${#listed[@]} - bad))/${#listed[@]} cases pass, $same/$total commands identical"

    echo "other cases (information only, not required yet):"
    local other_same=0 other_total=0 other_ok=0 other_count=0 script
    for script in "$cases"/*.sh; do
        name="$(basename "$script" .sh)"
        printf '%s\n' "${listed[@]}" | grep -qx "$name" && continue
        [ -f "$cases/$name.out" ] || continue
        other_count=$((other_count + 1))
        compare_one "$script" "$cases/$name" "$out_dir" && other_ok=$((other_ok + 1))
        other_same=$((other_same + CMP_SAME))
        other_total=$((other_total + CMP_TOTAL))
    done
    echo "others: $other_ok/$other_count cases pass, $other_same/$other_total commands identical"
    echo "(transcripts and diffs: $out_dir)"
    [ "$bad" -eq 0 ]
}

run_own_scenarios() {
    local dir="$ROOT/tests/scenarios"
    if [ ! -d "$dir" ] || ! compgen -G "$dir/*.sh" >/dev/null; then
        echo "no tests/scenarios/*.sh yet: nothing to run"
        return 0
    fi
    if [ ! -f "$SHARED_FIDELITY/scenario.py" ]; then
        echo "error: $SHARED_FIDELITY/scenario.py is missing (it compares transcripts)" >&2
        return 1
    fi
    cargo build --bin podlab || return 1
    local out_dir="$RESULTS_DIR/scenarios"
    rm -rf "$out_dir" && mkdir -p "$out_dir"
    local script name bad=0 count=0
    for script in "$dir"/*.sh; do
        name="$(basename "$script" .sh)"
        count=$((count + 1))
        if [ ! -f "$dir/$name.out" ]; then
            printf '  FAIL  %-28s no expected transcript %s.out\n' "$name" "$name"
            bad=$((bad + 1))
            continue
        fi
        if ! compare_one "$script" "$dir/$name" "$out_dir"; then
            show_failure "$out_dir" "$name"
            bad=$((bad + 1))
        fi
    done
    echo "own scenarios: $((count - bad))/$count pass"
    [ "$bad" -eq 0 ]
}

# ---- web bundle -------------------------------------------------------------------------------

gzipped_size() {
    gzip -9 -c "$1" | wc -c | tr -d ' '
}

raw_size() {
    wc -c <"$1" | tr -d ' '
}

build_bundle() {
    trunk build --release || return 1
    local wasm js
    wasm="$(ls "$ROOT"/dist/*.wasm 2>/dev/null | head -n 1)"
    js="$(ls "$ROOT"/dist/*.js 2>/dev/null | head -n 1)"
    if [ -z "$wasm" ] || [ -z "$js" ]; then
        echo "error: trunk build left no .wasm or .js in dist/" >&2
        return 1
    fi
    local wr wg jr jg
    wr=$(raw_size "$wasm")
    wg=$(gzipped_size "$wasm")
    jr=$(raw_size "$js")
    jg=$(gzipped_size "$js")
    echo "bundle size: wasm $wr bytes ($wg gzipped), js $jr bytes ($jg gzipped)," \
        "total $((wr + jr)) bytes ($((wg + jg)) gzipped)"
}

# ---- stages -----------------------------------------------------------------------------------

stage tools bash "$ROOT/scripts/install-tools.sh"
stage fmt cargo fmt --check -- --color never
stage clippy-native cargo clippy --all-targets -- -D warnings
stage clippy-wasm32 cargo clippy --target "$WASM_TARGET" --all-targets -- -D warnings
stage test-native cargo test
# The fuzz harness (tests/fuzz.rs) for a bounded time, in release mode: FUZZ_SECONDS (default 60).
stage fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-60}" cargo test --release --test fuzz -- --nocapture
# The scheduler benchmark (benches/scheduler.rs) as a smoke run: it must bind every pod; the
# pods/s it prints are reported, never asserted. The full sizes: see README.md.
stage bench-smoke env PODLAB_BENCH_PODS=200 PODLAB_BENCH_NODES=100 PODLAB_BENCH_REPS=1 \
    cargo bench --profile dev --bench scheduler
stage fidelity run_fidelity
stage scenarios run_own_scenarios
stage test-browser cargo test --target "$WASM_TARGET"
stage bundle build_bundle
# The same benchmark in headless Chromium, in the release bundle the bundle stage built
# (index.html?bench=PODSxNODES): a smoke run that must bind every pod; pods/s reported only.
stage bench-browser python3 "$ROOT/scripts/bench-browser.py" --dist "$ROOT/dist" --bench 200x100
finish
