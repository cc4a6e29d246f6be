import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import MISLinkTestSupport
import PostgresDB
import Testing

/// The sync store on both back ends: the same school's initial upload and nightly import, through
/// the real worker and handlers, with the queue and the sync tables on SQLite or on PostgreSQL.
@Suite(.timeLimit(.minutes(5))) struct SyncBackendTests {
    enum Backend: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        static var available: [Backend] { TestPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
        var testDescription: String { rawValue }
    }

    /// A fresh school on `backend` (shared with the other suites that run on both).
    static func withSchool(_ backend: Backend, _ body: (SyncFixture) async throws -> Void) async throws {
        switch backend {
        case .sqlite:
            try await body(try SyncFixture())
        case .postgres:
            // With one of MISLink's own URL options, which the store's connections must keep from libpq as the worker's do.
            try await TestPostgres.withDatabase { url in
                try await body(try SyncFixture(postgres: url + (url.contains("?") ? "&" : "?") + "mislink_wakeups=poll"))
            }
        }
    }

    @Test("an initial upload and a nightly import keep links, history, intake, contacts and leavers alike on each back end", arguments: Backend.available)
    func uploadThenNightly(backend: Backend) async throws {
        try await Self.withSchool(backend) { school in
            // Ten more pupils, so that one leaver stays under the mass-leaver guard.
            let others = (10..<20).map { student("M\($0)", "Kid", "Number\($0)") }
            try school.writeExport(
                students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe")] + others,
                contacts: ["C1,M1,Mother,Ann,Lee,ann@example.org,07700900001,1,yes"])
            try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
            let upload = try await school.run(JobKinds.initialUpload)
            #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
            #expect(try school.report(of: upload).added == 13)
            #expect(try school.integration().status == .on)
            #expect(try school.store.links(integration: "oak").count == 13)
            #expect(try await school.person(misID: "M1")?.contacts.map(\.misID) == ["C1"])

            // Amy's address changes, Ben leaves, Dan arrives, and Ann's email changes.
            try school.writeExport(
                students: [
                    student("M1", "Amy", "Lee", address: "2 New Road"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                    student("M3", "Cat", "Roe"), student("M4", "Dan", "Ode"),
                ] + others,
                contacts: ["C1,M1,Mother,Ann,Lee,ann.new@example.org,07700900001,1,yes"])
            let nightly = try await school.run(JobKinds.nightlyImport)
            #expect(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
            let report = try school.report(of: nightly)
            #expect(report.updated == 1)
            #expect(report.added == 1)
            #expect(report.leavers == 1)
            #expect(report.contactsUpdated == 1)
            // The leaver's move ran as a follow-up job, enqueued in the nightly's completion transaction.
            #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
            #expect(try await school.person(misID: "M1")?.contacts.first?.email == "ann.new@example.org")
            let store = try school.store
            #expect(try store.links(integration: "oak").count == 14)
            #expect(try store.imports(integration: "oak").map(\.kind).sorted() == [JobKinds.initialUpload, JobKinds.nightlyImport])
            // The nightly asked for changes since the upload (a delta), the upload read everything.
            #expect(try store.deltaImportsSinceFullPull(integration: "oak", upTo: 7) == 1)
            // What was sent is what the next plan compares with: a rerun finds nothing to do.
            let again = try await school.run(JobKinds.nightlyImport)
            #expect(try school.report(of: again).updated == 0)
            #expect(try school.report(of: again).unchanged == 13)  // all but the leaver, who is in the recycle bin
        }
    }

    @Test("schedulers ticking at once, as on workers on many hosts, enqueue an integration's nightly import once a local day, on each back end", arguments: Backend.available)
    func nightlyOncePerDay(backend: Backend) async throws {
        try await Self.withSchool(backend) { school in
            try school.writeExport(students: [student("M1", "Amy", "Lee")])
            try school.addIntegration(status: .on) { $0.settings.nightlyAt = "02:00"; $0.settings.timeZone = "Europe/London" }
            let environment = school.environment
            let night = Date(timeIntervalSince1970: 1_795_744_800)  // 2026-11-27 02:00 in London
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask { try NightlyScheduler(environment: environment).tick(now: night).count }
                }
                return try await group.reduce(0, +)
            }
            #expect(counts == 1)
            let page = try school.queue.jobPage(matching: JobFilter(kind: JobKinds.nightlyImport))
            #expect(page.jobs.count == 1)
            // The next tick that day finds it done; the next day's is due again.
            #expect(try NightlyScheduler(environment: environment).tick(now: night.addingTimeInterval(3_600)).isEmpty)
            #expect(try NightlyScheduler(environment: environment).tick(now: night.addingTimeInterval(86_400)).count == 1)
        }
    }

    @Test("a job that fails for good moves its integration to Error in the same transaction, on each back end", arguments: Backend.available)
    func finalFailureSetsError(backend: Backend) async throws {
        try await Self.withSchool(backend) { school in
            try school.writeExport(students: [student("M1", "Amy", "Lee")])
            try school.addIntegration(status: .on)
            try FileManager.default.removeItem(at: school.mis.appendingPathComponent("students.csv"))
            let failed = try await school.run(JobKinds.nightlyImport)
            #expect(failed.state == .failed)
            let integration = try school.integration()
            #expect(integration.status == .error)
            #expect(integration.errorReason?.contains("students.csv") == true)
        }
    }
}

