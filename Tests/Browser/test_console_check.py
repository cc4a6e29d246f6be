"""Tests of the browser check itself: the WebSocket framing, and that each check catches what it is
for on small pages served from loopback (so a check that silently passes everything fails here).

    python3 -m unittest discover -s Tests/Browser -p 'test_*.py'
"""

import http.server
import io
import os
import shutil
import struct
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import websocket  # noqa: E402
from cdp import find_chromium, launch  # noqa: E402
from console_check import Browser  # noqa: E402

CSP = "default-src 'self'; frame-ancestors 'none'"
GOOD_BODY = """<nav><a href="/good">Home</a></nav><main><h1>Jobs</h1>
<label for="q">Search</label><input id="q" name="q" value="failed">
<table><tr><th scope="col">Kind</th></tr><tr><td>noop</td></tr></table></main>"""
PAGES = {
    # path: (body, CSP header or None, extra head)
    "/good": (GOOD_BODY, CSP, ""),
    "/unlabelled": ("<nav></nav><main><input name='q'><select name='s'></select><table><tr><th>Kind</th></tr></table></main>", CSP, ""),
    "/no-landmarks": ("<div><p>Nothing to lean on</p></div>", CSP, ""),
    "/inline-script": ("<nav></nav><main><p>hi</p><script>document.title = 'ran'</script></main>", CSP, ""),
    "/throws": ("<nav></nav><main><p>hi</p><script src='/throw.js'></script></main>", CSP, ""),
    "/hostile": ("<nav></nav><main><p>Pupil <img src=x onerror=alert(1)></p></main>", None, ""),
    "/faint": ("<nav></nav><main><p style='color:#aaa'>faint text</p></main>", None, ""),
    "/no-focus": ("<nav></nav><main><a href='/good'>Home</a><button>Go</button></main>", CSP, "<link rel='stylesheet' href='/nofocus.css'>"),
    "/dark-faint": ("<nav></nav><main><p>only faint in the dark</p></main>", CSP, "<link rel='stylesheet' href='/dark.css'>"),
}
ASSETS = {
    "/throw.js": ("application/javascript", "throw new Error('boom in throw.js');"),
    "/dark.css": ("text/css", "@media (prefers-color-scheme: dark) { body { background: #000; color: #333; } }"),
    "/nofocus.css": ("text/css", "*:focus, *:focus-visible { outline: none; }"),
    "/favicon.ico": ("image/x-icon", ""),
}


class FixtureHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path in PAGES:
            body, csp, head = PAGES[self.path]
            content = f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>t</title>{head}</head><body>{body}</body></html>"
            self.answer(200, "text/html; charset=utf-8", content, csp)
        elif self.path in ASSETS:
            self.answer(200, *ASSETS[self.path], CSP)
        else:
            self.answer(404, "text/html", "<!doctype html><main><p>not found</p></main>", CSP)

    def answer(self, status, content_type, text, csp):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *arguments):
        pass


class FramingTests(unittest.TestCase):
    def test_a_client_frame_is_masked_and_decodes_back_at_every_length_encoding(self):
        for size in (0, 5, 125, 126, 65535, 65536, 200_000):
            payload = os.urandom(size)
            frame = websocket.encode_frame(websocket.OP_BINARY, payload, key=b"\x01\x02\x03\x04")
            self.assertTrue(frame[1] & 0x80, "client frames must be masked")
            if size:
                self.assertNotEqual(frame[-size:], payload, "the payload goes masked on the wire")
            fin, opcode, decoded = websocket.read_frame(io.BytesIO(frame))
            self.assertEqual((fin, opcode, decoded), (True, websocket.OP_BINARY, payload), f"size {size}")

    def test_accept_key_is_the_rfc_example(self):
        self.assertEqual(websocket.accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")

    def test_a_fragmented_message_is_joined_and_a_ping_between_its_fragments_is_answered(self):
        def server_frame(fin, opcode, payload):
            return struct.pack("!BB", (0x80 if fin else 0) | opcode, len(payload)) + payload

        sent = []

        class FakeSocket:
            def sendall(self, data):
                sent.append(data)

        client = websocket.WebSocket.__new__(websocket.WebSocket)
        client.sock, client.closed = FakeSocket(), False
        client.stream = io.BytesIO(
            server_frame(False, websocket.OP_TEXT, b"hel") + server_frame(True, websocket.OP_PING, b"p!")
            + server_frame(True, websocket.OP_CONTINUATION, b"lo"))
        self.assertEqual(client.receive(), "hello")
        _, opcode, payload = websocket.read_frame(io.BytesIO(sent[0]))
        self.assertEqual((opcode, payload), (websocket.OP_PONG, b"p!"))


@unittest.skipUnless(find_chromium(), "chromium is not installed (.ci/install-deps installs it)")
class ChecksTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="mislink-browser-test-")
        cls.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.chrome, cls.devtools = launch(find_chromium(), cls.folder)
        origin = f"http://127.0.0.1:{cls.server.server_address[1]}"
        cls.browser = Browser(cls.devtools, origin, cls.folder)

    @classmethod
    def tearDownClass(cls):
        cls.devtools.close()
        cls.chrome.stop()
        cls.server.shutdown()
        cls.server.server_close()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def problems(self, path):
        self.browser.visit(path)
        return self.browser.problems.get(self.browser.current, [])

    def assertFound(self, problems, *fragments):
        for fragment in fragments:
            self.assertTrue(any(fragment in p for p in problems), f"no problem mentions {fragment!r} in {problems}")

    def test_a_good_page_passes_and_is_screenshot_in_light_and_dark(self):
        self.assertEqual(self.problems("/good"), [])
        for scheme in ("light", "dark"):
            with open(os.path.join(self.folder, f"good-{scheme}.png"), "rb") as file:
                self.assertEqual(file.read(8), b"\x89PNG\r\n\x1a\n")

    def test_controls_without_labels_and_th_without_scope_are_named(self):
        self.assertFound(self.problems("/unlabelled"), "input named 'q' has no label", "select named 's' has no label",
                         'th without scope: "Kind"')

    def test_missing_landmarks_are_named(self):
        self.assertFound(self.problems("/no-landmarks"), "no main landmark", "no nav landmark")

    def test_an_inline_script_is_a_csp_violation(self):
        self.assertFound(self.problems("/inline-script"), "Content Security Policy", "CSP violation: script-src")

    def test_a_thrown_error_is_a_script_error(self):
        self.assertFound(self.problems("/throws"), "script error: Error: boom in throw.js")

    def test_a_name_that_runs_as_markup_opens_a_dialog_and_is_an_element(self):
        self.assertFound(self.problems("/hostile"), "alert dialog opened", "became an element")

    def test_faint_text_fails_contrast_with_its_colours(self):
        self.assertFound(self.problems("/faint"), "light: contrast 2.32:1 < 4.5:1: p #aaaaaa on #ffffff")

    def test_contrast_is_checked_in_the_dark_theme_too(self):
        problems = self.problems("/dark-faint")
        self.assertFound(problems, "dark: contrast", "#333333 on #000000")
        self.assertFalse(any(p.startswith("light:") for p in problems), problems)

    def test_a_control_that_looks_the_same_focused_has_no_visible_focus(self):
        self.assertFound(self.problems("/no-focus"), 'no visible focus on a ("Home")', 'no visible focus on button ("Go")')

    def test_an_error_status_is_named(self):
        self.assertFound(self.problems("/missing"), "HTTP 404 for the page: /missing")


if __name__ == "__main__":
    unittest.main()
