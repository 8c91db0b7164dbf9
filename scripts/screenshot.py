#!/usr/bin/env python3
"""Screenshot podlab's page in headless Debian chromium, optionally after clicking through it.

    python3 scripts/screenshot.py [URL] [ACTION ...] [--out FILE] [--wait SECONDS]

URL defaults to http://127.0.0.1:8080/ (start the page with `bash scripts/serve.sh` first).
Each ACTION, in order, is either a CSS selector to click (e.g. '#apply', '#step', '#play',
'#pause', '#run') or 'wait:SECONDS' to let the page work before the next one. The first click
waits up to --timeout seconds for its element to appear (the WebAssembly app takes a moment to
load). After the last action the page gets --wait more seconds, then a 1400x900 PNG is saved to
--out (default docs/screenshot.png). The browser console's errors are printed.

Uses only the Python standard library: starts /usr/bin/chromedriver on a free loopback port and
speaks the W3C WebDriver protocol to it over HTTP.
"""
import argparse
import base64
import json
import os
import contextlib
import functools
import http.server
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WIDTH, HEIGHT = 1400, 900
ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    f"--window-size={WIDTH},{HEIGHT}",
]


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Driver:
    """A minimal W3C WebDriver client for one chromedriver and one session."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                payload = json.loads(resp.read().decode() or "{}")
        except urllib.error.HTTPError as err:
            try:
                payload = json.loads(err.read().decode())
            except ValueError:
                raise WebDriverError(f"{method} {path}: HTTP {err.code}") from None
            value = payload.get("value", {})
            raise WebDriverError(f"{method} {path}: {value.get('error')}: {value.get('message')}") from None
        return payload.get("value")

    def wait_ready(self, deadline):
        while time.time() < deadline:
            try:
                if (self.call("GET", "/status", timeout=2) or {}).get("ready"):
                    return
            except (OSError, WebDriverError):
                pass
            time.sleep(0.1)
        raise WebDriverError("chromedriver did not become ready")

    def start_session(self, user_data_dir):
        caps = {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": CHROMIUM_FLAGS + [f"--user-data-dir={user_data_dir}"],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        value = self.call("POST", "/session", {"capabilities": {"alwaysMatch": caps}}, timeout=120)
        self.session = value["sessionId"]

    def s(self, path):
        return f"/session/{self.session}{path}"

    def set_viewport(self):
        """Makes the page's viewport exactly WIDTH x HEIGHT (a window's size includes its frame)."""
        self.call("POST", self.s("/window/rect"), {"width": WIDTH, "height": HEIGHT})
        metrics = {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}
        try:
            self.call("POST", self.s("/goog/cdp/execute"), {"cmd": "Emulation.setDeviceMetricsOverride", "params": metrics})
        except WebDriverError as err:
            print(f"warning: could not set the viewport size exactly: {err}", file=sys.stderr)

    def goto(self, url):
        self.call("POST", self.s("/url"), {"url": url}, timeout=120)

    def find(self, selector, timeout):
        deadline = time.time() + timeout
        while True:
            try:
                value = self.call("POST", self.s("/element"), {"using": "css selector", "value": selector})
                return value[ELEMENT_KEY]
            except WebDriverError:
                if time.time() >= deadline:
                    raise WebDriverError(f"no element matches {selector!r} after {timeout}s") from None
                time.sleep(0.2)

    def click(self, selector, timeout):
        element = self.find(selector, timeout)
        self.call("POST", self.s(f"/element/{element}/click"), {})

    def screenshot(self):
        return base64.b64decode(self.call("GET", self.s("/screenshot")))

    def console_errors(self):
        """Chromedriver's (non-W3C) log endpoint; empty if it is unavailable."""
        try:
            entries = self.call("POST", self.s("/se/log"), {"type": "browser"}) or []
        except WebDriverError:
            return []
        return [e.get("message", "") for e in entries if e.get("level") == "SEVERE"]

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", self.s(""), timeout=30)
            except (OSError, WebDriverError):
                pass
            self.session = None


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("items", nargs="*", help="URL (optional, first) then actions: CSS selectors to click, wait:SECONDS")
    p.add_argument("--out", default="docs/screenshot.png", help="PNG to write (default docs/screenshot.png)")
    p.add_argument("--wait", type=float, default=2.0, help="seconds to wait after the last action (default 2)")
    p.add_argument("--between", type=float, default=0.3, help="seconds between clicks (default 0.3)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an element (default 60)")
    args = p.parse_args(argv)
    args.url = "http://127.0.0.1:8080/"
    if args.items and "://" in args.items[0]:
        args.url = args.items.pop(0)
    return args


def run_actions(driver, actions, between, timeout):
    for action in actions:
        if action.startswith("wait:"):
            seconds = float(action[len("wait:"):])
            print(f"waiting {seconds}s")
            time.sleep(seconds)
            continue
        print(f"clicking {action}")
        driver.click(action, timeout)
        time.sleep(between)


@contextlib.contextmanager
def browser_session(prefix="podlab-chromium-"):
    """A chromedriver on a free port and one headless Chromium session on it, torn down after."""
    for tool in (CHROMEDRIVER, CHROMIUM):
        if not os.access(tool, os.X_OK):
            sys.exit(f"error: {tool} not found: run `bash scripts/install-tools.sh`")
    port = free_port()
    user_data_dir = tempfile.mkdtemp(prefix=prefix)
    log = open(os.path.join(user_data_dir, "chromedriver.log"), "w")
    proc = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    driver = Driver(port)
    try:
        driver.wait_ready(time.time() + 30)
        driver.start_session(user_data_dir)
        yield driver
    finally:
        driver.quit()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(user_data_dir, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_directory(directory):
    """Serves `directory` over HTTP on a free loopback port; yields the base address."""
    handler = functools.partial(_QuietHandler, directory=os.path.abspath(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def main(argv):
    args = parse_args(argv)
    try:
        with browser_session() as driver:
            driver.set_viewport()
            print(f"loading {args.url}")
            driver.goto(args.url)
            run_actions(driver, args.items, args.between, args.timeout)
            time.sleep(args.wait)
            png = driver.screenshot()
            out_dir = os.path.dirname(os.path.abspath(args.out))
            os.makedirs(out_dir, exist_ok=True)
            with open(args.out, "wb") as f:
                f.write(png)
            print(f"saved {args.out} ({len(png)} bytes, {WIDTH}x{HEIGHT})")
            for message in driver.console_errors():
                print(f"console error: {message}")
            return 0
    except (WebDriverError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
