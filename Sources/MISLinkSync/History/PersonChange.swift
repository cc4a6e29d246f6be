import Foundation
import MISLinkKit

/// One change MISLink made to a person's target record, or one intake decision about them: a row of
/// the history (`person_changes`) that `person history` lists and `plan undo` reverses.
public struct PersonChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case create, update, contacts
        /// A leaver moved to the target's recycle bin.
        case recycle
        /// Brought back from the recycle bin (by an admin, or an undo).
        case restore
        /// Sent to intake (`detail`: the reason).
        case intake
        /// Intake decisions by an admin.
        case matched, transferred, excluded
        /// A change an undo made (`detail`: what it reversed).
        case undo
        /// Deleted from the target after its time in the recycle bin (`recycle-purge-after`): no undo.
        case purge

        /// Kinds that wrote to the target record.
        public var writesTarget: Bool { [.create, .update, .contacts, .recycle, .restore, .undo, .purge].contains(self) }
    }

    /// A field's value before and after the change (nil: none).
    public struct FieldChange: Sendable, Equatable {
        public let field: String
        public let from: String?
        public let to: String?
    }

    public internal(set) var id: Int64 = 0
    public let integration: String
    /// The job that made it (the plan's id for an import); nil for an admin's own decision.
    public let jobID: Int64?
    /// The import plan it belongs to: the import's own, the plan that found a leaver leaving for the
    /// move, the plan reversed for an undo.
    public let planID: Int64?
    public let at: Int64
    public let role: PersonRole
    public let misID: String
    public let targetID: String?
    public let kind: Kind
    /// JSON of the fields before and after (objects of field → value or null), or of the contacts (arrays).
    public let before: String?
    public let after: String?
    public let detail: String?

    public init(
        integration: String, jobID: Int64?, planID: Int64?, at: Int64, role: PersonRole, misID: String, targetID: String?,
        kind: Kind, before: String? = nil, after: String? = nil, detail: String? = nil
    ) {
        self.integration = integration
        self.jobID = jobID
        self.planID = planID
        self.at = at
        self.role = role
        self.misID = misID
        self.targetID = targetID
        self.kind = kind
        self.before = before
        self.after = after
        self.detail = detail
    }

    /// The fields it changed, from → to, sorted by field (empty for contacts and decisions).
    public var fields: [FieldChange] {
        let from = before.flatMap(Self.decodeFields) ?? [:]
        let to = after.flatMap(Self.decodeFields) ?? [:]
        return Set(from.keys).union(to.keys).sorted().map { FieldChange(field: $0, from: from[$0] ?? nil, to: to[$0] ?? nil) }
    }

    /// The contacts before and after, when it changed contacts (nil otherwise).
    public var contacts: (before: [Contact], after: [Contact])? {
        guard let after, after.hasPrefix("[") else { return nil }
        return (before.flatMap(PlanJSON.decodeContacts) ?? [], PlanJSON.decodeContacts(after) ?? [])
    }

    // MARK: - JSON of fields

    /// An object of the given fields, sorted by key; a nil value is JSON null.
    public static func encodeFields(_ fields: [String: String?]) -> String {
        let object = fields.mapValues { value -> Any in value ?? NSNull() }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeFields(_ text: String) -> [String: String?]? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return nil }
        return object.mapValues { $0 as? String }
    }
}

extension PersonChange.Kind {
    /// The history kind of an intake decision.
    init(decision status: IntakeEntry.Status) {
        switch status {
        case .matched: self = .matched
        case .transferred: self = .transferred
        case .excluded: self = .excluded
        case .open: self = .intake
        }
    }
}

extension PersonChange {
    /// A change's person, kind and JSON, before it is given its integration, job and time (a benchmark's).
    public struct Draft: Sendable {
        public let misID: String
        public let kind: Kind
        public let before: String?
        public let after: String?

        public init(misID: String, kind: Kind, before: String? = nil, after: String? = nil) {
            self.misID = misID
            self.kind = kind
            self.before = before
            self.after = after
        }
    }

    /// The JSON of a contact list, as the history keeps it.
    public static func encodeContacts(_ contacts: [Contact]) -> String { PlanJSON.encode(contacts) }
}
