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
    static let massLeaverGuard = "mass-leaver-guard"
    static let benign: Set<String> = [refused, massLeaverGuard]
}

extension SyncHandler {
    /// The job's integration, loaded fresh, with the store it came from: one connection per run.
    func open(_ job: ClaimedJob) throws -> (IntegrationStore, Integration) {
        guard let id = job.integration else {
            throw refuse("a \(job.kind) job needs an integration (--integration ID)")
        }
        let store = try environment.openStore()
        guard let integration = try store.integration(id) else {
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
    /// never reported back). Refusals and the mass-leaver guard are not faults of the integration.
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

    /// One engine pass: its report is the job's result; its bookkeeping, with the history row and
    /// `statusChange`, commits with the job.
    func runEngine(
        _ job: ClaimedJob, context: JobContext, store: IntegrationStore, integration: Integration, mode: ImportEngine.Mode,
        statusChange: (to: IntegrationStatus, from: Set<IntegrationStatus>)?, checkConnection: Bool = false,
        configure: (inout ImportEngine) -> Void = { _ in }
    ) async throws -> JobResult {
        let startedAt = JobStore.now()
        let links = try store.links(integration: integration.id)
        let exclusions = Set(try store.exclusions(integration: integration.id).map(\.misID))
        let session = try PluginSession.open(integration, environment: environment, context: context)
        if checkConnection { try await session.connector.checkConnection(context: context.plugin) }
        var engine = ImportEngine(
            integration: integration, session: session, environment: environment, context: context, mode: mode)
        configure(&engine)
        var (report, bookkeeping) = try await engine.run(links: links, exclusions: exclusions)
        bookkeeping.removeIntegrationLinks = mode == .matchAll
        bookkeeping.statusChange = statusChange
        bookkeeping.jobID = job.id
        bookkeeping.importRecord = report.record(
            integration: integration.id, jobID: job.id, kind: job.kind, startedAt: startedAt, finishedAt: JobStore.now())
        return JobResult(json: SyncJSON.encode(report), effect: bookkeeping.effect)
    }
}
