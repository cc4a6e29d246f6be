import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// Kit 1.3: a target that keeps less than the record is compared with what it keeps, and a create
/// it refuses sends that person to intake while the import goes on.
@Suite struct TargetShapeTests {
    @Test("fields the target never keeps are neither nightly updates nor edits made in the target")
    func storedForm() async throws {
        let school = try SyncFixture(target: ReshapingDirectoryPlugin())
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        try school.addIntegration { $0.settings.newRecords = .create }
        #expect(try await school.run(JobKinds.nightlyImport).state == .succeeded)
        for _ in 1...2 {
            let report = try school.report(of: try await school.run(JobKinds.nightlyImport))
            #expect(report.updated == 0)
            #expect(report.targetEdits == 0)
            #expect(report.unchanged == 2)
        }
        // A new date of birth is nothing to this target; a new surname is.
        try school.writeExport(students: [student("M1", "Amy", "Lee", dob: "2018-04-01"), student("M2", "Ben", "Ngo")])
        let report = try school.report(of: try await school.run(JobKinds.nightlyImport))
        #expect(report.updated == 1)
        #expect(report.targetEdits == 0)
        #expect(try await school.person(misID: "M2")?.name.legalSurname == "Ngo")
    }

    @Test("a create the target refuses sends the person to intake with its reason; the rest are created")
    func refusedCreate() async throws {
        let school = try SyncFixture(target: ReshapingDirectoryPlugin(refused: ["M2"]))
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng"), student("M3", "Cat", "Roe")])
        try school.addIntegration { $0.settings.newRecords = .create }
        let job = try await school.run(JobKinds.nightlyImport)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let report = try school.report(of: job)
        #expect(report.added == 2)
        #expect(report.toIntake == 1)
        #expect(report.intakeReasons == ["refused by the target": 1])
        #expect(report.matchedBy["created"] == 2)
        #expect(try await school.people().compactMap(\.misID).sorted() == ["M1", "M3"])
        let intake = try school.store.intake(integration: "oak")
        #expect(intake.map(\.misID) == ["M2"])
        #expect(intake.first?.reason == "the login ben@oak.example is held by another user")
        #expect(try school.integration().status == .on)
    }
}
