#!/usr/bin/env python3
"""The console in a real browser: seeds a demo database with the built `mislink`, serves it on
loopback, signs in with headless Chromium and loads every page reachable from the nav and one level
below (GET only; no action form is ever submitted). Fails, naming the page and the message, on a
script error, a console error or warning (CSP violations among them), an HTTP status of 400 or more,
an alert (a hostile name that ran), a control without a label, a th without scope, a missing main or
nav landmark, a control that shows no focus, or text below 4.5:1 contrast, in the light theme or the dark. Saves screenshots of each
page in both to .build/console-screenshots/NAME-light.png and NAME-dark.png.

    python3 Tests/Browser/console_check.py [--mislink PATH] [--no-build] [--keep]

Standard library only: the DevTools protocol over our own WebSocket client (cdp.py, websocket.py)."""

import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import OrderedDict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from cdp import CDPError, find_chromium, launch  # noqa: E402
from demo_seed import HOSTILE_NAME, SeedError, seed  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 60.0  # seconds for anything to happen: the machine is shared and loaded
MAX_PAGES = 60
MAX_PER_PATTERN = 5
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "page_checks.js"), encoding="utf-8") as _file:
    CHECKS_JS = _file.read()
# Records CSP violations as the page sees them, beside what Chromium logs for them.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (line ${e.lineNumber})`);
});
"""


class CheckFailed(Exception):
    pass


class Server:
    """`mislink serve` on a free loopback port (port 0: the server says which one it bound)."""

    def __init__(self, mislink, database, folder):
        self.log_path = os.path.join(folder, "serve.log")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [mislink, "serve", "--db", database, "--listen", "127.0.0.1:0", "--log-format", "text"],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + WAIT
        self.port = None
        while self.port is None:
            found = re.search(rb"listening on http://127\.0\.0\.1:(\d+)", self.log_bytes())
            if found:
                self.port = int(found.group(1))
            elif self.process.poll() is not None:
                raise CheckFailed(f"mislink serve exited ({self.process.returncode}): {self.log_tail()}")
            elif time.monotonic() > deadline:
                raise CheckFailed(f"mislink serve did not say where it listens within {WAIT:.0f} s: {self.log_tail()}")
            else:
                time.sleep(0.1)
        self.origin = f"http://127.0.0.1:{self.port}"
        with urllib.request.urlopen(self.origin + "/healthz", timeout=WAIT) as answer:
            if answer.status != 200:
                raise CheckFailed(f"/healthz answered {answer.status}")

    def log_bytes(self):
        with open(self.log_path, "rb") as file:
            return file.read()

    def log_tail(self):
        return self.log_bytes().decode("utf-8", "replace")[-2000:]

    def stop(self):
        """By its pid: SIGTERM, which the server handles; SIGKILL if it has not gone in a minute."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def page_name(path):
    """A file name for a page: / is `overview`, /jobs?state=failed is `jobs-state-failed`."""
    if path == "/":
        return "overview"
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:80] or "page"


def pattern(path):
    """Pages of one kind share a pattern (every job detail, every tab of one filter), so the crawl
    visits a few of each rather than every job of the queue."""
    parsed = urllib.parse.urlsplit(path)
    segments = parsed.path.strip("/").split("/")
    shape = [s if i == 0 or (i >= 2 and not s.isdigit()) else "*" for i, s in enumerate(segments)]
    return "/".join(shape) + "?" + ",".join(sorted(urllib.parse.parse_qs(parsed.query, keep_blank_values=True)))


class Browser:
    """One page of headless Chromium, and what went wrong on it, page by page."""

    def __init__(self, devtools, origin, out_dir):
        self.devtools = devtools
        self.origin = origin
        self.out_dir = out_dir
        self.current = "(start)"
        self.problems = OrderedDict()  # page name -> [message]
        self.showing_hostile_name = []  # pages that show the hostile name, as text
        target = devtools.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = devtools.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        devtools.listeners.append(self.on_event)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", {"source": CSP_RECORDER})
        self.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})

    def call(self, method, params=None):
        return self.devtools.call(method, params, session=self.session)

    def problem(self, message):
        self.problems.setdefault(self.current, [])
        if message not in self.problems[self.current]:
            self.problems[self.current].append(message)

    def on_event(self, method, params, session):
        if session != self.session:
            return
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text", "")
            self.problem(f"script error: {text.splitlines()[0] if text else details}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.problem(f"console {params['type']}: {text}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            entry = params["entry"]
            self.problem(f"console {entry['level']} ({entry.get('source', '')}): {entry['text']}"
                         + (f" [{entry['url']}]" if entry.get("url") else ""))
        elif method == "Network.responseReceived" and params["response"]["status"] >= 400:
            response = params["response"]
            what = "the page" if params.get("type") == "Document" else f"a resource ({params.get('type', '?')})"
            self.problem(f"HTTP {response['status']} for {what}: {urllib.parse.urlsplit(response['url']).path}")
        elif method == "Page.javascriptDialogOpening":
            self.problem(f"a {params['type']} dialog opened ({params['message']!r}): page content ran as script")
            self.devtools.send("Page.handleJavaScriptDialog", {"accept": False}, session=self.session)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise CheckFailed(f"{self.current}: evaluating a check failed: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def until_loaded(self, action):
        """Runs `action` (which starts a navigation) and waits for the new document's load event."""
        mark = len(self.devtools.events)
        action()
        self.devtools.wait_for("Page.loadEventFired", session=self.session, after=mark, timeout=WAIT)

    def visit(self, path):
        self.current = page_name(path)
        def navigate():
            answer = self.call("Page.navigate", {"url": self.origin + path})
            if answer.get("errorText"):
                raise CheckFailed(f"{self.current}: navigating to {path} failed: {answer['errorText']}")
        self.until_loaded(navigate)
        return self.inspect()

    def inspect(self):
        """The checks and screenshots of the loaded page, in light and in dark."""
        found = None
        for scheme in ("light", "dark"):
            self.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
            found = self.evaluate(CHECKS_JS)
            for message in found["problems"]:
                self.problem(message if not message.startswith("contrast") else f"{scheme}: {message}")
            for violation in self.evaluate("window.__cspViolations || []"):
                self.problem(f"CSP violation: {violation}")
            self.screenshot(f"{self.current}-{scheme}.png")
        if found["hostile"]["asText"]:
            self.showing_hostile_name.append(self.current)
        if found["hostile"]["asElement"]:
            self.problem(f"the hostile name {HOSTILE_NAME} became an element: it is not escaped")
        return found

    def screenshot(self, name):
        metrics = self.call("Page.getLayoutMetrics")
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": max(1, size["width"]), "height": max(1, min(size["height"], 8000)), "scale": 1}
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip})["data"]
        with open(os.path.join(self.out_dir, name), "wb") as file:
            file.write(base64.b64decode(data))


