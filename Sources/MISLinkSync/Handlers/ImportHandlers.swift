import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// `initial-upload`: the go-live load of pupils, staff and pre-admissions, matching first; success
/// records that the integration has gone live and moves a `ready` integration to `on`.
struct InitialUploadHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) { _ = try PlanRequest(payload, kind: JobKinds.initialUpload) }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        guard [.ready, .on, .off].contains(integration.status) else {
            throw refuse("integration '\(integration.id)' is \(integration.status.title): the initial upload needs it Ready (run the setup wizard first)")
        }
        return try await runEngine(
            job, context: context, store: store, integration: integration, mode: .full, statusChange: .goLive,
            request: try PlanRequest(payload, kind: job.kind))
    }
}

/// `nightly-import`: pull from the MIS, update matched records, send the unmatched to intake (or
/// create them), and enqueue each leaver's move to the recycle bin. Runs only while the integration is On.
struct NightlyImportHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) { _ = try PlanRequest(payload, kind: JobKinds.nightlyImport) }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        guard integration.status == .on else {
            return skipped("integration '\(integration.id)' is \(integration.status.title): nightly imports run only while it is On")
        }
        // A delta since the last import, with an hour's overlap for clocks that disagree; every Nth
        // import reads the whole MIS, since a delta can miss what the MIS changed without a stamp.
        let id = integration.id
        let every = integration.settings.fullImportInterval
        let (lastStart, deltas) = try await store.run {
            (try $0.lastImportStart(integration: id), try $0.deltaImportsSinceFullPull(integration: id, upTo: every))
        }
        let changedSince = deltas + 1 >= every ? nil : lastStart.map { Date(timeIntervalSince1970: Double($0 - 3_600_000) / 1000) }
        let request = try PlanRequest(payload, kind: job.kind)
        return try await runEngine(
            job, context: context, store: store, integration: integration, mode: .full, statusChange: nil, request: request
        ) { $0.changedSince = changedSince }
    }
}

/// `rematch`: match every unlinked staff member by National Insurance number; links are added, the
/// rest reported. From `error` a success moves the integration back to `on`, or to `ready` if it
/// has never gone live.
struct RematchHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) { _ = try PlanRequest(payload, kind: JobKinds.rematch) }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        try check(.rematch, integration)
        return try await runEngine(
            job, context: context, store: store, integration: integration, mode: .matchStaffByNINumber,
            statusChange: .matchingSucceeded, request: try PlanRequest(payload, kind: job.kind))
    }
}

/// `rerun-wizard`: the setup wizard. Checks the connection, removes every link the integration made
/// (never a manual one), and matches again. `pending` → `ready`; `error` → `on` if the integration
/// has gone live, else `ready` (its initial upload is still to come).
struct RerunWizardHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) { _ = try PlanRequest(payload, kind: JobKinds.rerunWizard) }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        try check(.rerunWizard, integration)
        return try await runEngine(
            job, context: context, store: store, integration: integration, mode: .matchAll,
            statusChange: .matchingSucceeded, checkConnection: true, request: try PlanRequest(payload, kind: job.kind))
    }
}
