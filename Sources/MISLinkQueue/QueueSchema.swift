import SQLiteDB

/// The queue's tables. Append migrations; never edit one that has shipped.
enum QueueSchema {
    static let migrator = Migrator([
        .init(
            version: 1,
            sql: """
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    integration TEXT,
                    payload TEXT NOT NULL,
                    priority INTEGER NOT NULL DEFAULT 0,
                    state TEXT NOT NULL CHECK (state IN
                        ('scheduled','available','running','retryable','succeeded','failed','cancelled')),
                    attempt INTEGER NOT NULL DEFAULT 0,
                    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
                    run_at INTEGER NOT NULL,
                    unique_key TEXT,
                    lease_owner TEXT,
                    lease_expires_at INTEGER,
                    cancel_requested INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    started_at INTEGER,
                    finished_at INTEGER,
                    last_error TEXT,
                    result TEXT,
                    progress TEXT
                ) STRICT;
                -- Claiming reads the head of one of these: flat whatever the queue's length.
                CREATE INDEX jobs_available ON jobs(priority DESC, run_at, id) WHERE state = 'available';
                CREATE INDEX jobs_available_by_queue ON jobs(queue, priority DESC, run_at, id)
                    WHERE state = 'available';
                -- Staging moves due scheduled/retryable jobs to available.
                CREATE INDEX jobs_waiting ON jobs(run_at) WHERE state IN ('scheduled', 'retryable');
                CREATE INDEX jobs_running ON jobs(lease_owner, lease_expires_at) WHERE state = 'running';
                CREATE UNIQUE INDEX jobs_unique_pending ON jobs(unique_key)
                    WHERE unique_key IS NOT NULL AND state IN ('scheduled', 'available', 'running', 'retryable');
                -- Admins look for failed jobs; the few there are get their own small index. Other admin
                -- views scan: every index here is written by every claim and completion, so each one
                -- has to earn its place on the hot path.
                CREATE INDEX jobs_failed ON jobs(id) WHERE state = 'failed';

                CREATE TABLE job_errors (
                    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    attempt INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    message TEXT NOT NULL
                ) STRICT;
                CREATE INDEX job_errors_by_job ON job_errors(job_id);

                CREATE TABLE workers (
                    id TEXT PRIMARY KEY,
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    process_start TEXT,
                    queues TEXT NOT NULL,
                    concurrency INTEGER NOT NULL,
                    started_at INTEGER NOT NULL,
                    heartbeat_at INTEGER NOT NULL,
                    lease_ms INTEGER NOT NULL
                ) STRICT;
                """),
        .init(
            version: 2,
            sql: """
                -- A concurrency key: at most concurrency_limit jobs with one key run at once, across every
                -- worker and process (one integration's imports never overlap). Checked inside the claim.
                ALTER TABLE jobs ADD COLUMN concurrency_key TEXT;
                ALTER TABLE jobs ADD COLUMN concurrency_limit INTEGER NOT NULL DEFAULT 1 CHECK (concurrency_limit >= 1);
                CREATE INDEX jobs_running_by_key ON jobs(concurrency_key)
                    WHERE state = 'running' AND concurrency_key IS NOT NULL;
                """),
        .init(
            version: 3,
            sql: """
                -- A paused queue: workers claim nothing from it, and its jobs stay available. Read inside
                -- every claim's transaction, so it is kept tiny (one row per paused queue).
                CREATE TABLE queue_pauses (
                    queue TEXT PRIMARY KEY,
                    paused_at INTEGER NOT NULL
                ) STRICT;
                """),
        .init(
            version: 4,
            sql: """
                -- Totals by kind and queue (enqueued, succeeded, failed, retried, cancelled, rescued), the run-time
                -- and queue-wait histograms' buckets (le: the bucket's upper bound in milliseconds, the largest
                -- integer for +Inf; each run counted in its one bucket, not cumulatively) and their millisecond
                -- sums. Written in the transaction that changes the job, so a prune (which deletes jobs, never
                -- these) leaves them, and a scrape reads a handful of rows. One small table, not two: each
                -- commit that ends jobs dirties one more page, not two.
                CREATE TABLE job_counters (
                    kind TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    name TEXT NOT NULL,
                    le INTEGER NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (kind, queue, name, le)
                ) STRICT, WITHOUT ROWID;
                """),
        .init(
            version: 5,
            sql: """
                -- The jobs now in each (kind, queue, state), as 'state:<state>' rows of job_counters (le -1),
                -- changed in every transaction that inserts, moves or deletes jobs: a scrape, a queue summary
                -- or the jobs page's tabs read these instead of counting jobs. In job_counters, not a table
                -- of their own: one kind and queue's rows sit together under the primary key, so a worker's
                -- commit, which already adds to that group's totals, still dirties one small page.
                INSERT INTO job_counters(kind, queue, name, le, value)
                    SELECT kind, queue, 'state:' || state, -1, count(*) FROM jobs GROUP BY kind, queue, state;
                -- Jobs that ended (succeeded, or failed for good) per clock hour and kind: the console's
                -- activity chart. Kept about 35 days (trimmed when a writer's hour rolls over, and by prune).
                -- A table of its own: its rows grow with time, and a scrape reads job_counters whole.
                -- Filled from the jobs of the last 35 days still there.
                CREATE TABLE job_activity (
                    hour_start INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    succeeded INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0,
                    PRIMARY KEY (hour_start, kind)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO job_activity(hour_start, kind, succeeded, failed)
                    SELECT finished_at - finished_at % 3600000, kind, sum(state = 'succeeded'), sum(state = 'failed')
                    FROM jobs
                    WHERE state IN ('succeeded', 'failed') AND finished_at IS NOT NULL
                        AND finished_at >= (CAST(strftime('%s', 'now') AS INTEGER) - 35 * 86400) * 1000
                    GROUP BY 1, 2;
                """),
    ])

    /// The queue's mark in the file header ("MISL"). A queue file made before files were marked is
    /// known by its tables.
    static let owner = FileOwner(applicationID: FileOwner.code("MISL"), name: "a MISLink queue") { connection in
        try FileOwner.hasTable("jobs", in: connection) && FileOwner.hasTable("job_errors", in: connection)
            && FileOwner.hasTable("workers", in: connection)
    }
}
