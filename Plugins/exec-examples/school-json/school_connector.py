#!/usr/bin/env python3
"""MISLink's reference connector in Python (standard library only), speaking plugin protocol 1.0.

It reads a school from a JSON file ({"pupils": [...], "staff": [...], "preAdmissions": [...],
"contacts": [...]}, each person in the protocol's flat shape) and writes attendance marks back to
"<file>.writeback.jsonl", once per eventId. Everything MISLink sends arrives on stdin, one JSON
message per line; everything it answers goes to stdout, one JSON message per line. stdout is the
protocol: diagnostics go to stderr (MISLink keeps them in the job's log) or into log messages.
"""
import json
import os
import sys

PROTOCOL = "1.0"


def send(message, flush=True):
    sys.stdout.write(json.dumps(message, separators=(",", ":")) + "\n")
    if flush:  # a stream's records are flushed in bulk: a write per record would cost more than the record
        sys.stdout.flush()


def log(level, text):
    send({"type": "log", "level": level, "message": text})


class Failure(Exception):
    """An error with its disposition: retryable, permanent or snooze (with "until")."""

    def __init__(self, disposition, message, until=None):
        super().__init__(message)
        self.disposition = disposition
        self.until = until


class School:
    def __init__(self, config, secrets):
        self.path = config.get("file")
        if not self.path:
            raise Failure("permanent", "config key 'file' is not set")
        self.api_key = secrets.get("api-key")
        self.school = None

    def load(self):
        # The process serves one job: the file is read once, at its first call.
        if self.school is None:
            self.school = self.read()
        return self.school

    def read(self):
        try:
            with open(self.path, encoding="utf-8") as handle:
                school = json.load(handle)
        except FileNotFoundError:
            raise Failure("permanent", "the school file %s does not exist" % self.path)
        except json.JSONDecodeError as error:
            raise Failure("permanent", "the school file %s is not JSON (line %d)" % (self.path, error.lineno))
        except OSError as error:
            raise Failure("retryable", "cannot read %s: %s" % (self.path, error.strerror))
        expected = school.get("apiKey")
        if expected is not None and expected != self.api_key:
            raise Failure("permanent", "credentials refused by the school file")
        return school

    # Each read streams its records, one message each, with progress now and then.
    def stream(self, call_id, key, changed_since):
        people = self.load().get(key, [])
        total = len(people)
        for index, person in enumerate(people, 1):
            send({"type": "record", "id": call_id, "record": person}, flush=False)
            if index % 500 == 0:
                send({"type": "progress", "done": index, "total": total, "message": "read %d of %d %s" % (index, total, key)})
        send({"type": "done", "id": call_id, "count": total})

    def write_attendance(self, mark):
        ledger = self.path + ".writeback.jsonl"
        written = set()
        if os.path.exists(ledger):
            with open(ledger, encoding="utf-8") as handle:
                written = {json.loads(line)["eventId"] for line in handle if line.strip()}
        if mark["eventId"] in written:
            return "already-written"
        known = {pupil["misId"] for pupil in self.load().get("pupils", [])}
        if mark["studentMisId"] not in known:
            raise Failure("permanent", "no pupil %s in the school" % mark["studentMisId"])
        descriptor = os.open(ledger, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(mark, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        log("info", "wrote %s %s %s for %s" % (mark["code"], mark["date"], mark["session"], mark["studentMisId"]))
        return "written"


READS = {"readPupils": "pupils", "readStaff": "staff", "readPreAdmissions": "preAdmissions", "readContacts": "contacts"}


def serve(school, message):
    call_id, method, params = message["id"], message["method"], message.get("params", {})
    if method in READS:
        school.stream(call_id, READS[method], params.get("changedSince"))
    elif method == "checkConnection":
        school.load()
        send({"type": "result", "id": call_id, "result": None})
    elif method == "writeAttendance":
        send({"type": "result", "id": call_id, "result": school.write_attendance(params["mark"])})
    else:
        raise Failure("permanent", "method %s is not served" % method)


def main():
    hello = json.loads(sys.stdin.readline())
    if hello.get("protocol", "").split(".")[0] != PROTOCOL.split(".")[0]:
        send({"type": "error", "message": "this plugin speaks protocol %s, not %s" % (PROTOCOL, hello.get("protocol"))})
        return 1
    send({"type": "hello", "protocol": PROTOCOL,
          "manifest": {"id": "school-json", "role": "connector", "version": "1.0.0"}})
    try:
        school = School(hello.get("config", {}), hello.get("secrets", {}))
    except Failure as failure:
        send({"type": "error", "disposition": failure.disposition, "message": str(failure)})
        return 1
    for line in sys.stdin:
        message = json.loads(line)
        if message["type"] == "shutdown":
            return 0
        if message["type"] == "cancel":
            continue  # calls here are short; a long one would stop at the next record
        try:
            serve(school, message)
        except Failure as failure:
            error = {"type": "error", "id": message["id"], "disposition": failure.disposition, "message": str(failure)}
            if failure.until:
                error["until"] = failure.until
            send(error)
    return 0


if __name__ == "__main__":
    sys.exit(main())
