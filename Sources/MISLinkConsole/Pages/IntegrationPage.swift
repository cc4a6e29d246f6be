import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `/integrations/ID`: status, switches and settings (secrets as "(set)", as IntegrationJSON shows
/// them), only the actions its status allows (seed 000's state table), import history with each
/// report and a chart of each night, and the guards' figures with a link to the integration's plans
/// and a re-run allowing mass leavers.
enum IntegrationPage {
    struct Model {
        var row: IntegrationRow
        var imports: [ImportRecord]
        /// Recent failed nightly imports: a guard stop says its figures in its error.
        var failedImports: [Job]
    }

    static let historyLimit = 30

    static func load(_ id: String, jobs: JobAdmin, integrations: IntegrationService) throws(SyncError) -> Model {
        let integration = try integrations.integration(id)
        let row = try IntegrationRow.load(integration, figures: try integrations.figures(), jobs: jobs)
        let failed = try jobs.jobs(matching: JobFilter(states: [.failed], kind: JobKinds.nightlyImport, integration: id, limit: 5))
        return Model(row: row, imports: try integrations.imports(id, limit: historyLimit), failedImports: failed)
    }

    /// A button per action the status allows (IntegrationActions, from seed 000's table), and the
    /// rest named as refused; the service checks again when one is posted.
    static func actionButtons(_ integration: Integration, context: PageContext) -> String {
        let base = "/integrations/\(integration.id)/"
        var buttons: [String] = []
        for action in IntegrationActions.allowed(for: integration) {
            let path = base + action.rawValue
            switch action {
            case .turnOn: buttons.append(FormActions.button("Turn on", action: path, context: context))
            case .turnOff: buttons.append(FormActions.button("Turn off (pause)", action: path, context: context, danger: true))
            case .goLive: buttons.append(FormActions.button("Go live", action: path, context: context))
            case .absenceSync, .contractSync, .staffSync:
                let isOn = switch action {
                case .absenceSync: integration.absenceSync
                case .contractSync: integration.contractSync
                default: integration.staffSync
                }
                let name = action.title.replacingOccurrences(of: " on/off", with: "")
                buttons.append(
                    FormActions.button("Turn \(name) \(isOn ? "off" : "on")", action: path, context: context, fields: [("value", isOn ? "off" : "on")]))
            case .importNow: buttons.append(FormActions.button("Run the nightly import now", action: path, context: context))
            case .rerunWizard: buttons.append(FormActions.button("Re-run the setup wizard", action: path, context: context))
            case .rematch: buttons.append(FormActions.button("Re-match staff", action: path, context: context))
            case .intakeDecisions: break  // decided on the intake page
            case .remove: buttons.append(FormActions.button("Remove…", action: path, context: context, danger: true))
            }
        }
        let refused = AdminAction.allCases.filter { !IntegrationActions.allows($0, in: integration.status) }.map(\.title)
        var html = context.canAct ? "<div class=\"actions\">\(buttons.joined(separator: "\n"))</div>\n" : ""
        if !refused.isEmpty {
            html += "<p class=\"muted\">Not allowed while \(integration.status.title): \(HTML.esc(refused.joined(separator: ", "))).</p>\n"
        }
        return html
    }

    static func html(_ model: Model, context: PageContext) -> String {
        let integration = model.row.integration
        let zone = model.row.zone
        let settings = integration.settings
        var facts: [(String, String)] = [
            ("Status", StatusText.integration(integration.status)),
            ("Plugins", HTML.esc("\(integration.connector) → \(integration.target)")),
            ("Absence sync", IntegrationsPage.onOff(integration.absenceSync)),
            ("Contract sync", IntegrationsPage.onOff(integration.contractSync)),
            ("Staff sync", IntegrationsPage.onOff(integration.staffSync)),
            ("Last successful import", HTML.esc(TimeText.local(model.row.lastImport, zone: zone))),
            ("Next import", HTML.esc(model.row.nextImport(now: context.now))),
            ("Next quiet period", HTML.esc(model.row.nextQuietPeriod(now: context.now).map { "\($0) (no scheduled import)" } ?? "none set")),
            ("Failed jobs", HTML.link(HTML.url("/jobs", [("state", "failed"), ("integration", integration.id)]), text: "\(model.row.failedJobs)")),
            ("Intake waiting", HTML.link(HTML.url("/intake", [("integration", integration.id)]), text: "\(model.row.openIntake)")),
        ]
        if let reason = integration.errorReason { facts.insert(("Error", HTML.esc(reason)), at: 1) }
        var body = HTML.table(caption: "Integration \(integration.id)", headers: ["Field", "Value"], rows: facts.map { [HTML.esc($0.0), $0.1] })
        body += "<h2>Actions</h2>\n" + actionButtons(integration, context: context)

        let settingRows: [(String, String)] = [
            ("lawful-basis", settings.lawfulBasis.rawValue), ("names", settings.names.rawValue),
            ("fields", settings.fields.sorted().map(\.rawValue).joined(separator: ", ")), ("new-records", settings.newRecords.rawValue),
            ("nightly-at", settings.nightlyAt), ("time-zone", settings.timeZone),
            ("mass-leaver-threshold", "\(Int((settings.massLeaverThreshold * 100).rounded()))%"), ("phase", settings.phase.rawValue),
            ("leaver-grace", settings.leaverGrace == 0 ? "none (moved at once)" : "\(settings.leaverGrace) days"),
            ("recycle-purge-after", settings.recyclePurgeAfterDays.map { "\($0) days in the recycle bin" } ?? "none (never deleted)"),
            ("quiet", settings.quietPeriods.isEmpty ? "none" : settings.quietPeriods.map(\.description).joined(separator: ", ")),
            ("guards", settings.guardLimits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.text)" }.joined(separator: ", ")),
            ("plan-expiry", DurationText.format(milliseconds: settings.planExpiry)),
        ]
        let configRows = integration.config.keys.sorted().map { [HTML.esc($0), HTML.esc(integration.config[$0]!)] }
            + integration.secrets.keys.sorted().map { [HTML.esc($0), "(set)"] }
        body += "<h2>Settings</h2>\n" + HTML.table(caption: "Settings", headers: ["Setting", "Value"], rows: settingRows.map { [HTML.esc($0.0), HTML.esc($0.1)] })
        body += HTML.table(caption: "Plugin configuration (secrets are never shown)", headers: ["Key", "Value"], rows: configRows)

        body += "<h2>Guards</h2>\n<p>Held \(model.row.guardTrips) import(s) so far as a plan for a decision; the mass-leaver guard holds an import that would make more than \(Int((settings.massLeaverThreshold * 100).rounded()))% of current records leavers at once. \(HTML.link("/plans?integration=\(integration.id)", text: "This integration's plans")) can be applied, applied without the held changes, or discarded.</p>\n"
        body += HTML.table(
            caption: "Recent failed nightly imports", headers: ["Job", "Failed (\(zone.identifier))", "Error"],
            rows: model.failedImports.map {
                [HTML.link("/jobs/\($0.id)", text: "\($0.id)"), HTML.esc(TimeText.local($0.finishedAt, zone: zone)), HTML.esc($0.lastError ?? "")]
            }, empty: "none.")
        if context.canAct && (model.row.guardTrips > 0 || !model.failedImports.isEmpty) {
            if IntegrationActions.allows(.importNow, in: integration.status) {
                body += "<div class=\"actions\">"
                    + FormActions.button(
                        "Re-run the nightly import allowing mass leavers", action: "/integrations/\(integration.id)/\(AdminAction.importNow.rawValue)",
                        context: context, fields: [("allowMassLeavers", "true")], danger: true)
                    + "</div>\n"
            } else {
                body += "<p class=\"muted\">A re-run allowing mass leavers needs the integration On; it is \(integration.status.title).</p>\n"
            }
        }
        body += importHistory(model.imports, zone: zone)
        body += "<h2>Changes made in the target</h2>\n<p>\(HTML.link("/integrations/\(integration.id)/changes", text: "The changes report")) lists edits made in the target that the MIS does not have (it asks the target, so it is a page of its own).</p>\n"
        return Layout.page(title: "Integration \(integration.id)", section: .integrations, context: context, body: body)
    }

    static func importHistory(_ imports: [ImportRecord], zone: TimeZone) -> String {
        var html = "<h2>Import history</h2>\n"
        guard !imports.isEmpty else { return html + "<p class=\"muted\">No import has finished yet.</p>\n" }
        // The chart is of each night (and the first upload): re-runs of the wizard change no records.
        let nights = imports.reversed().filter { $0.kind == JobKinds.nightlyImport || $0.kind == JobKinds.initialUpload }
        let chart = BarChart(
            title: "Each night's added, updated, leavers and intake",
            series: [
                .init(name: "added", style: "bar-ok"), .init(name: "updated", style: "bar-info"),
                .init(name: "leavers", style: "bar-bad"), .init(name: "to intake", style: "bar-warn"),
            ],
            groups: nights.map {
                let when = TimeText.local($0.startedAt, zone: zone)
                return BarChart.Group(label: String(when.dropFirst(5).prefix(5)), title: "\(when) \($0.kind)", values: [$0.added, $0.updated, $0.leavers, $0.toIntake])
            })
        if !nights.isEmpty { html += "<div class=\"chart\"><figure>\(chart.svg(id: "imports"))\(chart.legend())</figure></div>\n" }
        let rows = imports.map { record -> [String] in
            let report = "<details><summary>Report</summary>\(HTML.json(JobJSON.redacted(record.report)))</details>"
            return [
                HTML.esc(TimeText.local(record.startedAt, zone: zone)), HTML.esc(record.kind),
                record.jobID.map { HTML.link("/jobs/\($0)", text: "\($0)") } ?? "—",
                "\(record.added)", "\(record.updated)", "\(record.matched)", "\(record.toIntake)", "\(record.leavers)",
                "\(record.skipped)", "\(record.warnings)", report,
            ]
        }
        html += HTML.table(
            caption: "Imports, newest first (times in \(zone.identifier))",
            headers: ["Started", "Kind", "Job", "Added", "Updated", "Matched", "To intake", "Leavers", "Skipped", "Warnings", "Report"],
            rows: rows, numeric: Set(3...9))
        return html
    }
}
