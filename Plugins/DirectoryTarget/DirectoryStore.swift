import MISLinkKit
import SQLiteDB

/// The directory's SQLite file: the people a library or visitor-sign-in system keeps, with their
/// recycle bin. The `directory` target and the admin tools both go through it.
///
/// An actor on its own serial dispatch queue: it owns one connection (a `Connection` belongs to
/// one thread at a time, and the actor gives exactly that), and its blocking SQLite calls wait on
/// that queue, never on a thread of the cooperative pool. The file is opened and migrated on first
/// use. Errors are `PluginError`s: busy and I/O failures retryable, the rest permanent.
public actor DirectoryStore {
    /// The SQLite file.
    public nonisolated let path: String
    private let executor: DispatchQueueExecutor
    private var openConnection: Connection?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    public init(path: String) {
        self.path = path
        executor = DispatchQueueExecutor(label: "DirectoryStore")
    }

    /// Everyone, the recycle bin included, in order of target id.
    public func listPeople() throws -> [TargetPerson] {
        try perform { db in
            let contacts = try contactsByTargetID(db)
            return try db.query("SELECT \(PersonColumns.selectList) FROM people ORDER BY id", [], Self.person).map {
                var person = $0
                person.contacts = contacts[person.targetID] ?? []
                return person
            }
        }
    }

    /// Up to `limit` people after row `after` (0 for the first page), in order of target id, with the
    /// last row's id to ask for the next page from; nil when there are none.
    public func listPeople(after: Int64, limit: Int) throws -> (people: [TargetPerson], last: Int64?) {
        try perform { db in
            var last: Int64?
            var people = try db.query(
                "SELECT \(PersonColumns.selectList), id FROM people WHERE id > ? ORDER BY id LIMIT ?", [after, Int64(limit)]
            ) { row in
                last = row.int64(Int32(7 + PersonColumns.data.count))
                return Self.person(row)
            }
            guard let last else { return ([], nil) }
            let contacts = try contactsByTargetID(db, personIDs: (after + 1)...last)
            for index in people.indices { people[index].contacts = contacts[people[index].targetID] ?? [] }
            return (people, last)
        }
    }

    /// The person with this target id, or nil.
    public func person(_ targetID: String) throws -> TargetPerson? {
        try perform { db in
            guard var person = try db.queryFirst(
                "SELECT \(PersonColumns.selectList) FROM people WHERE target_id = ?", [targetID], Self.person)
            else { return nil }
            person.contacts = try contactsByTargetID(db, targetID: targetID)[targetID] ?? []
            return person
        }
    }

    /// Adds a person as the sync does; returns the new target id.
    public func create(_ record: PersonRecord) throws -> String {
        try insert(record, addedBy: "sync", registered: false)
    }

    /// Adds a person by hand, as an admin does in the target's own screens (`added_by` is
    /// `manual`): the sync must never remove or unlink such a record.
    public func addManual(_ record: PersonRecord, registered: Bool = false) throws -> String {
        try insert(record, addedBy: "manual", registered: registered)
    }

    /// Replaces the person's details with the record's. With `keepContactDetails`, email and mobile
    /// stay as they are (the person confirmed them in the target).
    public func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool) throws {
        let values = record.standardFields
        let columns = PersonColumns.data.filter { !(keepContactDetails && PersonColumns.contactDetails.contains($0)) }
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        let arguments: [any SQLBindable] = [record.role.rawValue] + columns.map { values[$0] } + [targetID]
        try change(
            targetID,
            "UPDATE people SET role = ?, \(assignments), updated_at = \(DirectorySchema.now) WHERE target_id = ?",
            arguments)
    }

    /// Moves the person to the recycle bin; moving someone already there changes nothing.
    public func moveToRecycleBin(targetID: String) throws {
        try setFlag("in_recycle_bin", true, targetID)
    }

    /// Takes the person out of the recycle bin; restoring someone not in it changes nothing.
    public func restoreFromRecycleBin(targetID: String) throws {
        try setFlag("in_recycle_bin", false, targetID)
    }

    /// Deletes the person for good, with their contacts. Answers whether there was one: deleting
    /// someone already gone changes nothing, so a purge that runs again is no error.
    @discardableResult
    public func delete(targetID: String) throws -> Bool {
        try perform { db in try db.transaction { try db.run("DELETE FROM people WHERE target_id = ?", [targetID]) == 1 } }
    }

    /// The count of changes to people and contacts (by trigger), with the people's number and
    /// highest id (`DirectoryTarget.fingerprint`): any write, or a user's edit, changes it.
    public func fingerprint() throws -> String {
        try perform { db in
            let revision = try db.scalarInt("SELECT n FROM revision WHERE id = 1") ?? 0
            let people = try db.scalarInt("SELECT count(*) FROM people") ?? 0
            let highest = try db.scalarInt("SELECT coalesce(max(id), 0) FROM people") ?? 0
            return "directory r\(revision) n\(people) m\(highest)"
        }
    }

    /// Marks whether the person has confirmed their own contact details in the target.
    public func setRegistered(_ targetID: String, _ registered: Bool) throws {
        try setFlag("registered", registered, targetID)
    }

    /// Changes one field as a user of the target would (a target-side edit the MIS does not know
    /// about). `field` is a column name such as `email` or `year_group`; nil clears it.
    public func editField(_ targetID: String, field: String, value: String?) throws {
        guard PersonColumns.data.contains(field) else {
            let fields = PersonColumns.data.joined(separator: ", ")
            throw PluginError.permanent("directory: '\(field)' is not a field of a person (fields: \(fields))")
        }
        let value = value.flatMap { $0.isEmpty ? nil : $0 }
        if PersonColumns.required.contains(field), value == nil {
            throw PluginError.permanent("directory: \(field) cannot be empty")
        }
        if PersonColumns.dates.contains(field), let value, CalendarDate(iso: value) == nil {
            throw PluginError.permanent("directory: \(field) '\(value)' is not a date (YYYY-MM-DD)")
        }
        if field == "consent", let value, value != "yes", value != "no" {
            throw PluginError.permanent("directory: consent must be yes or no")
        }
        try change(
            targetID, "UPDATE people SET \(field) = ?, updated_at = \(DirectorySchema.now) WHERE target_id = ?",
            [value, targetID])
    }

    // MARK: - Helpers

    private func insert(_ record: PersonRecord, addedBy: String, registered: Bool) throws -> String {
        let values = record.standardFields
        let columns = PersonColumns.data.joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: PersonColumns.data.count).joined(separator: ", ")
        let arguments: [any SQLBindable] =
            [record.role.rawValue, addedBy, registered] + PersonColumns.data.map { values[$0] }
        return try perform { db in
            try db.transaction {
                try db.run(
                    """
                    INSERT INTO people (role, added_by, registered, \(columns), created_at, updated_at)
                    VALUES (?, ?, ?, \(placeholders), \(DirectorySchema.now), \(DirectorySchema.now))
                    """, arguments)
                let id = db.lastInsertRowID
                guard let targetID = try db.scalarString("SELECT target_id FROM people WHERE id = ?", [id]) else {
                    throw PluginError.permanent("directory: the new person \(id) vanished before its id was read")
                }
                return targetID
            }
        }
    }

    private func setFlag(_ column: String, _ value: Bool, _ targetID: String) throws {
        try change(
            targetID, "UPDATE people SET \(column) = ?, updated_at = \(DirectorySchema.now) WHERE target_id = ?",
            [value, targetID])
    }

    /// Runs one UPDATE of one person in a write transaction; no row changed means no such person.
    private func change(_ targetID: String, _ sql: String, _ arguments: [any SQLBindable]) throws {
        try perform { db in
            try db.transaction {
                guard try db.run(sql, arguments) == 1 else {
                    throw PluginError.permanent("directory: no person with target id '\(targetID)'")
                }
            }
        }
    }

    private static func person(_ row: Row) -> TargetPerson {
        let count = 7 + PersonColumns.data.count
        return PersonColumns.person(from: (0..<count).map { row.optionalString(Int32($0)) })
    }

    /// Opens the file on first use and turns SQLite's errors into the kit's.
    func perform<T>(_ body: (Connection) throws -> T) throws -> T {
        do {
            let db: Connection
            if let openConnection {
                db = openConnection
            } else {
                // 8 MiB of page cache, not 32: a listing reads the whole file once, and a cache that holds
                // it only raises an import's peak memory; writes touch few pages.
                db = try Connection(
                    path: path, configuration: ConnectionConfiguration(cacheSizeKiB: 8_192, owner: DirectorySchema.owner))
                try DirectorySchema.migrator.migrate(db)
                openConnection = db
            }
            return try body(db)
        } catch let error as SQLiteError {
            throw Self.pluginError(error, path: path)
        }
    }

    private static func pluginError(_ error: SQLiteError, path: String) -> PluginError {
        // SQLITE_IOERR (10), SQLITE_FULL (13), SQLITE_CANTOPEN (14): may pass. The C constants stay
        // inside SQLiteDB, so the numbers are written out here.
        let mayPass = error.isBusy || [10, 13, 14].contains(error.primaryCode)
        return PluginError(mayPass ? .retryable : .permanent, "directory \(path): \(error)")
    }
}
