import PostgresDB

/// MISLink's own settings in a `postgresql://` URL's query, taken out before libpq sees the URL
/// (libpq refuses parameters it does not know):
///
/// - `mislink_wakeups=listen` (default): idle workers LISTEN for new work and poll as a fallback;
///   `mislink_wakeups=poll`: poll only, for PgBouncer in transaction mode (no LISTEN there).
/// - `mislink_poll_ms=N`: how often an idle worker polls, in milliseconds (default 1000 with
///   listen, 100 when polling only).
public struct PostgresQueueOptions: Sendable, Equatable {
    public var wakeUps: PostgresWakeUps.Mode
    public var pollMilliseconds: Int64
    /// The URL without MISLink's parameters: what libpq is given.
    public let connectionURL: PostgresURL

    public init(_ url: PostgresURL) throws {
        var mode = PostgresWakeUps.Mode.listen
        var poll: Int64?
        for (key, value) in url.parameters where key.hasPrefix("mislink_") {
            switch key {
            case "mislink_wakeups":
                switch value {
                case "listen": mode = .listen
                case "poll": mode = .pollOnly
                default:
                    throw PostgresError(kind: .badURL, message: "mislink_wakeups must be 'listen' or 'poll', not '\(value)' (in \(url))")
                }
            case "mislink_poll_ms":
                guard let ms = Int64(value), (1...3_600_000).contains(ms) else {
                    throw PostgresError(kind: .badURL, message: "mislink_poll_ms must be a whole number of milliseconds from 1 to 3600000, not '\(value)' (in \(url))")
                }
                poll = ms
            default:
                throw PostgresError(kind: .badURL, message: "unknown MISLink URL parameter '\(key)' (known: mislink_wakeups, mislink_poll_ms) in \(url)")
            }
        }
        wakeUps = mode
        pollMilliseconds = poll ?? (mode == .listen ? 1_000 : 100)
        connectionURL = try Self.stripped(url)
    }

    /// The URL text without `mislink_*` query pairs.
    private static func stripped(_ url: PostgresURL) throws -> PostgresURL {
        let text = url.connectionString
        guard let mark = text.firstIndex(of: "?") else { return url }
        let kept = text[text.index(after: mark)...].split(separator: "&").filter { !$0.hasPrefix("mislink_") }
        return try PostgresURL(String(text[..<mark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&")))
    }
}
