import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// `initial-upload`: the go-live load of pupils, staff and pre-admissions, matching first; success
/// moves a `ready` integration to `on`.
struct InitialUploadHandler: SyncHandler {
    let environment: SyncEnvironment

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let startedAt = JobStore.now()
        let integration = try loadIntegration(job)
        guard [.ready, .on, .off].contains(integration.status) else {
            throw refuse("integration '\(integration.id)' is \(integration.status.title): the initial upload needs it Ready (run the setup wizard first)")
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        let (links, exclusions) = try links(of: integration)
        let engine = ImportEngine(integration: integration, session: session, environment: environment, context: context, mode: .full)
        var (report, bookkeeping) = try await engine.run(links: links, exclusions: exclusions)
        bookkeeping.statusChange = (.on, [.ready])
        return finish(report, bookkeeping: bookkeeping, job: job, startedAt: startedAt, recordHistory: true)
    }
}

/// `nightly-import`: pull from the MIS, update matched records, send the unmatched to intake (or
/// create them), and enqueue each leaver's move to the recycle bin. Runs only while the integration is On.
struct NightlyImportHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) {
        if let value = payload.object["allowMassLeavers"], !JSONPayload.isBoolean(value) {
            throw PayloadError("nightly-import payload key 'allowMassLeavers' must be true or false")
        }
        if let unknown = payload.object.keys.first(where: { $0 != "allowMassLeavers" }) {
            throw PayloadError("nightly-import payload key '\(unknown)' is not known (known: allowMassLeavers)")
        }
    }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let startedAt = JobStore.now()
        let integration = try loadIntegration(job)
        guard integration.status == .on else {
            return skipped("integration '\(integration.id)' is \(integration.status.title): nightly imports run only while it is On")
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        let (links, exclusions) = try links(of: integration)
        var engine = ImportEngine(integration: integration, session: session, environment: environment, context: context, mode: .full)
        engine.allowMassLeavers = (payload.object["allowMassLeavers"] as? Bool) == true
        // A delta since the last import, with an hour's overlap for clocks that disagree.
        engine.changedSince = try environment.openStore().lastImportStart(integration: integration.id)
            .map { Date(timeIntervalSince1970: Double($0 - 3_600_000) / 1000) }
        let (report, bookkeeping) = try await engine.run(links: links, exclusions: exclusions)
        return finish(report, bookkeeping: bookkeeping, job: job, startedAt: startedAt, recordHistory: true)
    }
}

/// `rematch`: match every unlinked staff member by National Insurance number; links are added, the
/// rest reported. From `error` a success moves the integration back to `on`.
struct RematchHandler: SyncHandler {
    let environment: SyncEnvironment

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let startedAt = JobStore.now()
        let integration = try loadIntegration(job)
        do { try StateTable.check(.rematch, integration: integration.id, status: integration.status) } catch {
            throw refuse(error.message)
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        let (links, exclusions) = try links(of: integration)
        let engine = ImportEngine(
            integration: integration, session: session, environment: environment, context: context, mode: .matchStaffByNINumber)
        var (report, bookkeeping) = try await engine.run(links: links, exclusions: exclusions)
        bookkeeping.statusChange = (.on, [.error])
        return finish(report, bookkeeping: bookkeeping, job: job, startedAt: startedAt, recordHistory: true)
    }
}

/// `rerun-wizard`: the setup wizard. Checks the connection, removes every link the integration made
/// (never a manual one), and matches again. `pending` → `ready`; `error` → `on`.
struct RerunWizardHandler: SyncHandler {
    let environment: SyncEnvironment

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let startedAt = JobStore.now()
        let integration = try loadIntegration(job)
        do { try StateTable.check(.rerunWizard, integration: integration.id, status: integration.status) } catch {
            throw refuse(error.message)
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        try await session.connector.checkConnection(context: context.plugin)
        let (links, exclusions) = try links(of: integration)
        let engine = ImportEngine(
            integration: integration, session: session, environment: environment, context: context, mode: .matchAll)
        var (report, bookkeeping) = try await engine.run(links: links, exclusions: exclusions)
        bookkeeping.removeIntegrationLinks = true
        bookkeeping.statusChange = integration.status == .pending ? (.ready, [.pending]) : (.on, [.error])
        return finish(report, bookkeeping: bookkeeping, job: job, startedAt: startedAt, recordHistory: true)
    }
}
