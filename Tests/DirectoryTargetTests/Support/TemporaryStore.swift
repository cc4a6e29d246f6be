import DirectoryTarget
import Foundation

/// Runs `body` with a directory store on a new database file in a folder of its own, removed
/// afterwards whatever happens, so that tests running in parallel never share a file.
func withTemporaryStore<T>(_ body: (DirectoryStore, String) async throws -> T) async throws -> T {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("DirectoryTargetTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("directory.sqlite").path
    return try await body(DirectoryStore(path: path), path)
}
