import Foundation

/// Runs `body` with a new folder of its own that does not exist yet (so `writeCSV` must create it),
/// and removes it afterwards whatever happens, so that tests running in parallel never share files.
func withFreshExportFolder<T>(_ body: (URL) async throws -> T) async throws -> T {
    let parent = FileManager.default.temporaryDirectory
        .appendingPathComponent("MISLinkSyncTests-\(UUID().uuidString)", isDirectory: true)
    defer { try? FileManager.default.removeItem(at: parent) }
    return try await body(parent.appendingPathComponent("export", isDirectory: true))
}

/// The first line of a file, without its line end.
func headerLine(of name: String, in directory: URL) throws -> String {
    let text = String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    return String(text.prefix { $0 != "\r\n" && $0 != "\n" })
}
