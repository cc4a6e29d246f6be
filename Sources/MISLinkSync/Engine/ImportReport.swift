/// What an import (or upload, rematch, wizard run) did, as its result and its history row.
public struct ImportReport: Sendable, Codable, Equatable {
    public var read = 0
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var matched = 0
    public var toIntake = 0
    public var leavers = 0
    public var skipped = 0
    /// Why records were skipped, with counts ("excluded by an admin": 2).
    public var skippedReasons: [String: Int] = [:]
    /// Why records went to intake, with counts.
    public var intakeReasons: [String: Int] = [:]
    /// Things an admin should see (year groups a primary school must fix, …).
    public var warnings: [String] = []
    /// Links made, by rule (upn, ni-number, mis-id, name-dob, created).
    public var matchedBy: [String: Int] = [:]
    /// Contacts read from the MIS (only when the integration shares guardian contacts).
    public var contactsRead = 0
    /// Pupils whose contacts were replaced in the target because they changed.
    public var contactsUpdated = 0
    /// Fields edited in the target since the last import (overwritten: the sync is one way; see
    /// `mislink report changes`).
    public var targetEdits = 0
    /// Set when the import asked the MIS only for changes (a delta); absent for a full pull. The
    /// nightly import reads it from the history to make every Nth import a full one.
    public var delta: Bool?
    /// Records deleted from the target's recycle bin after `recycle-purge-after` days; absent when none.
    public var purged: [PurgedRecord]?

    public init() {}

    mutating func skip(_ reason: String) {
        skipped += 1
        skippedReasons[reason, default: 0] += 1
    }

    mutating func sendToIntake(_ reason: String) {
        toIntake += 1
        intakeReasons[reason, default: 0] += 1
    }

    func record(integration: String, jobID: Int64?, kind: String, startedAt: Int64, finishedAt: Int64) -> ImportRecord {
        var record = ImportRecord(integration: integration, jobID: jobID, kind: kind, startedAt: startedAt, finishedAt: finishedAt)
        record.added = added
        record.updated = updated
        record.matched = matched
        record.toIntake = toIntake
        record.leavers = leavers
        record.skipped = skipped
        record.warnings = warnings.count
        record.report = SyncJSON.encode(self)
        return record
    }
}
