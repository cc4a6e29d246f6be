#!/usr/bin/env python3
"""A stand-in for the Wonde API (https://api.wonde.com/v1.0/), for MISLink's tests.

Standard library only. It serves one generated school in Wonde's documented shapes (see
shared/research/wonde-xporter-oneroster.md): `{"data": [...], "meta": {"pagination": {...}}}`,
includes wrapped as `{"data": ...}`, PHP DateTime objects, `per_page` as a string, an opaque
absolute `next` link. It binds 127.0.0.1 on a free port and prints the port on its first stdout
line. It exits when its stdin closes, so a test that dies never leaves it running. With
--any-school it serves a school of the same size for every school id asked for (made on first use,
seeded by the id), so one fixture can stand in for a vendor's many schools; the control ops below
change the --school one.

Knobs are set by the tests at run time:
  POST /_control        JSON merged into the knobs (see KNOBS below)
  POST /_control/ops    a JSON list of changes to the school (rename, add, delete, restore, leave, ...)
  GET  /_control/state  the request log (never the Authorization header), the posted write-backs, the knobs
"""

import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KNOBS = {
    "latency_ms": 0,             # added to every API request
    "unauthorized": False,       # every API request answers 401
    "rate_limit": None,          # {"count": n, "retry_after": "120"}: the next n requests answer 429
    "fail_page": None,           # {"resource": "students", "page": 7, "status": 500}
    "truncate_page": None,       # {"resource": "students", "page": 3}: that page's JSON is cut short
    "missing_page": None,        # {"resource": "students", "page": 4}: that page answers 404
    "drop_next": None,           # {"resource": "students", "page": 2}: says more=true but next=null
    "wrong_region": False,       # every school endpoint answers {"data": []}, as Wonde does in another region
    "refuse_includes": [],       # includes answered null (a scope the school has not granted)
    "per_page_type": "string",   # "string" (as Wonde's own example) or "int"
    "max_per_page": 200,
    "cursor": False,             # next links carry an opaque cursor= instead of page=, no current_page
    "date_style": "object",      # "object" (PHP DateTime), "plain" (YYYY-MM-DD) or "mixed"
    "relationship_style": "full",  # "full", "absent" ({}), or "string" ("Mother")
    "custom_codes": False,       # meta/schools/{id} says the school keeps its own attendance codes
    "writeback": "accept",       # "accept", "reject" (accepted, then failed), "reject-422"
    "writeback_polls": 0,        # polls of writebacks/{id} answered pending before the outcome
    "writeback_status": {"pending": "pending", "done": "success", "failed": "failed"},
    "region_domain": None,       # what schools/{id} names as data.region.domain (default: the one it serves)
}

FORENAMES = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Ivy", "Arthur", "Freya",
             "Oscar", "Lily", "Harry", "Grace", "Jack", "Rosie", "Theo", "Evie", "Alfie", "Zara", "Samir",
             "Chloe", "Yusuf", "Poppy", "Ethan", "Ruby", "Finley", "Daisy", "Kai"]
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan",
            "Evans", "Thomas", "Roberts", "Walker", "Wright", "Thompson", "White", "Hughes", "Edwards", "Green",
            "Hall", "Wood", "Harris", "Lewis", "Martin", "Jackson", "Clarke", "Clark", "Turner", "Hill"]
NICKNAMES = {"Oliver": "Ollie", "Amelia": "Millie", "Harry": "Haz", "Theo": "Teddy"}
YEARS = ["R", "1", "2", "3", "4", "5", "6"]
CODES = ["/", "\\", "B", "C", "D", "E", "G", "I", "J", "L", "M", "N", "O", "P", "R", "S", "T", "U", "V", "W",
         "X", "Y", "Z", "#"]
UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(la, establishment, year, serial):
    """A valid permanent UPN (check letter: weighted sum of characters 2-13 modulo 23)."""
    twelve = "%03d%04d%02d%03d" % (la, establishment, year % 100, serial)
    total = sum(int(c) * (i + 2) for i, c in enumerate(twelve))
    return UPN_ALPHABET[total % 23] + twelve


