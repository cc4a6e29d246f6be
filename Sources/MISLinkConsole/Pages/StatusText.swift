import MISLinkQueue
import MISLinkSync

/// A status as text with a shape beside it and a class for its colour: never colour alone.
enum StatusText {
    private static let jobIcons: [JobState: String] = [
        .succeeded: "✓", .failed: "✗", .running: "▶", .available: "●", .scheduled: "◷", .retryable: "↻", .cancelled: "⊘",
    ]
    private static let integrationIcons: [IntegrationStatus: String] = [
        .on: "✓", .off: "⏸", .pending: "◷", .ready: "●", .error: "✗",
    ]

    static func job(_ state: JobState) -> String { badge(state.rawValue, jobIcons[state] ?? "", state.rawValue) }

    static func integration(_ status: IntegrationStatus) -> String {
        badge(status.rawValue, integrationIcons[status] ?? "", status.title)
    }

    static func paused(_ paused: Bool) -> String { paused ? badge("paused", "⏸", "paused") : badge("ok", "▶", "claiming") }

    private static func badge(_ name: String, _ icon: String, _ text: String) -> String {
        "<span class=\"status-\(name)\"><span aria-hidden=\"true\">\(icon)</span> \(HTML.esc(text))</span>"
    }
}
