import MISLinkKit

/// What a `plan-undo` job reversed, and what it could not, per person and change (the job's result).
/// Field names only: the values stay in the history, which holds personal data under its retention.
public struct UndoReport: Sendable, Codable, Equatable {
    public struct Item: Sendable, Codable, Equatable {
        public let role: PersonRole
        public let misID: String
        public let targetID: String?
        /// The change reversed (or not): create, update, contacts, recycle.
        public let kind: String
        /// An update's fields.
        public var fields: [String]?
        /// Why it was not undone; nil for one that was.
        public var reason: String?
    }

    public let plan: Int64
    public var misID: String?
    public var undone: [Item] = []
    public var notUndone: [Item] = []

    public init(plan: Int64, misID: String?) {
        self.plan = plan
        self.misID = misID
    }
}
