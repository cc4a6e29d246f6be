import MISLinkKit
import MISLinkSync

/// `/intake`: open entries (of an integration, of a role), each with match / transfer / exclude;
/// in bulk, transfer or exclude every entry the filter covers, confirmed first.
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

        func keeps(_ entry: IntakeEntry) -> Bool { role == nil || entry.role == role }
    }

    /// The open entries the filter covers, oldest first.
    static func entries(_ filter: Filter, integrations: IntegrationService) throws(SyncError) -> [IntakeEntry] {
        try integrations.intake(integration: filter.integration, includeResolved: false).filter(filter.keeps)
    }

    static func html(_ entries: [IntakeEntry], integrationIDs: [String], filter: Filter, context: PageContext) -> String {
        var body = "<form class=\"filters\" method=\"get\" action=\"/intake\">"
            + HTML.select("integration", label: "Integration", options: integrationIDs, selected: filter.integration)
            + HTML.select("role", label: "Role", options: PersonRole.allCases.map(\.rawValue), selected: filter.role?.rawValue)
            + "<button type=\"submit\">Filter</button></form>\n"
        body += "<p>\(entries.count) open entr\(entries.count == 1 ? "y" : "ies") match this filter.</p>\n"
        if context.canAct && !entries.isEmpty {
            let fields = filter.parameters.compactMap { name, value in value.map { (name, $0) } }
            body += "<div class=\"actions\">"
                + FormActions.button("Transfer all \(entries.count) as new…", action: "/intake/bulk", context: context, fields: fields + [("action", "transfer")])
                + FormActions.button("Exclude all \(entries.count)…", action: "/intake/bulk", context: context, fields: fields + [("action", "exclude")], danger: true)
                + "</div>\n"
        }
        let start = (filter.page - 1) * Filter.pageSize
        let shown = entries.dropFirst(start).prefix(Filter.pageSize)
        let rows = shown.map { entry -> [String] in
            ["\(entry.id)", HTML.esc(entry.integration), HTML.esc(entry.role.rawValue), HTML.esc(entry.misID), HTML.esc(entry.name),
             HTML.esc(entry.reason)] + (context.canAct ? [actions(entry, context: context)] : [])
        }
        body += HTML.table(
            caption: "Open intake entries", headers: ["Entry", "Integration", "Role", "MIS id", "Name", "Why it is here"] + (context.canAct ? ["Decide"] : []),
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

    private static func actions(_ entry: IntakeEntry, context: PageContext) -> String {
        let base = "/intake/\(entry.id)/"
        return "<form class=\"inline\" method=\"post\" action=\"\(base)match\">\(FormActions.csrfField(context))"
            + "<label for=\"target-\(entry.id)\">Target record id</label> "
            + "<input id=\"target-\(entry.id)\" name=\"target\" required size=\"10\"> <button type=\"submit\">Match</button></form> "
            + FormActions.button("Transfer as new", action: base + "transfer", context: context) + " "
            + FormActions.button("Exclude", action: base + "exclude", context: context, danger: true)
    }
}
