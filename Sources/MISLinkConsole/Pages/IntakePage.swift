import MISLinkKit
import MISLinkSync

/// `/intake`: open entries (of an integration, of a role) with their candidates, each with match /
/// transfer / exclude; in bulk, transfer, exclude or match-to-the-only-candidate every entry the
/// filter covers, confirmed first with the count.
enum IntakePage {
    struct Filter: Equatable {
        var integration: String?
        var role: PersonRole?
        var page = 1

        static let pageSize = 50

        init(_ value: (String) -> String?) throws(PageError) {
            integration = value("integration").flatMap { $0.isEmpty ? nil : $0 }
            if let name = value("role"), !name.isEmpty {
                guard let role = PersonRole(rawValue: name) else {
                    throw PageError(400, "unknown role '\(name)' (roles: \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                self.role = role
            }
            if let text = value("page"), !text.isEmpty {
                guard let number = Int(text), number >= 1 else { throw PageError(400, "page must be a whole number from 1, not '\(text)'") }
                page = number
            }
        }

        var parameters: [(String, String?)] { [("integration", integration), ("role", role?.rawValue)] }

        var fields: [(String, String)] { parameters.compactMap { name, value in value.map { (name, $0) } } }

        var selection: IntakeSelection { .open(integration: integration, role: role) }
    }

    /// A bulk decision by its form value: what its button, its confirmation and its notice say.
    struct BulkAction: Sendable {
        let action: String
        let decision: IntakeDecision
        let button: String
        let title: String
        let confirm: String
        let done: String
    }

    static let bulkActions = [
        BulkAction(
            action: "match", decision: .matchOnlyCandidate, button: "Match each to its only candidate…", title: "Match intake entries?",
            confirm: "entries will be matched to their only candidate (an entry with none or several is left for you).", done: "matched"),
        BulkAction(
            action: "transfer", decision: .transfer, button: "Transfer all as new…", title: "Transfer intake entries?",
            confirm: "entries will be created in the target as new records.", done: "transferred"),
        BulkAction(
            action: "exclude", decision: .exclude, button: "Exclude all…", title: "Exclude intake entries?",
            confirm: "entries will be excluded: those people are not imported again.", done: "excluded"),
    ]

    static func html(_ entries: [IntakeEntry], integrationIDs: [String], filter: Filter, context: PageContext) -> String {
        var body = "<form class=\"filters\" method=\"get\" action=\"/intake\">"
            + HTML.select("integration", label: "Integration", options: integrationIDs, selected: filter.integration)
            + HTML.select("role", label: "Role", options: PersonRole.allCases.map(\.rawValue), selected: filter.role?.rawValue)
            + "<button type=\"submit\">Filter</button></form>\n"
        body += "<p>\(entries.count == 1 ? "1 open entry matches" : "\(entries.count) open entries match") this filter.</p>\n"
        if context.canAct && !entries.isEmpty {
            body += "<div class=\"actions\">"
            for bulk in bulkActions {
                body += FormActions.button(
                    bulk.button, action: "/intake/bulk", context: context, fields: filter.fields + [("action", bulk.action)],
                    danger: bulk.decision == .exclude)
            }
            body += "</div>\n"
        }
        let start = (filter.page - 1) * Filter.pageSize
        let rows = entries.dropFirst(start).prefix(Filter.pageSize).map { entry -> [String] in
            ["\(entry.id)", HTML.esc(entry.integration), HTML.esc(entry.role.rawValue), HTML.esc(entry.misID), HTML.esc(entry.name),
             HTML.esc(entry.reason), candidates(entry, context: context)] + (context.canAct ? [actions(entry, context: context)] : [])
        }
        body += HTML.table(
            caption: "Open intake entries, oldest first",
            headers: ["Entry", "Integration", "Role", "MIS id", "Name", "Why it is here", "Candidates"] + (context.canAct ? ["Decide"] : []),
            rows: rows, empty: "no entry is waiting.")
        var pages: [String] = []
        if filter.page > 1 {
            pages.append(HTML.link(HTML.url("/intake", filter.parameters + [("page", "\(filter.page - 1)")]), text: "Previous page"))
        }
        if start + Filter.pageSize < entries.count {
            pages.append(HTML.link(HTML.url("/intake", filter.parameters + [("page", "\(filter.page + 1)")]), text: "Next page"))
        }
        if !pages.isEmpty { body += "<p>\(pages.joined(separator: " · "))</p>\n" }
        return Layout.page(title: "Intake", section: .intake, context: context, body: body)
    }

    /// The target records that nearly matched, and on what, each with its own Match button.
    private static func candidates(_ entry: IntakeEntry, context: PageContext) -> String {
        guard let candidates = entry.candidates else { return "<span class=\"muted\">not recorded (entry made before candidates were kept)</span>" }
        guard !candidates.isEmpty else { return "<span class=\"muted\">none</span>" }
        var html = "<ul>"
        for candidate in candidates {
            let born = candidate.dateOfBirth.map { ", born \($0)" } ?? ""
            html += "<li>\(HTML.esc("\(candidate.name)\(born) — \(candidate.targetID), \(candidate.basis.summary)")) "
            html += FormActions.button(
                "Match", action: "/intake/\(entry.id)/match", context: context, fields: [("target", candidate.targetID)])
            html += "</li>"
        }
        return html + "</ul>"
    }

    private static func actions(_ entry: IntakeEntry, context: PageContext) -> String {
        let base = "/intake/\(entry.id)/"
        return "<form class=\"inline\" method=\"post\" action=\"\(base)match\">\(FormActions.csrfField(context))"
            + "<label for=\"target-\(entry.id)\">Target record id</label> "
            + "<input id=\"target-\(entry.id)\" name=\"target\" required size=\"10\"> <button type=\"submit\">Match</button></form> "
            + FormActions.button("Transfer as new", action: base + "transfer", context: context) + " "
            + FormActions.button("Exclude", action: base + "exclude", context: context, danger: true)
    }
}
