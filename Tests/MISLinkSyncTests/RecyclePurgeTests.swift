import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import MISLinkTestSupport
import Testing

/// Issue 11, part 4b: `recycle-purge-after` deletes records that have sat in the target's recycle
/// bin that long, through `Target.delete`, and lists them in the import report.
@Suite(.timeLimit(.minutes(5))) struct RecyclePurgeTests {
    private let others = (10..<20).map { student("M\($0)", "Kid", "Number\($0)") }
    private static let start = CalendarDate(year: 2026, month: 11, day: 27)!

    /// The school's today `n` days after the first night.
    private func day(_ n: Int) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let first = calendar.date(from: DateComponents(year: 2026, month: 11, day: 27, hour: 12))!
        return CalendarDate.local(calendar.date(byAdding: .day, value: n, to: first)!, in: calendar.timeZone)
    }

    /// Amy, Ben, Cat and Dan (and ten others) created on the first night, with `recycle-purge-after=270d`
    /// and (unless `fullEvery` says otherwise) every import a full read of the MIS.
    private func school(_ school: SyncFixture, fullEvery: String = "1") async throws {
        try school.writeExport(
            students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe"), student("M4", "Dan", "Ode")]
                + others)
        try school.addIntegration {
            $0.settings.newRecords = .create
            $0.settings.massLeaverThreshold = 0.5
            try $0.settings.set("recycle-purge-after", "270d")
            try $0.settings.set("full-import-every", fullEvery)
        }
        let first = try await school.run(JobKinds.nightlyImport, on: day(0))
        #expect(first.state == .succeeded, "\(first.lastError ?? "")")
    }

    /// Ben and Cat leave on the first day: their moves to the recycle bin run that night.
    private func benAndCatLeave(_ school: SyncFixture) async throws {
        try school.writeExport(
            students: [
                student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                student("M3", "Cat", "Roe", end: "2026-11-01", status: "inactive"), student("M4", "Dan", "Ode"),
            ] + others)
        _ = try await school.run(JobKinds.nightlyImport, on: day(0))
    }

    private func targetID(_ school: SyncFixture, _ misID: String) async throws -> String {
        try #require(try await school.person(misID: misID)).targetID
    }

    @Test("a record MISLink moved to the recycle bin 269 days ago stays, at 271 days it is deleted with its link, and a restored one starts again", arguments: SyncBackendTests.Backend.available)
    func purgeAfterTheAgeSet(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            try await self.school(school)
            let ben = try await targetID(school, "M2")
            let dan = try await targetID(school, "M4")
            // Ben and Dan leave: their moves run that night, and the day each went in is kept.
            try school.writeExport(
                students: [
                    student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive"),
                    student("M3", "Cat", "Roe"), student("M4", "Dan", "Ode", end: "2026-11-01", status: "inactive"),
                ] + others)
            _ = try await school.run(JobKinds.nightlyImport, on: day(0))
            #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
            var bin = try school.store.recycleBin(integration: "oak")
            #expect(bin[ben] == RecycleBinEntry(targetID: ben, role: .pupil, misID: "M2", since: day(0), origin: .moved))
            #expect(bin[dan]?.since == day(0))

            // Dan is restored in the target on day 100: that import forgets his date, and (still a
            // leaver) moves him again, so his time in the bin starts again from day 100.
            try await school.library.restoreFromRecycleBin(targetID: dan)
            _ = try await school.run(JobKinds.nightlyImport, on: day(100))
            bin = try school.store.recycleBin(integration: "oak")
            #expect(bin[dan]?.since == day(100))
            #expect(try await school.person(misID: "M4")?.inRecycleBin == true)

            let early = try await school.run(JobKinds.nightlyImport, on: day(269))
            #expect(early.state == .succeeded, "\(early.lastError ?? "")")
            #expect(try school.report(of: early).purged == nil)
            #expect(try await school.person(misID: "M2") != nil)

            let due = try await school.run(JobKinds.nightlyImport, on: day(271))
            #expect(due.state == .succeeded, "\(due.lastError ?? "")")
            let report = try school.report(of: due)
            #expect(report.purged == [PurgedRecord(role: .pupil, misID: "M2", targetID: ben, days: 271)])
            #expect(!report.warnings.contains { $0.contains("Ben") }, "names stay out: \(report.warnings)")
            #expect(try await school.person(misID: "M2") == nil)
            #expect(try await school.person(misID: "M4")?.inRecycleBin == true)
            #expect(try school.store.linkedTargetID(integration: "oak", role: .pupil, misID: "M2") == nil)
            #expect(try school.store.linkedTargetID(integration: "oak", role: .pupil, misID: "M4") == dan)
            #expect(Set(try school.store.recycleBin(integration: "oak").keys) == [dan])
            let steps = try school.store.planSteps(jobID: due.id).filter { $0.kind == .purge }
            #expect(steps.map(\.targetID) == [ben] && steps.allSatisfy { $0.status == .done })

            // The next night Ben, still a leaver in the MIS, is not created again, and nobody else is due.
            let next = try await school.run(JobKinds.nightlyImport, on: day(272))
            #expect(try school.report(of: next).purged == nil)
            #expect(try school.report(of: next).added == 0)
            #expect(try await school.person(misID: "M2") == nil)
            // Dan's 270 days from his second move are up on day 370.
            let later = try await school.run(JobKinds.nightlyImport, on: day(370))
            #expect(try school.report(of: later).purged?.map(\.misID) == ["M4"])
        }
    }

    @Test("a record found in the recycle bin that MISLink did not move is dated from the import that first saw it; one still active in the MIS is kept, with a warning")
    func recordsFoundInTheBin() async throws {
        let school = try SyncFixture()
        try await self.school(school)
        let cat = try await targetID(school, "M3")
        let amy = try await targetID(school, "M1")
        // Someone moves Cat (who has left) and Amy (who has not) to the bin in the target itself.
        try school.writeExport(
            students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe", end: "2026-11-01", status: "inactive"),
                       student("M4", "Dan", "Ode")] + others)
        try await school.library.moveToRecycleBin(targetID: cat)
        try await school.library.moveToRecycleBin(targetID: amy)
        let seen = try await school.run(JobKinds.nightlyImport, on: day(10))
        #expect(seen.state == .succeeded, "\(seen.lastError ?? "")")
        let bin = try school.store.recycleBin(integration: "oak")
        #expect(bin[cat] == RecycleBinEntry(targetID: cat, role: .pupil, misID: "M3", since: day(10), origin: .seen))
        #expect(bin[amy]?.origin == .seen)
        // A later sighting keeps the first date.
        _ = try await school.run(JobKinds.nightlyImport, on: day(20))
        #expect(try school.store.recycleBin(integration: "oak")[cat]?.since == day(10))

        #expect(try school.report(of: try await school.run(JobKinds.nightlyImport, on: day(279))).purged == nil)
        let due = try await school.run(JobKinds.nightlyImport, on: day(280))
        let report = try school.report(of: due)
        #expect(report.purged == [PurgedRecord(role: .pupil, misID: "M3", targetID: cat, days: 270)])
        #expect(report.warnings.contains { $0.hasPrefix("pupil M1 has sat in the recycle bin 270 days but is active in the MIS") }, "\(report.warnings)")
        #expect(try await school.person(misID: "M3") == nil)
        #expect(try await school.person(misID: "M1")?.inRecycleBin == true)
    }

    @Test("a target that cannot delete gets one warning in the report, and nothing else changes")
    func targetWithoutDelete() async throws {
        let school = try SyncFixture(target: UndeletingDirectoryPlugin())
        try await self.school(school)
        let ben = try await targetID(school, "M2")
        let cat = try await targetID(school, "M3")
        try await benAndCatLeave(school)
        let due = try await school.run(JobKinds.nightlyImport, on: day(300))
        #expect(due.state == .succeeded, "\(due.lastError ?? "")")
        let report = try school.report(of: due)
        let warnings = report.warnings.filter { $0.contains("recycle-purge-after") }
        #expect(warnings == ["recycle-purge-after=270d: 2 records sat in the recycle bin that long, but target 'directory' cannot delete records (it has no delete, kit 1.5); nothing was deleted"])
        #expect(report.purged == nil)
        #expect(try school.store.planSteps(jobID: due.id).allSatisfy { $0.kind != .purge })
        #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
        #expect(try school.store.linkedTargetID(integration: "oak", role: .pupil, misID: "M2") == ben)
        #expect(Set(try school.store.recycleBin(integration: "oak").keys) == [ben, cat])
    }

    @Test("a delta import leaves a due record to the next full import, which alone can tell who is still active in the MIS")
    func deltaWaitsForAFullRead() async throws {
        let school = try SyncFixture()
        try await self.school(school, fullEvery: "3")
        let ben = try await targetID(school, "M2")
        try await benAndCatLeave(school)  // the second import: a delta
        let delta = try await school.run(JobKinds.nightlyImport, on: day(300))
        #expect(try school.report(of: delta).delta == true)
        #expect(try school.report(of: delta).purged == nil)
        #expect(try await school.person(misID: "M2")?.inRecycleBin == true)
        let full = try await school.run(JobKinds.nightlyImport, on: day(301))
        #expect(try school.report(of: full).delta == nil)
        #expect(try school.report(of: full).purged?.map(\.targetID).first == ben)
        #expect(try await school.person(misID: "M2") == nil)
    }

    @Test("staff are purged only while the import reads staff: with staff sync off a due member of staff waits")
    func staffWaitWhileStaffSyncIsOff() async throws {
        let school = try SyncFixture()
        let pupils = [student("M1", "Amy", "Lee")] + others
        try school.writeExport(students: pupils, staff: [staffRow("T1", "Jo", "Bloggs")])
        try school.addIntegration {
            $0.settings.newRecords = .create
            try $0.settings.set("recycle-purge-after", "270d")
            try $0.settings.set("full-import-every", "1")
        }
        _ = try await school.run(JobKinds.nightlyImport, on: day(0))
        let leaver = staffRow("T1", "Jo", "Bloggs").replacingOccurrences(of: ",2020-09-01,,active,", with: ",2020-09-01,2026-11-01,inactive,")
        try school.writeExport(students: pupils, staff: [leaver])
        _ = try await school.run(JobKinds.nightlyImport, on: day(0))
        #expect(try await school.person(misID: "T1")?.inRecycleBin == true)

        var integration = try school.integration()
        integration.staffSync = false
        try school.store.save(integration)
        #expect(try school.report(of: try await school.run(JobKinds.nightlyImport, on: day(271))).purged == nil)
        #expect(try await school.person(misID: "T1")?.inRecycleBin == true)
        integration.staffSync = true
        try school.store.save(integration)
        #expect(try school.report(of: try await school.run(JobKinds.nightlyImport, on: day(272))).purged?.map(\.misID) == ["T1"])
        #expect(try await school.person(misID: "T1") == nil)
    }

    @Test("a purge stopped after its first delete and run again deletes the rest, and the links of both go, once")
    func purgeResumes() async throws {
        let budget = WriteBudget()
        let school = try SyncFixture(writeBudget: budget)
        try await self.school(school)
        let ben = try await targetID(school, "M2")
        let cat = try await targetID(school, "M3")
        try await benAndCatLeave(school)
        budget.crash(after: 1)
        let crashed = try await school.run(JobKinds.nightlyImport, on: day(271))
        #expect(crashed.state == .failed)
        #expect(try await school.people().filter(\.inRecycleBin).map(\.targetID) == [cat])
        // Killed before its "done" marks committed: the re-run deletes Ben again, which is no error.
        budget.unlimited()
        try school.store.connection.run("UPDATE plan_steps SET status = 'planned' WHERE job_id = ?", [crashed.id])
        try school.store.setStatus("oak", .on, now: JobStore.now())
        try school.jobs.retry(id: crashed.id, extraAttempts: 1)
        try await school.drain(on: day(271))
        let job = try #require(try school.jobs.job(id: crashed.id))
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try school.report(of: job).purged?.map(\.targetID) == [ben, cat])
        #expect(try await school.people().filter(\.inRecycleBin).isEmpty)
        #expect(try school.store.links(integration: "oak").map(\.misID).sorted() == ["M1", "M10", "M11", "M12", "M13", "M14", "M15", "M16", "M17", "M18", "M19", "M4"])
        #expect(try school.store.recycleBin(integration: "oak").isEmpty)
        #expect(try school.store.imports(integration: "oak").filter { $0.jobID == crashed.id }.count == 1)
    }

    @Test("the recycle bin's dates on each back end: a sighting keeps the first date, a move dates afresh, and unlink needs the same target", arguments: SyncBackendTests.Backend.available)
    func storeOnEachBackEnd(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            try school.addIntegration()
            let store = try school.store
            func entry(_ since: CalendarDate, _ origin: RecycleBinEntry.Origin) -> RecycleBinEntry {
                RecycleBinEntry(targetID: "T1", role: .staff, misID: "S1", since: since, origin: origin)
            }
            try store.recordInRecycleBin(integration: "oak", entry(day(0), .seen))
            try store.recordInRecycleBin(integration: "oak", entry(day(5), .seen))
            #expect(try store.recycleBin(integration: "oak") == ["T1": entry(day(0), .seen)])
            try store.recordInRecycleBin(integration: "oak", entry(day(9), .moved))
            #expect(try store.recycleBin(integration: "oak") == ["T1": entry(day(9), .moved)])
            #expect(try store.forgetRecycleBinEntry(integration: "oak", targetID: "T1"))
            #expect(try !store.forgetRecycleBinEntry(integration: "oak", targetID: "T1"))
            #expect(try store.recycleBin(integration: "oak").isEmpty)

            try store.link(Link(integration: "oak", role: .staff, misID: "S1", targetID: "T1", origin: .integration, rule: "upn", createdAt: 0))
            #expect(try !store.unlink(integration: "oak", role: .staff, misID: "S1", targetID: "T2"))
            #expect(try store.unlink(integration: "oak", role: .staff, misID: "S1", targetID: "T1"))
            #expect(try store.linkedTargetID(integration: "oak", role: .staff, misID: "S1") == nil)
        }
    }

    @Test("recycle-purge-after takes 1d to 3650d (or a bare number); none, 0 and 0d turn it off")
    func setting() throws {
        var settings = IntegrationSettings()
        #expect(settings.recyclePurgeAfterDays == nil)
        try settings.set("recycle-purge-after", "270d")
        #expect(settings.recyclePurgeAfterDays == 270)
        try settings.set("recycle-purge-after", "30")
        #expect(settings.recyclePurgeAfterDays == 30)
        for off in ["none", "0", "0d"] {
            try settings.set("recycle-purge-after", "270d")
            try settings.set("recycle-purge-after", off)
            #expect(settings.recyclePurgeAfterDays == nil, "\(off)")
        }
        for bad in ["-1d", "3651d", "nine", "270w", ""] {
            let error = #expect(throws: SyncError.self) { try settings.set("recycle-purge-after", bad) }
            #expect(error?.message.contains("setting 'recycle-purge-after' must be days") == true, "\(error?.message ?? "")")
        }
        // Settings stored before the key existed read as off.
        let old = try JSONDecoder().decode(IntegrationSettings.self, from: Data(#"{"lawfulBasis":"consent","names":"legal","fields":[],"newRecords":"intake","nightlyAt":"02:00","timeZone":"Europe/London","massLeaverThreshold":0.1,"phase":"primary"}"#.utf8))
        #expect(old.recyclePurgeAfterDays == nil)
    }
}

/// The directory target seen as a kit 1.4 target: it cannot delete.
struct UndeletingDirectoryPlugin: TargetPlugin {
    private let inner = DirectoryTargetPlugin()

    var manifest: PluginManifest { inner.manifest }

    func makeTarget(config: PluginConfig) throws -> any Target { UndeletingTarget(inner: try inner.makeTarget(config: config)) }
}

struct UndeletingTarget: ForwardingTarget {
    let inner: any Target
}
