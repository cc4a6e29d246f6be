import Foundation
import MISLinkQueue
import MISLinkTestSupport
import Testing

extension MultiProcessTests {
    /// The Wonde token through the real binary: everything a run printed and stored is searched for it.
    @Suite(.timeLimit(.minutes(10))) struct WondeSecretTests {
        @Test(
            "a Wonde integration's whole life never puts the token in output, logs, payloads, errors or the databases")
        func tokenNeverLeaks() async throws {
            try await withTemporaryDirectory { dir in
                try await withWondeFixture(students: 12) { wonde in
                    let token = WondeFixture.token
                    let sweep = SecretSweep(dir: dir, environment: ["WONDE_TOKEN": token])
                    @discardableResult
                    func run(_ arguments: [String]) async throws -> MISLinkBinary.Result { try await sweep.run(arguments) }
                    let drain = SecretSweep.drain
                    try FileManager.default.createDirectory(atPath: dir + "/state", withIntermediateDirectories: true)
                    try await run([
                        "integration", "add", "oak", "--connector", "wonde", "--target", "directory",
                        "--config", "school=\(WondeFixture.school)", "--config", "domain=\(wonde.domain)",
                        "--config", "db=\(dir)/library.sqlite", "--config", "state-dir=\(dir)/state", "--config",
                        "per-page=5",
                        "--config", "writeback-wait=0", "--secret", "token=env:WONDE_TOKEN",
                    ])
                    try await run(["integration", "set", "oak", "new-records=create"])
                    try await run(["enqueue", "rerun-wizard", "--integration", "oak"])
                    try await run(drain)
                    try await run(["integration", "go-live", "oak"])
                    try await run(drain)
                    let live = try await run(["integration", "show", "oak"]).stdout
                    #expect(live.contains("status:          On"), "\(live)")

                    try await wonde.apply([
                        ["op": "rename", "mis_id": "5002", "surname": "Renamed"], ["op": "delete", "mis_id": "5003"],
                    ])
                    try await run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await run(drain)
                    try await run([
                        "enqueue", "write-back", "--integration", "oak", "--payload",
                        #"{"eventId": "e-1", "studentMisId": "5004", "date": "2026-12-01", "session": "AM", "code": "L", "minutesLate": 4}"#,
                    ])
                    try await run(drain)
                    #expect(try await wonde.posts().count == 1)

                    // A refused token: the failure and the Error status name Wonde, never the token.
                    try await wonde.set(["unauthorized": true])
                    try await run(["enqueue", "nightly-import", "--integration", "oak"])
                    try await run(drain)
                    let shown = try await run(["integration", "show", "oak"])
                    #expect(shown.stdout.contains("credentials refused by Wonde"), "\(shown.stdout)")
                    try await sweep.showEverything(integration: "oak")

                    #expect(sweep.printed.joined().contains("\"written\"") || sweep.printed.joined().contains("written"))
                    // Every file the run left: the queue database and its -wal, the target, the ledger.
                    #expect(try sweep.expectNowhere(token, named: "token").contains("mislink.sqlite"))
                    let ledger = try FileManager.default.attributesOfItem(
                        atPath: dir + "/state/wonde-writebacks-\(WondeFixture.school).jsonl")
                    #expect((ledger[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                }
            }
        }
    }
}
