import MISLinkKit

extension ImportPlan {
    /// The person history rows of the plan's target writes that were done (a create the target
    /// refused became an intake step and is not one). Intake steps are recorded by the bookkeeping
    /// when they open an entry, so a person who waits in intake night after night counts once.
    func personChanges(now: Int64) -> [PersonChange] {
        var changes: [PersonChange] = []
        func change(_ step: PlanStep, _ kind: PersonChange.Kind, before: String?, after: String?, detail: String? = nil) -> PersonChange {
            PersonChange(
                integration: integration, jobID: jobID, planID: jobID, at: now, role: step.role, misID: step.misID,
                targetID: step.targetID, kind: kind, before: before, after: after, detail: detail)
        }
        for step in steps where step.kind.writesTarget && step.status == .done {
            switch step.kind {
            case .create:
                guard step.targetID != nil else { continue }
                changes.append(change(step, .create, before: nil, after: PersonChange.encodeFields(step.after ?? [:])))
            case .update:
                let (before, after) = Self.changedFields(of: step)
                guard !before.isEmpty else { continue }
                changes.append(
                    change(step, .update, before: PersonChange.encodeFields(before), after: PersonChange.encodeFields(after),
                           detail: step.detail))
            case .contacts:
                guard step.targetID != nil else { continue }
                changes.append(
                    change(step, .contacts, before: PlanJSON.encode(step.contactsBefore ?? []), after: PlanJSON.encode(step.contacts ?? [])))
            case .purge:
                changes.append(change(step, .purge, before: nil, after: nil, detail: "deleted from the target's recycle bin (" + (step.detail ?? "") + ")"))
            default:
                continue
            }
        }
        return changes
    }

    /// An update's changed fields, before (the target's) and after (as sent); nil: no value.
    static func changedFields(of step: PlanStep) -> (before: [String: String?], after: [String: String?]) {
        let sent = RecordProjection.comparable(step.after ?? [:], registered: step.detail == PlanStep.registered)
        var before: [String: String?] = [:]
        var after: [String: String?] = [:]
        for (field, value) in step.before ?? [:] {
            before[field] = value.isEmpty ? String?.none : value
            after[field] = sent[field]
        }
        return (before, after)
    }
}
