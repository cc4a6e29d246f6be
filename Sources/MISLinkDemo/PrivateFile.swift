import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files and folders that hold personal data (even made-up data looks real): files 0600 and folders
/// 0700 whatever the umask, set on creation so that no other user can ever read them.
public enum PrivateFile {
    /// Creates `directory` and any missing parents, each 0700; a folder already there keeps its mode.
    public static func makeDirectory(_ directory: URL) throws {
        let path = directory.standardizedFileURL.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DemoFileError("\(path) is a file, not a folder") }
            return
        }
        let parent = directory.standardizedFileURL.deletingLastPathComponent()
        if parent.path != path { try makeDirectory(parent) }
        guard mkdir(path, 0o700) == 0 else {
            // Made by someone else in the meantime: theirs, so its mode is left alone.
            guard errno == EEXIST else { throw systemError("create folder", path) }
            return
        }
        // mkdir's mode is masked by the umask; chmod's is not, and makes it exactly 0700.
        guard chmod(path, 0o700) == 0 else { throw systemError("set the mode of", path) }
    }

    /// Makes `directory` 0700, for a folder the caller has taken over (the quickstart's demo folder).
    public static func restrict(_ directory: URL) throws {
        guard chmod(directory.path, 0o700) == 0 else { throw systemError("set the mode of", directory.path) }
    }

    /// Replaces `url` with `bytes`, atomically: written to a 0600 temporary file beside it, then renamed.
    public static func save(_ bytes: [UInt8], to url: URL) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw systemError("create", temporary) }
        var renamed = false
        defer { if !renamed { unlink(temporary) } }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        guard fchmod(fd, 0o600) == 0 else { throw systemError("set the mode of", temporary) }
        do {
            try handle.write(contentsOf: bytes)
            try handle.close()
        } catch {
            throw DemoFileError("cannot write \(temporary): \(error.localizedDescription)")
        }
        guard rename(temporary, path) == 0 else { throw systemError("rename \(temporary) to", path) }
        renamed = true
    }

    private static func systemError(_ operation: String, _ path: String) -> DemoFileError {
        DemoFileError("cannot \(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
