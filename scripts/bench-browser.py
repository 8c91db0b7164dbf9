#!/usr/bin/env python3
"""Run the scheduler benchmark in headless Chromium, in the page's own WebAssembly build.

    python3 scripts/bench-browser.py [--dist DIR] [--bench PODSxNODES[,NODES...]] [--timeout S]

Serves DIR (default dist/, as `trunk build --release` leaves it) on a free loopback port, opens
index.html?bench=PODSxNODES (src/ui/bench_page.rs runs scheduler_benchmark instead of the app),
waits for the `<pre id="bench">` it writes to end with `done`, and prints its lines. Exits 1 if
a run left pods unbound or the page did not finish within --timeout seconds.
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshot import WebDriverError, browser_session, serve_directory  # noqa: E402


def bench_text(driver):
    script = "const e = document.getElementById('bench'); return e ? e.textContent : null;"
    # While a run computes, the page cannot answer: the call waits for it (up to 10 minutes).
    return driver.call("POST", driver.s("/execute/sync"), {"script": script, "args": []}, timeout=600)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", default="dist")
    ap.add_argument("--bench", default="200x100")
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args(argv)
    if not os.path.isfile(os.path.join(args.dist, "index.html")):
        sys.exit(f"error: no {args.dist}/index.html: build the page first (trunk build --release)")
    try:
        with serve_directory(args.dist) as base, browser_session("podlab-bench-") as driver:
            return run(driver, f"{base}/index.html?bench={args.bench}", args.timeout)
    except (WebDriverError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


def run(driver, url, timeout):
    print(f"loading {url}", flush=True)
    try:
        driver.goto(url)
    except (OSError, WebDriverError) as err:
        # The first run may start before the load is reported; the polling below waits for it.
        print(f"(page load not reported yet: {err})", flush=True)
    deadline = time.time() + timeout
    text = None
    shown = ""
    while time.time() < deadline:
        try:
            text = bench_text(driver)
        except (OSError, WebDriverError):
            text = None  # the page is busy running the benchmark
        if text and text.rstrip().endswith("done"):
            break
        if text and text != shown:
            print(text[len(shown):].rstrip(), flush=True)  # a run ended: show it as it comes
            shown = text
        time.sleep(1)
    if not text or not text.rstrip().endswith("done"):
        print(f"error: the benchmark did not finish within {timeout:.0f}s", file=sys.stderr)
        return 1
    print(text[len(shown):].rstrip())
    unbound = [l for l in text.splitlines() if (m := re.search(r"(\d+) pods onto \d+ nodes: (\d+) bound", l)) and m.group(1) != m.group(2)]
    if unbound or "expected" in text:
        print("error: some pods were not bound", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
