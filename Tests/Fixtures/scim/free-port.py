"""Runs a WSGI server script (the venv's scim2-server) on the port it is given, 0 for a free one, and
prints the port it bound on the first stdout line ("PORT 43127"), so a test can start it without
guessing a free port. Standard library only; the server itself comes from the venv."""
import runpy
import signal
import sys
import wsgiref.simple_server as simple_server

_make_server = simple_server.make_server


def make_server(host, port, app, **kwargs):
    server = _make_server(host, port, app, **kwargs)
    print(f"PORT {server.server_port}", flush=True)
    return server


# An ignored or blocked SIGTERM is inherited from whoever started us (a test runner's thread that
# blocks signals): the tests stop the server by pid with SIGTERM, so it must end on it.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, signal.SIG_DFL)

# Patched before the script imports it, so its own `from wsgiref.simple_server import make_server` gets this one.
simple_server.make_server = make_server
script = sys.argv[1]
sys.argv = [script] + sys.argv[2:]
runpy.run_path(script, run_name="__main__")
