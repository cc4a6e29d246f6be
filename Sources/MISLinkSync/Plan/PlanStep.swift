import Foundation
import MISLinkKit

/// One change an import-like job makes, or one piece of bookkeeping it records, as planned before
/// any write to the target. Each step has a stable kind, the person it is about and, for changes to
/// the target, the fields before and after: enough for a preview, a person's history or an undo.
public struct PlanStep: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Create the person in the target (`after`); `targetID` is filled in once created.
        case create
        /// Update a linked person: `after` is the whole record as sent, `before` the target's values
        /// of the fields that change ("" for a field the target did not hold). `detail` "registered": their own email and mobile stay.
        case update
        /// Replace a pupil's contacts (`contacts`, before: `contactsBefore`).
        case contacts
        /// Add a link found by matching (`detail`: the rule).
        case link
        /// Send the record (`after`) to intake (`detail`: the reason).
        case intake
        /// Enqueue the move of a leaver to the target's recycle bin (`detail` "grace Nd": it runs after
        /// the integration's grace period; `before`: the target's record as it was planned).
        case leaver
        /// Call off a leaver's move that waits its grace period: they are back in the MIS (`detail`:
        /// the move's job id).
        case leaverReprieve = "leaver-reprieve"
        /// An edit found in the target at planning time: `before` what we last sent, `after` what the
        /// target holds, for the fields that differ.
        case targetEdit = "target-edit"
        /// Remember what is sent for a record that needs no write (`after`, comparable fields).
        case recordSent = "record-sent"
        /// Delete a linked record for good (`Target.delete`): it has sat in the recycle bin at least
        /// `recycle-purge-after` days (`detail` "since YYYY-MM-DD"). Its link goes with it.
        case purge
        /// A linked record found in the recycle bin with no date yet: dated (`detail`) the plan's day.
        case recycleSeen = "recycle-seen"
        /// A dated record no longer in the recycle bin (restored, or gone): its date is forgotten.
        case recycleLeft = "recycle-left"

        /// A comma list of kinds (`update,leaver`), as `plan show --kind` and the console take it.
        public static func list(_ text: String) throws(SyncError) -> Set<Kind> {
            var chosen: Set<Kind> = []
            for name in text.split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let kind = Kind(rawValue: trimmed) else {
                    throw SyncError(
                        .invalidInput, "unknown kind of change '\(trimmed)' (kinds: \(allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                chosen.insert(kind)
            }
            return chosen
        }

        /// Whether applying it writes to the target; the other kinds are bookkeeping, done with the job.
        public var writesTarget: Bool { self == .create || self == .update || self == .contacts || self == .purge }
    }

    public enum Status: String, Sendable {
        case planned, done
    }

    /// An update step's `detail` when the person registered in the target: their email and mobile stay.
    static let registered = "registered"

    /// A leaver step's `detail` when its move waits `days` first.
    static func graceDetail(days: Int) -> String? { days > 0 ? "grace \(days)d" : nil }

    /// The grace period a leaver step's move waits, in days (0: none).
    var graceDays: Int {
        guard kind == .leaver, let detail, detail.hasPrefix("grace "), detail.hasSuffix("d") else { return 0 }
        return Int(detail.dropFirst(6).dropLast()) ?? 0
    }

    public internal(set) var seq: Int
    public internal(set) var kind: Kind
    public internal(set) var role: PersonRole
    public internal(set) var misID: String
    public internal(set) var targetID: String?
    public internal(set) var before: [String: String]?
    public internal(set) var after: [String: String]?
    public internal(set) var contactsBefore: [Contact]?
    public internal(set) var contacts: [Contact]?
    public internal(set) var detail: String?
    public internal(set) var status: Status = .planned
    /// Held back by a guard the plan tripped: left out of `plan apply --except-held`.
    public internal(set) var held = false
    /// An intake step's near matches (see `IntakeCandidate`); nil on other kinds.
    public internal(set) var candidates: [IntakeCandidate]?
    /// The record to create or send, while the plan that made it is in memory (a resumed plan
    /// rebuilds it from `after`): saves rebuilding 100,000 records in a trust's upload.
    var record: PersonRecord?

    init(
        _ kind: Kind, _ person: MISPerson, targetID: String? = nil, before: [String: String]? = nil,
        after: [String: String]? = nil, detail: String? = nil
    ) {
        self.init(kind, role: person.role, misID: person.misID, targetID: targetID, before: before, after: after, detail: detail)
    }

    init(
        _ kind: Kind, role: PersonRole, misID: String, targetID: String? = nil, before: [String: String]? = nil,
        after: [String: String]? = nil, detail: String? = nil
    ) {
        seq = 0
        self.kind = kind
        self.role = role
        self.misID = misID
        self.targetID = targetID
        self.before = before
        self.after = after
        self.detail = detail
    }

    /// The record `after` describes.
    var afterRecord: PersonRecord { record ?? PersonRecord(role: role, standardFields: after ?? [:]) }

    /// The key of the person it is about, within the plan.
    var personKey: String { role.rawValue + ":" + misID }
}
