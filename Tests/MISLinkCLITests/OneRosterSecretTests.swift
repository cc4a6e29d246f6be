import Foundation
import MISLinkQueue
import MISLinkTestSupport
import Testing

extension MultiProcessTests {
    /// The OneRoster client secret through the real binary: everything a run printed and stored is
    /// searched for it.
    @Suite(.timeLimit(.minutes(10))) struct OneRosterSecretTests {
        /// ClassLink's public sample district, read in place beside the package (never copied in).
        static let mockroster: URL = {
            var dir = URL(fileURLWithPath: #filePath)
            for _ in 0..<4 { dir.deleteLastPathComponent() }
            return dir.appendingPathComponent("shared/data/oneroster/mockroster")
        }()

        @Test("a OneRoster REST integration's whole life never puts the client secret in output, logs, payloads, errors or the databases")
        func clientSecretNeverLeaks() async throws {
            try await withTemporaryDirectory { dir in
                try await RosterServer.with(bundle: Self.mockroster) { server in
                    var env = ["ONEROSTER_SECRET": server.secret]
                    var printed: [String] = []
                    @discardableResult
                    func run(_ arguments: [String], expect status: Int32 = 0) async throws -> MISLinkBinary.Result {
                        let result = try await MISLinkBinary.run(arguments, in: dir, environment: env)
                        printed += [result.stdout, result.stderr]
                        #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
                        return result
                    }
                    let drain = ["worker", "--drain", "--verbose", "--log-format", "json"]
                    try await run([
                        "integration", "add", "oak", "--connector", "oneroster", "--target", "directory",
                        "--config", "url=\(server.url)", "--config", "client-id=\(RosterServer.clientID)",
                        "--config", "school=2", "--config", "limit=10", "--config", "db=\(dir)/library.sqlite",
                        "--secret", "client-secret=env:ONEROSTER_SECRET",
                    ])
                    try await run(["integration", "set", "oak", "new-records=create", "phase=secondary"])
                    try await run(["enqueue", "rerun-wizard", "--integration", "oak"])
                    try await run(drain)
                    try await run(["integration", "go-live", "oak"])
                    try await run(drain)
                    let live = try await run(["integration", "show", "oak"]).stdout
                    #expect(live.contains("status:          On"), "\(live)")
                    #expect(live.contains("secret client-secret: (set)"), "\(live)")
                    #expect(try await run(["imports", "list", "--integration", "oak", "--json"]).stdout.contains("\"added\""))

                    try await run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await run(drain)
                    #expect(try server.requests().contains { $0.query["filter"] != nil }, "the nightly import asked for a delta")

                    // A refused secret: the failure and the Error status name the token endpoint, never a secret.
                    env["ONEROSTER_SECRET"] = "wrong-" + server.secret
                    try await run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await run(drain)
                    let shown = try await run(["integration", "show", "oak"])
                    #expect(shown.stdout.contains("credentials refused by the OneRoster token endpoint"), "\(shown.stdout)")
                    try await run(["integration", "show", "oak", "--json"])
                    try await run(["jobs", "list", "--json"])
                    try await run(["jobs", "failed"])
                    let ids = try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter()).map(\.id)
                    #expect(ids.count >= 4)
                    for id in ids { try await run(["jobs", "show", String(id), "--json"]) }

                    for (index, text) in printed.enumerated() {
                        #expect(!text.contains(server.secret), "output \(index) holds the client secret")
                    }
                    // Every file the run left: the queue database and its -wal, the target's file.
                    let files = try FileManager.default.subpathsOfDirectory(atPath: dir)
                    #expect(files.contains("mislink.sqlite"))
                    #expect(files.contains("library.sqlite"))
                    for file in files {
                        let path = dir + "/" + file
                        var isDirectory: ObjCBool = false
                        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                        #expect(bytes.range(of: Data(server.secret.utf8)) == nil, "\(file) holds the client secret")
                    }
                }
            }
        }
    }
}