def stamp(epoch, zone="UTC"):
    return {"date": datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.000000"),
            "timezone_type": 3, "timezone": zone}


def day(text, style, index):
    """A calendar date as Wonde writes it: a DateTime object, or a plain date."""
    if text is None:
        return None
    plain = style == "plain" or (style == "mixed" and index % 2 == 1)
    return text if plain else {"date": text + " 00:00:00.000000", "timezone_type": 3, "timezone": "Europe/London"}


def parse_after(text):
    """updated_after: 'YYYY-MM-DD HH:MM:SS' (as the PHP client sends it) or a plain date, UTC."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text[:19], fmt).replace(tzinfo=datetime.timezone.utc).timestamp()
        except ValueError:
            continue
    raise ValueError("updated_after '%s' is not a date" % text)


class School:
    """The generated school: people keyed by MIS id, with their Wonde ids and change stamps."""

    BASELINE = datetime.datetime(2024, 9, 1, 6, 0, tzinfo=datetime.timezone.utc).timestamp()

    def __init__(self, school_id, students, employees, pre_admissions, leavers, seed):
        self.id = school_id
        self.rng = random.Random(seed)
        self.students = {}
        self.leavers = {}
        self.pre_admissions = {}
        self.employees = {}
        self.deleted = {}          # MIS id -> (kind, record) kept for a restore
        self.deletions = []
        self.next_index = 0
        for _ in range(students):
            self.add_student(self.students, self.BASELINE)
        for _ in range(pre_admissions):
            self.add_student(self.pre_admissions, self.BASELINE, pre=True)
        for _ in range(leavers):
            record = self.add_student(self.leavers, self.BASELINE)
            record["leaving_date"] = "2026-07-22"
        for i in range(employees):
            self.add_employee(i)

    def add_student(self, into, updated, pre=False, forename=None, surname=None):
        i = self.next_index
        self.next_index += 1
        legal = forename or FORENAMES[self.rng.randrange(len(FORENAMES))]
        family = surname or SURNAMES[self.rng.randrange(len(SURNAMES))]
        year = YEARS[i % len(YEARS)]
        birth_year = 2021 - YEARS.index(year)
        record = {
            "wonde_id": "A%010d" % (1000000000 + i), "mis_id": str(5000 + i),
            "legal_forename": legal, "legal_surname": family,
            "forename": NICKNAMES.get(legal, legal) if i % 5 == 0 else legal, "surname": family,
            "gender": "FEMALE" if i % 2 == 0 else "MALE",
            "dob": "%04d-%02d-%02d" % (birth_year, 1 + i % 12, 1 + i % 28),
            "upn": None if pre else upn(201, 3456, 2019, i % 1000),
            "year": "R" if pre else year, "reg": ("R" if pre else year) + "ABC"[i % 3],
            "admission_date": "2026-09-03" if pre else "2022-09-05", "leaving_date": None,
            "email": "pupil%d@oak.example" % i, "mobile": "07700 9%05d" % i,
            "house": str(1 + i % 90), "street": "High Street", "town": "Leeds", "postcode": "LS1 %dAA" % (1 + i % 9),
            "contacts": self.make_contacts(i, family),
            "updated": updated, "restored_at": None,
        }
        into[record["mis_id"]] = record
        return record

    def make_contacts(self, i, family):
        contacts = [{"id": "C%09d" % (i * 2), "mis_id": "C%d" % (i * 2), "forename": FORENAMES[(i + 7) % 30],
                     "surname": family, "relationship": "Mother", "priority": 1, "pr": True,
                     "email": "parent%d@home.example" % (i * 2), "mobile": "07700 8%05d" % (i * 2)}]
        if i % 3 == 0:
            contacts.append({"id": "C%09d" % (i * 2 + 1), "mis_id": "C%d" % (i * 2 + 1), "forename": FORENAMES[(i + 11) % 30],
                             "surname": family, "relationship": "Grandparent", "priority": 2, "pr": False,
                             "email": None, "mobile": "07700 7%05d" % (i * 2 + 1)})
        return contacts

    def add_employee(self, i):
        legal = FORENAMES[(i * 7) % 30]
        record = {
            "wonde_id": "E%010d" % (1000000000 + i), "mis_id": "S%d" % (100 + i), "title": "Ms" if i % 2 == 0 else "Mr",
            "legal_forename": legal, "legal_surname": SURNAMES[(i * 3) % 30], "forename": legal,
            "surname": SURNAMES[(i * 3) % 30], "gender": "FEMALE" if i % 2 == 0 else "MALE",
            "dob": "%04d-%02d-%02d" % (1970 + i % 25, 1 + i % 12, 1 + i % 28), "staff_code": "ST%02d" % i,
            "role": "Class Teacher" if i % 3 else "Teaching Assistant", "start": "2015-09-01", "end": None, "current": True,
            "email": "staff%d@oak.example" % i, "mobile": "07700 6%05d" % i, "updated": self.BASELINE, "restored_at": None,
        }
        self.employees[record["mis_id"]] = record

    # -- changes the tests make -------------------------------------------------------------------

    def apply(self, op, now):
        kind = op.get("op")
        mis_id = op.get("mis_id")
        if kind == "rename":
            record = self.find(mis_id)
            record["legal_forename"] = record["forename"] = op.get("forename", record["legal_forename"])
            record["legal_surname"] = record["surname"] = op.get("surname", record["legal_surname"])
            record["updated"] = now
        elif kind == "add":
            record = self.add_student(self.students, now, forename=op.get("forename"), surname=op.get("surname"))
            return record["mis_id"]
        elif kind in ("delete", "delete-employee"):
            table = self.employees if kind == "delete-employee" else self.students
            record = table.pop(mis_id)
            self.deleted[mis_id] = (table, record)
            self.deletions.append({"type": "employee" if table is self.employees else "student",
                                   "id": record["wonde_id"], "mis_id": mis_id, "deleted": now, "restored": None})
        elif kind == "restore":
            table, record = self.deleted.pop(mis_id)
            record["restored_at"] = now
            record["updated"] = now
            table[mis_id] = record
            for entry in self.deletions:
                if entry["mis_id"] == mis_id and entry["restored"] is None:
                    entry["restored"] = now
        elif kind == "leave":
            record = self.students.pop(mis_id)
            record["leaving_date"] = op.get("date", "2026-11-20")
            record["updated"] = now
            self.leavers[mis_id] = record
        else:
            raise ValueError("unknown op %r" % kind)
        return mis_id

    def find(self, mis_id):
        for table in (self.students, self.leavers, self.pre_admissions, self.employees):
            if mis_id in table:
                return table[mis_id]
        raise KeyError(mis_id)


class Fixture:
    def __init__(self, args):
        self.lock = threading.Lock()
        self.token = args.token
        self.args = args
        self.school = School(args.school, args.students, args.employees, args.pre_admissions, args.leavers, args.seed)
        self.others = {}  # with --any-school: a school of the same size for every other id asked for
        self.knobs = json.loads(json.dumps(KNOBS))
        self.log = []
        self.posts = []
        self.writebacks = {}
        self.port = 0
        # With --cache-pages: each list page's answer as bytes, by path and query, dropped whenever a
        # /_control POST changes the school or the knobs (a benchmark reads the same pages night after night).
        self.pages = {}

    def school_for(self, school_id):
        """The school with this id, or None. With --any-school each new id gets its own school, made
        when first asked for (a benchmark reads many schools from one fixture)."""
        if school_id == self.school.id:
            return self.school
        if not self.args.any_school:
            return None
        if school_id not in self.others:
            a = self.args
            seed = int(hashlib.md5(school_id.encode()).hexdigest()[:8], 16)
            self.others[school_id] = School(school_id, a.students, a.employees, a.pre_admissions, a.leavers, seed)
        return self.others[school_id]

    # -- shapes -------------------------------------------------------------------------------------

    def student_json(self, r, includes, index):
        style = self.knobs["date_style"]
        refused = set(self.knobs["refuse_includes"])
        out = {
            "id": r["wonde_id"], "upi": hashlib.md5(("upi" + r["mis_id"]).encode()).hexdigest(), "mis_id": r["mis_id"],
            "initials": r["forename"][0] + r["surname"][0], "title": None, "surname": r["surname"],
            "forename": r["forename"], "middle_names": None, "legal_surname": r["legal_surname"],
            "legal_forename": r["legal_forename"], "gender": r["gender"], "gender_identity": None,
            "date_of_birth": day(r["dob"], style, index),
            "restored_at": stamp(r["restored_at"]) if r["restored_at"] else None,
            "created_at": stamp(self.school.BASELINE), "updated_at": stamp(r["updated"]),
        }

        def include(name, value):
            if name in includes:
                out[name] = None if name in refused else {"data": value}

        include("education_details", {
            "admission_number": r["mis_id"].zfill(6), "upn": r["upn"], "local_upn": None, "former_upn": None,
            "learner_number": None, "current_nc_year": r["year"], "part_time": False, "part_time_rate": 1,
            "admission_date": day(r["admission_date"], style, index), "leaving_date": day(r["leaving_date"], style, index)})
        include("contact_details", self.contact_details(r))
        include("registration", {"id": "G" + r["reg"], "name": r["reg"], "code": r["reg"]})
        include("classes", [{"id": "K" + r["reg"] + "Ma", "name": r["reg"] + "/Ma"}, {"id": "K" + r["reg"], "name": r["reg"]}])
        include("year", {"id": "Y" + r["year"], "name": "Year " + r["year"]})
        if "contacts" in includes or "contacts.contact_details" in includes:
            out["contacts"] = None if "contacts" in refused else {"data": [
                self.contact_json(c, "contacts.contact_details" in includes) for c in r["contacts"]]}
        return out

    def contact_details(self, r):
        return {"salutation": None,
                "emails": {"email": r["email"], "primary": r["email"], "home": None, "work": None},
                "phones": {"phone": None, "primary": r["mobile"], "home": None, "work": None, "mobile": r["mobile"]},
                "addresses": {"home": {"house_number": r.get("house"), "street": r.get("street"), "town": r.get("town"),
                                       "postcode": r.get("postcode")}} if r.get("postcode") else {}}

    def contact_json(self, c, details):
        style = self.knobs["relationship_style"]
        if style == "absent":
            relationship = {}
        elif style == "string":
            relationship = c["relationship"]
        else:
            relationship = {"relationship": c["relationship"], "priority": c["priority"],
                            "parental_responsibility": c["pr"], "bill_payer": c["pr"], "lives_with_pupil": True}
        out = {"id": c["id"], "mis_id": c["mis_id"], "title": None, "forename": c["forename"], "surname": c["surname"],
               "relationship": relationship}
        if details:
            out["contact_details"] = {"data": self.contact_details(c)}
        return out

    def employee_json(self, r, includes, index):
        style = self.knobs["date_style"]
        out = {
            "id": r["wonde_id"], "upi": hashlib.md5(("upi" + r["mis_id"]).encode()).hexdigest(), "mis_id": r["mis_id"],
            "title": r["title"], "initials": r["forename"][0] + r["surname"][0], "surname": r["surname"],
            "forename": r["forename"], "middle_names": None, "legal_surname": r["legal_surname"],
            "legal_forename": r["legal_forename"], "gender": r["gender"], "date_of_birth": day(r["dob"], style, index),
            "restored_at": stamp(r["restored_at"]) if r["restored_at"] else None,
            "created_at": stamp(self.school.BASELINE), "updated_at": stamp(r["updated"]),
        }
        refused = set(self.knobs["refuse_includes"])
        if "employment_details" in includes:
            out["employment_details"] = None if "employment_details" in refused else {"data": {
                "teaching_staff": r["role"] == "Class Teacher", "current": r["current"], "teacher_number": None,
                "staff_code": r["staff_code"], "employee_payroll_number": None,
                "employment_start_date": day(r["start"], style, index), "employment_end_date": day(r["end"], style, index),
                "role_text": r["role"]}}
        if "contact_details" in includes:
            out["contact_details"] = None if "contact_details" in refused else {"data": self.contact_details(r)}
        return out

    def codes(self):
        prefix = "SCH" if self.knobs["custom_codes"] else "GLB"
        return [{"id": "%s-%02d" % (prefix, i), "code": code, "description": "code " + code, "type": "attendance"}
                for i, code in enumerate(CODES)]

    # -- listing ------------------------------------------------------------------------------------

    def listing(self, school, resource, query):
        """The rows of a school-scoped list endpoint, filtered as the query asks."""
        includes = set(",".join(query.get("include", [])).split(",")) - {""}
        after = parse_after(query["updated_after"][0]) if "updated_after" in query else None

        def changed(stamp_value):
            return after is None or stamp_value > after

        if resource in ("students", "students-leaver", "students-pre-admission"):
            table = {"students": school.students, "students-leaver": school.leavers,
                     "students-pre-admission": school.pre_admissions}[resource]
            only = set(",".join(query.get("only_mis_ids", [])).split(",")) - {""}
            rows = [r for r in table.values() if changed(r["updated"]) and (not only or r["mis_id"] in only)]
            return [self.student_json(r, includes, i) for i, r in enumerate(rows)]
        if resource == "employees":
            rows = [r for r in school.employees.values() if changed(r["updated"])]
            return [self.employee_json(r, includes, i) for i, r in enumerate(rows)]
        if resource == "contacts":
            rows = {}
            for student in school.students.values():
                if changed(student["updated"]):
                    for c in student["contacts"]:
                        rows[c["id"]] = self.contact_json(c, "contact_details" in includes)
            return list(rows.values())
        if resource == "deletions":
            kind = query.get("type", [None])[0]
            rows = []
            for d in school.deletions:
                last = max(d["deleted"], d["restored"] or 0)
                if changed(last) and (kind is None or d["type"] == kind):
                    rows.append({"type": d["type"], "id": d["id"], "mis_id": d["mis_id"], "deleted_at": stamp(d["deleted"]),
                                 "restored_at": stamp(d["restored"]) if d["restored"] else None})
            return rows
        if resource == "attendance-codes":
            return self.codes()
        return None

    def page(self, path, resource, rows, query):
        per_page = min(int(query.get("per_page", ["50"])[0]), int(self.knobs["max_per_page"]))
        if "cursor" in query:
            page = int(base64.urlsafe_b64decode(query["cursor"][0].encode()).decode().split(":")[1])
        else:
            page = int(query.get("page", ["1"])[0])
        chunk = rows[(page - 1) * per_page:page * per_page]
        body = {"data": chunk, "meta": {"includes": sorted(set(",".join(query.get("include", [])).split(",")) - {""})}}
        more = page * per_page < len(rows)
        # Wonde leaves the pagination object out when everything fits on the first page.
        if len(rows) > per_page or page > 1:
            def link(number):
                q = {k: v for k, v in query.items() if k not in ("page", "cursor")}
                if self.knobs["cursor"]:
                    q["cursor"] = [base64.urlsafe_b64encode(("c:%d:%s" % (number, resource)).encode()).decode()]
                else:
                    q["page"] = [str(number)]
                return "http://127.0.0.1:%d%s?%s" % (self.port, path, urllib.parse.urlencode(q, doseq=True))
            drop = self.knobs["drop_next"]
            dropped = drop and drop.get("resource") == resource and drop.get("page") == page
            pagination = {"next": link(page + 1) if more and not dropped else None,
                          "previous": link(page - 1) if page > 1 else None, "more": more,
                          "per_page": str(per_page) if self.knobs["per_page_type"] == "string" else per_page}
            if not self.knobs["cursor"]:
                pagination["current_page"] = page
            body["meta"]["pagination"] = pagination
        return page, body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body go out in two writes; with Nagle's algorithm on, the body waits for
    # the client's delayed ACK of the headers (40 ms a response on Linux), which no real API adds.
    disable_nagle_algorithm = True
    fixture = None  # set in main

    def log_message(self, fmt, *args):  # quiet: tests read /_control/state instead
        pass

    def send_json(self, status, value, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, text in (headers or {}).items():
            self.send_header(name, text)
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def authorised(self):
        header = self.headers.get("Authorization") or ""
        token = self.fixture.token
        basic = "Basic " + base64.b64encode((token + ":").encode()).decode()
        return header in ("Bearer " + token, basic)

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        fx = self.fixture
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        raw = self.body()
        if url.path.startswith("/_control"):
            return self.control(method, url.path, raw)
        with fx.lock:
            if not fx.args.quiet_log:
                fx.log.append({"method": method, "path": url.path, "query": {k: v[0] for k, v in query.items()}})
            knobs = fx.knobs
            latency = knobs["latency_ms"]
        if latency:
            time.sleep(latency / 1000.0)
        with fx.lock:
            if knobs["unauthorized"] or not self.authorised():
                return self.send_json(401, {"error": "Unauthenticated."})
            limit = knobs["rate_limit"]
            if limit and limit.get("count", 0) > 0:
                limit["count"] -= 1
                return self.send_json(429, {"error": "Too Many Attempts."}, {"Retry-After": str(limit.get("retry_after", "60"))})
            try:
                return self.api(method, url.path, query, raw)
            except (KeyError, ValueError) as error:
                return self.send_json(400, {"error": "fixture: %s" % error})

    def api(self, method, path, query, raw):
        fx = self.fixture
        parts = [p for p in path.split("/") if p]
        if len(parts) < 2 or parts[0] != "v1.0":
            return self.send_json(404, {"error": "not found"})
        parts = parts[1:]
        if parts[0] == "writebacks" and len(parts) == 2 and method == "GET":
            return self.writeback_status(parts[1])
        if parts == ["attendance-codes"]:
            return self.send_json(200, fx.page(path, "attendance-codes", fx.codes(), query)[1])
        if parts[:2] == ["meta", "schools"] and len(parts) == 3:
            if fx.school_for(parts[2]) is None:
                return self.send_json(404, {"error": "school not found"})
            return self.send_json(200, {"data": {"custom_attendance_codes": fx.knobs["custom_codes"]}})
        school = fx.school_for(parts[1]) if parts[0] == "schools" and len(parts) >= 2 else None
        if school is None:
            return self.send_json(404, {"error": "not found"})
        if fx.knobs["wrong_region"]:
            return self.send_json(200, {"data": []})
        if len(parts) == 2:
            domain = fx.knobs["region_domain"] or "127.0.0.1:%d" % fx.port
            return self.send_json(200, {"data": {"id": school.id, "name": "Oak Primary School", "urn": 100001,
                                                 "la_code": "201", "establishment_number": "3456",
                                                 "region": {"code": "GB", "domain": domain}}})
        resource = "/".join(parts[2:])
        if resource == "attendance/session" and method == "POST":
            return self.post_attendance(school, raw)
        cache_key = (path, tuple(sorted((k, tuple(v)) for k, v in query.items())))
        if fx.args.cache_pages and cache_key in fx.pages:
            return self.send_json(200, None, raw=fx.pages[cache_key])
        rows = fx.listing(school, resource, query)
        if rows is None:
            return self.send_json(404, {"error": "no such endpoint: %s" % resource})
        page, body = fx.page(path, resource, rows, query)

        def hits(knob):
            rule = fx.knobs[knob]
            return rule and rule.get("resource") == resource and rule.get("page") == page

        if hits("fail_page"):
            return self.send_json(int(fx.knobs["fail_page"].get("status", 500)), {"error": "Server Error"})
        if hits("missing_page"):
            return self.send_json(404, {"error": "page not found"})
        if hits("truncate_page"):
            text = json.dumps(body).encode()
            return self.send_json(200, None, raw=text[:len(text) // 2])
        text = json.dumps(body).encode()
        if fx.args.cache_pages:
            fx.pages[cache_key] = text
        return self.send_json(200, None, raw=text)

    def post_attendance(self, school, raw):
        fx = self.fixture
        body = json.loads(raw.decode())
        fx.posts.append(body)
        ids = {r["wonde_id"] for r in school.students.values()}
        codes = {c["id"] for c in fx.codes()}
        errors = {}
        for i, mark in enumerate(body.get("attendance", [])):
            if mark.get("student_id") not in ids:
                errors["attendance.%d.student_id" % i] = ["The selected student id is invalid."]
            if mark.get("attendance_code_id") not in codes:
                errors["attendance.%d.attendance_code_id" % i] = ["The selected attendance code id is invalid."]
            if mark.get("session") not in ("AM", "PM"):
                errors["attendance.%d.session" % i] = ["The session must be AM or PM."]
        if errors or fx.knobs["writeback"] == "reject-422":
            errors = errors or {"attendance.0.student_id": ["The register for this session is closed."]}
            return self.send_json(422, {"error": "validation_error", "error_messages": errors})
        writeback_id = "W%06d" % (len(fx.writebacks) + 1)
        fx.writebacks[writeback_id] = {"polls": int(fx.knobs["writeback_polls"]),
                                       "outcome": "failed" if fx.knobs["writeback"] == "reject" else "done"}
        return self.send_json(200, {"success": True, "writeback_id": writeback_id})

    def writeback_status(self, writeback_id):
        fx = self.fixture
        entry = fx.writebacks.get(writeback_id)
        if entry is None:
            return self.send_json(404, {"error": "writeback not found"})
        names = fx.knobs["writeback_status"]
        if entry["polls"] > 0:
            entry["polls"] -= 1
            return self.send_json(200, {"data": {"id": writeback_id, "status": names["pending"], "error": None}})
        error = "The mark conflicts with one entered at the school" if entry["outcome"] == "failed" else None
        return self.send_json(200, {"data": {"id": writeback_id, "status": names[entry["outcome"]], "error": error}})

    def control(self, method, path, raw):
        fx = self.fixture
        with fx.lock:
            if method == "GET" and path == "/_control/state":
                return self.send_json(200, {"log": fx.log, "posts": fx.posts, "knobs": fx.knobs,
                                            "writebacks": fx.writebacks})
            if method == "POST":
                fx.pages.clear()
            if method == "POST" and path == "/_control":
                fx.knobs.update(json.loads(raw.decode() or "{}"))
                return self.send_json(200, {"knobs": fx.knobs})
            if method == "POST" and path == "/_control/ops":
                now = time.time()
                results = [fx.school.apply(op, now) for op in json.loads(raw.decode())]
                return self.send_json(200, {"applied": results})
        return self.send_json(404, {"error": "unknown control path"})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--token", required=True, help="the bearer token to accept")
    parser.add_argument("--school", default="A1930499544")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--employees", type=int, default=5)
    parser.add_argument("--pre-admissions", type=int, default=2)
    parser.add_argument("--leavers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--knobs", default="{}", help="initial knobs, as JSON")
    parser.add_argument("--any-school", action="store_true",
                        help="serve a generated school (of the same size) for any school id, not only --school")
    parser.add_argument("--quiet-log", action="store_true", help="keep no request log (long benchmark runs)")
    parser.add_argument("--cache-pages", action="store_true",
                        help="answer a list page asked for again from its bytes (long benchmark runs; /_control POSTs drop them)")
    args = parser.parse_args()
    fixture = Fixture(args)
    fixture.knobs.update(json.loads(args.knobs))
    Handler.fixture = fixture
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    fixture.port = server.server_address[1]
    print(fixture.port, flush=True)

    def watch_stdin():
        # The test holds our stdin open; when it goes away (test ended or died), so do we.
        while sys.stdin.buffer.read(4096):
            pass
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
