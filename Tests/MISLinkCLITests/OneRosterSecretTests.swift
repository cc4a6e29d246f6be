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
                    let sweep = SecretSweep(dir: dir, environment: ["ONEROSTER_SECRET": server.secret])
                    try await sweep.run([
                        "integration", "add", "oak", "--connector", "oneroster", "--target", "directory",
                        "--config", "url=\(server.url)", "--config", "client-id=\(RosterServer.clientID)",
                        "--config", "school=2", "--config", "limit=10", "--config", "db=\(dir)/library.sqlite",
                        "--secret", "client-secret=env:ONEROSTER_SECRET",
                    ])
                    try await sweep.run(["integration", "set", "oak", "new-records=create", "phase=secondary"])
                    try await sweep.run(["enqueue", "rerun-wizard", "--integration", "oak"])
                    try await sweep.run(SecretSweep.drain)
                    try await sweep.run(["integration", "go-live", "oak"])
                    try await sweep.run(SecretSweep.drain)
                    let live = try await sweep.run(["integration", "show", "oak"]).stdout
                    #expect(live.contains("status:          On"), "\(live)")
                    #expect(live.contains("secret client-secret: (set)"), "\(live)")
                    #expect(try await sweep.run(["imports", "list", "--integration", "oak", "--json"]).stdout.contains("\"added\""))

                    try await sweep.run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await sweep.run(SecretSweep.drain)
                    #expect(try server.requests().contains { $0.query["filter"] != nil }, "the nightly import asked for a delta")

                    // A refused secret: the failure and the Error status name the token endpoint, never a secret.
                    sweep.environment["ONEROSTER_SECRET"] = "wrong-" + server.secret
                    try await sweep.run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await sweep.run(SecretSweep.drain)
                    let shown = try await sweep.run(["integration", "show", "oak"])
                    #expect(shown.stdout.contains("credentials refused by the OneRoster token endpoint"), "\(shown.stdout)")
                    try await sweep.showEverything(integration: "oak")
                    #expect(try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter()).count >= 4)

                    let files = try sweep.expectNowhere(server.secret, named: "client secret")
                    #expect(files.contains("mislink.sqlite"))
                    #expect(files.contains("library.sqlite"))
                }
            }
        }
    }
}
