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
                var move = JobFactory.newJob(
                    kind: JobKinds.leaverToRecycleBin, integration: integration,
                    payloadText: SyncJSON.encode(LeaverPayload(role: step.role, misID: step.misID, targetID: targetID, plan: jobID)),
                    policy: leaverPolicy, uniqueKey: Self.leaverMoveKey(integration: integration, role: step.role, misID: step.misID))
                // A grace period: the move waits, and an import that finds them back calls it off.
                if step.graceDays > 0 { move.runAt = now + Int64(step.graceDays) * 86_400_000 }
                bookkeeping.followUps.append(move)
            case .leaverReprieve:
                guard let jobID = step.detail.flatMap({ Int64($0) }) else { continue }
                bookkeeping.callOffs.append(
                    (jobID, "called off: \(step.role.rawValue) \(step.misID) is back in the MIS within the leaver grace period"))
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
        bookkeeping.changes = personChanges(now: now)
        bookkeeping.importRecord = report.record(
            integration: integration, jobID: jobID, kind: kind, startedAt: createdAt, finishedAt: now)
        return bookkeeping
    }

    /// A leaver's move's unique key: one move waits per person, however many imports see them leave.
    static func leaverMoveKey(integration: String, role: PersonRole, misID: String) -> String {
        "leaver:\(integration):\(role.rawValue):\(misID)"
    }
}
