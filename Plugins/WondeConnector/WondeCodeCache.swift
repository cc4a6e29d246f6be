import Foundation
import Synchronization

/// A school's attendance codes as write-back last read them (`meta/schools/{id}`, then its own or
/// Wonde's `attendance-codes`), kept for `attendance-codes-ttl` so that a run of write-backs for
/// one school reads them once, not two requests before every mark. Process-wide, since every job
/// makes its connector afresh. Codes are no secret, and they are keyed by host and school.
final class WondeCodeCache: Sendable {
    struct Codes: Sendable {
        let list: String
        let entries: [AttendanceCodeEntry]
        let readAt: Date
    }

    private let schools = Mutex<[String: Codes]>([:])

    static let shared = WondeCodeCache()

    func codes(for key: String, maxAge: TimeInterval, now: Date = Date()) -> Codes? {
        guard maxAge > 0 else { return nil }
        return schools.withLock { schools in
            guard let kept = schools[key], now.timeIntervalSince(kept.readAt) < maxAge else { return nil }
            return kept
        }
    }

    func keep(_ codes: Codes, for key: String) { schools.withLock { $0[key] = codes } }
}
