#!/usr/bin/env python3
"""A OneRoster 1.1 REST fixture for MISLink's tests: serves a CSV bundle through the REST binding.

Standard library only. Binds 127.0.0.1 on a free port and prints the port as its first stdout line.

  oneroster_fixture.py --bundle DIR --client-id ID --client-secret SECRET [knobs]

- POST {token-path} (default {base}/token): OAuth2 client credentials (grant_type=client_credentials), the
  client id and secret in HTTP Basic (default) or as form fields (--client-auth form). Answers
  {access_token, token_type: "bearer", expires_in}; wrong credentials get 401 (or --refusal-status)
  {"error": "invalid_client"}.
- GET {base}/users|classes|enrollments|demographics|orgs (base default /ims/oneroster/v1p1), with
  limit/offset paging (X-Total-Count header) and filter=dateLastModified>'ISO' (also >=), and
  GET {base}/users/{id}. Bearer token required.
- The bundle is read again for every request, so a test can change it between imports.

Knobs:
  --fail-page N        500 on page N (1-based) of --fail-entity (default users)
  --truncate-page N    page N of --fail-entity cut off halfway through its JSON
  --unauthorized       401 on every data request (the token endpoint still answers)
  --refuse-filter      400 for any request with a filter (as servers that do not filter do)
  --ignore-filter      a filter is accepted but ignored (everything is returned)
  --no-total           no X-Total-Count header
  --max-limit N        pages hold at most N records whatever limit asks (a server cap)
  --refusal-status N   the token endpoint's status for wrong credentials (default 401; RFC 6749 says 400)
  --log PATH           one JSON line per request: method, path, query, whether a bearer token came
"""

import argparse
import base64
import csv
import json
import os
import secrets
import signal
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ENTITIES = ["users", "classes", "enrollments", "demographics", "orgs"]


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    if not rows:
        return []
    header = [name.strip() for name in rows[0]]
    return [dict(zip(header, row)) for row in rows[1:] if any(field.strip() for field in row)]


def pick(row, *names):
    """The first of names the row has (case-insensitive), stripped; '' when none."""
    lowered = {key.lower(): value for key, value in row.items()}
    for name in names:
        if name.lower() in lowered:
            return (lowered[name.lower()] or "").strip()
    return ""


def split_list(text):
    return [item.strip() for item in text.split(",") if item.strip()]


PLURAL = {"class": "classes", "academicSession": "academicSessions"}


def ref(sourced_id, kind):
    return {"href": f"/{PLURAL.get(kind, kind + 's')}/{sourced_id}", "sourcedId": sourced_id, "type": kind}


def base_fields(row, key="sourcedId"):
    return {
        "sourcedId": pick(row, key),
        "status": pick(row, "status") or "active",
        "dateLastModified": pick(row, "dateLastModified") or None,
    }


def user_json(row):
    user = base_fields(row)
    user_ids = []
    for item in split_list(pick(row, "userIds", "userId")):
        inner = item[1:-1] if item.startswith("{") and item.endswith("}") else item
        kind, _, identifier = inner.partition(":") if ":" in inner else ("", "", inner)
        user_ids.append({"type": kind, "identifier": identifier})
    user.update({
        "username": pick(row, "username"),
        "userIds": user_ids,
        "enabledUser": pick(row, "enabledUser") or "true",
        "givenName": pick(row, "givenName"),
        "familyName": pick(row, "familyName"),
        "middleName": pick(row, "middleName") or None,
        "role": pick(row, "role"),
        "identifier": pick(row, "identifier") or None,
        "email": pick(row, "email") or None,
        "sms": pick(row, "sms") or None,
        "phone": pick(row, "phone") or None,
        "agents": [ref(item, "user") for item in split_list(pick(row, "agentSourcedIds", "agents"))],
        "orgs": [ref(item, "org") for item in split_list(pick(row, "orgSourcedIds"))],
        "grades": split_list(pick(row, "grades", "grade")),
    })
    return user


def class_json(row):
    item = base_fields(row)
    item.update({
        "title": pick(row, "title"),
        "classCode": pick(row, "classCode") or None,
        "classType": pick(row, "classType"),
        "location": pick(row, "location") or None,
        "grades": split_list(pick(row, "grades", "grade")),
        "subjects": split_list(pick(row, "subjects")),
        "school": ref(pick(row, "schoolSourcedId"), "org"),
        "terms": [ref(term, "academicSession") for term in split_list(pick(row, "termSourcedIds"))],
    })
    if pick(row, "courseSourcedId"):
        item["course"] = ref(pick(row, "courseSourcedId"), "course")
    return item


def enrollment_json(row):
    item = base_fields(row)
    item.update({
        "user": ref(pick(row, "userSourcedId"), "user"),
        "class": ref(pick(row, "classSourcedId"), "class"),
        "school": ref(pick(row, "schoolSourcedId"), "org"),
        "role": pick(row, "role"),
        "primary": pick(row, "primary") or "false",
        "beginDate": pick(row, "beginDate") or None,
        "endDate": pick(row, "endDate") or None,
    })
    return item


def demographics_json(row):
    key = "sourcedId" if pick(row, "sourcedId") else "userSourcedId"
    item = base_fields(row, key)
    item.update({"birthDate": pick(row, "birthDate") or None, "sex": pick(row, "sex") or None})
    return item


def org_json(row):
    item = base_fields(row)
    item.update({"name": pick(row, "name"), "type": pick(row, "type"), "identifier": pick(row, "identifier") or None})
    return item


