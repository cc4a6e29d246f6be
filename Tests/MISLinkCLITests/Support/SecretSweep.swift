import Foundation
import MISLinkQueue
import Testing

/// Runs the binary in one folder as an admin would, keeping everything it printed, then searches
/// that output and every file left in the folder for a secret: the secret-grep the plugins' tests share.
final class SecretSweep {
    let dir: String
    var environment: [String: String]
    private(set) var printed: [String] = []

    init(dir: String, environment: [String: String]) {
        self.dir = dir
        self.environment = environment
    }

    static let drain = ["worker", "--drain", "--verbose", "--log-format", "json"]

    @discardableResult
    func run(_ arguments: [String], expect status: Int32 = 0) async throws -> MISLinkBinary.Result {
        let result = try await MISLinkBinary.run(arguments, in: dir, environment: environment)
        printed += [result.stdout, result.stderr]
        #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    /// Every read-only view of integration `id` and its jobs an admin has, so their output is searched too.
    func showEverything(integration id: String) async throws {
        try await run(["integration", "show", id, "--json"])
        try await run(["jobs", "list", "--json"])
        try await run(["jobs", "failed"])
        let ids = try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter()).map(\.id)
        for job in ids { try await run(["jobs", "show", String(job), "--json"]) }
        try await run(["imports", "list", "--integration", id, "--json"])
    }

    /// Expects `secret` in no output and no file under the folder (the queue database, its -wal, the
    /// target's file, …); returns the files searched.
    @discardableResult
    func expectNowhere(_ secret: String, named what: String) throws -> [String] {
        for (index, text) in printed.enumerated() {
            #expect(!text.contains(secret), "output \(index) holds the \(what)")
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: dir).filter { file in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: dir + "/" + file, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) holds the \(what)")
        }
        return files
    }
}
