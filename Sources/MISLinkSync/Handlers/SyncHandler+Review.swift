import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

extension SyncHandler {
    /// A plan stored for an admin: the job succeeds with what it would do; nothing is written. A held
    /// plan of a real import counts as a guard trip (not a plan-only rehearsal).
    func reviewResult(_ plan: ImportPlan, request: PlanRequest) -> JobResult {
        let summary = PlanSummary(plan, finishedAt: nil)
        let json = SyncJSON.encode(ReviewResult(plan: plan.jobID, state: summary.shownState(now: JobStore.now()), holds: plan.holds, report: plan.report, asOf: plan.asOf?.description))
        guard !request.planOnly, !plan.holds.isEmpty else { return JobResult(json: json) }
        let id = plan.integration
        return JobResult(json: json) { transaction in
            let store = try IntegrationStore(sql: transaction.portableSQL)
            guard try store.integration(id) != nil else { return }
            try store.recordGuardTrip(integration: id, now: JobStore.now())
        }
    }

    /// The reviewed plan `planID` this job applies: checked against the MIS and the target as they are
    /// now, and refused, naming the records, when a planned record has changed since. A re-run of the
    /// job after it started resumes it without checking again (its own writes would look like changes).
    func reviewedPlan(
        _ planID: Int64, _ job: ClaimedJob, context: JobContext, store: SyncStoreActor, integration: Integration,
        session: PluginSession, configure: (inout ImportEngine) -> Void
    ) async throws -> (ImportPlan, resumed: Bool) {
        let jobID = job.id
        if let resumed = try await store.run({ try $0.resumablePlan(jobID: jobID) }) {
            context.plugin.report(.init(done: 0, total: resumed.steps.count, message: "resuming plan \(planID)"))
            return (resumed, true)
        }
        guard var plan = try await store.run({ try $0.plan(id: planID) }) else {
            throw refuse("there is no plan \(planID) (it may have been pruned with its job)")
        }
        guard plan.integration == integration.id, plan.kind == job.kind else {
            throw refuse("plan \(planID) is a \(plan.kind) of integration '\(plan.integration)', not a \(job.kind) of '\(integration.id)'")
        }
        let now = JobStore.now()
        let summary = PlanSummary(plan, finishedAt: nil)
        guard summary.waitsForDecision(now: now) else {
            throw refuse("plan \(planID) is \(summary.shownState(now: now)): only a ready or held plan is applied")
        }
        guard plan.appliedBy == jobID else {
            throw refuse("plan \(planID) is given to job \(plan.appliedBy.map(String.init) ?? "none") to apply, not this one")
        }
        if let asOf = plan.asOf { throw refuse("plan \(planID) is a rehearsal as of \(asOf): it is shown, never applied") }
        if let recorded = plan.fingerprint,
            try await planFingerprint(session: session, store: store, integration: integration.id, context: context) == recorded
        {
            // The MIS, the target and the integration's records are as they were before the plan read
            // them: planning again would give the same plan.
            context.plugin.report(.init(done: 0, total: 0, message: "nothing changed since plan \(planID) was made: applying it"))
        } else {
            context.plugin.report(.init(done: 0, total: 0, message: "checking plan \(planID) against the MIS and the target"))
            var engine = ImportEngine(integration: integration, session: session, environment: environment, context: context, mode: plan.mode)
            configure(&engine)
            engine.changedSince = plan.changedSince.map { Date(timeIntervalSince1970: Double($0) / 1000) }
            // Only the planned people and their target records are planned again: the rest of the school
            // is read, not compared.
            let compared = plan.steps.filter { PlanDrift.compared.contains($0.kind) }
            engine.focus = (Set(compared.map(\.personKey)), Set(compared.compactMap(\.targetID)))
            let fresh = try await makePlan(engine, jobID: planID, kind: plan.kind, store: store)
            let drift = PlanDrift.between(planned: plan, now: fresh)
            guard drift.isEmpty else { throw refuse(PlanDrift.message(planID, drift, integration: integration.id, kind: plan.kind)) }
        }
        guard try await store.run({ try $0.startApplying(planID, by: jobID) }) else {
            throw refuse("plan \(planID) was discarded or taken on by another job while it was checked")
        }
        plan.state = .applying
        return (plan, false)
    }
}

extension SyncHandler {
    /// The MIS's, the target's and the integration's own fingerprints together (`PlanFingerprint`);
    /// nil when the connector or the target cannot tell.
    func planFingerprint(session: PluginSession, store: SyncStoreActor, integration id: String, context: JobContext) async throws
        -> String?
    {
        guard let mis = try await session.connector.fingerprint(context: context.plugin),
            let target = try await session.target.fingerprint(context: context.plugin)
        else { return nil }
        let own = try await store.run { try $0.bookkeepingFingerprint(integration: id) }
        return mis + "/" + target + "/" + own
    }
}

/// The result of a job whose plan waits for an admin.
struct ReviewResult: Encodable {
    let plan: Int64
    let state: String
    let holds: [PlanHold]
    let report: ImportReport
    let asOf: String?
}
