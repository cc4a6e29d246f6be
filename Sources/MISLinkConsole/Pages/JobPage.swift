import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `/jobs/ID`: the job, every attempt's error, payload and result with secret-looking values
/// redacted (JobJSON's redaction, as the API shows them), progress while it runs, and the actions
/// its state allows.
enum JobPage {
    /// The actions a job in this state offers: the service layer decides again when one is posted.
    static func actions(for state: JobState) -> [(action: String, label: String, danger: Bool)] {
        switch state {
        case .failed, .cancelled: [("retry", "Retry", false)]
        case .scheduled, .available, .retryable, .running: [("cancel", "Cancel", true)]
        case .succeeded: []
        }
    }

    static func html(_ job: Job, context: PageContext) -> String {
        let duration: String =
            if let started = job.startedAt, let finished = job.finishedAt {
                DurationText.format(milliseconds: max(0, finished - started))
            } else if let started = job.startedAt {
                "running for " + TimeText.age(since: started, now: context.now)
            } else { "—" }
        let facts: [(String, String)] = [
            ("State", StatusText.job(job.state) + (job.cancelRequested ? " (cancel requested)" : "")),
            ("Kind", HTML.esc(job.kind)), ("Queue", HTML.esc(job.queue)),
            ("Integration", job.integration.map { HTML.link("/integrations/\($0)", text: $0) } ?? "—"),
            ("Priority", "\(job.priority)"), ("Attempt", "\(job.attempt) of \(job.maxAttempts)"),
            ("Created", HTML.esc(TimeText.utc(job.createdAt))), ("Runs at", HTML.esc(TimeText.utc(job.runAt))),
            ("Last started", HTML.esc(TimeText.utc(job.startedAt))), ("Finished", HTML.esc(TimeText.utc(job.finishedAt))),
            ("Last run took", HTML.esc(duration)), ("Worker", HTML.esc(job.leaseOwner ?? "—")),
            ("Unique key", HTML.esc(job.uniqueKey ?? "—")),
        ]
        var body = HTML.table(caption: "Job \(job.id)", headers: ["Field", "Value"], rows: facts.map { [HTML.esc($0.0), $0.1] })
        let buttons = actions(for: job.state).map {
            FormActions.button($0.label, action: "/jobs/\(job.id)/\($0.action)", context: context, danger: $0.danger)
        }
        if !buttons.isEmpty && context.canAct { body += "<div class=\"actions\">\(buttons.joined())</div>\n" }
        if job.state == .running, job.progress != nil {
            body += "<h2>Progress</h2>\n" + HTML.json(JobJSON.redacted(job.progress))
        }
        body += "<h2>Attempts</h2>\n"
        body += HTML.table(
            caption: "Errors by attempt", headers: ["Attempt", "At (UTC)", "Error"],
            rows: job.errors.map { ["\($0.attempt)", HTML.esc(TimeText.utc($0.at)), HTML.esc($0.message)] },
            empty: "no attempt has failed.")
        body += "<h2>Payload</h2>\n" + HTML.json(JobJSON.redacted(job.payload))
        body += "<h2>Result</h2>\n" + HTML.json(JobJSON.redacted(job.result))
        return Layout.page(title: "Job \(job.id)", section: .jobs, context: context, body: body)
    }
}
