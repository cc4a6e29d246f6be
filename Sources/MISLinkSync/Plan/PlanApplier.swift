import Foundation
import MISLinkKit
import MISLinkRunner

/// Applies a plan's target writes in order, skipping steps already done, and marks each done in
/// the plan's tables as it goes. The marks are committed in batches (a large upload has 200,000
/// steps), so a crash can lose the marks of the last batch: every write is therefore idempotent on a
/// re-run. An update or a contacts replacement sends the same values again; a create first looks
/// for the person by the MIS id the target stores, and creates only when they are not there; a
/// purge's delete of a record already gone is no error (`Target.delete`'s contract).
struct PlanApplier {
    let session: PluginSession
    let context: JobContext
    let store: SyncStoreActor
    /// Marks are committed at least this often, in steps and in time.
    var batchSize = 500
    var batchInterval: TimeInterval = 0.2

    /// Marks not yet committed, and when the last batch was.
    private struct Marks {
        var pending: [(seq: Int, targetID: String?)] = []
        var lastFlush = Date()
    }

    /// Applies `plan` (whose creates get their target ids). `resumed`: an earlier attempt may have
    /// written some of it already.
    func apply(_ plan: inout ImportPlan, resumed: Bool) async throws {
        var marks = Marks()
        do {
            try await applySteps(&plan, resumed: resumed, marks: &marks)
        } catch {
            // A write that failed leaves the marks of those before it, so a re-run redoes less.
            try? await flush(&marks, jobID: plan.jobID)
            throw error
        }
        try await flush(&marks, jobID: plan.jobID)
    }

    private func applySteps(_ plan: inout ImportPlan, resumed: Bool, marks: inout Marks) async throws {
        let plugin = context.plugin
        let pending = plan.steps.indices.filter {
            plan.steps[$0].kind.writesTarget && plan.steps[$0].status == .planned && plan.applies(plan.steps[$0])
        }
        // Target ids of the plan's creates, for the contacts steps that follow them.
        var created: [String: String] = [:]
        for step in plan.steps where step.kind == .create && step.status == .done {
            if let id = step.targetID { created[step.personKey] = id }
        }
        var existing: [String: String]?
        for (done, index) in pending.enumerated() {
            if done % 1000 == 999 {
                try plugin.checkCancellation()
                plugin.report(.init(done: done + 1, total: pending.count, message: "applying changes"))
            }
            let step = plan.steps[index]
            var targetID = step.targetID
            switch step.kind {
            case .create:
                if resumed, existing == nil { existing = try await targetIDsByMISID() }
                if let found = existing?[step.personKey] {
                    targetID = found
                } else {
                    do {
                        targetID = try await session.target.create(step.afterRecord, context: plugin)
                    } catch let error as PluginError where error.refusesRecord {
                        // The target will not take this one person (a login someone else holds): they
                        // go to intake with its reason, and the import goes on. Not marked done, so a
                        // resumed run asks the target again.
                        plan.refuseCreate(at: index, reason: context.scrub(error.message))
                        continue
                    }
                }
                created[step.personKey] = targetID
            case .update:
                guard let id = targetID else { continue }
                try await session.target.update(
                    targetID: id, with: step.afterRecord, keepContactDetails: step.detail == PlanStep.registered, context: plugin)
            case .contacts:
                targetID = targetID ?? created[step.personKey]
                guard let id = targetID else { continue }
                try await session.target.replaceContacts(of: id, with: step.contacts ?? [], context: plugin)
            case .purge:
                // Idempotent in the target: a record an earlier attempt deleted is deleted again, no error.
                guard let id = targetID else { continue }
                try await session.target.delete(targetID: id, context: plugin)
            default:
                continue
            }
            plan.steps[index].targetID = targetID
            plan.steps[index].status = .done
            marks.pending.append((step.seq, targetID))
            if marks.pending.count >= batchSize || Date().timeIntervalSince(marks.lastFlush) >= batchInterval {
                try await flush(&marks, jobID: plan.jobID)
            }
        }
    }

    private func flush(_ marks: inout Marks, jobID: Int64) async throws {
        guard !marks.pending.isEmpty else { return }
        let batch = marks.pending
        try await store.run { try $0.markStepsDone(jobID: jobID, batch) }
        marks.pending.removeAll(keepingCapacity: true)
        marks.lastFlush = Date()
    }

    /// The target's records by "role:misID" (the MIS id each record stores), to find a create that
    /// an earlier attempt made but did not get to mark.
    private func targetIDsByMISID() async throws -> [String: String] {
        var ids: [String: String] = [:]
        for person in try await session.target.listPeople(context: context.plugin) {
            guard let misID = person.misID, !misID.isEmpty else { continue }
            ids[person.role.rawValue + ":" + misID] = ids[person.role.rawValue + ":" + misID] ?? person.targetID
        }
        return ids
    }
}
