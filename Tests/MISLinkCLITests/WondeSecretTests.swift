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
                    let env = ["WONDE_TOKEN": token]
                    var printed: [String] = []
                    @discardableResult
                    func run(_ arguments: [String], expect status: Int32 = 0) async throws -> MISLinkBinary.Result {
                        let result = try await MISLinkBinary.run(arguments, in: dir, environment: env)
                        printed += [result.stdout, result.stderr]
                        #expect(result.status == status, "\(arguments.joined(separator: " ")): \(result.stderr)")
                        return result
                    }
                    let drain = ["worker", "--drain", "--verbose", "--log-format", "json"]
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
                    try await run(["integration", "show", "oak", "--json"])
                    try await run(["jobs", "list", "--json"])
                    try await run(["jobs", "failed"])
                    let ids = try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter()).map(\.id)
                    for id in ids { try await run(["jobs", "show", String(id), "--json"]) }
                    try await run(["imports", "list", "--integration", "oak", "--json"])

                    #expect(printed.joined().contains("\"written\"") || printed.joined().contains("written"))
                    for (index, text) in printed.enumerated() {
                        #expect(!text.contains(token), "output \(index) holds the token")
                    }
                    // Every file the run left: the queue database and its -wal, the target, the ledger.
                    let files = try FileManager.default.subpathsOfDirectory(atPath: dir)
                    #expect(files.contains("mislink.sqlite"))
                    for file in files {
                        let path = dir + "/" + file
                        var isDirectory: ObjCBool = false
                        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
                            !isDirectory.boolValue
                        else { continue }
                        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                        #expect(bytes.range(of: Data(token.utf8)) == nil, "\(file) holds the token")
                    }
                    let ledger = try FileManager.default.attributesOfItem(
                        atPath: dir + "/state/wonde-writebacks-\(WondeFixture.school).jsonl")
                    #expect((ledger[.posixPermissions] as? NSNumber)?.intValue == 0o600)
                }
            }
        }
    }
}