def sign_in(browser, token):
    browser.visit("/login")
    # Typed by evaluate, which the page's CSP does not govern; the token goes into the form only.
    fill = ("(() => { const input = document.querySelector('input[name=token]');"
            f" if (!input) return false; input.value = {json.dumps(token)}; input.form.submit(); return true; }})()")
    browser.current = "login"
    ok = []
    browser.until_loaded(lambda: ok.append(browser.evaluate(fill)))
    if not ok[0]:
        raise CheckFailed("login: there is no input named 'token' to type the console token into")
    where = browser.evaluate("location.pathname")
    if where != "/":
        raise CheckFailed(f"login: signing in with the console token did not lead to / but to {where}")


def crawl(browser):
    """The overview, every page its nav links to, and a few of each kind linked from those."""
    visited = []
    first = browser.visit("/")
    visited.append("/")
    level_one = [p for p in OrderedDict.fromkeys(first["links"]["nav"]) if p != "/"]
    below = list(first["links"]["main"])
    seen_patterns = {}
    for path in level_one:
        if len(visited) >= MAX_PAGES:
            break
        if path in visited:
            continue
        found = browser.visit(path)
        visited.append(path)
        seen_patterns[pattern(path)] = seen_patterns.get(pattern(path), 0) + 1
        below += found["links"]["main"]
    for path in OrderedDict.fromkeys(below):
        key = pattern(path)
        if path in visited or seen_patterns.get(key, 0) >= MAX_PER_PATTERN or len(visited) >= MAX_PAGES:
            continue
        seen_patterns[key] = seen_patterns.get(key, 0) + 1
        browser.visit(path)
        visited.append(path)
    return visited


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mislink", help="the mislink binary (default: build and use .build/debug/mislink)")
    parser.add_argument("--no-build", action="store_true", help="use the binary as it is")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (demo database, logs)")
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "console-screenshots"))
    options = parser.parse_args()

    mislink = options.mislink or os.path.join(ROOT, ".build", "debug", "mislink")
    if not options.mislink and not options.no_build:
        subprocess.run(["swift", "build", "--product", "mislink"], cwd=ROOT, check=True)
    if not os.access(mislink, os.X_OK):
        fail(f"console check: no mislink binary at {mislink} (build it with 'swift build')", code=2)
    chromium = find_chromium()
    if not chromium:
        fail("console check: chromium is not installed (.ci/install-deps installs it)", code=2)
    os.makedirs(options.out, exist_ok=True)
    for old in os.listdir(options.out):
        if old.endswith(".png"):
            os.remove(os.path.join(options.out, old))

    # A SIGTERM (CI's timeout, a user) still stops the server and the browser on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = tempfile.mkdtemp(prefix="mislink-browser-")
    os.chmod(folder, 0o700)
    server = chrome = devtools = None
    try:
        database = seed(mislink, folder)
        token = subprocess.run([mislink, "serve", "--db", database, "--print-token"],
                               capture_output=True, text=True, check=True).stdout.strip()
        server = Server(mislink, database, folder)
        chrome, devtools = launch(chromium, folder, timeout=WAIT)
        browser = Browser(devtools, server.origin, options.out)
        sign_in(browser, token)
        visited = crawl(browser)
        problems = browser.problems
    except (CheckFailed, CDPError, SeedError, OSError, subprocess.CalledProcessError) as error:
        if server and server.process.poll() is not None:
            error = f"{error}\nmislink serve's log: {server.log_tail()}"
        fail(f"console check: {error}")
    finally:
        if devtools:
            devtools.close()
        if chrome:
            chrome.stop()
        if server:
            server.stop()
        if options.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    # The seeded pupil waits in intake: an intake page that does not show the name lost or mangled it.
    intake_pages = [page_name(p) for p in visited if p.startswith("/intake")]
    if intake_pages and not browser.showing_hostile_name:
        problems.setdefault(intake_pages[0], []).append(
            f"no page shows the intake pupil named {HOSTILE_NAME} as text")
    print(f"console check: {len(visited) + 1} pages in light and dark (screenshots in {os.path.relpath(options.out, ROOT)}/):")
    for path in ["/login"] + visited:
        name = page_name(path)
        print(f"  {'FAIL' if name in problems else 'ok  '} {path}")
    failed = [name for name in problems]
    for name in failed:
        for message in problems[name]:
            print(f"{name}: {message}", file=sys.stderr)
    print(f"console-check: {len(visited) + 1 - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
