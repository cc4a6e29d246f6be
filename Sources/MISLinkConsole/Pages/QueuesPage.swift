import MISLinkQueue

/// `/queues`: each queue's depth by state, its oldest available job's age, pause and resume; the
/// workers with their heartbeats and the jobs they hold.
enum QueuesPage {
    static let states: [JobState] = [.scheduled, .available, .running, .retryable, .failed]

    static func html(queues: [QueueSummary], workers: [WorkerRecord], context: PageContext) -> String {
        let rows = queues.map { queue -> [String] in
            let button = queue.isPaused
                ? FormActions.button("Resume", action: "/queues/\(HTML.percentEncoded(queue.name))/resume", context: context)
                : FormActions.button("Pause", action: "/queues/\(HTML.percentEncoded(queue.name))/pause", context: context, danger: true)
            let depth = states.map { state -> String in
                let count = queue.count(state)
                return count == 0 ? "0" : HTML.link(HTML.url("/jobs", [("state", state.rawValue), ("queue", queue.name)]), text: "\(count)")
            }
            return [HTML.esc(queue.name), StatusText.paused(queue.isPaused)] + depth
                + [HTML.esc(TimeText.age(since: queue.oldestAvailableRunAt, now: context.now))] + (context.canAct ? [button] : [])
        }
        var body = HTML.table(
            caption: "Queues", headers: ["Queue", "Claiming"] + states.map(\.rawValue) + ["Oldest available waits"] + (context.canAct ? ["Action"] : []),
            rows: rows, numeric: Set(2..<(2 + states.count)), empty: "no queue has pending or failed jobs.")
        if context.canAct {
            body += """
                <form class="filters" method="post" action="/queues/pause">\(FormActions.csrfField(context))
                \(HTML.textField("queue", label: "Pause a queue by name (it need not have jobs yet)", value: nil))
                <button type="submit" class="danger">Pause</button></form>

                """
        }
        let workerRows = workers.map { worker -> [String] in
            [
                HTML.esc(worker.id), HTML.esc("\(worker.host) pid \(worker.pid)"), HTML.esc(worker.queues?.joined(separator: ", ") ?? "every queue"),
                "\(worker.concurrency)", HTML.esc(TimeText.utc(worker.startedAt)),
                HTML.esc(TimeText.age(since: worker.heartbeatAt, now: context.now) + " ago"), "\(worker.runningJobs)",
            ]
        }
        body += "<h2>Workers</h2>\n"
        body += HTML.table(
            caption: "Workers", headers: ["Worker", "Process", "Queues", "Concurrency", "Started (UTC)", "Last heartbeat", "Jobs held"],
            rows: workerRows, numeric: [3, 6], empty: "no worker is registered.")
        return Layout.page(title: "Queues", section: .queues, context: context, body: body)
    }
}
