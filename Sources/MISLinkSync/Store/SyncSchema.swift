import MISLinkQueue
import SQLiteDB

/// The sync engine's tables, in the queue's database file so that bookkeeping commits in the same
/// transaction as the job that did the work. Counted in their own migration track.
enum SyncSchema {
    static let migrator = Migrator(
        [
            .init(
                version: 1,
                sql: """
                    CREATE TABLE integrations (
                        id TEXT PRIMARY KEY,
                        connector TEXT NOT NULL,
                        target TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'on', 'off', 'error')),
                        error_reason TEXT,
                        config TEXT NOT NULL,
                        -- key -> where the secret lives ("env:VAR", "file:PATH"); never the value itself
                        secrets TEXT NOT NULL,
                        settings TEXT NOT NULL,
                        absence_sync INTEGER NOT NULL DEFAULT 1,
                        contract_sync INTEGER NOT NULL DEFAULT 1,
                        staff_sync INTEGER NOT NULL DEFAULT 1,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    ) STRICT;

                    CREATE TABLE links (
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        origin TEXT NOT NULL CHECK (origin IN ('integration', 'manual')),
                        rule TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (integration, role, mis_id)
                    ) STRICT;
                    CREATE INDEX links_by_target ON links(integration, target_id);

                    CREATE TABLE intake (
                        id INTEGER PRIMARY KEY,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        name TEXT NOT NULL,
                        record TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('open', 'matched', 'transferred', 'excluded')),
                        target_id TEXT,
                        created_at INTEGER NOT NULL,
                        resolved_at INTEGER
                    ) STRICT;
                    CREATE UNIQUE INDEX intake_open ON intake(integration, role, mis_id) WHERE status = 'open';

                    CREATE TABLE exclusions (
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        mis_id TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (integration, mis_id)
                    ) STRICT;

                    CREATE TABLE imports (
                        id INTEGER PRIMARY KEY,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        job_id INTEGER,
                        kind TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        finished_at INTEGER NOT NULL,
                        added INTEGER NOT NULL,
                        updated INTEGER NOT NULL,
                        matched INTEGER NOT NULL,
                        to_intake INTEGER NOT NULL,
                        leavers INTEGER NOT NULL,
                        skipped INTEGER NOT NULL,
                        warnings INTEGER NOT NULL,
                        report TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX imports_by_integration ON imports(integration, id);

                    CREATE TABLE writebacks (
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        event_id TEXT NOT NULL,
                        job_id INTEGER,
                        result TEXT NOT NULL,
                        written_at INTEGER NOT NULL,
                        PRIMARY KEY (integration, event_id)
                    ) STRICT;
                    """),
            .init(
                version: 2,
                sql: """
                    -- One row per integration and local date whose nightly import was enqueued.
                    CREATE TABLE nightly_runs (
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        local_date TEXT NOT NULL,
                        job_id INTEGER NOT NULL,
                        PRIMARY KEY (integration, local_date)
                    ) STRICT;
                    """),
            .init(
                version: 3,
                sql: """
                    -- What the integration last sent for each linked record (field=value lines, see SentFields):
                    -- a target value that differs from it is an edit made in the target.
                    ALTER TABLE links ADD COLUMN sent TEXT;
                    -- Target-side edits an import found (and, the sync being one way, overwrote).
                    CREATE TABLE target_changes (
                        id INTEGER PRIMARY KEY,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        target_id TEXT NOT NULL,
                        field TEXT NOT NULL,
                        sent_value TEXT,
                        target_value TEXT,
                        seen_at INTEGER NOT NULL,
                        job_id INTEGER
                    ) STRICT;
                    CREATE INDEX target_changes_by_integration ON target_changes(integration, id);
                    """),
            .init(
                version: 4,
                sql: """
                    -- Set by the first successful initial upload: leaving Error returns to On if set, else Ready.
                    ALTER TABLE integrations ADD COLUMN went_live_at INTEGER;
                    -- Those already On or Off, or with an initial upload in their history, have gone live.
                    UPDATE integrations SET went_live_at = updated_at
                    WHERE status IN ('on', 'off')
                        OR EXISTS (SELECT 1 FROM imports WHERE imports.integration = integrations.id AND kind = 'initial-upload');

                    -- An import-like job's plan: every change it makes to the target, computed once before
                    -- any write, then applied step by step. A re-run of the same job resumes it. Deleted
                    -- with its job (prune) or its integration (remove): it holds personal data.
                    CREATE TABLE import_plans (
                        job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        mode TEXT NOT NULL,
                        -- applying → completed (with the job) | superseded (a later import completed first)
                        status TEXT NOT NULL CHECK (status IN ('applying', 'completed', 'superseded')),
                        -- the counts and reasons the plan will achieve (ImportReport as JSON)
                        report TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        finished_at INTEGER
                    ) STRICT;
                    CREATE INDEX import_plans_by_integration ON import_plans(integration, status);

                    -- One change of a plan. kind: create, update, contacts, link, intake, leaver, target-edit,
                    -- record-sent. before/after: JSON objects of standard fields (contacts: JSON arrays).
                    CREATE TABLE plan_steps (
                        job_id INTEGER NOT NULL REFERENCES import_plans(job_id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        target_id TEXT,
                        before TEXT,
                        after TEXT,
                        detail TEXT,
                        status TEXT NOT NULL CHECK (status IN ('planned', 'done')),
                        PRIMARY KEY (job_id, seq)
                    ) STRICT;
                    """),
            .init(
                version: 5,
                sql: """
                    -- How often the mass-leaver guard stopped an integration's import: a safety stop, not a
                    -- fault (no status change), counted for /metrics and the console, kept through pruning.
                    CREATE TABLE guard_trips (
                        integration TEXT PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
                        trips INTEGER NOT NULL,
                        last_at INTEGER NOT NULL
                    ) STRICT;
                    """),
            .init(
                version: 6,
                sql: """
                    -- The target records that nearly matched an intake entry, and on what (IntakeCandidate JSON
                    -- array, at most 5), recorded when an import sends it to intake. NULL for entries made before
                    -- this version: their candidates are computed on demand (one target listing).
                    ALTER TABLE intake ADD COLUMN candidates TEXT;
                    -- The same, on a plan's intake step, so that a resumed plan records them too.
                    ALTER TABLE plan_steps ADD COLUMN candidates TEXT;
                    """),
            .init(
                version: 7,
                sql: """
                    -- Plans an admin reviews before they are applied (made with --plan-only, or held by a guard):
                    -- new states, and what applying one later needs. SQLite cannot change a CHECK, so both
                    -- tables are made again from copies (no RENAME: it would check every reference, and a
                    -- sync store may be opened before the queue's tables exist).
                    CREATE TEMP TABLE plans_copy AS SELECT * FROM import_plans;
                    CREATE TEMP TABLE steps_copy AS SELECT * FROM plan_steps;
                    DROP TABLE plan_steps;
                    DROP TABLE import_plans;
                    CREATE TABLE import_plans (
                        job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        mode TEXT NOT NULL,
                        -- ready | held (for an admin) → applying → completed | superseded; ready | held → discarded
                        status TEXT NOT NULL
                            CHECK (status IN ('ready', 'held', 'applying', 'completed', 'superseded', 'discarded')),
                        report TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        finished_at INTEGER,
                        -- a plan for review is refused after this (ms)
                        expires_at INTEGER,
                        -- the job that applies a reviewed plan
                        applied_by INTEGER,
                        -- applied without its held steps
                        except_held INTEGER NOT NULL DEFAULT 0,
                        -- the guards it tripped (PlanHold JSON array)
                        holds TEXT,
                        -- a rehearsal as of this date (YYYY-MM-DD): shown, never applied
                        as_of TEXT,
                        -- the delta the plan read (ms), read again by the check before it is applied
                        changed_since INTEGER
                    ) STRICT;
                    CREATE TABLE plan_steps (
                        job_id INTEGER NOT NULL REFERENCES import_plans(job_id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        target_id TEXT,
                        before TEXT,
                        after TEXT,
                        detail TEXT,
                        status TEXT NOT NULL CHECK (status IN ('planned', 'done')),
                        candidates TEXT,
                        -- held by a guard: left out of an apply --except-held
                        held INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (job_id, seq)
                    ) STRICT;
                    INSERT INTO import_plans(job_id, integration, kind, mode, status, report, created_at, finished_at)
                        SELECT job_id, integration, kind, mode, status, report, created_at, finished_at FROM plans_copy;
                    INSERT INTO plan_steps(job_id, seq, kind, role, mis_id, target_id, before, after, detail, status, candidates)
                        SELECT job_id, seq, kind, role, mis_id, target_id, before, after, detail, status, candidates FROM steps_copy;
                    DROP TABLE plans_copy;
                    DROP TABLE steps_copy;
                    CREATE INDEX import_plans_by_integration ON import_plans(integration, status);
                    CREATE INDEX import_plans_by_applier ON import_plans(applied_by) WHERE applied_by IS NOT NULL;
                    """),
            .init(
                version: 8,
                sql: """
                    -- When each linked target record went into the target's recycle bin, as the school's local date
                    -- (YYYY-MM-DD): when MISLink moved it there (origin 'moved', at the leaver move's completion),
                    -- or when an import first saw it there (origin 'seen'). recycle-purge-after deletes those
                    -- that have sat there that long; a record found out of the bin again is forgotten.
                    CREATE TABLE recycle_bin (
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        target_id TEXT NOT NULL,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        since TEXT NOT NULL,
                        origin TEXT NOT NULL CHECK (origin IN ('moved', 'seen')),
                        PRIMARY KEY (integration, target_id)
                    ) STRICT;
                    """),
            .init(
                version: 9,
                sql: """
                    -- Every change MISLink made to a person's target record (and the intake decisions about
                    -- them), for 'person history' and 'plan undo'. No reference to jobs: it outlives 'jobs
                    -- prune'; deleted with its integration, and pruned by age ('history prune').
                    -- kind: create, update, contacts, recycle, restore, intake, matched, transferred,
                    -- excluded, undo. before/after: JSON objects field -> value or null (contacts: arrays).
                    -- plan_id: the import plan the change belongs to (the move of a leaver: the plan that
                    -- found them leaving; an undo: the plan it reverses).
                    CREATE TABLE person_changes (
                        id INTEGER PRIMARY KEY,
                        integration TEXT NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        job_id INTEGER,
                        plan_id INTEGER,
                        at INTEGER NOT NULL,
                        role TEXT NOT NULL,
                        mis_id TEXT NOT NULL,
                        target_id TEXT,
                        kind TEXT NOT NULL,
                        before TEXT,
                        after TEXT,
                        detail TEXT
                    ) STRICT;
                    CREATE INDEX person_changes_by_mis_id ON person_changes(integration, mis_id, id);
                    CREATE INDEX person_changes_by_target_id ON person_changes(integration, target_id, id);
                    CREATE INDEX person_changes_by_plan ON person_changes(plan_id, id);
                    CREATE INDEX person_changes_by_time ON person_changes(integration, at);
                    """),
            .init(
                version: 10,
                sql: """
                    -- What the MIS, the target and the integration's own records were when a plan for review was
                    -- made (PlanFingerprint): the same at apply, and the plan is applied without reading again.
                    ALTER TABLE import_plans ADD COLUMN fingerprint TEXT;
                    """),
        ], track: "sync")
}

