import Foundation

/// Runs `body` with a new, empty folder of its own, and removes the folder afterwards whatever
/// happens, so that tests running in parallel never see each other's files.
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("CSVConnectorTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}

/// Writes `text` as UTF-8 to `name` in `directory`.
func write(_ text: String, to name: String, in directory: URL) throws {
    try Data(text.utf8).write(to: directory.appendingPathComponent(name))
}

/// Writes raw bytes (for byte order marks and broken UTF-8).
func write(bytes: [UInt8], to name: String, in directory: URL) throws {
    try Data(bytes).write(to: directory.appendingPathComponent(name))
}

/// The text of `name` in `directory`.
func contents(of name: String, in directory: URL) throws -> String {
    String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
}
