import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing
import WondeConnector

/// The Wonde connector end to end: the fixture school through the real handlers and worker into a
/// directory target (SyncFixture with Wonde as the MIS).
@Suite(.timeLimit(.minutes(10)))
struct WondeSyncTests {
    /// A SyncFixture whose integration "oak" reads the Wonde fixture (7 records a page, token from
    /// `env:WONDE_TOKEN`) and creates new records in the target.
    private func withSchool(
        students: Int = 30, knobs: [String: Any] = [:], config: [String: String] = [:],
        settings: (inout IntegrationSettings) -> Void = { _ in },
        _ body: (SyncFixture, WondeFixture) async throws -> Void
    ) async throws {
        try await withWondeFixture(students: students, knobs: knobs) { wonde in
            let fixture = try SyncFixture(
                environment: ["WONDE_TOKEN": WondeFixture.token], connector: WondeConnectorPlugin())
            let state = fixture.root.appendingPathComponent("wonde-state")
            try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
            try fixture.addIntegration(status: .pending, secrets: ["token": .environment("WONDE_TOKEN")]) {
                integration in
                integration.connector = "wonde"
                integration.config = wonde.values(
                    ["db": fixture.libraryPath, "state-dir": state.path, "per-page": "7", "writeback-wait": "0"]
                        .merging(config) { $1 })
                integration.settings.newRecords = .create
                settings(&integration.settings)
            }
            try await body(fixture, wonde)
        }
    }

    /// The queries of the pupils' page walks (students with education details), oldest first.
    private func studentPages(_ wonde: WondeFixture) async throws -> [[String: String]] {
        try await wonde.requests("GET", pathEnding: "/students").compactMap { $0["query"] as? [String: String] }
            .filter { $0["include"]?.contains("education_details") == true && $0["per_page"] != "1" }
    }

    /// Every page of every walk over the students list, whatever it includes.
    private func studentListPages(_ wonde: WondeFixture) async throws -> [[String: String]] {
        try await wonde.requests("GET", pathEnding: "/students").compactMap { $0["query"] as? [String: String] }
            .filter { $0["per_page"] != "1" }
    }

    /// The setup wizard, then the initial upload: On, with the school in the target.
    private func goLive(_ fixture: SyncFixture) async throws {
        let wizard = try await fixture.run(JobKinds.rerunWizard)
        try #require(wizard.state == .succeeded, "wizard: \(wizard.lastError ?? "")")
        let upload = try await fixture.run(JobKinds.initialUpload)
        try #require(upload.state == .succeeded, "upload: \(upload.lastError ?? "")")
        #expect(try fixture.integration().status == .on)
    }

    @Test(
        "the wizard and the initial upload bring the whole school in: pupils with UPN, year and registration group, staff, pre-admissions"
    )
    func initialUpload() async throws {
        try await withSchool { fixture, _ in
            try await goLive(fixture)
            let people = try await fixture.people()
            #expect(people.filter { $0.role == .pupil }.count == 30)
            #expect(people.filter { $0.role == .staff }.count == 5)
            #expect(people.filter { $0.role == .preAdmission }.count == 2)
            let pupil = try #require(try await fixture.person(misID: "5001"))
            #expect(pupil.upn?.count == 13)
            #expect(pupil.fields["year_group"] == "1")
            #expect(pupil.fields["reg_group"] == "1B")
            #expect(people.allSatisfy { !$0.inRecycleBin })
            // The leavers were read, and not created.
            #expect(try await fixture.person(misID: "5032") == nil)
        }
    }

