import Foundation
import MISLinkHTTP
import MISLinkQueue

/// The jobs page's filter as the URL (or a bulk form) carries it: one state tab, kind, queue,
/// integration, text search, and the keyset page (`before`).
struct JobQuery: Sendable, Equatable {
    var state: JobState?
    var kind: String?
    var queue: String?
    var integration: String?
    var search: String?
    var before: Int64?

    static let pageSize = 50

    /// From the query string or a form's fields; unknown states are refused by name.
    init(_ value: (String) -> String?) throws(PageError) {
        if let name = Self.nonEmpty(value("state")) {
            guard let state = JobState(rawValue: name) else {
                throw PageError(400, "unknown state '\(name)' (states: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            self.state = state
        }
        kind = Self.nonEmpty(value("kind"))
        queue = Self.nonEmpty(value("queue"))
        integration = Self.nonEmpty(value("integration"))
        search = Self.nonEmpty(value("q"))
        if let text = Self.nonEmpty(value("before")) {
            guard let id = Int64(text), id > 0 else { throw PageError(400, "before must be a job id, not '\(text)'") }
            before = id
        }
    }

    init() {}

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }

    /// The filter's parameters (without the page), for links and hidden fields.
    var parameters: [(String, String?)] {
        [("state", state?.rawValue), ("kind", kind), ("queue", queue), ("integration", integration), ("q", search)]
    }

    func url(state: JobState?, before: Int64? = nil) -> String {
        var copy = self
        copy.state = state
        return HTML.url("/jobs", copy.parameters + [("before", before.map(String.init))])
    }

    /// One page and one more, so the page knows whether an older one exists.
    var pagedFilter: JobFilter { filter(limit: Self.pageSize + 1) }

    func filter(limit: Int) -> JobFilter {
        JobFilter(states: state.map { [$0] } ?? [], kind: kind, integration: integration, limit: limit)
    }
}

/// A page's refusal of its input or a missing record: its status and what to say.
struct PageError: Error, Sendable {
    let status: Int
    let message: String

    init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
