import MISLinkKit
import MISLinkQueue
import MISLinkRunner

extension ImportPlan {
    /// The job's bookkeeping, from the plan (applied): links, what was sent, the target edits found
    /// at planning time, intake, follow-up jobs and the history row. The same whichever attempt
    /// finished the plan, so each record counts once.
    func bookkeeping(policies: PolicySet, now: Int64) -> Bookkeeping {
        var bookkeeping = Bookkeeping(integration: integration)
        bookkeeping.jobID = jobID
        bookkeeping.removeIntegrationLinks = mode == .matchAll
        bookkeeping.plan = (jobID, mode == .full)
        func link(_ step: PlanStep, _ targetID: String, rule: String) -> Link {
            Link(integration: integration, role: step.role, misID: step.misID, targetID: targetID, origin: .integration,
                 rule: rule, createdAt: now)
        }
        let leaverPolicy = policies.policy(for: JobKinds.leaverToRecycleBin) ?? JobKinds.defaultPolicies[JobKinds.leaverToRecycleBin]!
        for step in steps {
            switch step.kind {
            case .create:
                guard let targetID = step.targetID else { continue }
                bookkeeping.newLinks.append(link(step, targetID, rule: step.detail ?? "created"))
                bookkeeping.sentSnapshots.append((step.role, step.misID, step.after ?? [:]))
            case .update:
                let sent = RecordProjection.comparable(step.after ?? [:], registered: step.detail == PlanStep.registered)
                bookkeeping.sentSnapshots.append((step.role, step.misID, sent))
            case .recordSent:
                bookkeeping.sentSnapshots.append((step.role, step.misID, step.after ?? [:]))
            case .link:
                guard let targetID = step.targetID else { continue }
                bookkeeping.newLinks.append(link(step, targetID, rule: step.detail ?? "link"))
            case .intake:
                let record = step.afterRecord
                bookkeeping.intake.append(
                    .init(role: step.role, misID: step.misID, name: MISPerson(record).displayName,
                          record: SyncJSON.encode(IntakeRecord(record)), reason: step.detail ?? "",
                          candidates: step.candidates.map(SyncJSON.encode)))
            case .leaver:
                guard let targetID = step.targetID else { continue }
                bookkeeping.followUps.append(
                    JobFactory.newJob(
                        kind: JobKinds.leaverToRecycleBin, integration: integration,
                        payloadText: SyncJSON.encode(LeaverPayload(role: step.role, misID: step.misID, targetID: targetID)),
                        policy: leaverPolicy, uniqueKey: "leaver:\(integration):\(step.role.rawValue):\(step.misID)"))
            case .targetEdit:
                let before = step.before ?? [:]
                let after = step.after ?? [:]
                for field in Set(before.keys).union(after.keys).sorted() {
                    bookkeeping.targetChanges.append(
                        TargetChange(role: step.role, misID: step.misID, targetID: step.targetID ?? "", field: field,
                                     sentValue: before[field], targetValue: after[field], status: .overwritten))
                }
            case .contacts:
                continue
            }
        }
        bookkeeping.importRecord = report.record(
            integration: integration, jobID: jobID, kind: kind, startedAt: createdAt, finishedAt: now)
        return bookkeeping
    }
}
