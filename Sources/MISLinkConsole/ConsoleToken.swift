import Foundation
import MISLinkSync

#if canImport(Glibc)
    import Glibc
#endif

/// The console's access token: 32 random bytes as hex, kept in a file only its owner may read
/// (0600, default `<db>.token`). Made on first start, read after, replaced by `rotate`.
///
/// Its `description` never shows the value, so that a stray interpolation cannot log it; only
/// `value` (for an explicit print-token) does.
public struct ConsoleToken: Sendable, CustomStringConvertible {
    public let value: String

    public var description: String { "(console token)" }

    /// The default file beside the queue's database.
    public static func defaultPath(databasePath: String) -> String { databasePath + ".token" }

    /// Reads the token file, making it (0600, whatever the umask) if there is none.
    public static func loadOrCreate(path: String) throws(SyncError) -> ConsoleToken {
        if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        let token = ConsoleToken(value: ConsoleRandom.hex(bytes: 32))
        // Another process may make it first (false): then theirs is the token.
        guard try write(token, to: path, exclusive: true) else { return try load(path: path) }
        return token
    }

    /// Reads an existing token file, refusing one that others may read or that holds no token.
    public static func load(path: String) throws(SyncError) -> ConsoleToken {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SyncError(.invalidInput, "cannot read the token file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SyncError(.invalidInput, "the token file \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SyncError(
                .invalidInput,
                "the token file \(path) may be read by others (mode \(String(mode, radix: 8))); run 'chmod 600 \(path)' or rotate it")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SyncError(.invalidInput, "cannot read the token file \(path)")
        }
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.count == 64, value.allSatisfy(\.isHexDigit) else {
            // Never echo the content: it may be a token of another format.
            throw SyncError(.invalidInput, "the token file \(path) does not hold a console token (64 hex digits); rotate it")
        }
        return ConsoleToken(value: value.lowercased())
    }

    /// Replaces the token with a new one: written beside the file and renamed over it, so a reader
    /// sees the old token or the new one, never half of one.
    public static func rotate(path: String) throws(SyncError) -> ConsoleToken {
        let token = ConsoleToken(value: ConsoleRandom.hex(bytes: 32))
        let temporary = path + ".new-\(ConsoleRandom.hex(bytes: 4))"
        guard try write(token, to: temporary, exclusive: true) else {
            throw SyncError(.failed, "cannot create \(temporary): it exists")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SyncError(.failed, "cannot replace the token file \(path): \(reason)")
        }
        return token
    }

    /// Writes the file; false when `exclusive` and it exists already.
    private static func write(_ token: ConsoleToken, to path: String, exclusive: Bool) throws(SyncError) -> Bool {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return false }
            throw SyncError(.failed, "cannot create the token file \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // The umask may have taken bits away, never added them; set the mode exactly regardless.
        fchmod(descriptor, 0o600)
        let bytes = Array((token.value + "\n").utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            unlink(path)
            throw SyncError(.failed, "cannot write the token file \(path): \(String(cString: strerror(errno)))")
        }
        return true
    }
}
