import MISLinkKit

/// How a reviewed plan no longer matches the MIS and the target: for each planned change, whether
/// planning it again now gives the same change. A change the fresh plan lacks, or makes differently,
/// touches a record that changed since (in the MIS, or in the target). Changes the fresh plan has and
/// the reviewed one does not are not this plan's: they wait for the next import.
struct PlanDrift: Sendable, Equatable {
    let role: PersonRole
    let misID: String
    let kind: PlanStep.Kind
    /// What differs, for an admin.
    let what: String

    /// The kinds compared: every change the plan makes or records about a person.
    static let compared: Set<PlanStep.Kind> = [.create, .update, .contacts, .leaver, .purge, .link, .intake]

    static func between(planned: ImportPlan, now fresh: ImportPlan) -> [PlanDrift] {
        var freshSteps: [String: PlanStep] = [:]
        for step in fresh.steps where compared.contains(step.kind) { freshSteps[key(step)] = step }
        var drift: [PlanDrift] = []
        for step in planned.steps where compared.contains(step.kind) && planned.applies(step) {
            guard let now = freshSteps[key(step)] else {
                drift.append(PlanDrift(role: step.role, misID: step.misID, kind: step.kind, what: "no longer planned: the record changed"))
                continue
            }
            if let what = difference(step, now) { drift.append(PlanDrift(role: step.role, misID: step.misID, kind: step.kind, what: what)) }
        }
        return drift
    }

    private static func key(_ step: PlanStep) -> String { step.kind.rawValue + "|" + step.personKey }

    /// What differs between a planned step and the same step planned now; nil when nothing does.
    private static func difference(_ planned: PlanStep, _ now: PlanStep) -> String? {
        if planned.kind != .create, planned.targetID != now.targetID {
            return "now target record \(now.targetID ?? "none"), planned \(planned.targetID ?? "none")"
        }
        if planned.detail != now.detail { return "now '\(now.detail ?? "")', planned '\(planned.detail ?? "")'" }
        if planned.kind == .contacts {
            if planned.contacts != now.contacts { return "the MIS's contacts changed" }
            if planned.contactsBefore != now.contactsBefore { return "the target's contacts changed" }
            return nil
        }
        let fields = fieldChanges(planned.after ?? [:], now.after ?? [:])
        if !fields.isEmpty { return "in the MIS: " + fields }
        let before = fieldChanges(planned.before ?? [:], now.before ?? [:])
        if !before.isEmpty { return "in the target: " + before }
        return nil
    }

    /// "surname 'Smith' → 'Jones'" for each field whose value differs; names only, no more than three.
    private static func fieldChanges(_ old: [String: String], _ new: [String: String]) -> String {
        let names = Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.sorted()
        guard !names.isEmpty else { return "" }
        let shown = names.prefix(3).joined(separator: ", ")
        return (names.count > 3 ? shown + " and \(names.count - 3) more" : shown) + " changed"
    }

    /// The refusal: which records, at most ten named.
    static func message(_ planID: Int64, _ drift: [PlanDrift], integration: String, kind: String) -> String {
        let named = drift.prefix(10).map { "\($0.role.rawValue) \($0.misID) (\($0.kind.rawValue): \($0.what))" }
        let more = drift.count > 10 ? "; and \(drift.count - 10) more" : ""
        return "plan \(planID) no longer matches the MIS and the target for \(Plural.count(drift.count, "planned record")): "
            + named.joined(separator: "; ") + more
            + ". Nothing was changed; make a new plan (mislink enqueue \(kind) --integration \(integration) --plan-only)"
    }
}
