import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// The mass-leaver guard at its edges: an import that would empty the target, the threshold itself
/// (not tripped) and one leaver more (tripped), and the override.
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
        #expect(stopped.state == .failed)
        #expect(stopped.lastError?.contains("leavers of 10 of the 10 current records (100%, more than the 10% limit)") == true)
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
        if trips {
            #expect(job.state == .failed)
            #expect(job.lastError?.hasPrefix("mass-leaver guard: this import would make leavers of \(leaving) of the \(size) current records") == true)
            #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
        } else {
            #expect(job.state == .succeeded, "\(job.lastError ?? "")")
            #expect(try school.report(of: job).leavers == leaving)
            #expect(try await school.people().filter(\.inRecycleBin).count == leaving)
        }
    }

    @Test("allowMassLeavers (--allow-mass-leavers) lets an import through that would empty the target")
    func allowed() async throws {
        let school = try await school(size: 10, leaving: 10)
        let stopped = try await school.run("nightly-import")
        #expect(stopped.state == .failed)
        let allowed = try await school.run("nightly-import", payload: #"{"allowMassLeavers": true}"#)
        #expect(allowed.state == .succeeded, "\(allowed.lastError ?? "")")
        #expect(try school.report(of: allowed).leavers == 10)
        #expect(try await school.people().allSatisfy(\.inRecycleBin))
    }
}
