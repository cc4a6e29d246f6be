import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// What every sync kind shares: the integration it works on, its plugins, and moving the integration
/// to `error` when a job fails for good.
protocol SyncHandler: JobHandler {
    var environment: SyncEnvironment { get }
}

/// Messages of failures that say nothing about the integration's health: these never move it to `error`.
enum FailureMarker {
    static let refused = "refused: "
    static let massLeaverGuard = "mass-leaver guard: "
}

extension SyncHandler {
    /// The job's integration, loaded fresh.
    func loadIntegration(_ job: ClaimedJob) throws -> Integration {
        guard let id = job.integration else {
            throw PluginError.permanent("\(FailureMarker.refused)a \(job.kind) job needs an integration (--integration ID)")
        }
        let store = try environment.openStore()
        guard let integration = try store.integration(id) else {
            throw PluginError.permanent("\(FailureMarker.refused)there is no integration '\(id)' (it may have been removed)")
        }
        return integration
    }

    func refuse(_ message: String) -> PluginError {
        PluginError.permanent(FailureMarker.refused + message)
    }

    /// A job that failed for good moves its integration to `error`, with the reason, in the same
    /// transaction as the failure. Refusals and the mass-leaver guard are not faults of the integration.
    func finalFailure(_ job: ClaimedJob, message: String) -> CommitEffect? {
        guard let id = job.integration, !message.hasPrefix(FailureMarker.refused),
            !message.hasPrefix(FailureMarker.massLeaverGuard)
        else { return nil }
        return { connection in
            let store = try IntegrationStore(connection: connection)
            guard try store.integration(id) != nil else { return }
            try store.setStatus(id, .error, reason: "\(job.kind) job \(job.id) failed: \(message)", now: JobStore.now())
        }
    }

    /// A job that had nothing to do (integration off, absence sync off): it succeeds, and says why.
    func skipped(_ reason: String) -> JobResult {
        JobResult(json: SyncJSON.encode(["skipped": reason]))
    }

    func links(of integration: Integration) throws -> (links: [Link], exclusions: Set<String>) {
        let store = try environment.openStore()
        return (try store.links(integration: integration.id), Set(try store.exclusions(integration: integration.id).map(\.misID)))
    }

    /// The job's report as its result, and its bookkeeping (history row, status change) as its effect.
    func finish(
        _ report: ImportReport, bookkeeping: Bookkeeping, job: ClaimedJob, startedAt: Int64, recordHistory: Bool
    ) -> JobResult {
        var bookkeeping = bookkeeping
        bookkeeping.jobID = job.id
        if recordHistory {
            bookkeeping.importRecord = report.record(
                integration: bookkeeping.integration, jobID: job.id, kind: job.kind, startedAt: startedAt, finishedAt: JobStore.now())
        }
        return JobResult(json: SyncJSON.encode(report), effect: bookkeeping.effect)
    }
}
