import CLibPQ
import Foundation

extension PostgresConnection {
    /// Listens on `channel` from now on (and again after `reconnect()`).
    public func listen(_ channel: String) throws {
        try lock.withLock {
            try execute("LISTEN " + quoteIdentifier(channel))
            listening.insert(channel)
        }
    }

    public func unlisten(_ channel: String) throws {
        try lock.withLock {
            try execute("UNLISTEN " + quoteIdentifier(channel))
            listening.remove(channel)
        }
    }

    /// Sends `payload` on `channel`. Inside a transaction it is delivered at COMMIT, and never if the
    /// transaction rolls back; identical channel and payload pairs in one transaction arrive once.
    public func notify(_ channel: String, payload: String = "") throws {
        try execute("SELECT pg_notify($1, $2)", [channel, payload])
    }

    /// The notifications that have arrived, waiting up to `timeout` seconds for the first one.
    /// Answers an empty list when none came in time. A connection that breaks while waiting throws
    /// a `.connectionLost` error: reconnect, then catch up on what may have been missed.
    ///
    /// Waits on the connection's socket with `poll()`; the connection is held for the whole wait.
    public func notifications(timeout: Double) throws -> [PostgresNotification] {
        try lock.withLock {
            let deadline = ContinuousClock.now + .milliseconds(Int64((max(timeout, 0) * 1000).rounded(.up)))
            while true {
                let arrived = try drainNotifications()
                if !arrived.isEmpty { return arrived }
                let remaining = ContinuousClock.now.duration(to: deadline)
                guard remaining > .zero else { return [] }
                let socket = PQsocket(handle)
                guard socket >= 0 else {
                    throw PostgresError(kind: .connectionLost, message: "the connection to \(url) is closed: \(libpqMessage())")
                }
                var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                let milliseconds = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
                let ready = poll(&descriptor, 1, Int32(clamping: max(milliseconds, 1)))
                if ready < 0 && errno != EINTR {
                    throw PostgresError(kind: .connectionLost, message: "waiting on the connection to \(url) failed: errno \(errno)")
                }
            }
        }
    }

    /// Reads what the socket has and takes every queued notification.
    private func drainNotifications() throws -> [PostgresNotification] {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(kind: .connectionLost, message: "the connection to \(url) was lost: \(libpqMessage())")
        }
        var arrived: [PostgresNotification] = []
        while let notice = PQnotifies(handle) {
            arrived.append(
                PostgresNotification(
                    channel: String(cString: notice.pointee.relname), payload: String(cString: notice.pointee.extra),
                    senderProcessID: notice.pointee.be_pid))
            PQfreemem(notice)
        }
        return arrived
    }
}
