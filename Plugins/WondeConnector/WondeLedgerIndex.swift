import Foundation
import MISLinkKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The last entry per event of each ledger file this process has read, and how far it has read:
/// a write-back reads only what was appended since, not the whole file (which grows with every mark
/// a school ever sent, and was read and decoded afresh for each one).
///
/// Other processes may append to the same file, so every look-up still reads to the end, under the
/// ledger's file lock. A file that shrank or was replaced (another inode) is read again from the start.
final class WondeLedgerIndex: Sendable {
    private struct FileState {
        var device: UInt64 = 0
        var inode: UInt64 = 0
        var offset: off_t = 0
        /// A last line not yet ended by a newline (being written, or cut short by a crash).
        var tail: [UInt8] = []
        var latest: [String: WondeWriteBackLedger.Entry] = [:]
    }

    private let files = Mutex<[String: FileState]>([:])

    static let shared = WondeLedgerIndex()

    /// The latest entry for `event` in the open file `fd` at `path`, which the caller has locked (flock).
    func latest(_ event: String, fd: Int32, path: String) throws -> WondeWriteBackLedger.Entry? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw Self.readError() }
        // The caller holds the file's lock, so no other thread works on this path meanwhile: the
        // mutex guards only the dictionary, not the reading.
        var state = files.withLock { $0[path] } ?? FileState()
        if state.device != UInt64(status.st_dev) || state.inode != UInt64(status.st_ino) || state.offset > status.st_size {
            state = FileState(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
        }
        try Self.readNew(fd, into: &state)
        let found = state.latest[event]
        files.withLock { $0[path] = state }
        return found
    }

    private static func readNew(_ fd: Int32, into state: inout FileState) throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let decoder = JSONDecoder()
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, state.offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw readError()
            }
            if count == 0 { return }
            state.offset += off_t(count)
            var bytes = state.tail
            bytes += buffer[..<count]
            var start = bytes.startIndex
            while let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                // A line cut short by a crash mid-write was never acted on: skip it.
                if let entry = try? decoder.decode(WondeWriteBackLedger.Entry.self, from: Data(bytes[start..<end])) {
                    state.latest[entry.event] = entry
                }
                start = end + 1
            }
            state.tail = Array(bytes[start...])
        }
    }

    static func readError() -> PluginError {
        PluginError.retryable("wonde: cannot read the write-back ledger: \(String(cString: strerror(errno)))")
    }
}
