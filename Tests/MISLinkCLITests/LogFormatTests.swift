import Foundation
import Testing
import MISLinkTestSupport

/// `--log-format text|logfmt|json` on the worker: one line per entry, parseable by a log shipper.
@Suite struct LogFormatTests {
    @Test("json: every line is a JSON object with ts, level and msg; a failure's message is one line")
    func json() async throws {
        try await withTemporaryDirectory { dir in
            _ = try writeQuickPolicies(in: dir, maxAttempts: 1)
            #expect(try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"fail": "permanent"}"#], in: dir).status == 0)
            let run = try await MISLinkBinary.run(["worker", "--drain", "--verbose", "--log-format", "json"], in: dir)
            #expect(run.status == 0)
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count >= 3)
            for line in lines {
                let object = try #require(try MISLinkBinary.json(String(line)) as? [String: String], "\(line)")
                #expect(object["ts"] != nil && object["level"] != nil && object["msg"] != nil)
            }
            #expect(run.stderr.contains(#""level":"error""#))
        }
    }

    @Test("logfmt: ts=, level= and a quoted msg= on each line; an unknown format is refused with exit 2")
    func logfmt() async throws {
        try await withTemporaryDirectory { dir in
            #expect(try await MISLinkBinary.run(["enqueue", "noop"], in: dir).status == 0)
            let run = try await MISLinkBinary.run(["worker", "--drain", "--log-format", "logfmt"], in: dir)
            #expect(run.status == 0)
            for line in run.stderr.split(separator: "\n") {
                #expect(line.hasPrefix("ts=") && line.contains(" level=") && line.contains(#" msg=""#) && line.hasSuffix("\""), "\(line)")
            }
            let bad = try await MISLinkBinary.run(["worker", "--drain", "--log-format", "xml"], in: dir)
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("--log-format must be one of text, logfmt, json"))
        }
    }
}
