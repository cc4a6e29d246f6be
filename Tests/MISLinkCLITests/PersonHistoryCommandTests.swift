import Foundation
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing

/// `person history`, `plan-undo` (the lead's `plan undo`) and `history prune`, through the built binary.
@Suite struct PersonHistoryCommandTests {
    /// Amy, Ben and Cat created by an initial upload, then a nightly import that changes Amy's
    /// address: answers the nightly's job id.
    private func school(_ dir: String) async throws -> Int64 {
        let mis = dir + "/mis"
        try CSVExport.write(to: mis)
        for arguments in [
            ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(mis)",
             "--config", "db=\(dir)/library.sqlite"],
            ["integration", "set", "oak", "new-records=create"],
        ] {
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 0, "\(result.stderr)")
        }
        try IntegrationStore(path: dir + "/mislink.sqlite").setStatus("oak", .ready, now: 0)
        #expect(try await MISLinkBinary.run(["enqueue", "initial-upload", "--integration", "oak"], in: dir).status == 0)
        #expect(try await MISLinkBinary.run(["worker", "--drain"], in: dir).status == 0)
        var pupils = CSVExport.threePupils
        pupils[0] = "M1,,Amy,Lee,,,2018-01-01,F,2,2A,,,2 New Road,OX1 1AA,2022-09-01,,active,"
        try CSVExport.write(to: mis, students: pupils)
        let nightly = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oak"], in: dir)
        let worker = try await MISLinkBinary.run(["worker", "--drain"], in: dir)
        #expect(worker.status == 0, "\(worker.stderr)")
        return try #require(Int64(nightly.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("person history lists a person's changes oldest first, by MIS id or target id, as text or --json; unknown integrations and empty histories say so")
    func personHistory() async throws {
        try await withTemporaryDirectory { dir in
            let nightly = try await school(dir)
            let json = try await MISLinkBinary.run(["person", "history", "--integration", "oak", "--mis-id", "M1", "--json"], in: dir)
            #expect(json.status == 0, "\(json.stderr)")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(rows.map { $0["kind"] as? String } == ["create", "update"])
            #expect(rows[1]["jobId"] as? Int64 == nightly)
            let fields = try #require(rows[1]["fields"] as? [[String: Any]])
            #expect(fields.count == 1 && fields[0]["field"] as? String == "address" && fields[0]["to"] as? String == "2 New Road")
            #expect(fields[0]["from"] is NSNull)
            let targetID = try #require(rows[0]["targetId"] as? String)

            let text = try await MISLinkBinary.run(["person", "history", "--integration", "oak", "--target-id", targetID], in: dir)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("job \(nightly)  update  pupil M1"))
            #expect(text.stdout.contains("address: (none) → 2 New Road"))

            let empty = try await MISLinkBinary.run(["person", "history", "--integration", "oak", "--mis-id", "M9"], in: dir)
            #expect(empty.status == 0 && empty.stdout.contains("no history for MIS id M9 in integration 'oak'"))
            let unknown = try await MISLinkBinary.run(["person", "history", "--integration", "elm", "--mis-id", "M1"], in: dir)
            #expect(unknown.status != 0 && unknown.stderr.contains("there is no integration 'elm'"))
            let neither = try await MISLinkBinary.run(["person", "history", "--integration", "oak"], in: dir)
            #expect(neither.status == 2 && neither.stderr.contains("--mis-id X or --target-id T"))
        }
    }

    @Test("plan-undo enqueues the undo for the plan's integration, and with --wait prints what was undone; an unknown plan is refused")
    func planUndo() async throws {
        try await withTemporaryDirectory { dir in
            let nightly = try await school(dir)
            let unknown = try await MISLinkBinary.run(["plan", "undo", "999999"], in: dir)
            #expect(unknown.status != 0 && unknown.stderr.contains("plan 999999 changed no target record"))

            // The wait needs a worker: once the undo is enqueued, one drains the queue beside it.
            async let waiting = MISLinkBinary.run(["plan", "undo", String(nightly), "--wait", "--json"], in: dir)
            let deadline = Date().addingTimeInterval(120)
            while try JobStore(path: dir + "/mislink.sqlite").jobs(matching: JobFilter(kind: JobKinds.planUndo)).isEmpty {
                try #require(Date() < deadline, "the plan-undo job was never enqueued")
                try await Task.sleep(for: .milliseconds(50))
            }
            let worker = try await MISLinkBinary.run(["worker", "--drain"], in: dir)
            #expect(worker.status == 0, "\(worker.stderr)")
            let undo = try await waiting
            #expect(undo.status == 0, "\(undo.stderr)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(undo.stdout.utf8)) as? [String: Any])
            let report = try #require(object["report"] as? [String: Any])
            let undone = try #require(report["undone"] as? [[String: Any]])
            #expect(undone.map { $0["misId"] as? String } == ["M1"])
            #expect((report["notUndone"] as? [Any])?.isEmpty == true)

            let history = try await MISLinkBinary.run(["person", "history", "--integration", "oak", "--mis-id", "M1"], in: dir)
            #expect(history.stdout.contains("undo  pupil M1") && history.stdout.contains("address: 2 New Road → (none)"), "\(history.stdout)")
            let pruned = try await MISLinkBinary.run(["history", "prune", "--older-than", "0s", "--json"], in: dir)
            #expect(pruned.status == 0, "\(pruned.stderr)")
            let count = try #require(try JSONSerialization.jsonObject(with: Data(pruned.stdout.utf8)) as? [String: Any])
            #expect((count["pruned"] as? Int ?? 0) >= 3)
        }
    }
}
