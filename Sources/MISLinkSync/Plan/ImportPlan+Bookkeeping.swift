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
        bookkeeping.plan = (jobID, mode == .full, exceptHeld)
        func link(_ step: PlanStep, _ targetID: String, rule: String) -> Link {
            Link(integration: integration, role: step.role, misID: step.misID, targetID: targetID, origin: .integration,
                 rule: rule, createdAt: now)
        }
        let leaverPolicy = policies.policy(for: JobKinds.leaverToRecycleBin) ?? JobKinds.defaultPolicies[JobKinds.leaverToRecycleBin]!
        for step in steps where applies(step) {
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
            case .purge:
                guard let targetID = step.targetID else { continue }
                bookkeeping.unlinks.append((step.role, step.misID, targetID))
                bookkeeping.unrecycled.append(targetID)
            case .recycleSeen:
                guard let targetID = step.targetID, let since = step.detail.flatMap({ CalendarDate(iso: $0) }) else { continue }
                bookkeeping.recycled.append(
                    RecycleBinEntry(targetID: targetID, role: step.role, misID: step.misID, since: since, origin: .seen))
            case .recycleLeft:
                guard let targetID = step.targetID else { continue }
                bookkeeping.unrecycled.append(targetID)
            case .contacts:
                continue
            }
        }
        bookkeeping.changes = personChanges(now: now)
        bookkeeping.importRecord = appliedReport.record(
            integration: integration, jobID: jobID, kind: kind, startedAt: createdAt, finishedAt: now)
        return bookkeeping
    }

    /// The report of what was applied: without the held steps when they were left out.
    var appliedReport: ImportReport {
        guard exceptHeld else { return report }
        var applied = report
        var heldBack: [String: Int] = [:]
        for step in steps where step.held {
            switch step.kind {
            case .create: applied.added -= 1
            case .update: applied.updated -= 1
            case .leaver: applied.leavers -= 1
            case .contacts: applied.contactsUpdated -= 1
            case .purge: applied.purged?.removeAll { $0.targetID == step.targetID }
            default: continue
            }
            heldBack[step.kind.rawValue, default: 0] += 1
        }
        if !heldBack.isEmpty {
            applied.warnings.append(
                "held back by the guards (plan \(jobID) applied --except-held): "
                    + heldBack.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        return applied
    }

    /// A leaver's move's unique key: one move waits per person, however many imports see them leave.
    static func leaverMoveKey(integration: String, role: PersonRole, misID: String) -> String {
        "leaver:\(integration):\(role.rawValue):\(misID)"
    }
}
