import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink jobs list|failed|show|retry|watch|cancel|discard|prune`.
enum JobsCommand {
    /// What narrows a list or a bulk action (`--all`).
    static let matchSpecs: [Arguments.Spec] = [
        .option("kind", "K", "only jobs of this kind"),
        .option("queue", "Q", "only jobs in this queue"),
        .option("integration", "ID", "only jobs of this integration"),
        .option("search", "TEXT", "only jobs with TEXT in the payload or an error (any case of ASCII letters)"),
    ]

    static let filterSpecs: [Arguments.Spec] = matchSpecs + [
        .option("before", "ID", "only jobs older than job ID: the next page, as 'more: --before ID' says"),
        .option("limit", "N", "at most N jobs, newest first (default 50)"),
    ]

    /// A bulk action: `ID [ID…]`, or `--all` with filters, which asks for `--yes` once it has counted.
    static let bulkSpecs: [Arguments.Spec] = [
        .flag("all", "every job matching the filters below: prints how many, and acts only with --yes"),
        .flag("yes", "with --all: act on the jobs counted"),
        .option("state", "S[,S…]", "with --all: only jobs in these states (default: those the action applies to)"),
    ] + matchSpecs

    static let bulkDetails = """
        Several ids: each is acted on by the same rules as one. --all: every job matching the filters, in
        transactions of \(JobStore.bulkChunkSize) jobs, but only with --yes; it first prints how many jobs
        match (without --yes it exits 2, having done nothing). Jobs enqueued after the count are never
        touched. Each job left alone is named with the reason, and the exit code is then 2.
        """

    static let group = CommandGroup(
        name: "jobs", summary: "list, show, retry, cancel, discard and prune jobs",
        details: "States: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))",
        actions: [
            Command(
                "jobs list", summary: "jobs, newest first",
                specs: [.option("state", "S[,S…]", "only jobs in these states")] + filterSpecs,
                run: { arguments, context in
                    try list(arguments, context, states: try parseStates(arguments.value("state")))
                }),
            Command(
                "jobs failed", summary: "failed jobs, newest first", specs: filterSpecs,
                run: { arguments, context in try list(arguments, context, states: [.failed]) }),
            Command(
                "jobs show", arguments: "ID", summary: "one job, with the error of every attempt",
                details: "A payload or result longer than \(JobPresentation.shownBytes / 1024) KiB is cut there in text; --json always has it whole.",
                specs: [.flag("full", "print the payload and result whole, however long")], run: show),
            Command(
                "jobs retry", arguments: "ID [ID…] | --all [filters] | --all-failed",
                summary: "put failed or cancelled jobs back, if their integrations' rules allow it now",
                details: """
                    A retry goes through the same rules as an enqueue: a nightly import of an integration that
                    is not On is refused (exit 2), naming the status. The job gets a fresh set of attempts (its
                    policy's maxAttempts); its error history is kept. --all-failed retries every failed job the
                    rules allow, lists those it left failed with the reason, and exits 2 if it left any.
                    --all's default state is failed.

                    """ + bulkDetails,
                specs: [.flag("all-failed", "retry every failed job")] + bulkSpecs, run: retry),
            Command(
                "jobs watch", arguments: "ID",
                summary: "follow a job until it ends: progress (done of total, rate, ETA), then its outcome",
                details: "A bar on a terminal, a line per change otherwise. Exit 0 if it succeeded, 1 if it failed or was cancelled.",
                run: watch),
            Command(
                "jobs cancel", arguments: "ID [ID…] | --all [filters]",
                summary: "stop jobs that have not finished (a running one at its worker's next heartbeat)",
                details: "--all's default states are the unfinished ones.\n\n" + bulkDetails, specs: bulkSpecs,
                run: { arguments, context in try act(.cancel, arguments, context) }),
            Command(
                "jobs discard", arguments: "ID [ID…] | --all [filters]",
                summary: "delete failed or cancelled jobs with their error history (never a pending or running one)",
                details: """
                    The queue's lasting counters (and so /metrics) keep the discarded jobs' outcomes. --all's
                    default states are failed and cancelled.

                    """ + bulkDetails, specs: bulkSpecs,
                run: { arguments, context in try act(.discard, arguments, context) }),
            Command(
                "jobs prune", summary: "delete succeeded, failed and cancelled jobs that finished before the duration",
                specs: [.option("older-than", "DURATION", "how long ago they finished (30d, 12h)")], run: prune),
        ])

    static func parseStates(_ text: String?) throws(CLIError) -> [JobState] {
        guard let text else { return [] }
        var states: [JobState] = []
        for name in text.split(separator: ",") {
            guard let state = JobState(rawValue: String(name)) else {
                throw CLIError.usage("unknown state '\(name)' (states: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            states.append(state)
        }
        return states
    }

    private static func jobID(_ arguments: Arguments) throws(CLIError) -> Int64 {
        try arguments.expectPositionals(atMost: 1)
        return try jobID(try arguments.positional(0, "job id"))
    }

    private static func jobID(_ text: String) throws(CLIError) -> Int64 {
        guard let id = Int64(text), id > 0 else { throw CLIError.usage("'\(text)' is not a job id") }
        return id
    }

    private static func filter(_ arguments: Arguments, states: [JobState]) -> JobFilter {
        JobFilter(
            states: states, kind: arguments.value("kind"), queue: arguments.value("queue"),
            integration: arguments.value("integration"), search: arguments.value("search"))
    }

    private static func list(_ arguments: Arguments, _ context: CLIContext, states: [JobState]) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        var filter = filter(arguments, states: states)
        filter.limit = try arguments.integer("limit", range: 1...1_000_000) ?? 50
        if let before = arguments.value("before") { filter.before = try jobID(before) }
        let page = try context.queueAdmin(withPolicies: false).jobPage(matching: filter)
        if context.json {
            context.printJSON(page.jobs.map(JobPresentation.json))
        } else if page.jobs.isEmpty {
            print("no jobs")
        } else {
            print(Output.table(JobPresentation.tableHeader, page.jobs.map(JobPresentation.tableRow)))
        }
        // On stderr, so that the table (or the JSON) stays the whole of stdout.
        if let next = page.nextBefore { Output.note("more: --before \(next)") }
        return 0
    }

    private static func show(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let job = try context.queueAdmin(withPolicies: false).job(id: try jobID(arguments))
        if context.json {
            context.printJSON(JobPresentation.json(job))
        } else {
            print(JobPresentation.detail(job, full: arguments.flag("full")))
        }
        return 0
    }

    private static func retry(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        guard arguments.flag("all-failed") else { return try act(.retry, arguments, context) }
        try arguments.expectPositionals(atMost: 0)
        if arguments.flag("all") { throw CLIError.usage("give --all-failed or --all with filters, not both") }
        let report = try context.jobAdmin().retryAllFailed()
        if context.json {
            context.printJSON(JobJSON.object(report))
        } else {
            print("retried \(report.retried.count) failed job(s)")
            for refusal in report.refused {
                Output.note("job \(refusal.id) (\(refusal.kind)) left failed: \(OneLine.text(refusal.reason))")
            }
        }
        if !report.refused.isEmpty {
            Output.error("\(report.refused.count) failed job(s) not retried; see above")
            return ExitCode.usage
        }
        return 0
    }

    /// Retry, cancel or discard: one id (answered as before), several ids, or `--all` with filters
    /// after a count.
    private static func act(_ action: BulkReport.Action, _ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let admin = try context.jobAdmin(withPolicies: action == .retry)
        if arguments.flag("all") {
            try arguments.expectPositionals(atMost: 0)
            let given = try parseStates(arguments.value("state"))
            let filter = filter(arguments, states: given.isEmpty ? defaultStates(action) : given)
            let count = try admin.count(matching: filter)
            guard arguments.flag("yes") else {
                if context.json { context.printJSON(JobJSON.object(count)) }
                Output.error("\(count.count) job(s) match; nothing was done: add --yes to \(action.rawValue) them")
                return ExitCode.usage
            }
            if !context.json { print("\(count.count) job(s) match") }
            return finish(try bulk(action, .matching(filter, upToID: count.upToID), admin), context)
        }
        if arguments.flag("yes") { throw CLIError.usage("--yes goes with --all") }
        if let name = ["state", "kind", "queue", "integration", "search"].first(where: { arguments.value($0) != nil }) {
            throw CLIError.usage("--\(name) goes with --all; with ids, each job named is acted on")
        }
        if arguments.positionals.count > 1 {
            var ids: [Int64] = []
            for text in arguments.positionals { ids.append(try jobID(text)) }
            return finish(try bulk(action, .ids(ids), admin), context)
        }
        if arguments.positionals.isEmpty { throw CLIError.usage("missing job id (or --all with filters)") }
        let id = try jobID(arguments)
        switch action {
        case .retry:
            try admin.retry(id: id)
            if context.json { context.printJSON(["id": id, "state": JobState.available.rawValue]) } else { print("job \(id) is available again") }
        case .cancel:
            printCancel(id, try admin.cancel(id: id), context)
        case .discard:
            try admin.discard(id: id)
            if context.json { context.printJSON(["id": id, "discarded": true]) } else { print("job \(id) discarded") }
        }
        return 0
    }

    /// The states `--all` covers when `--state` is not given: those the action can apply to.
    private static func defaultStates(_ action: BulkReport.Action) -> [JobState] {
        switch action {
        case .retry: [.failed]
        case .cancel: JobState.pending
        case .discard: [.failed, .cancelled]
        }
    }

    private static func bulk(_ action: BulkReport.Action, _ selection: JobSelection, _ admin: JobAdmin) throws -> BulkReport {
        switch action {
        case .retry: try admin.retry(selection)
        case .cancel: try admin.cancel(selection)
        case .discard: try admin.discard(selection)
        }
    }

    /// Prints the report; exit 2 if it left any job alone.
    private static func finish(_ report: BulkReport, _ context: CLIContext) -> Int32 {
        let verb: String
        switch report.action {
        case .retry: verb = "retried"
        case .cancel: verb = "cancelled"
        case .discard: verb = "discarded"
        }
        if context.json {
            context.printJSON(JobJSON.object(report))
        } else {
            print("\(verb) \(report.acted) job(s)" + (report.requested > 0 ? "; asked \(report.requested) running job(s) to stop" : ""))
            for refusal in report.refused { Output.note("job \(refusal.id) left alone: \(OneLine.text(refusal.reason))") }
            if report.refusedCount > report.refused.count {
                Output.note("… and \(report.refusedCount - report.refused.count) more left alone")
            }
        }
        guard report.refusedCount == 0 else {
            Output.error("\(report.refusedCount) job(s) not \(verb); see above")
            return ExitCode.usage
        }
        return 0
    }

    private static func printCancel(_ id: Int64, _ result: CancelResult, _ context: CLIContext) {
        switch result {
        case .cancelled:
            if context.json { context.printJSON(["id": id, "state": "cancelled"]) } else { print("job \(id) cancelled") }
        case .requested:
            if context.json {
                context.printJSON(["id": id, "state": "running", "cancelRequested": true])
            } else {
                print("job \(id) is running; its worker will cancel it at its next heartbeat")
            }
        }
    }

    private static func prune(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let text = arguments.value("older-than") else { throw CLIError.usage("prune needs --older-than DURATION (e.g. 30d)") }
        guard let age = DurationText.milliseconds(text) else {
            throw CLIError.usage("--older-than must be a duration such as 30d or 12h, not '\(text)'")
        }
        let count = try context.jobAdmin(withPolicies: false).prune(olderThan: age)
        if context.json { context.printJSON(["pruned": count]) } else { print("pruned \(count) finished job(s)") }
        return 0
    }

    private static func watch(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try JobWatcher(admin: try context.jobAdmin(withPolicies: false), id: try jobID(arguments)).watch().exitCode
    }
}
