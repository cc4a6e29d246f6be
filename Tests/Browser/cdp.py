"""Headless Chromium driven over the DevTools protocol: launch, one page session, commands and events.
Standard library only; the WebSocket is our own (websocket.py)."""

import json
import os
import shutil
import signal
import socket
import subprocess
import time

from websocket import WebSocket


class CDPError(Exception):
    pass


class Chromium:
    """A headless Chromium of its own profile in `profile_dir`, listening for DevTools on a free
    loopback port that it picks itself (read from DevToolsActivePort, so no race for the port)."""

    def __init__(self, executable, profile_dir, log_path, timeout=60.0):
        self.log = open(log_path, "wb")
        arguments = [
            executable, "--headless=new", "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
            f"--user-data-dir={profile_dir}", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-gpu", "--hide-scrollbars", "--mute-audio", "--disable-dev-shm-usage",
            "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
            "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
            # Nothing but loopback: any other host name fails to resolve, so no background fetch leaves
            # the machine whatever this Chromium build would try.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--window-size=1280,900", "about:blank",
        ]
        # Root (as CI runs) cannot use Chromium's sandbox; a test browser on loopback does not need it.
        if os.geteuid() == 0:
            arguments.insert(1, "--no-sandbox")
        # A session of its own, so that stopping it ends the launcher script and every child it started.
        self.process = subprocess.Popen(arguments, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        port_file = os.path.join(profile_dir, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        while True:
            if os.path.exists(port_file):
                with open(port_file) as file:
                    lines = file.read().split("\n")
                if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].strip():
                    self.port, self.path = int(lines[0]), lines[1].strip()
                    break
            if self.process.poll() is not None:
                raise CDPError(f"chromium exited ({self.process.returncode}) before it listened; see {log_path}")
            if time.monotonic() > deadline:
                raise CDPError(f"chromium did not write {port_file} within {timeout:.0f} s; see {log_path}")
            time.sleep(0.1)

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait()
        self.log.close()


def launch(executable, folder, timeout=60.0):
    """Chromium with its profile and log in `folder`, and a DevTools connection to it. If the
    connection fails, the browser is stopped before the error goes on."""
    profile = os.path.join(folder, "chromium-profile")
    os.makedirs(profile, exist_ok=True)
    chrome = Chromium(executable, profile, os.path.join(folder, "chromium.log"), timeout=timeout)
    try:
        return chrome, DevTools(chrome.port, chrome.path, timeout=timeout)
    except BaseException:
        chrome.stop()
        raise


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """One WebSocket to the browser; page targets are attached with flatten=true, so every page's
    commands and events travel on it, tagged with their sessionId."""

    def __init__(self, port, path, timeout=60.0):
        self.timeout = timeout
        self.ws = WebSocket("127.0.0.1", port, path, timeout=timeout)
        self.next_id = 0
        self.events = []  # (method, params, sessionId), in arrival order
        self.listeners = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send_text(json.dumps(message))
        return self.next_id

    def call(self, method, params=None, session=None, timeout=None):
        """Sends a command and returns its result; events that arrive meanwhile are recorded."""
        wanted = self.send(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self._receive(deadline, f"the answer to {method}")
            if message.get("id") == wanted:
                if "error" in message:
                    raise CDPError(f"{method} failed: {message['error'].get('message')}")
                return message.get("result", {})

    def wait_for(self, method, session=None, where=lambda params: True, timeout=None, after=0):
        """The first event `method` (of `session`) from index `after` of the event log on that matches."""
        deadline = time.monotonic() + (timeout or self.timeout)
        index = after
        while True:
            while index < len(self.events):
                name, params, event_session = self.events[index]
                index += 1
                if name == method and (session is None or event_session == session) and where(params):
                    return params
            self._receive(deadline, f"the event {method}")

    def _receive(self, deadline, what):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise CDPError(f"timed out waiting for {what}")
        self.ws.sock.settimeout(remaining)
        try:
            text = self.ws.receive()
        except socket.timeout:
            raise CDPError(f"timed out after {self.timeout:.0f} s waiting for {what}") from None
        if text is None:
            raise CDPError(f"chromium closed the DevTools connection while we waited for {what}")
        message = json.loads(text)
        if "method" in message:
            event = (message["method"], message.get("params", {}), message.get("sessionId"))
            self.events.append(event)
            for listener in self.listeners:
                listener(*event)
        return message

    def close(self):
        self.ws.close()