CONVERT = {
    "users": user_json,
    "classes": class_json,
    "enrollments": enrollment_json,
    "demographics": demographics_json,
    "orgs": org_json,
}


def load(bundle, entity):
    return [CONVERT[entity](row) for row in read_csv(os.path.join(bundle, entity + ".csv"))]


def normalise_instant(text):
    """'2026-11-30T01:00:00Z', '2026-11-30 01:00:00' or '2026-11-30' as a sortable string."""
    text = (text or "").strip().replace(" ", "T").rstrip("Zz")
    if len(text) == 10:
        text += "T00:00:00"
    return text[:19]


def parse_filter(text):
    """dateLastModified>'…' or >=; anything else is None (refused)."""
    for operator in (">=", ">"):
        field, found, value = text.partition(operator)
        if found and field.strip() == "dateLastModified":
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                return operator, normalise_instant(value[1:-1])
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the headers (40 ms a response on Linux), which no real API adds.
    disable_nagle_algorithm = True
    options = None
    tokens = set()

    def log_message(self, *args):
        pass

    def record(self, path, query):
        if self.options.log:
            bearer = self.headers.get("Authorization", "").startswith("Bearer ")
            with open(self.options.log, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"method": self.command, "path": path, "query": query, "bearer": bearer}) + "\n")

    def answer(self, status, body, headers=None, truncate=False):
        data = json.dumps(body).encode("utf-8")
        if truncate:
            data = data[: len(data) // 2]
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        parsed = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
        self.record(parsed.path, {key: ("(sent)" if key == "client_secret" else value) for key, value in form.items()})
        if parsed.path != self.options.token_path:
            return self.answer(404, {"error": "not_found"})
        if form.get("grant_type") != "client_credentials":
            return self.answer(400, {"error": "unsupported_grant_type"})
        if self.options.client_auth == "basic":
            header = self.headers.get("Authorization", "")
            try:
                client_id, _, client_secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except Exception:
                client_id = client_secret = None
            if not header.startswith("Basic "):
                client_id = client_secret = None
        else:
            client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if client_id != self.options.client_id or client_secret != self.options.client_secret:
            return self.answer(self.options.refusal_status, {"error": "invalid_client"})
        token = secrets.token_hex(16)
        Handler.tokens.add(token)
        self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 3600})

    def do_GET(self):
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        self.record(parsed.path, query)
        header = self.headers.get("Authorization", "")
        if self.options.unauthorized or not header.startswith("Bearer ") or header[7:] not in Handler.tokens:
            return self.answer(401, {"imsx_codeMajor": "failure", "imsx_description": "Unauthorized"})
        base = self.options.base.rstrip("/")
        if not parsed.path.startswith(base + "/"):
            return self.answer(404, {"error": "not_found"})
        parts = parsed.path[len(base) + 1:].split("/")
        if len(parts) == 2 and parts[0] == "users":
            found = [user for user in load(self.options.bundle, "users") if user["sourcedId"] == parts[1]]
            return self.answer(200, {"user": found[0]}) if found else self.answer(404, {"error": "not_found"})
        if len(parts) != 1 or parts[0] not in ENTITIES:
            return self.answer(404, {"error": "not_found"})
        entity = parts[0]
        records = load(self.options.bundle, entity)
        if "filter" in query:
            if self.options.refuse_filter:
                return self.answer(400, {"imsx_codeMajor": "failure", "imsx_description": "filter is not supported"})
            condition = parse_filter(query["filter"])
            if condition is None:
                return self.answer(400, {"imsx_codeMajor": "failure", "imsx_description": "bad filter"})
            if not self.options.ignore_filter:
                operator, since = condition
                records = [
                    record for record in records
                    if record["dateLastModified"]
                    and (normalise_instant(record["dateLastModified"]) > since
                         or (operator == ">=" and normalise_instant(record["dateLastModified"]) == since))
                ]
        total = len(records)
        limit = int(query.get("limit", total or 1))
        if self.options.max_limit:
            limit = min(limit, self.options.max_limit)
        offset = int(query.get("offset", 0))
        page = offset // max(limit, 1) + 1
        fails_here = entity == self.options.fail_entity
        if fails_here and self.options.fail_page == page:
            return self.answer(500, {"imsx_codeMajor": "failure", "imsx_description": "internal error"})
        headers = {} if self.options.no_total else {"X-Total-Count": str(total)}
        truncate = fails_here and self.options.truncate_page == page
        self.answer(200, {entity: records[offset: offset + limit]}, headers, truncate=truncate)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--client-auth", choices=["basic", "form"], default="basic")
    parser.add_argument("--token-path")
    parser.add_argument("--base", default="/ims/oneroster/v1p1")
    parser.add_argument("--fail-page", type=int)
    parser.add_argument("--truncate-page", type=int)
    parser.add_argument("--fail-entity", default="users")
    parser.add_argument("--unauthorized", action="store_true")
    parser.add_argument("--refuse-filter", action="store_true")
    parser.add_argument("--ignore-filter", action="store_true")
    parser.add_argument("--no-total", action="store_true")
    parser.add_argument("--max-limit", type=int)
    parser.add_argument("--refusal-status", type=int, default=401)
    parser.add_argument("--log")
    options = parser.parse_args()
    if options.token_path is None:
        options.token_path = options.base.rstrip("/") + "/token"
    # A test process that ignores SIGTERM (as MISLink's workers do) would pass that on to us.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    Handler.options = options
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)

    def exit_when_stdin_closes():
        # The test holds our stdin: if it dies, EOF arrives and nothing is left running.
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
