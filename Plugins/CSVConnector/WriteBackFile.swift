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

/// `writeback.csv` in the export folder: one row per attendance mark, which the MIS imports.
///
/// Each append is durable before it returns (`O_APPEND`, write, `fsync`; the folder is synced too
/// when the file is new) and happens at most once per event id: the file itself is the record of
/// what was written, checked under an exclusive lock. Threads of one process serialise on a
/// process-wide lock per file and processes on `flock`: on file systems where `flock` is emulated
/// with per-process `fcntl` locks it would not keep two threads of one process apart.
///
/// It holds pupils' attendance, so a new file is created 0600 (the umask can only narrow that). A file
/// already there keeps its mode: an admin may have shared it with the MIS's importer on purpose.
struct WriteBackFile: Sendable {
    static let name = "writeback.csv"
    static let header = ["event_id", "student_mis_id", "date", "session", "code", "minutes_late", "comment"]

    let directory: URL

    var path: String { directory.appendingPathComponent(Self.name).path }

    /// Appends `mark` unless its event id is already in the file. Blocks: call it off the
    /// cooperative thread pool.
    func append(_ mark: AttendanceMark, log: (String) -> Void) throws -> WriteBackResult {
        try Self.processLock(for: directory.resolvingSymlinksInPath().path).mutex.withLock { _ in
            try appendLocked(mark, log: log)
        }
    }

    private func appendLocked(_ mark: AttendanceMark, log: (String) -> Void) throws -> WriteBackResult {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.ioError("open", path) }
        defer { close(fd) }  // closing also releases the flock
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw Self.ioError("lock", path) }
        }
        let (records, endsMidLine) = try readRecords(fd, log: log)
        if let header = records.first {
            guard let column = header.fields.firstIndex(of: "event_id") else {
                throw PluginError.permanent("\(Self.name) line \(header.line): the header has no event_id column")
            }
            for record in records.dropFirst() {
                guard record.fields.count == header.fields.count else {
                    throw PluginError.permanent(
                        "\(Self.name) line \(record.line): the row has \(record.fields.count) fields "
                            + "but the header has \(header.fields.count)")
                }
                if record.fields[column] == mark.eventID { return .alreadyWritten }
            }
        }
        let isNew = records.isEmpty
        var text = isNew ? CSVLine.text(Self.header) : endsMidLine ? "\r\n" : ""
        text += CSVLine.text([
            mark.eventID, mark.studentMisID, mark.date.description, mark.session.rawValue, mark.code,
            mark.minutesLate.map(String.init) ?? "", mark.comment ?? "",
        ])
        try Self.writeAll(Array(text.utf8), to: fd, path: path)
        guard fsync(fd) == 0 else { throw Self.ioError("fsync", path) }
        // A new file's name lives in the folder: sync that too, or a crash could lose the file.
        if isNew { try Self.syncDirectory(directory.path) }
        return .written
    }

    /// The file's records, and whether the last one lacks its line break.
    ///
    /// A last record cut short by a crash mid-write was never acknowledged, so it is cut off to keep
    /// the file readable: one with a quote left open, or without its line break and too few fields.
    /// A last record that is whole but lacks its line break (a file saved by an editor) is kept. A
    /// broken record with a line break inside is left for a person to look at.
    private func readRecords(_ fd: Int32, log: (String) -> Void) throws -> ([CSVRecord], endsMidLine: Bool) {
        let bytes = try Self.readAll(fd, path: path)
        let tornAt: Int
        do {
            let records = try CSVReader.records(in: bytes)
            guard let last = records.last, let byte = bytes.last, byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r")
            else { return (records, false) }
            let width = records.count == 1 ? Self.header.count : records[0].fields.count
            if last.fields.count == width { return (records, true) }
            tornAt = last.offset
        } catch {
            guard error.kind == .unterminatedQuote else {
                throw PluginError.permanent("\(Self.name) line \(error.line), column \(error.field): \(error.reason)")
            }
            tornAt = error.offset
        }
        let tail = bytes[tornAt...]
        guard !tail.contains(UInt8(ascii: "\n")), !tail.contains(UInt8(ascii: "\r")) else {
            throw PluginError.permanent(
                "\(Self.name): the last record (from byte \(tornAt)) is incomplete; fix or remove it by hand")
        }
        guard ftruncate(fd, off_t(tornAt)) == 0 else { throw Self.ioError("truncate", path) }
        log("\(Self.name): cut off an incomplete last line of \(tail.count) bytes left by an interrupted write")
        return (try CSVReader.records(in: bytes[..<tornAt]), false)
    }

    // MARK: - Locks shared by every connector in the process

    private final class PathLock: Sendable {
        let mutex = Mutex<Void>(())
    }

    private static let locks = Mutex<[String: PathLock]>([:])

    private static func processLock(for directory: String) -> PathLock {
        // Locks are never removed: there is one per export folder, a handful per process.
        locks.withLock { locks in
            if let lock = locks[directory] { return lock }
            let lock = PathLock()
            locks[directory] = lock
            return lock
        }
    }

    // MARK: - System calls

    private static func readAll(_ fd: Int32, path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[..<count])
            offset += off_t(count)
        }
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            written += count
        }
    }

    private static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ioError("fsync", path) }
    }

    /// I/O failures (disk full, a share gone away) may pass: the runner retries them.
    private static func ioError(_ operation: String, _ path: String) -> PluginError {
        PluginError.retryable("csv: \(operation) \(path) failed: \(String(cString: strerror(errno)))")
    }
}
