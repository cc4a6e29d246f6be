"""A demo database that gives every console page something to show, built with the real `mislink`
binary as a user would: the quickstart, then a hostile pupil name sent to intake, failed jobs, an
integration in Error and one Pending, an import held by the mass-leaver guard, a paused queue with a job waiting."""

import csv
import os
import subprocess

HOSTILE_NAME = "<img src=x onerror=alert(1)>"


class SeedError(Exception):
    pass


def run(mislink, arguments, database):
    """Runs one mislink command; a failure names the command and says what mislink said."""
    completed = subprocess.run(
        [mislink] + arguments + ["--db", database], capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise SeedError(
            f"seeding: 'mislink {' '.join(arguments)}' exited {completed.returncode}: "
            f"{(completed.stderr or completed.stdout).strip()}")
    return completed.stdout


def edit_students(path, change):
    """Rewrites the MIS export's students.csv, row by row, through `change(header, rows)`."""
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    body = change(header, body)
    with open(path, "w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([header] + body)


def seed(mislink, folder):
    """Builds the demo in `folder`/demo; returns the queue database's path."""
    demo = os.path.join(folder, "demo")
    database = os.path.join(demo, "mislink.sqlite")
    students = os.path.join(demo, "mis", "students.csv")
    completed = subprocess.run(
        [mislink, "quickstart", "--dir", demo], capture_output=True, text=True, timeout=600)
    if completed.returncode != 0:
        raise SeedError(f"seeding: 'mislink quickstart' exited {completed.returncode}: {completed.stderr.strip()}")

    # A new pupil whose name is markup: with new records sent to intake, it waits there for an admin,
    # so the intake page, the import report and the overview all show the name.
    def add_hostile(header, rows):
        row = dict.fromkeys(header, "")
        row.update({
            "mis_id": "P19999", "legal_forename": HOSTILE_NAME, "legal_surname": "Tables",
            "date_of_birth": "2019-03-04", "gender": "F", "year_group": "3", "reg_group": "3A",
            "address": "1 Test Road, Cambridge", "postcode": "CB1 1AA", "start_date": "2025-09-01",
            "status": "active", "consent": "yes",
        })
        return rows + [[row[name] for name in header]]

    edit_students(students, add_hostile)
    run(mislink, ["integration", "set", "oakfield", "new-records=intake"], database)
    run(mislink, ["enqueue", "nightly-import", "--integration", "oakfield"], database)
    drain(mislink, database)

    # A bad night: eight pupils leave at once, past a 1 % threshold, so the guard holds the import as
    # a plan for a decision (a guard trip; the integration stays On). The export is put back afterwards.
    with open(students, encoding="utf-8") as file:
        original = file.read()

    def make_leavers(header, rows):
        end, status = header.index("end_date"), header.index("status")
        for row in [r for r in rows if r[status] == "active"][:8]:
            row[end], row[status] = "2026-11-20", "inactive"
        return rows

    edit_students(students, make_leavers)
    run(mislink, ["integration", "set", "oakfield", "mass-leaver-threshold=0.01"], database)
    run(mislink, ["enqueue", "nightly-import", "--integration", "oakfield"], database)
    drain(mislink, database)
    with open(students, "w", encoding="utf-8") as file:
        file.write(original)

    # A job that failed for good, whose payload holds markup too.
    run(mislink, ["enqueue", "noop", "--payload", '{"fail": "permanent", "note": "<script>alert(2)</script>"}'], database)
    # An integration whose wizard cannot reach its MIS export: Error, with the reason.
    run(mislink, ["integration", "add", "elm", "--connector", "csv", "--target", "directory",
                  "--config", "dir=" + os.path.join(folder, "no-such-export"),
                  "--config", "db=" + os.path.join(folder, "elm.sqlite")], database)
    run(mislink, ["enqueue", "rerun-wizard", "--integration", "elm"], database)
    drain(mislink, database)
    # One just added: Pending.
    run(mislink, ["integration", "add", "birch", "--connector", "csv", "--target", "directory",
                  "--config", "dir=" + os.path.join(demo, "mis"),
                  "--config", "db=" + os.path.join(folder, "birch.sqlite")], database)
    # A paused write-back queue with a late arrival waiting in it, and a job scheduled for later.
    run(mislink, ["queue", "pause", "write-back"], database)
    run(mislink, ["enqueue", "write-back", "--integration", "oakfield", "--payload",
                  '{"eventId": "gate-browser-1", "studentMisId": "P10001", "date": "2026-11-27", '
                  '"session": "PM", "code": "L", "minutesLate": 4}'], database)
    run(mislink, ["enqueue", "noop", "--in", "2h"], database)
    return database


def drain(mislink, database):
    run(mislink, ["worker", "--drain", "--concurrency", "2", "--quiet"], database)
