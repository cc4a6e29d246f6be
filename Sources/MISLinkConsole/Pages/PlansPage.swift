import MISLinkSync

/// `/plans`: plans newest first, of one integration or all; `?review=1` keeps those waiting for an
/// admin (ready or held), which the overview counts.
enum PlansPage {
    struct Filter {
        var integration: String?
        var reviewOnly = false

        init(_ value: (String) -> String?) {
            integration = value("integration").flatMap { $0.isEmpty ? nil : $0 }
            reviewOnly = value("review") == "1"
        }
    }

    static func html(_ plans: [PlanSummary], filter: Filter, integrationIDs: [String], context: PageContext) -> String {
        var body = "<form class=\"filters\" method=\"get\" action=\"/plans\">"
            + HTML.select("integration", label: "Integration", options: integrationIDs, selected: filter.integration, any: "all")
            + "<label for=\"f-review\"><input id=\"f-review\" type=\"checkbox\" name=\"review\" value=\"1\"\(filter.reviewOnly ? " checked" : "")> only waiting for a decision</label>"
            + "<button type=\"submit\">Show</button></form>\n"
        let rows = plans.map { plan -> [String] in
            let counts = PlanReviewJSON.counts(plan.report)
            return [
                HTML.link("/plans/\(plan.id)", text: "Plan \(plan.id)"), HTML.esc(plan.integration), HTML.esc(plan.kind),
                HTML.esc(plan.shownState(now: context.now) + (plan.asOf.map { " (as of \($0))" } ?? "")),
                HTML.esc(TimeText.utc(plan.createdAt)),
                String(counts["create"] ?? 0), String(counts["update"] ?? 0), String(counts["recycle"] ?? 0),
                String(counts["contacts"] ?? 0), String(counts["intake"] ?? 0), HTML.esc(plan.holds.map(\.rule).joined(separator: ", ")),
            ]
        }
        body += HTML.table(
            caption: filter.reviewOnly ? "Plans waiting for a decision" : "Plans",
            headers: ["Plan", "Integration", "Kind", "State", "Made", "Create", "Update", "Recycle", "Contacts", "Intake", "Held by"],
            rows: rows, numeric: [5, 6, 7, 8, 9],
            empty: filter.reviewOnly ? "no plan waits for a decision." : "no plans yet.")
        return Layout.page(title: "Plans", section: .plans, context: context, body: body)
    }
}
