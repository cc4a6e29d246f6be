import Foundation
import MISLinkKit
import MISLinkQueue
@testable import MISLinkSync
import MISLinkTestSupport
import SQLiteDB
import Testing

/// Issue 11, part 4: a leaver's grace period, on each back end.
@Suite(.timeLimit(.minutes(5))) struct LeaverGraceTests {
    private let others = (10..<20).map { student("M\($0)", "Kid", "Number\($0)") }

    /// Amy and Ben (and ten others, to stay under the mass-leaver guard) imported with `grace`, then
    /// Ben gone from the MIS: answers the night he left and the queue's clock just before it.
    private func benLeaves(_ school: SyncFixture, grace: String) async throws -> (night: Job, before: Int64) {
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")] + others)
        try school.addIntegration {
            $0.settings.newRecords = .create
            try $0.settings.set("leaver-grace", grace)
        }
        _ = try await school.run(JobKinds.nightlyImport)
        try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng", end: "2026-11-01", status: "inactive")] + others)
        let before = JobStore.now()
        return (try await school.run(JobKinds.nightlyImport), before)
    }

    @Test("with leaver-grace=14d a leaver's move waits 14 days, is not enqueued twice, and is called off when they are back in the MIS", arguments: SyncBackendTests.Backend.available)
    func reappearanceCallsTheMoveOff(backend: SyncBackendTests.Backend) async throws {
        try await SyncBackendTests.withSchool(backend) { school in
            // Ben leaves: his move is scheduled 14 days on, and he is still in the target meanwhile.
            let (leaving, before) = try await benLeaves(school, grace: "14d")
            #expect(try school.report(of: leaving).leavers == 1)
            let queue = try school.queue
            let moves = try queue.jobPage(matching: JobFilter(kind: JobKinds.leaverToRecycleBin)).jobs
            #expect(moves.count == 1)
            let move = try #require(moves.first)
            #expect(move.state == .scheduled)
            let fourteenDays: Int64 = 14 * 86_400_000
            #expect(move.runAt >= before + fourteenDays - 60_000 && move.runAt <= JobStore.now() + fourteenDays + 60_000, "\(move.runAt)")
            #expect(try await school.person(misID: "M2")?.inRecycleBin == false)

            // Still a leaver the next night: the waiting move is the only one, and he is not counted again.
            let still = try await school.run(JobKinds.nightlyImport)
            #expect(try school.report(of: still).leavers == 0)
            #expect(try queue.jobPage(matching: JobFilter(kind: JobKinds.leaverToRecycleBin)).jobs.map(\.id) == [move.id])

            // Back in the MIS within the grace period: the move is called off, saying why.
            try school.writeExport(students: [student("M1", "Amy", "Lee"), student("M2", "Ben", "Ng")] + others)
            let back = try await school.run(JobKinds.nightlyImport)
            #expect(back.state == .succeeded, "\(back.lastError ?? "")")
            #expect(try school.report(of: back).warnings.contains { $0.contains("pupil M2 is back in the MIS") })
            let calledOff = try #require(try queue.job(id: move.id))
            #expect(calledOff.state == .cancelled)
            #expect(calledOff.lastError?.contains("back in the MIS within the leaver grace period") == true, "\(calledOff.lastError ?? "")")
            #expect(try await school.person(misID: "M2")?.inRecycleBin == false)
            // Counted as a cancel, as an admin's would be, and no longer waiting.
            let admin = try #require(queue as? any QueueAdminBackend)
            let metrics = try admin.jobMetrics()
            #expect(metrics.counters.contains { $0.name == JobMetrics.cancelled && $0.kind == JobKinds.leaverToRecycleBin && $0.value == 1 }, "\(metrics.counters)")
            #expect(try admin.stateCounts(kind: JobKinds.leaverToRecycleBin, queue: nil)[.scheduled] == 0)
        }
    }

    @Test("a move whose grace period has run out moves the leaver; leaver-grace takes 0d to 365d and nothing else")
    func graceRunsOut() async throws {
        let school = try SyncFixture()
        _ = try await benLeaves(school, grace: "3d")
        #expect(try await school.person(misID: "M2")?.inRecycleBin == false)
        // Three days on (the queue's clock moved, here by the row's run-at): the move runs.
        try school.jobs.connection.run("UPDATE jobs SET run_at = 0 WHERE kind = ?", [JobKinds.leaverToRecycleBin])
        try await school.drain()
        #expect(try await school.person(misID: "M2")?.inRecycleBin == true)

        var settings = IntegrationSettings()
        try settings.set("leaver-grace", "0d")
        #expect(settings.leaverGrace == 0)
        for bad in ["-1d", "14w", "366d", "two"] {
            #expect(throws: SyncError.self) { try settings.set("leaver-grace", bad) }
        }
    }
}