extension SyncBackendTests {
    @Test("what was sent is read back the same by look-ups and, past 256 keys, by one pass over the links, on each back end", arguments: Backend.available)
    func sentTextsByEitherPath(backend: Backend) async throws {
        try await Self.withSchool(backend) { school in
            try school.addIntegration(status: .on)
            let store = try school.store
            try store.connection.transaction {
                for n in 0..<300 {
                    try store.link(
                        Link(integration: "oak", role: .pupil, misID: "M\(n)", targetID: "T\(n)", origin: .integration, rule: "mis-id",
                             createdAt: 0, sent: ["mis_id": "M\(n)", "legal_surname": "Number\(n)"]))
                }
            }
            let few = try store.sentTexts(integration: "oak", keys: ["pupil:M7", "pupil:M299", "pupil:NOPE", "staff:M7"])
            #expect(few == ["pupil:M7": "legal_surname=Number7\nmis_id=M7", "pupil:M299": "legal_surname=Number299\nmis_id=M299"])
            let keys = (0..<300).map { "pupil:M\($0)" } + ["pupil:NOPE"]
            let many = try store.sentTexts(integration: "oak", keys: keys)
            #expect(many.count == 300)
            #expect(many["pupil:M7"] == few["pupil:M7"])
            #expect(many["pupil:M123"] == "legal_surname=Number123\nmis_id=M123")
        }
    }
}

extension SyncBackendTests {
    /// The race the schedulers of two hosts can run on PostgreSQL (SQLite's writers take turns):
    /// one has written the day's row but not committed; the other, finding no row yet, enqueues,
    /// waits on that row, and must roll its job back once the first commits.
    @Test("a scheduler that loses the day's row to another host's uncommitted one rolls its own job back (PostgreSQL)", .enabled(if: TestPostgres.isAvailable))
    func losingSchedulerRollsBack() async throws {
        try await TestPostgres.withDatabase { url in
            let school = try SyncFixture(postgres: url)
            try school.writeExport(students: [student("M1", "Amy", "Lee")])
            try school.addIntegration(status: .on) { $0.settings.nightlyAt = "02:00"; $0.settings.timeZone = "Europe/London" }
            let night = Date(timeIntervalSince1970: 1_795_744_800)  // 2026-11-27 02:00 in London
            let other = try PostgresConnection(url: url)
            try other.execute("BEGIN")
            try other.execute("INSERT INTO nightly_runs(integration, local_date, job_id) VALUES ('oak', '2026-11-27', 0)")
            let environment = school.environment
            let tick = Task { try NightlyScheduler(environment: environment).tick(now: night) }
            // Commit once the tick waits on the row (a lock wait on the server), not after a guessed time.
            let probe = try PostgresConnection(url: url)
            let deadline = Date().addingTimeInterval(60)
            while try probe.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
                .rows[0].int64(0) == 0
            {
                guard Date() < deadline else { Issue.record("the tick never waited on the row"); break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try other.execute("COMMIT")
            #expect(try await tick.value.isEmpty)
            #expect(try school.queue.jobPage(matching: JobFilter(kind: JobKinds.nightlyImport)).jobs.isEmpty)
        }
    }
}
