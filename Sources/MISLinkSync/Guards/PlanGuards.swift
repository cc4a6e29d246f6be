import MISLinkKit

/// The guards over one plan: counts its changes per entity and kind, holds the plan when one goes
/// past its limit, and marks the steps held back so that `plan apply --except-held` can leave them out.
enum PlanGuards {
    /// The current records (linked, in the target, out of its recycle bin) per entity.
    struct Current: Sendable {
        var pupils = 0
        var staff = 0

        mutating func count(_ role: PersonRole) {
            if role == .staff { staff += 1 } else { pupils += 1 }
        }

        func of(_ entity: GuardRule.Entity) -> Int {
            switch entity {
            case .pupils, .contacts: return pupils
            case .staff: return staff
            case .all: return pupils + staff
            }
        }
    }

    /// The rules a step counts towards (its entity's, and `all`'s for people).
    static func rules(of step: PlanStep) -> [GuardRule] {
        let change: GuardRule.Change
        switch step.kind {
        case .create: change = .create
        case .update: change = .update
        case .leaver: change = .recycle
        case .purge: change = .delete
        case .contacts: return [GuardRule(.contacts, step.targetID == nil ? .create : .update)]
        default: return []
        }
        return [GuardRule(step.role == .staff ? .staff : .pupils, change), GuardRule(.all, change)]
    }

    /// The guards `plan` trips, in rule order.
    static func holds(of plan: ImportPlan, limits: [GuardRule: GuardLimit], current: Current) -> [PlanHold] {
        var counts: [GuardRule: Int] = [:]
        for step in plan.steps {
            for rule in rules(of: step) { counts[rule, default: 0] += 1 }
        }
        return limits.keys.sorted().compactMap { rule in
            guard let limit = limits[rule], let changes = counts[rule], limit.isTripped(by: changes, of: current.of(rule.entity))
            else { return nil }
            return PlanHold(rule: rule, changes: changes, current: current.of(rule.entity), limit: limit)
        }
    }

    /// Marks the steps the holds keep back, and the steps that go with them: a held create's contacts,
    /// a held update's target edits (recorded as overwritten only when the update is made).
    static func markHeld(_ plan: inout ImportPlan, holds: [PlanHold]) {
        let tripped = Set(holds.compactMap { GuardRule(name: $0.rule) })
        guard !tripped.isEmpty else { return }
        var heldPeople: Set<String> = []
        for index in plan.steps.indices where rules(of: plan.steps[index]).contains(where: tripped.contains) {
            plan.steps[index].held = true
            if plan.steps[index].kind == .create || plan.steps[index].kind == .update { heldPeople.insert(plan.steps[index].personKey) }
        }
        for index in plan.steps.indices where !plan.steps[index].held && heldPeople.contains(plan.steps[index].personKey) {
            switch plan.steps[index].kind {
            case .contacts where plan.steps[index].targetID == nil: plan.steps[index].held = true
            case .targetEdit: plan.steps[index].held = true
            default: break
            }
        }
    }
}
