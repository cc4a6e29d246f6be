import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The umask is one per process and tests run in parallel: callers of `withUmask` take turns, and
/// each holds a permissive mask only for the synchronous call it checks.
private let umaskTurn = NSLock()

/// Runs `body` with the process's umask set to `mask` (e.g. 0o000 or 0o022), then restores it.
public func withUmask<T>(_ mask: mode_t, _ body: () throws -> T) rethrows -> T {
    umaskTurn.lock()
    let saved = umask(mask)
    defer {
        umask(saved)
        umaskTurn.unlock()
    }
    return try body()
}

/// A file's or folder's permission bits (e.g. 0o600).
public func permissions(of path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}
