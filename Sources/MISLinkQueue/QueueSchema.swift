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
            version: 5,  // JOBS' attempt history: 6 once COUNTS' migration 5 is merged before it
            sql: """
                -- Each attempt's worker and start, beside its end (at) and error: the job page's attempt
                -- history. Copied from the job's row by the insert itself, in the transaction that ends
                -- the attempt, so no caller has to pass them (and none can pass them wrong).
                ALTER TABLE job_errors ADD COLUMN worker TEXT;
                ALTER TABLE job_errors ADD COLUMN started_at INTEGER;
                """),
    ])

    /// The queue's mark in the file header ("MISL"). A queue file made before files were marked is
    /// known by its tables.
    static let owner = FileOwner(applicationID: FileOwner.code("MISL"), name: "a MISLink queue") { connection in
        try FileOwner.hasTable("jobs", in: connection) && FileOwner.hasTable("job_errors", in: connection)
            && FileOwner.hasTable("workers", in: connection)
    }
}
