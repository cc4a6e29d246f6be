import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink plan list|show|apply|discard`: plans made for review (`enqueue … --plan-only`) or held by a
/// guard, and every import's own plan.
enum PlanCommand {
    static let group = CommandGroup(
        name: "plan", summary: "plans: preview an import's changes, then apply exactly those",
        details: """
            Every import-like job (initial-upload, nightly-import, rerun-wizard, rematch) works out its
            changes as a plan before it writes. 'mislink enqueue KIND --integration ID --plan-only' stores
            the plan and writes nothing (state ready); an import that trips a guard (see 'mislink
            integration set ID guard.ENTITY.CHANGE=…') is stored the same way (state held). 'plan apply'
            queues a job that applies exactly that plan, after checking that no planned record has
            changed since in the MIS or the target; if one has, it is refused, naming the records.
            States: ready, held, applying, applied, superseded, discarded, expired (a ready or held plan
            past the integration's plan-expiry, 7 days by default). 'plan undo' reverses an applied plan's
            changes, for everyone or one person, where the target record has not changed since.
            """,
        actions: [
            Command(
                "plan list", summary: "plans, newest first",
                specs: [
                    .option("integration", "ID", "one integration's plans"),
                    .flag("review", "only plans waiting for an admin (ready or held)"),
                    .option("limit", "N", "at most N plans (default 50)"),
                ],
                run: list),
            Command(
                "plan show", arguments: "PLAN", summary: "one plan: counts first, then each change",
                specs: [
                    .option("kind", "KINDS", "only these changes: a comma list of \(PlanStep.Kind.allCases.map(\.rawValue).joined(separator: ","))"),
                    .flag("held", "only the changes a guard holds back"),
                ],
                run: show),
            Command(
                "plan apply", arguments: "PLAN", summary: "queue the job that makes exactly the plan's changes",
                specs: [
                    .flag("except-held", "leave out the changes a guard holds back (the creates and updates without the leavers)"),
                    .flag("wait", "wait until the job ends; exit 0 if it applied the plan, 1 if not"),
                ],
                run: apply),
            Command("plan discard", arguments: "PLAN", summary: "end a ready or held plan without applying it", run: discard),
            PlanUndoCommand.command,
        ])

    private static func service(_ context: CLIContext, withPolicies: Bool = false) throws -> PlanService {
        PlanService(environment: try context.syncEnvironment(policies: withPolicies ? nil : PolicySet()))
    }

    private static func planID(_ arguments: Arguments) throws -> Int64 {
        let text = try arguments.positional(0, "plan id")
        guard let id = Int64(text), id > 0 else { throw CLIError.usage("a plan id is a whole number, not '\(text)'") }
        return id
    }

    static func list(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let plans = try service(context).list(
            integration: arguments.value("integration"), reviewOnly: arguments.flag("review"),
            limit: try arguments.integer("limit", range: 1...100_000) ?? 50)
        let now = JobStore.now()
        if context.json {
            context.printJSON(plans.map { PlanReviewJSON.object($0, now: now) })
        } else if plans.isEmpty {
            print("no plans")
        } else {
            print(Output.table(
                ["PLAN", "INTEGRATION", "KIND", "STATE", "MADE", "CREATE", "UPDATE", "RECYCLE", "CONTACTS", "INTAKE", "HELD BY"],
                plans.map { plan in
                    let counts = PlanReviewJSON.counts(plan.report)
                    return [
                        String(plan.id), plan.integration, plan.kind, plan.shownState(now: now) + (plan.asOf.map { " (as of \($0))" } ?? ""),
                        DurationText.isoString(milliseconds: plan.createdAt), String(counts["create"] ?? 0),
                        String(counts["update"] ?? 0), String(counts["recycle"] ?? 0), String(counts["contacts"] ?? 0),
                        String(counts["intake"] ?? 0), plan.holds.map(\.rule).joined(separator: ","),
                    ]
                }))
        }
        return 0
    }

    static func show(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let id = try planID(arguments)
        let kinds: Set<PlanStep.Kind>?
        do { kinds = try arguments.value("kind").map(PlanStep.Kind.list) } catch { throw error.cliError }
        var (summary, steps) = try service(context).show(id, kinds: kinds)
        if arguments.flag("held") { steps = steps.filter(\.held) }
        let now = JobStore.now()
        if context.json {
            var object = PlanReviewJSON.object(summary, now: now)
            object["changes"] = steps.map(PlanReviewJSON.object)
            context.printJSON(object)
            return 0
        }
        print("plan \(summary.id): \(summary.kind) of integration \(summary.integration), \(summary.shownState(now: now))"
            + (summary.asOf.map { ", a rehearsal as of \($0)" } ?? ""))
        print("made \(DurationText.isoString(milliseconds: summary.createdAt))"
            + (summary.expiresAt.map { summary.state.forReview ? ", expires \(DurationText.isoString(milliseconds: $0))" : "" } ?? ""))
        for hold in summary.holds { print("held: " + hold.message) }
        let counts = PlanReviewJSON.counts(summary.report)
        print(counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for step in steps { print(line(step)) }
        return 0
    }

    /// `update pupil 1001 → T7: surname 'Smith' → 'Jones'`.
    static func line(_ step: PlanStep) -> String {
        var text = "\(step.held ? "[held] " : "")\(step.kind.rawValue) \(step.role.rawValue) \(step.misID)"
        if let target = step.targetID { text += " → \(target)" }
        if let detail = step.detail { text += " (\(detail))" }
        if step.kind == .contacts {
            text += ": \(step.contactsBefore?.count ?? 0) → \(step.contacts?.count ?? 0) contacts"
        } else {
            let changes = PlanReviewJSON.changes(step)
            if !changes.isEmpty {
                text += ": " + changes.map { "\($0.field) \($0.before.map { "'\($0)'" } ?? "none") → \($0.after.map { "'\($0)'" } ?? "none")" }
                    .joined(separator: ", ")
            }
        }
        return text
    }

    static func apply(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let id = try planID(arguments)
        let result = try service(context, withPolicies: true).apply(id, exceptHeld: arguments.flag("except-held"))
        if context.json {
            context.printJSON(JobJSON.enqueued(result))
        } else {
            print(result.id)
        }
        if !result.inserted { Output.note("job \(result.id) that applies plan \(id) is already \(result.state.rawValue)") }
        if arguments.flag("wait") {
            return try JobWatcher(admin: try context.jobAdmin(withPolicies: false), id: result.id).watch().exitCode
        }
        return 0
    }

    static func discard(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let id = try planID(arguments)
        try service(context).discard(id)
        if context.json { context.printJSON(["plan": id, "state": "discarded"]) } else { print("plan \(id) discarded") }
        return 0
    }
}
