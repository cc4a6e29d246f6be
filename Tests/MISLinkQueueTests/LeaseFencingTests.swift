import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

/// A worker whose lease was lost (it stalled; its job was rescued and claimed again by another
/// worker) must not touch the newer run's state, whatever it reports.
@Suite struct LeaseFencingTests {
    enum Report: String, CaseIterable, CustomTestStringConvertible {
        case plainSuccess, successWithResult, successWithEffect, retryableFailure, permanentFailure, cancelled, snoozed,
            handedBack
        var testDescription: String { rawValue }

        func completion(jobID: Int64) -> Completion {
            let effect: CommitEffect = { db in try (db as! Connection).run("INSERT INTO ledger VALUES (?)", [jobID]) }
            switch self {
            case .plainSuccess: return Completion(jobID: jobID, outcome: .succeeded(result: nil))
            case .successWithResult: return Completion(jobID: jobID, outcome: .succeeded(result: #"{"stale":true}"#))
            case .successWithEffect: return Completion(jobID: jobID, outcome: .succeeded(result: nil), effect: effect)
            case .retryableFailure: return Completion(jobID: jobID, outcome: .failed(message: "stale", retryAt: t0 + 99))
            case .permanentFailure: return Completion(jobID: jobID, outcome: .failed(message: "stale", retryAt: nil))
            case .cancelled: return Completion(jobID: jobID, outcome: .cancelled(message: "stale"))
            case .snoozed: return Completion(jobID: jobID, outcome: .snoozed(until: t0 + 99_999))
            case .handedBack: return Completion(jobID: jobID, outcome: .handedBack)
            }
        }
    }

    @Test("a stale worker's report of any kind leaves the rescued run's state, history and bookkeeping alone",
          arguments: Report.allCases)
    func staleReportIgnored(report: Report) throws {
        try withStore { store, _ in
            try store.connection.execute("CREATE TABLE ledger(job INTEGER)")
            let hooked = Recorded<Int64>()
            store.finalFailureHook = { failure in { _ in hooked.append(failure.jobID) } }
            let id = try store.enqueue(NewJob(kind: "noop", maxAttempts: 5), now: t0).id
            _ = try store.claim(workerID: "stale", limit: 1, leaseMilliseconds: lease, now: t0)
            #expect(try store.rescueExpiredLeases(now: t0 + lease + 1) == 1)
            let fresh = try store.claim(workerID: "fresh", limit: 1, leaseMilliseconds: lease, now: t0 + lease + 2)
            #expect(fresh.map(\.id) == [id])
            let before = try #require(try store.job(id: id))

            try store.complete([report.completion(jobID: id)], workerID: "stale", now: t0 + lease + 3)

            let after = try #require(try store.job(id: id))
            #expect(after.state == .running)
            #expect(after.leaseOwner == "fresh")
            #expect(after.attempt == 2)
            #expect(after.result == nil)
            #expect(after.runAt == before.runAt)
            #expect(after.errors == before.errors)
            #expect(after.lastError == before.lastError)
            #expect(try store.connection.scalarInt("SELECT count(*) FROM ledger") == 0)
            #expect(hooked.all.isEmpty)
            // The rightful owner can still finish it.
            try store.complete([Completion(jobID: id, outcome: .succeeded(result: nil))], workerID: "fresh", now: t0 + lease + 4)
            #expect(try store.state(id) == .succeeded)
        }
    }
}
