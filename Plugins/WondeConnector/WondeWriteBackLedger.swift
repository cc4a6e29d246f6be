import Foundation
import MISLinkKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What write-back remembers per event, so a retry never posts a mark twice: a JSON-lines file
/// `wonde-writebacks-<school>.jsonl` in `state-dir`, created 0600, appended to (and synced) at each
/// step. The last line of an event says where it stands:
///
/// - `posting`: about to POST (or the POST got no answer): Wonde may hold the mark, so it is not
///   posted again unless `resend-unanswered=yes`;
/// - `posted` with the writeback id: only its outcome is followed;
/// - `written`, `failed` (Wonde could not write it: a later attempt may post afresh), `cleared`
///   (Wonde refused the POST, so nothing is there).
///
/// Two jobs never run one event at once (the queue's unique key and leases); the lock only keeps
/// concurrent appends of different events whole.
struct WondeWriteBackLedger: Sendable {
    enum State: String, Codable, Sendable {
        case posting, posted, written, failed, cleared
    }

    struct Entry: Codable, Sendable, Equatable {
        let event: String
        let state: State
        var writeback: String?
        /// Seconds since 1970 when this step was recorded.
        var at: Double
    }

    let url: URL

    init(directory: URL, school: String) {
        url = directory.appendingPathComponent("wonde-writebacks-\(school).jsonl")
    }

    /// The last step recorded for `event`, if any.
    func latest(_ event: String) async throws -> Entry? {
        let path = url.path
        return try await Self.offPool {
            try self.withLockedFile { fd in try WondeLedgerIndex.shared.latest(event, fd: fd, path: path) }
        }
    }

    /// Records a step, durably, before the caller acts on it.
    func record(_ event: String, _ state: State, writeback: String? = nil) async throws {
        let entry = Entry(event: event, state: state, writeback: writeback, at: Date().timeIntervalSince1970)
        let line = try JSONEncoder().encode(entry) + Data("\n".utf8)
        try await Self.offPool {
            try self.withLockedFile { fd in
                // A line cut short by a crash would swallow this one into one unreadable line, so
                // this one starts on a line of its own.
                let line = try Self.endsMidLine(fd) ? Data("\n".utf8) + line : line
                try line.withUnsafeBytes { buffer in
                    var written = 0
                    while written < buffer.count {
                        let count = write(fd, buffer.baseAddress! + written, buffer.count - written)
                        if count < 0 {
                            if errno == EINTR { continue }
                            throw self.ioError("write")
                        }
                        written += count
                    }
                }
                guard fsync(fd) == 0 else { throw self.ioError("fsync") }
            }
        }
    }

    /// Whether the file's last byte is not a newline (a write cut short).
    private static func endsMidLine(_ fd: Int32) throws -> Bool {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw WondeLedgerIndex.readError() }
        guard status.st_size > 0 else { return false }
        var last: UInt8 = 0
        guard pread(fd, &last, 1, status.st_size - 1) == 1 else { throw WondeLedgerIndex.readError() }
        return last != UInt8(ascii: "\n")
    }

    private func withLockedFile<T>(_ body: (Int32) throws -> T) throws -> T {
        let fd = open(url.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ioError("open") }
        defer { close(fd) }  // also releases the lock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ioError("lock") }
        }
        return try body(fd)
    }

    private func ioError(_ operation: String) -> PluginError {
        PluginError.retryable("wonde: \(operation) \(url.path) failed: \(String(cString: strerror(errno)))")
    }

    /// File work blocks: keep it off the cooperative thread pool.
    private static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}
