import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// Plans for review: list, show, apply (a job of the plan's kind that applies exactly it, after
/// checking it still matches) and discard. The command line and the console call this.
public struct PlanService: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) { self.environment = environment }

    /// Plans newest first, of one integration (which must exist) or all; only those for review when asked.
    public func list(integration: String?, reviewOnly: Bool = false, limit: Int = 50) throws(SyncError) -> [PlanSummary] {
        try read { store in
            if let integration { _ = try store.require(integration) }
            return try store.planSummaries(integration: integration, reviewOnly: reviewOnly, limit: limit)
        }
    }

    /// Held plans not yet past their time, of every integration (the console's "needs attention").
    public func heldPlanCount(now: Int64 = JobStore.now()) throws(SyncError) -> Int {
        try read { try $0.heldPlanCount(now: now) }
    }

    /// One plan with its steps, of the kinds asked for (all when nil).
    public func show(_ id: Int64, kinds: Set<PlanStep.Kind>? = nil) throws(SyncError) -> (summary: PlanSummary, steps: [PlanStep]) {
        try read { store in
            guard let summary = try store.planSummary(id: id) else { throw SyncError(.notFound, "there is no plan \(id)") }
            let steps = try store.planSteps(jobID: id).filter { kinds?.contains($0.kind) ?? true }
            return (summary, steps)
        }
    }

    /// Puts the job that applies plan `id` on the queue (or answers the one already there): the plan
    /// must be ready or held, not expired, not a rehearsal, and its kind's rule must allow the job now.
    public func apply(_ id: Int64, exceptHeld: Bool = false, now: Int64 = JobStore.now()) throws(SyncError) -> EnqueueResult {
        let database = try SyncDatabase(environment, access: .write)
        let handlers = SyncHandlers.registry(environment: environment)
        do {
            return try database.write {
                let summary = try Self.forReview(id, store: database.store, now: now, doing: "applied")
                if let asOf = summary.asOf {
                    throw SyncError(.refused, "plan \(id) is a rehearsal as of \(asOf): it is shown, never applied")
                }
                var request = JobRequest(kind: summary.kind)
                request.integration = summary.integration
                var payload = PlanRequest()
                payload.applyPlan = id
                payload.exceptHeld = exceptHeld
                request.payload = payload.json
                let job = try request.resolve(policies: environment.policies, handlers: handlers, now: now)
                let result = try JobAdmin.checkedInsert(job, database: database, now: now)
                if result.inserted {
                    guard try database.store.assignPlan(id, to: result.id, exceptHeld: exceptHeld) else {
                        throw SyncError(.conflict, "plan \(id) is no longer for review")
                    }
                }
                return result
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// Ends a ready, held or expired plan unapplied; a queued job that was to apply it is cancelled.
    public func discard(_ id: Int64, now: Int64 = JobStore.now()) throws(SyncError) {
        let database = try SyncDatabase(environment, access: .write)
        do {
            try database.write {
                let summary = try Self.forReview(id, store: database.store, now: nil, doing: "discarded")
                guard try database.store.discardPlan(id, now: now) else { throw SyncError(.conflict, "plan \(id) is no longer for review") }
                if let job = summary.appliedBy {
                    _ = try database.queue.transactionHandle.cancelWaiting(job, reason: "plan \(id) was discarded", now: now)
                }
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// The plan, when it is for review (and, given `now`, not expired); refused naming its state otherwise.
    private static func forReview(_ id: Int64, store: IntegrationStore, now: Int64?, doing: String) throws -> PlanSummary {
        guard let summary = try store.planSummary(id: id) else { throw SyncError(.notFound, "there is no plan \(id)") }
        let shown = summary.shownState(now: now ?? 0)
        guard summary.waitsForDecision(now: now ?? 0) else {
            let hint = summary.isExpired(now: now ?? 0) ? "; make a new one with --plan-only" : ""
            throw SyncError(.refused, "plan \(id) is \(shown): only a ready or held plan can be \(doing)\(hint)")
        }
        return summary
    }

    private func read<T>(_ body: (IntegrationStore) throws -> T) throws(SyncError) -> T {
        let database = try SyncDatabase(environment, access: .read)
        do { return try body(database.store) } catch { throw SyncError.wrap(error) }
    }
}
