#!/usr/bin/env python3
"""A process plugin that breaks the protocol in the way its config's "mode" says."""
import json
import os
import signal
import sys
import time


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def pupil(index):
    return {"misId": "P%d" % index, "legalForename": "Kid%d" % index, "legalSurname": "Roe", "yearGroup": "3"}


def main():
    hello = json.loads(sys.stdin.readline())
    config, secrets = hello["config"], hello["secrets"]
    mode = config.get("mode", "ok")
    count = int(config.get("count", "3"))
    if config.get("pidfile"):
        with open(config["pidfile"], "w") as handle:
            handle.write(str(os.getpid()))
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    send({"type": "hello", "protocol": "2.0" if mode == "version" else "1.0", "manifest": {"id": "misbehaving"}})
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] == "shutdown":
            if mode == "stubborn":
                time.sleep(3600)
            return 0
        if message["type"] != "call":
            continue
        call = message["id"]
        if message["method"] == "checkConnection":
            send({"type": "result", "id": call, "result": None})
            continue
        if mode == "hang" or mode == "stubborn":
            time.sleep(3600)
        if mode == "echo-secret":
            token = secrets.get("token", "")
            send({"type": "log", "level": "warning", "message": "connecting with token " + token})
            sys.stderr.write("debug: token=%s\n" % token)
            sys.stderr.flush()
            send({"type": "error", "id": call, "disposition": "permanent", "message": "refused token " + token})
            continue
        if mode == "error":
            send({"type": "error", "id": call, "disposition": "snooze", "until": "2030-01-02T03:04:05Z", "message": "MIS busy"})
            continue
        for index in range(1, count + 1):
            if mode == "garbage" and index == 2:
                sys.stdout.write("Traceback (most recent call last): oops\n")
                sys.stdout.flush()
            if mode == "crash" and index == 3:
                sys.stderr.write("Traceback (most recent call last):\nRuntimeError: the MIS went away\n")
                sys.stderr.flush()
                os._exit(3)
            record = pupil(index)
            if mode == "bad-record" and index == 2:
                del record["legalSurname"]
            send({"type": "record", "id": call, "record": record})
            if index % 10000 == 0:
                send({"type": "progress", "done": index, "total": count})
        send({"type": "done", "id": call, "count": count + (1 if mode == "wrong-count" else 0)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
