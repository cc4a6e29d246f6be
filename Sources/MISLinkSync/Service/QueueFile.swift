import Foundation

/// What the service knows about the queue's file before SQLite opens it, and the guard that keeps
/// a plugin's own files away from it.
public enum QueueFile {
    /// Refuses a path that is a folder, and a missing file when the command only reads.
    static func check(_ path: String, access: SyncDatabase.Access) throws(SyncError) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue {
            throw SyncError(.invalidInput, "the queue database \(path) is a folder, not a file (check --db or $MISLINK_DB)")
        }
        if !exists && access == .read {
            throw SyncError(
                .invalidInput,
                "there is no queue database at \(path) (check --db or $MISLINK_DB); this command does not create one")
        }
    }

    /// True when `value`, read as a path (relative to the working folder), names the queue file or
    /// its `-wal`/`-shm` companion, however it is spelled: relative, through symlinks, or a hard link.
    public static func names(_ value: String, queue queuePath: String) -> Bool {
        guard !value.isEmpty else { return false }
        let candidate = resolved(value)
        let queue = resolved(queuePath)
        for suffix in ["", "-wal", "-shm"] where candidate == queue + suffix {
            return true
        }
        // A hard link has its own path but the same inode.
        var a = stat()
        var b = stat()
        guard stat(candidate, &a) == 0, stat(queue, &b) == 0 else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }

    /// The absolute path with every symlink resolved; for a file that does not exist yet, its
    /// folder's real path joined with its name.
    static func resolved(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        if let real = realPath(absolute) { return real }
        let url = URL(fileURLWithPath: absolute)
        let folder = url.deletingLastPathComponent().path
        return (realPath(folder) ?? folder).appending("/" + url.lastPathComponent).replacingOccurrences(of: "//", with: "/")
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
