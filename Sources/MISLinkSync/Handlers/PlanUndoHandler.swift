import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// `plan-undo`: reverses a past import plan's changes to target records, for everyone or one person
/// (`{"plan": 42, "misId": "M1"}`), wherever the record has not changed since (`PlanUndo`). Its writes
/// go into the person history (kind undo) and into what the integration remembers as sent, with the
/// job's completion; what it could not undo is in its result, with why.
struct PlanUndoHandler: SyncHandler {
    let environment: SyncEnvironment

    static let keys: Set<String> = ["plan", "misId"]

    func validate(_ payload: JSONPayload) throws(PayloadError) {
        if let unknown = payload.object.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw PayloadError("plan-undo payload key '\(unknown)' is not known (known: misId, plan)")
        }
        guard let plan = try payload.integer("plan"), plan > 0 else {
            throw PayloadError("plan-undo payload needs 'plan': the id of the plan (its import job) to undo")
        }
        if payload.object["misId"] != nil, payload.string("misId")?.isEmpty ?? true {
            throw PayloadError("plan-undo payload key 'misId' must be a non-empty string")
        }
    }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        let planID = Int64(try payload.integer("plan") ?? 0)
        let misID = payload.string("misId")
        let id = integration.id
        let reading = try await store.run { store -> PlanUndo.Reading in
            var changes = try store.planChanges(planID: planID).filter { $0.integration == id }
            if let misID { changes = changes.filter { $0.misID == misID } }
            var later: [Int64: [PersonChange]] = [:]
            var sent: [String: [String: String]] = [:]
            for change in changes {
                later[change.id] = try store.laterChanges(integration: id, role: change.role, misID: change.misID, after: change.id)
                if change.kind == .update, let targetID = change.targetID, let link = try store.link(integration: id, targetID: targetID) {
                    sent[targetID] = link.sent
                }
            }
            return PlanUndo.Reading(changes: changes, later: later, sent: sent)
        }
        guard !reading.changes.isEmpty else {
            let whose = misID.map { " for MIS id \($0)" } ?? ""
            throw refuse(
                "plan \(planID) has no changes to target records\(whose) in the history of integration '\(id)' (it changed nothing, it is another integration's, or its history was pruned)")
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        let undo = PlanUndo(integration: id, planID: planID, jobID: job.id, target: session.target, context: context.plugin)
        var (report, rows, sent) = try await undo.run(reading, now: JobStore.now())
        report.misID = misID
        var bookkeeping = Bookkeeping(integration: id)
        bookkeeping.jobID = job.id
        bookkeeping.changes = rows
        bookkeeping.sentSnapshots = sent.map { ($0.0.role, $0.0.misID, $0.1) }
        return JobResult(json: SyncJSON.encode(report), effect: bookkeeping.effect)
    }
}