    @Test("a nightly import reads a delta: a rename, a new pupil, and leavers from a deletion and from students-leaver")
    func nightlyDelta() async throws {
        try await withSchool { fixture, wonde in
            try await goLive(fixture)
            let added = try await wonde.apply([
                ["op": "rename", "mis_id": "5003", "surname": "Newname"],
                ["op": "add", "forename": "Nova", "surname": "Quinn"],
                ["op": "delete", "mis_id": "5004"], ["op": "leave", "mis_id": "5006"],
            ])[1]
            let nightly = try await fixture.run(JobKinds.nightlyImport)
            try #require(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
            let report = try fixture.report(of: nightly)
            #expect(report.delta == true)
            #expect(report.read == 4 + 0)  // the four changed records; nobody else was sent
            #expect(report.updated == 1 && report.added == 1 && report.leavers == 2)
            #expect(try await fixture.person(misID: "5003")?.name.legalSurname == "Newname")
            #expect(try await fixture.person(misID: added)?.name.legalForename == "Nova")
            // Leavers go to the recycle bin, and stay in the target: never a hard delete.
            #expect(try await fixture.person(misID: "5004")?.inRecycleBin == true)
            #expect(try await fixture.person(misID: "5006")?.inRecycleBin == true)
            #expect(try await fixture.people().filter { $0.role == .pupil }.count == 31)
            // The pupils' walk asked for changes only (the contacts' walk reads them whole).
            let pupilWalk = try await studentPages(wonde)
            #expect(pupilWalk.last?["updated_after"] != nil)
        }
    }

    @Test(
        "a record deleted and restored in Wonde: never a leaver when restored between imports, never re-created when restored later"
    )
    func restoredRecord() async throws {
        try await withSchool { fixture, wonde in
            try await goLive(fixture)
            try await wonde.apply([
                ["op": "delete", "mis_id": "5007"], ["op": "delete", "mis_id": "5008"],
                ["op": "restore", "mis_id": "5008"],
            ])
            let first = try await fixture.run(JobKinds.nightlyImport)
            try #require(first.state == .succeeded, "\(first.lastError ?? "")")
            #expect(try fixture.report(of: first).leavers == 1)
            #expect(try await fixture.person(misID: "5007")?.inRecycleBin == true)
            #expect(try await fixture.person(misID: "5008")?.inRecycleBin == false)
            try await wonde.apply([["op": "restore", "mis_id": "5007"]])
            let second = try await fixture.run(JobKinds.nightlyImport)
            try #require(second.state == .succeeded, "\(second.lastError ?? "")")
            let report = try fixture.report(of: second)
            #expect(report.added == 0 && report.leavers == 0)
            #expect(report.skippedReasons["in the target's recycle bin (restore it to sync it again)"] == 1)
            #expect(try await fixture.people().filter { $0.misID == "5007" }.count == 1)
        }
    }

    @Test(
        "an incomplete page walk fails the import before the target is touched",
        arguments: [
            #"{"fail_page": {"resource": "students", "page": 7, "status": 500}}"#,
            #"{"truncate_page": {"resource": "students", "page": 7}}"#,
            #"{"missing_page": {"resource": "students", "page": 7}}"#,
        ])
    func incompleteWalk(knobs: String) async throws {
        let knobs = try #require(try JSONSerialization.jsonObject(with: Data(knobs.utf8)) as? [String: Any])
        // 60 pupils at 7 a page: 9 pages. Every import is a full one here, so the walk is the whole school.
        try await withSchool(students: 60, settings: { $0.fullImportEvery = 1 }) { fixture, wonde in
            try await goLive(fixture)
            let before = try await fixture.people()
            try await wonde.apply([
                ["op": "rename", "mis_id": "5003", "surname": "Changed"], ["op": "delete", "mis_id": "5005"],
            ])
            try await wonde.set(knobs)
            // Whichever walk over the students reaches page 7 first (the contacts are read first) breaks there.
            let pagesBefore = try await studentListPages(wonde).count
            let nightly = try await fixture.run(JobKinds.nightlyImport)
            #expect(nightly.state == .failed)
            #expect(nightly.lastError?.contains("page 7") == true, "\(nightly.lastError ?? "")")
            #expect(try await fixture.people() == before)
            // Seven of the nine pages were asked for: the seventh broke the walk, and it went no further.
            #expect(try await studentListPages(wonde).count - pagesBefore == 7)
        }
    }

