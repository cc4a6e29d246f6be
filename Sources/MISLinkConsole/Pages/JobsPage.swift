import MISLinkQueue
import MISLinkSync

/// `/jobs`: tabs by state with their counts, filters, newest first, keyset pages ("Older"), and a
/// bulk form: the rows' checkboxes or everything matching the filter, confirmed before it acts.
enum JobsPage {
    struct Model {
        var jobs: [Job] = []
        var nextBefore: Int64?
        var counts: [JobState: Int] = [:]
        var kinds: [String] = []
        var integrations: [String] = []
    }

    static func load(_ query: JobQuery, jobs admin: JobAdmin, integrations: IntegrationService) throws(SyncError) -> Model {
        var model = Model()
        let page = try admin.jobs(matching: query.pagedFilter)
        model.jobs = Array(page.prefix(JobQuery.pageSize))
        model.nextBefore = page.count > JobQuery.pageSize ? model.jobs.last?.id : nil
        for row in try admin.stats().rows where query.kind == nil || row.kind == query.kind {
            model.counts[row.state, default: 0] += row.count
        }
        model.kinds = JobKinds.all
        model.integrations = try integrations.integrations().map(\.id)
        return model
    }

    static func html(_ model: Model, query: JobQuery, context: PageContext) -> String {
        var body = "<ul class=\"tabs\" aria-label=\"States\">"
        let total = model.counts.values.reduce(0, +)
        body += "<li>\(HTML.link(query.url(state: nil), text: "all (\(total))", current: query.state == nil))</li>"
        for state in JobState.allCases {
            let label = "\(state.rawValue) (\(model.counts[state] ?? 0))"
            body += "<li>\(HTML.link(query.url(state: state), text: label, current: query.state == state))</li>"
        }
        body += "</ul>\n"
        body += "<form class=\"filters\" method=\"get\" action=\"/jobs\">"
        if let state = query.state { body += FormActions.hidden("state", state.rawValue) }
        body += HTML.select("kind", label: "Kind", options: model.kinds, selected: query.kind)
        body += HTML.textField("queue", label: "Queue", value: query.queue)
        body += HTML.select("integration", label: "Integration", options: model.integrations, selected: query.integration)
        body += HTML.textField("q", label: "Search payload and errors", value: query.search, type: "search")
        body += "<button type=\"submit\">Filter</button></form>\n"

        let rows = model.jobs.map { job -> [String] in
            let select = "<label><input type=\"checkbox\" name=\"id\" value=\"\(job.id)\"><span class=\"visually-hidden\">Select job \(job.id)</span></label>"
            return [HTML.link("/jobs/\(job.id)", text: "\(job.id)")] + (context.canAct ? [select] : []) + [
                HTML.esc(job.kind), HTML.esc(job.queue),
                HTML.esc(job.integration ?? "—"), StatusText.job(job.state), "\(job.attempt) of \(job.maxAttempts)",
                HTML.esc(TimeText.utc(job.createdAt)), HTML.esc(String((job.lastError ?? "").prefix(120))),
            ]
        }
        let table = HTML.table(
            caption: "Jobs, newest first", headers: ["Job"] + (context.canAct ? ["Select"] : []) + ["Kind", "Queue", "Integration", "State", "Attempt", "Created (UTC)", "Last error"],
            rows: rows, empty: "no job matches this filter.")
        if context.canAct && !model.jobs.isEmpty {
            body += "<form method=\"post\" action=\"/jobs/bulk\">\(FormActions.csrfField(context))"
            for (name, value) in query.parameters { if let value { body += FormActions.hidden(name, value) } }
            body += table
            body += """
                <fieldset><legend>Act on</legend>
                <label><input type="radio" name="scope" value="selected" checked> the jobs ticked above</label>
                <label><input type="radio" name="scope" value="matching"> every job matching this filter</label>
                </fieldset>
                <div class="actions"><button type="submit" name="action" value="retry">Retry…</button>
                <button type="submit" name="action" value="cancel">Cancel…</button>
                </div><p class="muted">Each asks for confirmation first, saying how many jobs it will touch.</p></form>

                """
        } else {
            body += table
        }
        if let before = model.nextBefore {
            body += "<p>\(HTML.link(query.url(state: query.state, before: before), text: "Older jobs"))</p>\n"
        }
        return Layout.page(title: "Jobs", section: .jobs, context: context, body: body)
    }
}
