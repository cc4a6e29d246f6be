import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import MISLinkTestSupport
import Testing

/// The sync store on both back ends: the same school's initial upload and nightly import, through
/// the real worker and handlers, with the queue and the sync tables on SQLite or on PostgreSQL.
@Suite(.timeLimit(.minutes(5))) struct SyncBackendTests {
    enum Backend: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres
        static var available: [Backend] { TestPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite] }
        var testDescription: String { rawValue }
    }

    private func withSchool(_ backend: Backend, _ body: (SyncFixture) async throws -> Void) async throws {
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
        try await withSchool(backend) { school in
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
            #expect(try school.report(of: again).unchanged >= 12)
        }
    }

    @Test("schedulers ticking at once, as on workers on many hosts, enqueue an integration's nightly import once a local day, on each back end", arguments: Backend.available)
    func nightlyOncePerDay(backend: Backend) async throws {
        try await withSchool(backend) { school in
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
        try await withSchool(backend) { school in
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
