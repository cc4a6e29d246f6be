import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// What every sync kind shares: the integration it works on, its plugins, and moving the integration
/// to `error` when a job fails for good.
protocol SyncHandler: JobHandler {
    var environment: SyncEnvironment { get }
}

/// Failures that say nothing about the integration's health: these never move it to `error`. Known by
/// their `HandlerError.code`; the message keeps the words an admin reads.
enum FailureMarker {
    static let refused = "refused"
    static let benign: Set<String> = [refused]
}

extension SyncHandler {
    /// The job's integration, loaded fresh, with the store it came from: one connection per run, used
    /// off the cooperative pool.
    func open(_ job: ClaimedJob) async throws -> (SyncStoreActor, Integration) {
        guard let id = job.integration else {
            throw refuse("a \(job.kind) job needs an integration (--integration ID)")
        }
        let store = environment.jobStore()
        guard let integration = try await store.run({ try $0.integration(id) }) else {
            throw refuse("there is no integration '\(id)' (it may have been removed)")
        }
        return (store, integration)
    }

    /// A state-table refusal, as the permanent failure that never moves the integration to Error.
    func check(_ action: IntegrationAction, _ integration: Integration) throws {
        do { try StateTable.check(action, integration: integration.id, status: integration.status) } catch {
            throw refuse(error.message)
        }
    }

    func refuse(_ message: String) -> HandlerError {
        HandlerError(.permanent, code: FailureMarker.refused, "refused: " + message)
    }

    /// A job that failed for good moves its integration to `error`, with the reason, in the same
    /// transaction as the failure, whichever way it failed (its last error, a timeout, a run that
    /// never reported back). Refusals are not faults of the integration (a guard holds a plan; it fails nothing).
    func finalFailure(_ failure: FinalFailure) -> CommitEffect? {
        guard let id = failure.integration else { return nil }
        if case .error(let code?) = failure.cause, FailureMarker.benign.contains(code) { return nil }
        return { connection in
            let store = try IntegrationStore(connection: connection)
            guard try store.integration(id) != nil else { return }
            try store.setStatus(
                id, .error, reason: "\(failure.kind) job \(failure.jobID) failed: \(failure.message)", now: JobStore.now())
        }
    }

    /// A job that had nothing to do (integration off, absence sync off): it succeeds, and says why.
    func skipped(_ reason: String) -> JobResult {
        JobResult(json: SyncJSON.encode(["skipped": reason]))
    }

    /// One import-like pass as a stored plan: planned once (or resumed, when an earlier attempt of the
    /// job stored one), applied step by step, and its bookkeeping derived from it. The plan's report
    /// is the job's result; its bookkeeping, with the history row and `statusChange`, commits with the job.
    /// A plan made for review (`planOnly`), or held by a guard, is stored and not applied; `applyPlan`
    /// applies such a plan instead of planning (`SyncHandler+Review`).
    func runEngine(
        _ job: ClaimedJob, context: JobContext, store: SyncStoreActor, integration: Integration, mode: ImportEngine.Mode,
        statusChange: Bookkeeping.StatusChange?, checkConnection: Bool = false, request: PlanRequest = PlanRequest(),
        configure: (inout ImportEngine) -> Void = { _ in }
    ) async throws -> JobResult {
        let session = try PluginSession.open(integration, environment: environment, context: context)
        if checkConnection { try await session.connector.checkConnection(context: context.plugin) }
        var plan: ImportPlan
        var resumed = false
        if let planID = request.applyPlan {
            (plan, resumed) = try await reviewedPlan(
                planID, job, context: context, store: store, integration: integration, session: session, configure: configure)
        } else {
            (plan, resumed) = try await storedPlan(
                job, context: context, store: store, integration: integration, session: session, mode: mode, request: request,
                configure: configure)
            if plan.state.forReview { return reviewResult(plan, request: request) }
        }
        try await PlanApplier(session: session, context: context, store: store).apply(&plan, resumed: resumed)
        var bookkeeping = plan.bookkeeping(policies: environment.policies, now: JobStore.now())
        bookkeeping.statusChange = statusChange
        return JobResult(json: SyncJSON.encode(plan.appliedReport), effect: bookkeeping.effect)
    }

    /// The plan an earlier attempt of the job stored (resumed: true), or a new one, stored before any
    /// write so that a crash from here on resumes it. A new plan that trips a guard, or one asked for
    /// review, is stored for an admin instead.
    private func storedPlan(
        _ job: ClaimedJob, context: JobContext, store: SyncStoreActor, integration: Integration, session: PluginSession,
        mode: ImportEngine.Mode, request: PlanRequest, configure: (inout ImportEngine) -> Void
    ) async throws -> (ImportPlan, resumed: Bool) {
        let jobID = job.id
        if !request.planOnly, let stored = try await store.run({ try $0.resumablePlan(jobID: jobID) }) {
            context.plugin.report(.init(done: 0, total: stored.steps.count, message: "resuming the plan of an earlier attempt"))
            return (stored, true)
        }
        // Taken before the read, so that a change during it is a change since the plan.
        let fingerprint =
            request.planOnly && request.asOf == nil
            ? try await planFingerprint(session: session, store: store, integration: integration.id, context: context) : nil
        var engine = ImportEngine(integration: integration, session: session, environment: environment, context: context, mode: mode)
        configure(&engine)
        engine.asOf = request.asOf
        var plan = try await makePlan(engine, jobID: jobID, kind: job.kind, store: store)
        plan.fingerprint = fingerprint
        if mode == .full {
            var limits = integration.settings.guardLimits
            if request.allowMassLeavers { limits = limits.filter { $0.key.change != .recycle } }
            plan.holds = PlanGuards.holds(of: plan, limits: limits, current: plan.current)
            PlanGuards.markHeld(&plan, holds: plan.holds)
        }
        if request.planOnly || !plan.holds.isEmpty {
            plan.state = plan.holds.isEmpty ? .ready : .held
            plan.expiresAt = JobStore.now() + integration.settings.planExpiry
            plan.asOf = request.asOf
        }
        let planned = plan
        try await store.run { try $0.savePlan(planned) }
        return (plan, false)
    }

    /// A plan of `engine`'s pass, for job `jobID` (nothing stored).
    func makePlan(_ engine: ImportEngine, jobID: Int64, kind: String, store: SyncStoreActor) async throws -> ImportPlan {
        let id = engine.integration.id
        let mode = engine.mode
        let startedAt = JobStore.now()
        let ((links, sentDigests), exclusions, earlierWrites, waitingMoves, recycleBin) = try await store.run { store in
            let planning = try store.linksForPlanning(integration: id)
            return (
                (planning.links, planning.sentDigests), Set(try store.exclusions(integration: id).map(\.misID)),
                mode == .full ? try store.earlierWrites(integration: id, excluding: jobID) : [:],
                mode == .full ? try store.waitingLeaverMoves(integration: id) : [:],
                mode == .full ? try store.recycleBin(integration: id) : [:]
            )
        }
        var plan = try await engine.plan(
            jobID: jobID, kind: kind, links: consume links, exclusions: exclusions, earlierWrites: earlierWrites,
            waitingLeaverMoves: waitingMoves, recycleBin: recycleBin, sentDigests: consume sentDigests,
            sentTexts: SentTextSource { keys in try await store.run { try $0.sentTexts(integration: id, keys: keys) } },
            createdAt: startedAt)
        plan.changedSince = engine.changedSince.map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
        return plan
    }
}
