import Foundation
import MISLinkDemo
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Testing

extension MultiProcessTests {
    /// Defect 5 end to end: workers killed with SIGKILL while an initial upload and then a nightly
    /// import of a 3,300-person school run, a new worker started after each kill. The kills are placed
    /// by the progress the test sees (the plan stored, then every quarter of its steps marked done),
    /// never by a clock, and the test never counts them: it fails only when something is lost or
    /// doubled.
    @Suite(.serialized) struct SyncCrashTests {
        @Test("imports killed at random moments and resumed: nobody twice, no changes reported in the target, history counts what changed")
        func killedImports() async throws {
            try await withTemporaryDirectory { dir in
                let mis = dir + "/mis"
                let library = dir + "/library.sqlite"
                try FileManager.default.createDirectory(atPath: dir + "/jobs", withIntermediateDirectories: true)
                // Rescued attempts count: allow plenty, so that no kill makes the import fail for good.
                for kind in ["initial-upload", "nightly-import"] {
                    try #"{"maxAttempts": 60}"#.write(toFile: dir + "/jobs/\(kind).json", atomically: true, encoding: .utf8)
                }
                var school = DemoSchool.generate(seed: 11, pupils: 3_000, staff: 300)
                try school.writeCSV(to: URL(fileURLWithPath: mis))
                for arguments in [
                    ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(mis)",
                     "--config", "db=\(library)"],
                    ["integration", "set", "oak", "new-records=create"],
                    ["enqueue", "rerun-wizard", "--integration", "oak"],
                    ["worker", "--drain"],
                    ["integration", "go-live", "oak"],
                ] {
                    let result = try await MISLinkBinary.run(arguments, in: dir)
                    #expect(result.status == 0, "\(arguments): \(result.stderr)")
                }
                let queue = try Connection(path: dir + "/mislink.sqlite")
                let upload = try #require(try queue.scalarInt("SELECT max(id) FROM jobs WHERE kind = 'initial-upload'"))
                try await runKillingWorkers(job: upload, queue: queue, dir: dir)
                let uploaded = try targetRows(library)
                let uploadRow = try importRow(job: upload, queue: queue)
                #expect(uploadRow.added == uploaded.count)
                #expect(uploadRow.matched == 0)
                try expectOneRecordEach(uploaded, queue: queue)

                // The next night: 500 families moved, 200 pupils joined.
                for index in stride(from: 0, to: 3_000, by: 6) { school.pupils[index].details.address = "\(index) Moved Road" }
                for n in 0..<200 {
                    var joiner = school.pupils[n * 7]
                    joiner.details.misID = "JOIN\(n)"
                    joiner.upn = nil
                    joiner.details.name = PersonName(legalForename: "Joiner\(n)", legalSurname: "Newfamily")
                    school.pupils.append(joiner)
                }
                try school.writeCSV(to: URL(fileURLWithPath: mis))
                let enqueued = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oak"], in: dir)
                #expect(enqueued.status == 0, "\(enqueued.stderr)")
                let nightly = try #require(Int64(enqueued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
                try await runKillingWorkers(job: nightly, queue: queue, dir: dir)
                let after = try targetRows(library)
                let nightlyRow = try importRow(job: nightly, queue: queue)
                #expect(nightlyRow.added == Set(after.keys).subtracting(uploaded.keys).count)
                #expect(nightlyRow.updated == uploaded.filter { id, row in after[id].map { $0 != row } ?? false }.count)
                #expect(nightlyRow.updated >= 400, "most of the 500 moves reach linked pupils")
                try expectOneRecordEach(after, queue: queue)

                let changes = try await MISLinkBinary.run(["report", "changes", "--integration", "oak", "--json"], in: dir)
                #expect(changes.status == 0, "\(changes.stderr)")
                let listed = try MISLinkBinary.json(changes.stdout) as? [Any]
                #expect(listed?.isEmpty == true, "\(changes.stdout.prefix(2_000))")
                #expect(try queue.scalarInt("SELECT count(*) FROM target_changes") == 0)
            }
        }

