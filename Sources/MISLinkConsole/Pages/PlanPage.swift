import MISLinkKit
import MISLinkSync

/// `/plans/ID`: one plan, counts first, then each change with its fields before and after
/// (`?kind=update` shows one kind); a plan waiting for a decision has its buttons: apply, apply
/// without the held changes, discard.
enum PlanPage {
    static func html(_ summary: PlanSummary, steps: [PlanStep], kind: String?, context: PageContext) -> String {
        let state = summary.shownState(now: context.now)
        var body = "<p>\(HTML.link("/plans", text: "All plans")) · \(HTML.link("/integrations/\(summary.integration)", text: "Integration \(summary.integration)"))</p>\n"
        body += "<p>\(HTML.esc(summary.kind)) of \(HTML.esc(summary.integration)), made \(HTML.esc(TimeText.utc(summary.createdAt))): <strong>\(HTML.esc(state))</strong>"
        if let asOf = summary.asOf { body += ", a rehearsal as of \(HTML.esc(asOf)) (shown, never applied)" }
        if summary.waitsForDecision(now: context.now), let expires = summary.expiresAt { body += "; expires \(HTML.esc(TimeText.utc(expires)))" }
        body += ".</p>\n"
        for hold in summary.holds { body += "<p class=\"notice error\">Held: \(HTML.esc(hold.message))</p>\n" }
        let counts = PlanReviewJSON.counts(summary.report)
        body += HTML.table(
            caption: "Counts", headers: ["Change", "Records"], rows: counts.sorted { $0.key < $1.key }.map { [HTML.esc($0.key), String($0.value)] },
            numeric: [1])
        if summary.waitsForDecision(now: context.now) {
            if summary.asOf == nil {
                body += FormActions.button("Apply this plan", action: "/plans/\(summary.id)/apply", context: context, danger: !summary.holds.isEmpty)
                if !summary.holds.isEmpty {
                    body += FormActions.button("Apply all but the held changes", action: "/plans/\(summary.id)/apply-except-held", context: context)
                }
            }
            body += FormActions.button("Discard", action: "/plans/\(summary.id)/discard", context: context)
        }
        let kinds = PlanStep.Kind.allCases.map(\.rawValue)
        body += "<form class=\"filters\" method=\"get\" action=\"/plans/\(summary.id)\">"
            + HTML.select("kind", label: "Changes of kind", options: kinds, selected: kind, any: "all kinds")
            + "<button type=\"submit\">Show</button></form>\n"
        let rows = steps.map { step -> [String] in
            [
                HTML.esc(step.kind.rawValue) + (step.held ? " <strong>(held)</strong>" : ""), HTML.esc(step.role.rawValue), HTML.esc(step.misID),
                HTML.esc(step.targetID ?? "—"), diff(step), HTML.esc(step.detail ?? ""), HTML.esc(step.status.rawValue),
            ]
        }
        body += HTML.table(
            caption: "Changes", headers: ["Change", "Role", "MIS id", "Target id", "Fields (before → after)", "Detail", "Status"], rows: rows,
            empty: "nothing of this kind.")
        return Layout.page(title: "Plan \(summary.id)", section: .plans, context: context, body: body)
    }

    /// The fields a step changes as a list, `field: before → after`; contacts as names.
    static func diff(_ step: PlanStep) -> String {
        if step.kind == .contacts {
            func names(_ contacts: [Contact]?) -> String {
                contacts.map { $0.isEmpty ? "none" : $0.map { $0.forename + " " + $0.surname }.joined(separator: ", ") } ?? "—"
            }
            return "<ul><li>contacts: \(HTML.esc(names(step.contactsBefore))) → \(HTML.esc(names(step.contacts)))</li></ul>"
        }
        let changes = PlanReviewJSON.changes(step)
        guard !changes.isEmpty else { return "" }
        return "<ul>" + changes.map { "<li>\(HTML.esc($0.field)): \(HTML.esc($0.before ?? "—")) → \(HTML.esc($0.after ?? "—"))</li>" }.joined() + "</ul>"
    }
}
