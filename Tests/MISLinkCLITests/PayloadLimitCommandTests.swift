import Foundation
import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

/// Defect 10: a payload is limited (1 MiB by default, MISLINK_MAX_PAYLOAD_BYTES to change it).
@Suite struct PayloadLimitCommandTests {
    @Test("a 2 MiB payload is refused with exit 2 and its size, nothing written; a raised limit takes it")
    func limit() async throws {
        try await withTemporaryDirectory { dir in
            let note = String(repeating: "x", count: 2 << 20)
            try #"{"note": "\#(note)"}"#.write(toFile: dir + "/big.json", atomically: true, encoding: .utf8)
            let refused = try await MISLinkBinary.run(["enqueue", "noop", "--payload", "@big.json"], in: dir)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("over the limit of 1048576 bytes"), "\(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1)
            let raised = try await MISLinkBinary.run(
                ["enqueue", "noop", "--payload", "@big.json"], in: dir, environment: ["MISLINK_MAX_PAYLOAD_BYTES": "4194304"])
            #expect(raised.status == 0, "\(raised.stderr)")
            #expect(try JobStore(path: dir + "/mislink.sqlite").stats().rows.map(\.count).reduce(0, +) == 1)
        }
    }
}

/// `jobs show` in text hides what `--json` hides: a secret-looking value stored on a job by an older
/// build or a handler never reaches the terminal.
@Suite struct JobShowRedactionTests {
    @Test("a secret-looking key in a job's payload or result shows as (redacted) in text as in JSON")
    func redactedInText() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
            let queue = try Connection(path: dir + "/mislink.sqlite")
            try queue.run(
                "UPDATE jobs SET payload = ?, result = ? WHERE id = 1",
                [#"{"note":"x","password":"hunter2-payload"}"#, #"{"apiToken":"hunter2-result","ok":true}"#])
            let text = try await MISLinkBinary.run(["jobs", "show", "1"], in: dir)
            #expect(text.status == 0)
            #expect(!text.stdout.contains("hunter2"))
            #expect(text.stdout.contains("(redacted)"))
            let json = try await MISLinkBinary.run(["jobs", "show", "1", "--json"], in: dir)
            #expect(!json.stdout.contains("hunter2"))
        }
    }
}