    @Test("write-back through the job: an accepted mark is posted once; a rejected one fails with Wonde's reason")
    func writeBack() async throws {
        try await withSchool(students: 6) { fixture, wonde in
            try await goLive(fixture)
            let payload =
                #"{"eventId": "late-1", "studentMisId": "5002", "date": "2026-11-27", "session": "AM", "code": "L", "minutesLate": 9}"#
            let job = try await fixture.run(JobKinds.writeBack, payload: payload)
            #expect(job.state == .succeeded, "\(job.lastError ?? "")")
            #expect(job.result?.contains("\"written\"") == true)
            let again = try await fixture.run(JobKinds.writeBack, payload: payload)
            #expect(again.result?.contains("already-written") == true)
            #expect(try await wonde.posts().count == 1)

            try await wonde.set(["writeback": "reject"])
            let rejected = try await fixture.run(
                JobKinds.writeBack,
                payload:
                    #"{"eventId": "late-2", "studentMisId": "5003", "date": "2026-11-27", "session": "PM", "code": "U", "minutesLate": 40}"#
            )
            #expect(rejected.state == .failed)
            #expect(
                rejected.lastError?.contains("could not write the mark for event late-2") == true,
                "\(rejected.lastError ?? "")")
        }
    }

    @Test("a pending writeback snoozes the write-back job, which resumes and never posts twice")
    func writeBackSnoozes() async throws {
        try await withSchool(students: 6, config: ["writeback-recheck": "0"]) { fixture, wonde in
            try await goLive(fixture)
            try await wonde.set(["writeback_polls": 3])
            let job = try await fixture.run(
                JobKinds.writeBack,
                payload:
                    #"{"eventId": "late-3", "studentMisId": "5001", "date": "2026-11-27", "session": "AM", "code": "L", "minutesLate": 3}"#
            )
            #expect(job.state == .succeeded, "\(job.lastError ?? "")")
            #expect(try await wonde.posts().count == 1)
            #expect(try await wonde.requests("GET", pathEnding: "/writebacks/W000001").count == 4)
        }
    }

    @Test("a 429 with Retry-After snoozes the import until then, without spending an attempt")
    func rateLimited() async throws {
        try await withSchool(students: 6) { fixture, wonde in
            try await goLive(fixture)
            try await wonde.set(["rate_limit": ["count": 1, "retry_after": "120"]])
            let started = JobStore.now()
            let nightly = try await fixture.run(JobKinds.nightlyImport)
            #expect(nightly.state == .scheduled)
            #expect(nightly.runAt >= started + 110_000)
            #expect(try fixture.integration().status == .on)
        }
    }

    @Test("a refused token (401) moves the integration to Error: credentials refused by Wonde")
    func unauthorised() async throws {
        try await withSchool(students: 6) { fixture, wonde in
            try await goLive(fixture)
            try await wonde.set(["unauthorized": true])
            let nightly = try await fixture.run(JobKinds.nightlyImport)
            #expect(nightly.state == .failed)
            let integration = try fixture.integration()
            #expect(integration.status == .error)
            #expect(
                integration.errorReason?.contains("credentials refused by Wonde") == true,
                "\(integration.errorReason ?? "")")
            #expect(integration.errorReason?.contains(WondeFixture.token) == false)
        }
    }

    @Test("full-import-every takes 1 to 366 imports, defaults to 7, and settings stored without it still read")
    func fullImportEverySetting() throws {
        var settings = IntegrationSettings()
        #expect(settings.fullImportInterval == 7)
        try settings.set("full-import-every", "3")
        #expect(settings.fullImportInterval == 3)
        for bad in ["0", "367", "weekly"] {
            #expect(throws: SyncError.self) { try settings.set("full-import-every", bad) }
        }
        let older = try JSONDecoder().decode(
            IntegrationSettings.self, from: JSONEncoder().encode(IntegrationSettings()))
        #expect(older.fullImportEvery == nil && older.fullImportInterval == 7)
    }

    @Test("every Nth nightly import reads the whole school instead of a delta (full-import-every)")
    func fullPullEveryNth() async throws {
        try await withSchool(students: 6, settings: { $0.fullImportEvery = 3 }) { fixture, _ in
            try await goLive(fixture)
            var deltas: [Bool] = []
            for _ in 0..<4 {
                let nightly = try await fixture.run(JobKinds.nightlyImport)
                try #require(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
                deltas.append(try fixture.report(of: nightly).delta == true)
            }
            // The upload was full; then two deltas, a full pull, a delta.
            #expect(deltas == [true, true, false, true])
        }
    }
}
