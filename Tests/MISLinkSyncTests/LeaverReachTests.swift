import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// Defect 4's review of every payload: a leaver job moves only the record its integration linked to
/// that MIS person, whatever target id its payload names.
@Suite struct LeaverReachTests {
    @Test("a leaver job naming someone else's target record is refused and moves nobody; the integration stays On")
    func wrongTargetRefused() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        let ben = try require(try await school.person(misID: "M2"), "M2 in the target")
        let job = try await school.run(
            "leaver-to-recycle-bin", payload: #"{"role": "pupil", "misID": "M1", "targetID": "\#(ben.targetID)"}"#)
        #expect(job.state == .failed)
        #expect(job.lastError?.contains("is not linked to target record \(ben.targetID)") == true)
        #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
        #expect(try school.integration().status == .on)
    }

    @Test("a leaver job for the linked record moves it")
    func linkedRecordMoves() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration { $0.settings.newRecords = .create }
        _ = try await school.run("nightly-import")
        let amy = try require(try await school.person(misID: "M1"), "M1 in the target")
        let job = try await school.run(
            "leaver-to-recycle-bin", payload: #"{"role": "pupil", "misID": "M1", "targetID": "\#(amy.targetID)"}"#)
        #expect(job.state == .succeeded)
        #expect(try await school.person(misID: "M1")?.inRecycleBin == true)
    }
}
