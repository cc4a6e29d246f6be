import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// The mass-leaver guard (`all.recycle`) at its edges: an import that would empty the target, the
/// threshold itself (not tripped) and one leaver more (tripped), and the override. A tripped guard
/// holds the import as a plan for an admin; the job succeeds and nothing is written.
@Suite struct MassLeaverGuardTests {
    /// A school of `size` pupils imported once; then `leaving` of them get an end date before today.
    private func school(size: Int, leaving: Int, threshold: Double? = nil) async throws -> SyncFixture {
        let school = try SyncFixture()
        try school.writeExport(students: (1...size).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration {
            $0.settings.newRecords = .create
            if let threshold { $0.settings.massLeaverThreshold = threshold }
        }
        let first = try await school.run("nightly-import")
        #expect(first.state == .succeeded)
        #expect(try await school.people().count == size)
        try school.writeExport(students: (1...size).map {
            $0 <= leaving
                ? student("M\($0)", "Kid\($0)", "Roe", end: "2026-11-01", status: "inactive")
                : student("M\($0)", "Kid\($0)", "Roe")
        })
        return school
    }

    @Test("trips when every record would leave, the case of an export that empties the target")
    func everyoneLeaves() async throws {
        let school = try await school(size: 10, leaving: 10)
        let stopped = try await school.run("nightly-import")
        #expect(stopped.state == .succeeded, "\(stopped.lastError ?? "")")
        #expect(stopped.result?.contains(#""state":"held""#) == true, "\(stopped.result ?? "")")
        #expect(stopped.result?.contains("mass-leaver guard (all.recycle): 10 of 10 current records would move to the recycle bin (100%), over the limit 10%") == true, "\(stopped.result ?? "")")
        #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
        #expect(try school.jobs.jobs(matching: JobFilter(kind: "leaver-to-recycle-bin")).isEmpty)
        #expect(try school.integration().status == .on)
    }

    @Test(
        "does not trip at the threshold and trips one leaver above it",
        arguments: [
            // (pupils, leaving, threshold or nil for the default 10%, trips)
            (10, 1, nil, false), (10, 2, nil, true), (20, 5, 0.25, false), (20, 6, 0.25, true),
        ] as [(Int, Int, Double?, Bool)])
    func boundary(size: Int, leaving: Int, threshold: Double?, trips: Bool) async throws {
        let school = try await school(size: size, leaving: leaving, threshold: threshold)
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        if trips {
            #expect(job.result?.contains("mass-leaver guard (all.recycle): \(leaving) of \(size) current records would move") == true, "\(job.result ?? "")")
            #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
        } else {
            #expect(try school.report(of: job).leavers == leaving)
            #expect(try await school.people().filter(\.inRecycleBin).count == leaving)
        }
    }

    @Test("allowMassLeavers (--allow-mass-leavers) lets an import through that would empty the target")
    func allowed() async throws {
        let school = try await school(size: 10, leaving: 10)
        let stopped = try await school.run("nightly-import")
        #expect(stopped.result?.contains(#""state":"held""#) == true)
        let allowed = try await school.run("nightly-import", payload: #"{"allowMassLeavers": true}"#)
        #expect(allowed.state == .succeeded, "\(allowed.lastError ?? "")")
        #expect(try school.report(of: allowed).leavers == 10)
        #expect(try await school.people().allSatisfy(\.inRecycleBin))
    }
}
