#!/usr/bin/env python3
"""Time the page at scale in headless Chromium: one step's re-render, and scrolling a long trace.

    python3 scripts/bench-page.py [--dist DIR] [--perf NODESxPODS] [--steps N] [--timeout S]

Serves DIR (default dist/, as `trunk build --release` leaves it), opens index.html?perf=NODESxPODS
(src/ui/perf_page.rs: a Default cluster grown to NODES nodes running PODS ready nginx replicas,
the whole trace revealed), and times, from the click to the next painted frame:
  - Back, N times (time travel: every view shows the cluster at an earlier entry),
  - Next, N times over entries already shown,
  - Next at the live end, N times (the cluster runs one more event),
  - scrolling the trace list down by a screenful, N times.
Prints median, 95th percentile and maximum of each, and how many exceeded one frame (16 ms).
Issue 8 wants a step under one frame for 100 nodes and 1,000 pods.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from screenshot import WebDriverError, browser_session, serve_directory  # noqa: E402

# arguments: a CSS selector to click (or "" to scroll the trace), how many times; resolves to
# the list of milliseconds from each click (or scroll) to the frame painted after it.
TIMED = """
const [selector, count] = arguments;
const done = arguments[arguments.length - 1];
const painted = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
(async () => {
  const times = [];
  const list = document.getElementById('trace');
  for (let i = 0; i < count; i++) {
    const button = selector ? document.querySelector(selector) : null;
    if (selector && (!button || button.disabled)) break;
    const t = performance.now();
    if (button) { button.click(); } else { list.scrollTop += list.clientHeight; }
    await painted();
    times.push(performance.now() - t);
  }
  done(times);
})();
"""


def summary(name, times):
    if not times:
        return f"{name}: nothing timed"
    ordered = sorted(times)
    pick = lambda p: ordered[min(len(ordered) - 1, round((len(ordered) - 1) * p))]
    over = sum(1 for t in times if t > 16.0)
    return (f"{name}: {len(times)} times, median {pick(0.5):.1f} ms, p95 {pick(0.95):.1f} ms, "
            f"max {ordered[-1]:.1f} ms, {over} over 16 ms")


def timed(driver, selector, count):
    body = {"script": TIMED, "args": [selector, count]}
    return driver.call("POST", driver.s("/execute/async"), body, timeout=900)


def page_sizes(driver):
    script = ("return [document.querySelectorAll('#trace li').length,"
              " document.getElementById('clock') ? document.getElementById('clock').textContent : ''];")
    return driver.call("POST", driver.s("/execute/sync"), {"script": script, "args": []}, timeout=600)


def wait_for_page(driver, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            found = driver.call("POST", driver.s("/execute/sync"),
                                {"script": "return !!document.getElementById('step');", "args": []},
                                timeout=600)
            if found:
                return True
        except (OSError, WebDriverError):
            pass  # the page is still building its cluster
        time.sleep(1)
    return False


def run(driver, url, steps, timeout):
    driver.set_viewport()
    driver.call("POST", driver.s("/timeouts"), {"script": 900_000, "pageLoad": 900_000})
    print(f"loading {url}", flush=True)
    start = time.time()
    try:
        driver.goto(url)
    except (OSError, WebDriverError) as err:
        print(f"(page load not reported yet: {err})", flush=True)
    if not wait_for_page(driver, timeout):
        print(f"error: the page did not start within {timeout:.0f}s", file=sys.stderr)
        return 1
    lines, clock = page_sizes(driver)
    print(f"page ready after {time.time() - start:.0f} s: {lines} trace lines listed, clock {clock}")
    print(summary("Back (time travel)", timed(driver, "#back", steps)), flush=True)
    print(summary("Next over shown entries", timed(driver, "#step", steps)), flush=True)
    print(summary("Next at the live end", timed(driver, "#step", steps)), flush=True)
    driver.call("POST", driver.s("/execute/sync"),
                {"script": "document.getElementById('trace').scrollTop = 0;", "args": []})
    print(summary("Scroll the trace a screenful", timed(driver, "", steps)), flush=True)
    return 0


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dist", default="dist")
    ap.add_argument("--perf", default="100x1000")
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=1800)
    args = ap.parse_args(argv)
    if not os.path.isfile(os.path.join(args.dist, "index.html")):
        sys.exit(f"error: no {args.dist}/index.html: build the page first (trunk build --release)")
    try:
        with serve_directory(args.dist) as base, browser_session("podlab-perf-") as driver:
            return run(driver, f"{base}/index.html?perf={args.perf}", args.steps, args.timeout)
    except (WebDriverError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
