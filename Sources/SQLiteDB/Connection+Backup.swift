import CSQLite
import Foundation

extension Connection {
    /// Copies the whole database to a new file at `path` with SQLite's online backup API: a
    /// consistent snapshot, taken while other connections go on writing (WAL readers never block
    /// writers). The copy is a database like any other: open it to restore. An existing file is
    /// refused, so that a backup never overwrites anything.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(extendedCode: SQLITE_CANTOPEN, message: "\(path) already exists; a backup never overwrites a file")
        }
        // Created owner-only like every database file of ours; the copy holds the same personal data.
        let destination = try Connection(path: path, configuration: ConnectionConfiguration(walMode: false))
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            let error = destination.error(code: SQLITE_ERROR, sql: nil)
            try? FileManager.default.removeItem(atPath: path)
            throw SQLiteError(extendedCode: error.extendedCode, message: "cannot back up \(self.path) to \(path): \(error.message)")
        }
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { usleep(10_000) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finished == SQLITE_OK else {
            let error = destination.error(code: rc == SQLITE_DONE ? finished : rc, sql: nil)
            try? FileManager.default.removeItem(atPath: path)
            throw SQLiteError(extendedCode: error.extendedCode, message: "backing up \(self.path) to \(path) failed: \(error.message)")
        }
    }

    /// `PRAGMA integrity_check`: "ok", or SQLite's list of problems.
    public func integrityCheck() throws -> [String] {
        try query("PRAGMA integrity_check") { $0.string(0) }
    }
}