extension SyncSchema {
    /// The same tables on both back ends: SQLite's migrations above, and PostgreSQL's, which start
    /// at today's shape (version 1 there is SQLite's 6). Integers are `bigint` (flags 0 or 1, as on
    /// SQLite), so the store's SQL reads and writes both alike.
    static let portable = PortableSchema(
        track: "sync", sqlite: migrator,
        postgres: [
            .init(
                version: 1,
                sql: """
                    CREATE TABLE integrations (
                        id text PRIMARY KEY,
                        connector text NOT NULL,
                        target text NOT NULL,
                        status text NOT NULL CHECK (status IN ('pending', 'ready', 'on', 'off', 'error')),
                        error_reason text,
                        config text NOT NULL,
                        secrets text NOT NULL,
                        settings text NOT NULL,
                        absence_sync bigint NOT NULL DEFAULT 1,
                        contract_sync bigint NOT NULL DEFAULT 1,
                        staff_sync bigint NOT NULL DEFAULT 1,
                        created_at bigint NOT NULL,
                        updated_at bigint NOT NULL,
                        went_live_at bigint
                    );
                    CREATE TABLE links (
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        target_id text NOT NULL,
                        origin text NOT NULL CHECK (origin IN ('integration', 'manual')),
                        rule text NOT NULL,
                        created_at bigint NOT NULL,
                        sent text,
                        PRIMARY KEY (integration, role, mis_id)
                    );
                    CREATE INDEX links_by_target ON links(integration, target_id);
                    CREATE TABLE intake (
                        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        name text NOT NULL,
                        record text NOT NULL,
                        reason text NOT NULL,
                        status text NOT NULL CHECK (status IN ('open', 'matched', 'transferred', 'excluded')),
                        target_id text,
                        created_at bigint NOT NULL,
                        resolved_at bigint,
                        candidates text
                    );
                    CREATE UNIQUE INDEX intake_open ON intake(integration, role, mis_id) WHERE status = 'open';
                    CREATE TABLE exclusions (
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        mis_id text NOT NULL,
                        created_at bigint NOT NULL,
                        PRIMARY KEY (integration, mis_id)
                    );
                    CREATE TABLE imports (
                        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        job_id bigint,
                        kind text NOT NULL,
                        started_at bigint NOT NULL,
                        finished_at bigint NOT NULL,
                        added bigint NOT NULL,
                        updated bigint NOT NULL,
                        matched bigint NOT NULL,
                        to_intake bigint NOT NULL,
                        leavers bigint NOT NULL,
                        skipped bigint NOT NULL,
                        warnings bigint NOT NULL,
                        report text NOT NULL
                    );
                    CREATE INDEX imports_by_integration ON imports(integration, id);
                    CREATE TABLE writebacks (
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        event_id text NOT NULL,
                        job_id bigint,
                        result text NOT NULL,
                        written_at bigint NOT NULL,
                        PRIMARY KEY (integration, event_id)
                    );
                    CREATE TABLE nightly_runs (
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        local_date text NOT NULL,
                        job_id bigint NOT NULL,
                        PRIMARY KEY (integration, local_date)
                    );
                    CREATE TABLE target_changes (
                        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        target_id text NOT NULL,
                        field text NOT NULL,
                        sent_value text,
                        target_value text,
                        seen_at bigint NOT NULL,
                        job_id bigint
                    );
                    CREATE INDEX target_changes_by_integration ON target_changes(integration, id);
                    CREATE TABLE import_plans (
                        job_id bigint PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        kind text NOT NULL,
                        mode text NOT NULL,
                        status text NOT NULL CHECK (status IN ('applying', 'completed', 'superseded')),
                        report text NOT NULL,
                        created_at bigint NOT NULL,
                        finished_at bigint
                    );
                    CREATE INDEX import_plans_by_integration ON import_plans(integration, status);
                    CREATE TABLE plan_steps (
                        job_id bigint NOT NULL REFERENCES import_plans(job_id) ON DELETE CASCADE,
                        seq bigint NOT NULL,
                        kind text NOT NULL,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        target_id text,
                        before text,
                        after text,
                        detail text,
                        status text NOT NULL CHECK (status IN ('planned', 'done')),
                        candidates text,
                        PRIMARY KEY (job_id, seq)
                    );
                    CREATE TABLE guard_trips (
                        integration text PRIMARY KEY REFERENCES integrations(id) ON DELETE CASCADE,
                        trips bigint NOT NULL,
                        last_at bigint NOT NULL
                    );
                    """),
            .init(
                version: 2,
                sql: """
                    ALTER TABLE import_plans DROP CONSTRAINT import_plans_status_check;
                    ALTER TABLE import_plans ADD CONSTRAINT import_plans_status_check
                        CHECK (status IN ('ready', 'held', 'applying', 'completed', 'superseded', 'discarded'));
                    ALTER TABLE import_plans
                        ADD COLUMN expires_at bigint, ADD COLUMN applied_by bigint,
                        ADD COLUMN except_held bigint NOT NULL DEFAULT 0, ADD COLUMN holds text, ADD COLUMN as_of text,
                        ADD COLUMN changed_since bigint;
                    ALTER TABLE plan_steps ADD COLUMN held bigint NOT NULL DEFAULT 0;
                    CREATE INDEX import_plans_by_applier ON import_plans(applied_by) WHERE applied_by IS NOT NULL;
                    """),
            .init(
                version: 3,
                sql: """
                    -- When each linked target record went into the target's recycle bin, as the school's local date
                    -- (YYYY-MM-DD): when MISLink moved it there (origin 'moved', at the leaver move's completion),
                    -- or when an import first saw it there (origin 'seen'). recycle-purge-after deletes those
                    -- that have sat there that long; a record found out of the bin again is forgotten.
                    CREATE TABLE recycle_bin (
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        target_id text NOT NULL,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        since text NOT NULL,
                        origin text NOT NULL CHECK (origin IN ('moved', 'seen')),
                        PRIMARY KEY (integration, target_id)
                    );
                    """),
            .init(
                version: 4,
                sql: """
                    CREATE TABLE person_changes (
                        id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                        integration text NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
                        job_id bigint,
                        plan_id bigint,
                        at bigint NOT NULL,
                        role text NOT NULL,
                        mis_id text NOT NULL,
                        target_id text,
                        kind text NOT NULL,
                        before text,
                        after text,
                        detail text
                    );
                    CREATE INDEX person_changes_by_mis_id ON person_changes(integration, mis_id, id);
                    CREATE INDEX person_changes_by_target_id ON person_changes(integration, target_id, id);
                    CREATE INDEX person_changes_by_plan ON person_changes(plan_id, id);
                    CREATE INDEX person_changes_by_time ON person_changes(integration, at);
                    """),
            .init(
                version: 5,
                sql: """
                    ALTER TABLE import_plans ADD COLUMN fingerprint text;
                    """),
        ])
}
