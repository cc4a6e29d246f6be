import MISLinkSync

/// `/integrations`: every integration (or those a filter from the overview names) with its status,
/// switches, last and next import in its own time zone, failed jobs and open intake.
enum IntegrationsPage {
    /// `status=error,pending`, `attention=guard|stale`: the overview's links.
    struct Filter: Equatable {
        var statuses: Set<IntegrationStatus> = []
        var attention: String?

        init(status: String?, attention: String?) throws(PageError) {
            for name in (status ?? "").split(separator: ",") {
                guard let parsed = IntegrationStatus(rawValue: String(name)) else {
                    throw PageError(400, "unknown integration status '\(name)' (statuses: on, off, pending, ready, error)")
                }
                statuses.insert(parsed)
            }
            guard attention == nil || attention == "guard" || attention == "stale" || attention == "" else {
                throw PageError(400, "attention must be guard or stale")
            }
            self.attention = attention == "" ? nil : attention
        }

        func keeps(_ row: IntegrationRow, now: Int64, figures: IntegrationFigures) -> Bool {
            if !statuses.isEmpty && !statuses.contains(row.integration.status) { return false }
            switch attention {
            case "guard": return row.guardTrips > 0
            case "stale": return OverviewPage.isStale(row.integration, figures: figures, now: now)
            default: return true
            }
        }

        var summary: String? {
            var parts: [String] = []
            if !statuses.isEmpty { parts.append("status " + statuses.map(\.title).sorted().joined(separator: " or ")) }
            if attention == "guard" { parts.append("an import held by a guard") }
            if attention == "stale" { parts.append("no successful import in 26 h") }
            return parts.isEmpty ? nil : parts.joined(separator: ", ")
        }
    }

    static func load(_ filter: Filter, jobs: JobAdmin, integrations: IntegrationService, now: Int64) throws(SyncError) -> [IntegrationRow] {
        let figures = try integrations.figures()
        var rows: [IntegrationRow] = []
        for integration in try integrations.integrations() {
            let row = try IntegrationRow.load(integration, figures: figures, jobs: jobs)
            if filter.keeps(row, now: now, figures: figures) { rows.append(row) }
        }
        return rows
    }

    static func onOff(_ value: Bool) -> String { value ? "on" : "off" }

    static func html(_ rows: [IntegrationRow], filter: Filter, context: PageContext) -> String {
        var body = ""
        if let summary = filter.summary {
            body += "<p>Showing integrations with \(HTML.esc(summary)). \(HTML.link("/integrations", text: "Show all"))</p>\n"
        }
        let cells = rows.map { row -> [String] in
            let integration = row.integration
            return [
                HTML.link("/integrations/\(integration.id)", text: integration.id), StatusText.integration(integration.status),
                HTML.esc("\(integration.connector) → \(integration.target)"),
                HTML.esc("absence \(onOff(integration.absenceSync)), contract \(onOff(integration.contractSync)), staff \(onOff(integration.staffSync))"),
                HTML.esc(TimeText.local(row.lastImport, zone: row.zone)), HTML.esc(row.nextImport(now: context.now)),
                row.failedJobs == 0 ? "0" : HTML.link(HTML.url("/jobs", [("state", "failed"), ("integration", integration.id)]), text: "\(row.failedJobs)"),
                row.openIntake == 0 ? "0" : HTML.link(HTML.url("/intake", [("integration", integration.id)]), text: "\(row.openIntake)"),
                "\(row.guardTrips)",
            ]
        }
        body += HTML.table(
            caption: "Integrations", headers: ["Integration", "Status", "Plugins", "Sync", "Last successful import", "Next import", "Failed jobs", "Intake waiting", "Guard trips"],
            rows: cells, numeric: [6, 7, 8], empty: "no integration matches.")
        return Layout.page(title: "Integrations", section: .integrations, context: context, body: body)
    }
}
