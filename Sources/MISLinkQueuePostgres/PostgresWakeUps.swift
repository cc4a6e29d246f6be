import Foundation
import PostgresDB

/// An idle worker's wake-up source on PostgreSQL: a connection of its own that LISTENs on the
/// queue's channel, so that a commit that makes work available wakes it at once, on any host.
///
/// Notifications are a hint, never the only way to find work: they are lost while the connection
/// is down, so after a reconnect `wait` answers `.catchUp` and the worker looks everywhere; and the
/// worker still polls when `wait` times out. `.pollOnly` mode opens no connection, for a pooler
/// that cannot LISTEN (PgBouncer in transaction mode): each wait then just lasts its timeout.
public final class PostgresWakeUps {
    public enum Mode: Sendable, Equatable {
        case listen
        case pollOnly
    }

    /// What a wait ended with.
    public enum WakeUp: Sendable, Equatable {
        /// Work arrived in these queues.
        case queues(Set<String>)
        /// Nothing was heard within the timeout: poll, as always.
        case timedOut
        /// The connection was lost and made again; whatever was sent meanwhile is unknown, so look everywhere.
        case catchUp
    }

    public let mode: Mode
    private let connection: PostgresConnection?

    public init(url: String, mode: Mode = .listen, configuration: PostgresConfiguration = PostgresConfiguration()) throws {
        self.mode = mode
        guard mode == .listen else {
            connection = nil
            return
        }
        let connection = try PostgresConnection(url: url, configuration: configuration)
        try connection.listen(PostgresQueueSchema.channel)
        self.connection = connection
    }

    /// Waits up to `timeout` seconds for work to be announced. A lost connection is made again
    /// (and listened on again) before this answers `.catchUp`; if that fails, the error is thrown.
    public func wait(timeout: Double) throws -> WakeUp {
        guard let connection else {
            if timeout > 0 { Thread.sleep(forTimeInterval: timeout) }
            return .timedOut
        }
        do {
            let heard = try connection.notifications(timeout: timeout)
            return heard.isEmpty ? .timedOut : .queues(Set(heard.map(\.payload)))
        } catch let error as PostgresError where error.isConnectionLost {
            try connection.reconnect()
            return .catchUp
        }
    }
}
