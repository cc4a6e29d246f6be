import SQLiteDB

/// The directory's own tables, by `PRAGMA user_version`.
enum DirectorySchema {
    static let migrator = Migrator([
        .init(
            version: 1,
            sql: """
                CREATE TABLE people (
                    -- AUTOINCREMENT: a target id is never reused, even after a row is deleted by hand.
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    target_id TEXT GENERATED ALWAYS AS ('P' || printf('%06d', id)) VIRTUAL,
                    role TEXT NOT NULL CHECK (role IN ('pupil', 'staff', 'pre-admission')),
                    mis_id TEXT,
                    upn TEXT,
                    ni_number TEXT,
                    title TEXT,
                    legal_forename TEXT NOT NULL,
                    legal_surname TEXT NOT NULL,
                    preferred_forename TEXT,
                    preferred_surname TEXT,
                    date_of_birth TEXT,
                    gender TEXT,
                    email TEXT,
                    mobile TEXT,
                    address TEXT,
                    postcode TEXT,
                    year_group TEXT,
                    reg_group TEXT,
                    post TEXT,
                    start_date TEXT,
                    end_date TEXT,
                    expected_start_date TEXT,
                    status TEXT,
                    consent TEXT CHECK (consent IN ('yes', 'no')),
                    photo TEXT,
                    registered INTEGER NOT NULL DEFAULT 0 CHECK (registered IN (0, 1)),
                    in_recycle_bin INTEGER NOT NULL DEFAULT 0 CHECK (in_recycle_bin IN (0, 1)),
                    added_by TEXT NOT NULL CHECK (added_by IN ('sync', 'manual')),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL
                );
                CREATE UNIQUE INDEX people_target_id ON people (target_id);
                CREATE INDEX people_mis_id ON people (mis_id);
                """),
        .init(
            version: 2,
            sql: """
                -- A pupil's contacts (guardians), in the order to call them.
                CREATE TABLE contacts (
                    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    mis_id TEXT NOT NULL,
                    student_mis_id TEXT NOT NULL,
                    relationship TEXT,
                    forename TEXT NOT NULL,
                    surname TEXT NOT NULL,
                    email TEXT,
                    mobile TEXT,
                    priority INTEGER,
                    parental_responsibility INTEGER,
                    PRIMARY KEY (person_id, position)
                );
                """),
        .init(
            version: 3,
            sql: """
                -- Every change to people and contacts, counted by trigger (a user's edit of the file
                -- too): the target's fingerprint (kit 1.5) reads this instead of every row.
                CREATE TABLE revision (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
                INSERT INTO revision VALUES (1, 0);
                CREATE TRIGGER people_inserted AFTER INSERT ON people BEGIN UPDATE revision SET n = n + 1; END;
                CREATE TRIGGER people_updated AFTER UPDATE ON people BEGIN UPDATE revision SET n = n + 1; END;
                CREATE TRIGGER people_deleted AFTER DELETE ON people BEGIN UPDATE revision SET n = n + 1; END;
                CREATE TRIGGER contacts_inserted AFTER INSERT ON contacts BEGIN UPDATE revision SET n = n + 1; END;
                CREATE TRIGGER contacts_updated AFTER UPDATE ON contacts BEGIN UPDATE revision SET n = n + 1; END;
                CREATE TRIGGER contacts_deleted AFTER DELETE ON contacts BEGIN UPDATE revision SET n = n + 1; END;
                """),
    ])

    /// UTC with milliseconds, so that timestamps sort as text.
    static let now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    /// The directory's mark in its file header ("MLDT"): it never opens, migrates or switches to WAL a
    /// file of someone else's (the queue, say). A directory file from before files were marked is
    /// known by its table.
    static let owner = FileOwner(applicationID: FileOwner.code("MLDT"), name: "a directory target's people file") { connection in
        try FileOwner.hasTable("people", in: connection)
    }
}