        /// Starts `worker --drain` again and again until the job has finished, killing each worker once
        /// the job has made more progress: its plan stored, then each further quarter of its writes done.
        private func runKillingWorkers(job: Int64, queue: Connection, dir: String) async throws {
            func state() throws -> String? { try queue.scalarString("SELECT state FROM jobs WHERE id = ?", [job]) }
            func finished() throws -> Bool { try ["succeeded", "failed", "cancelled"].contains(state() ?? "") }
            func planned() throws -> Bool { try queue.scalarInt("SELECT count(*) FROM import_plans WHERE job_id = ?", [job]) == 1 }
            func done() throws -> Int64 {
                try queue.scalarInt("SELECT count(*) FROM plan_steps WHERE job_id = ? AND status = 'done'", [job]) ?? 0
            }
            var killAt: Int64 = -1  // first kill: as soon as the plan is stored, before any write is marked
            var round = 0
            while try !finished() {
                round += 1
                try #require(round < 40, "the job should finish after a bounded number of restarts")
                let worker = try MISLinkBinary.start(["worker", "--drain"], in: dir, stderrPath: dir + "/worker-\(job)-\(round).log")
                let deadline = Date().addingTimeInterval(120)
                while worker.isRunning, try !finished(), try !(planned() && done() > killAt), Date() < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                if worker.isRunning, try !finished() {
                    kill(worker.processIdentifier, SIGKILL)
                    let total = try queue.scalarInt(
                        "SELECT count(*) FROM plan_steps WHERE job_id = ? AND kind IN ('create', 'update', 'contacts')", [job]) ?? 0
                    killAt = try done() + max(1, total / 4)
                }
                await MISLinkBinary.exit(of: worker)
            }
            let last = try await MISLinkBinary.run(["worker", "--drain"], in: dir)  // the follow-up jobs (leavers)
            #expect(last.status == 0, "\(last.stderr)")
            let lastError = try queue.scalarString("SELECT last_error FROM jobs WHERE id = ?", [job]) ?? ""
            #expect(try state() == "succeeded", "\(lastError)")
        }

        /// The target's people by target id, each as its data fields (not the recycle-bin flag or times).
        private func targetRows(_ path: String) throws -> [String: String] {
            // The directory plugin's own file: read it as it is (no WAL switch, never created).
            let library = try Connection(path: path, configuration: ConnectionConfiguration(walMode: false, createIfMissing: false))
            let rows = try library.query(
                """
                SELECT target_id, role || '|' || coalesce(mis_id, '') || '|' || coalesce(upn, '') || '|' || legal_forename || '|'
                    || legal_surname || '|' || coalesce(address, '') || '|' || coalesce(postcode, '') || '|'
                    || coalesce(reg_group, '') || '|' || coalesce(year_group, '') || '|' || coalesce(email, '') || '|'
                    || coalesce(mobile, '') || '|' || coalesce(post, '') || '|' || coalesce(ni_number, '') || '|'
                    || coalesce(status, '') || '|' || coalesce(end_date, '') || '|' || coalesce(preferred_forename, '') || '|'
                    || coalesce(preferred_surname, '')
                FROM people
                """
            ) { ($0.string(0), $0.string(1)) }
            return Dictionary(rows) { first, _ in first }
        }

        private func importRow(job: Int64, queue: Connection) throws -> (added: Int, updated: Int, matched: Int) {
            let rows = try queue.query("SELECT added, updated, matched FROM imports WHERE job_id = ?", [job]) {
                ($0.int(0), $0.int(1), $0.int(2))
            }
            #expect(rows.count == 1, "one history row per job")
            return try #require(rows.first)
        }

        /// Target rows = distinct MIS ids = links.
        private func expectOneRecordEach(_ rows: [String: String], queue: Connection) throws {
            let misIDs = rows.values.map { $0.split(separator: "|", omittingEmptySubsequences: false)[1] }
            #expect(Set(misIDs).count == rows.count, "no MIS id twice in the target")
            #expect(try queue.scalarInt("SELECT count(*) FROM links WHERE integration = 'oak'") == Int64(rows.count))
        }
    }
}
