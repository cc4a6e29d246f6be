import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// Issue 11, part 5: quiet periods, when no nightly import is scheduled.
@Suite struct QuietPeriodTests {
    @Test("quiet= takes dates and ranges (sorted, ends included) and none; anything else is refused naming the setting")
    func parse() throws {
        var settings = IntegrationSettings()
        try settings.set("quiet", "2027-12-25, 2027-07-22..2027-09-01")
        #expect(settings.quietPeriods.map(\.description) == ["2027-07-22..2027-09-01", "2027-12-25"])
        #expect(settings.isQuiet(on: CalendarDate(iso: "2027-07-22")!))
        #expect(settings.isQuiet(on: CalendarDate(iso: "2027-09-01")!))
        #expect(!settings.isQuiet(on: CalendarDate(iso: "2027-09-02")!))
        #expect(!settings.isQuiet(on: CalendarDate(iso: "2027-07-21")!))
        for bad in ["2027-09-01..2027-07-22", "2027-02-30", "2027-07-22...2027-09-01", "2027-07-22..", "summer", "2027-07-22,,2027-12-25"] {
            let error = try #require(throws: SyncError.self) { try settings.set("quiet", bad) }
            #expect(error.code == .invalidInput)
            #expect(error.message.contains("setting 'quiet' must be"), "\(error.message)")
        }
        #expect(settings.quietPeriods.count == 2, "a refused value changes nothing")
        try settings.set("quiet", "none")
        #expect(settings.quietPeriods.isEmpty)
        // Settings stored before quiet periods existed still read, with none.
        let old = try JSONDecoder().decode(IntegrationSettings.self, from: Data(#"{"lawfulBasis":"consent","names":"legal","fields":[],"newRecords":"intake","nightlyAt":"02:00","timeZone":"Europe/London","massLeaverThreshold":0.1,"phase":"primary"}"#.utf8))
        #expect(old.quietPeriods.isEmpty)
    }

    @Test("the scheduler skips a quiet day and runs the day after; an import enqueued on demand still runs on a quiet day")
    func quietDaySkipped() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration("oak") {
            $0.settings.newRecords = .create
            $0.settings.nightlyAt = "02:00"
            $0.settings.timeZone = "Europe/London"
            try $0.settings.set("quiet", "2026-11-27..2026-11-28")
        }
        let scheduler = NightlyScheduler(environment: school.environment)
        let friday = Date(timeIntervalSince1970: 1_795_744_800)  // 02:00 London on 27 November 2026
        #expect(try scheduler.tick(now: friday).isEmpty)
        #expect(try scheduler.tick(now: friday.addingTimeInterval(86_400)).isEmpty, "28 November is quiet too")
        #expect(try scheduler.tick(now: friday.addingTimeInterval(2 * 86_400)).map(\.integration) == ["oak"], "29 November is not")
        // On demand: the quiet period is the scheduler's, not the queue's.
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try await school.person(misID: "M1") != nil)
    }
}
