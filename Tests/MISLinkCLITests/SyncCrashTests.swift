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
                var school = try await wizardThenGoLive(seed: 11, dir: dir, uploadToo: false)
                let queue = try Connection(path: dir + "/mislink.sqlite")
                let upload = try #require(try queue.scalarInt("SELECT max(id) FROM jobs WHERE kind = 'initial-upload'"))
                try await runKillingWorkers(job: upload, queue: queue, dir: dir)
                let uploaded = try targetRows(library)
                let uploadRow = try importRow(job: upload, queue: queue)
                #expect(uploadRow.added == uploaded.count)
                #expect(uploadRow.matched == 0)
                try expectOneRecordEach(uploaded, queue: queue)

                // The next night: 500 families moved, 200 pupils joined.
                try nextNight(&school, mis: mis)
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

        @Test("a reviewed plan's apply killed at random moments and resumed: the target holds exactly the plan's result, no step twice")
        func killedPlanApply() async throws {
            try await withTemporaryDirectory { dir in
                let mis = dir + "/mis"
                let library = dir + "/library.sqlite"
                var school = try await wizardThenGoLive(seed: 12, dir: dir, uploadToo: true)
                let queue = try Connection(path: dir + "/mislink.sqlite")
                // The night's changes, planned for review: 500 families moved, 200 pupils joined.
                try nextNight(&school, mis: mis)
                let planned = try await MISLinkBinary.run(["enqueue", "nightly-import", "--integration", "oak", "--plan-only"], in: dir)
                let plan = try #require(Int64(planned.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(planned.stderr)")
                #expect(try await MISLinkBinary.run(["worker", "--drain"], in: dir).status == 0)
                let before = try targetRows(library)
                // After the plan: one more joiner, not the plan's, so never written by its apply.
                var late = school.pupils[1]
                late.details.misID = "LATE1"
                late.upn = nil
                school.pupils.append(late)
                try school.writeCSV(to: URL(fileURLWithPath: mis))

                let applying = try await MISLinkBinary.run(["plan", "apply", String(plan)], in: dir)
                let job = try #require(Int64(applying.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(applying.stderr)")
                try await runKillingWorkers(job: job, plan: plan, queue: queue, dir: dir)

                // Exactly the plan's result: each planned update's fields and each planned create, once;
                // every other record as it was.
                let after = try targetRows(library)
                let updates = try queue.query(
                    "SELECT target_id, after FROM plan_steps WHERE job_id = ? AND kind = 'update'", [plan]) { ($0.string(0), $0.string(1)) }
                let creates = Set(try queue.query("SELECT mis_id FROM plan_steps WHERE job_id = ? AND kind = 'create'", [plan]) { $0.string(0) })
                // (A few joiners copy a pupil closely enough to go to intake instead.)
                #expect(updates.count >= 400 && creates.count >= 190, "\(updates.count) updates, \(creates.count) creates")
                #expect(!after.values.contains { $0.contains("|LATE1|") }, "the joiner after the plan is not the plan's")
                for (targetID, fields) in updates {
                    let address = try #require(
                        (try JSONSerialization.jsonObject(with: Data(fields.utf8)) as? [String: String])?["address"], "an update's address")
                    #expect(after[targetID]?.contains("|\(address)|") == true, "\(targetID)")
                }
                let added = Set(after.keys).subtracting(before.keys)
                #expect(Set(added.compactMap { after[$0]?.split(separator: "|", omittingEmptySubsequences: false)[1] }.map(String.init)) == creates)
                let touched = Set(updates.map(\.0))
                for (targetID, row) in before where !touched.contains(targetID) { #expect(after[targetID] == row, "\(targetID)") }
                try expectOneRecordEach(after, queue: queue)
                #expect(try importRow(job: plan, queue: queue).added == creates.count)
                #expect(try queue.scalarString("SELECT status FROM import_plans WHERE job_id = ?", [plan]) == "completed")
            }
        }

        /// A 3,300-person school (csv → directory, new records created) whose wizard has run and whose
        /// initial upload is queued (and run too, when `uploadToo`). Rescued attempts count: the
        /// imports' policies allow plenty, so that no kill makes one fail for good.
        private func wizardThenGoLive(seed: UInt64, dir: String, uploadToo: Bool) async throws -> DemoSchool {
            let mis = dir + "/mis"
            try FileManager.default.createDirectory(atPath: dir + "/jobs", withIntermediateDirectories: true)
            for kind in ["initial-upload", "nightly-import"] {
                try #"{"maxAttempts": 60}"#.write(toFile: dir + "/jobs/\(kind).json", atomically: true, encoding: .utf8)
            }
            let school = DemoSchool.generate(seed: seed, pupils: 3_000, staff: 300)
            try school.writeCSV(to: URL(fileURLWithPath: mis))
            for arguments in [
                ["integration", "add", "oak", "--connector", "csv", "--target", "directory", "--config", "dir=\(mis)",
                 "--config", "db=\(dir)/library.sqlite"],
                ["integration", "set", "oak", "new-records=create"],
                ["enqueue", "rerun-wizard", "--integration", "oak"],
                ["worker", "--drain"],
                ["integration", "go-live", "oak"],
            ] + (uploadToo ? [["worker", "--drain"]] : []) {
                let result = try await MISLinkBinary.run(arguments, in: dir)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
            }
            return school
        }

        /// The next night's export: 500 families moved, 200 pupils joined.
        private func nextNight(_ school: inout DemoSchool, mis: String) throws {
            for index in stride(from: 0, to: 3_000, by: 6) { school.pupils[index].details.address = "\(index) Moved Road" }
            for n in 0..<200 {
                var joiner = school.pupils[n * 7]
                joiner.details.misID = "JOIN\(n)"
                joiner.upn = nil
                joiner.details.name = PersonName(legalForename: "Joiner\(n)", legalSurname: "Newfamily")
                school.pupils.append(joiner)
            }
            try school.writeCSV(to: URL(fileURLWithPath: mis))
        }

        /// Starts `worker --drain` again and again until the job has finished, killing each worker once
        /// the job has made more progress: its plan stored (or, applying a reviewed `plan`, taken on),
        /// then each further quarter of its writes done.
        private func runKillingWorkers(job: Int64, plan: Int64? = nil, queue: Connection, dir: String) async throws {
            let planID = plan ?? job
            func state() throws -> String? { try queue.scalarString("SELECT state FROM jobs WHERE id = ?", [job]) }
            func finished() throws -> Bool { try ["succeeded", "failed", "cancelled"].contains(state() ?? "") }
            func planned() throws -> Bool {
                try queue.scalarInt(
                    "SELECT count(*) FROM import_plans WHERE job_id = ? AND status IN ('applying', 'completed')", [planID]) == 1
            }
            func done() throws -> Int64 {
                try queue.scalarInt("SELECT count(*) FROM plan_steps WHERE job_id = ? AND status = 'done'", [planID]) ?? 0
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
                        "SELECT count(*) FROM plan_steps WHERE job_id = ? AND kind IN ('create', 'update', 'contacts')", [planID]) ?? 0
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
