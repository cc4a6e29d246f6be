import Synchronization

/// Browser sessions, in memory only: a restart signs everyone out, which is what a token rotation
/// needs too. Each session has its own CSRF token; a session ends at logout or after `lifetime`.
final class SessionStore: Sendable {
    struct Session: Sendable {
        let csrfToken: String
        let expiresAt: Int64
    }

    private let sessions = Mutex<[String: Session]>([:])
    private let lifetimeMilliseconds: Int64
    private let maxSessions: Int

    init(lifetimeMilliseconds: Int64, maxSessions: Int) {
        self.lifetimeMilliseconds = lifetimeMilliseconds
        self.maxSessions = maxSessions
    }

    /// A new session: its id (the cookie) and its CSRF token.
    func open(now: Int64) -> (id: String, session: Session) {
        let id = ConsoleRandom.hex(bytes: 32)
        let session = Session(csrfToken: ConsoleRandom.hex(bytes: 32), expiresAt: now + lifetimeMilliseconds)
        sessions.withLock { table in
            table = table.filter { $0.value.expiresAt > now }
            // Bounded: when full, the session nearest its end makes room.
            if table.count >= maxSessions, let oldest = table.min(by: { $0.value.expiresAt < $1.value.expiresAt }) {
                table[oldest.key] = nil
            }
            table[id] = session
        }
        return (id, session)
    }

    /// The live session with that id. The lookup by key is not constant time, but the key is 256
    /// random bits: timing it reveals nothing guessable.
    func session(_ id: String, now: Int64) -> Session? {
        sessions.withLock { table in
            guard let session = table[id] else { return nil }
            guard session.expiresAt > now else {
                table[id] = nil
                return nil
            }
            return session
        }
    }

    func close(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
    }
}
