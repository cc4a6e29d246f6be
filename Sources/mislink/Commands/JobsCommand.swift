import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink jobs list|failed|show|retry|cancel|prune`.
enum JobsCommand {
    static let filterSpecs: [Arguments.Spec] = [
        .option("kind", "K", "only jobs of this kind"),
        .option("integration", "ID", "only jobs of this integration"),
        .option("limit", "N", "at most N jobs, newest first (default 50)"),
    ]

    static let group = CommandGroup(
        name: "jobs", summary: "list, show, retry, cancel and prune jobs",
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
                "jobs retry", arguments: "ID | --all-failed",
                summary: "put a failed or cancelled job back, if its integration's rules allow it now",
                details: """
                    A retry goes through the same rules as an enqueue: a nightly import of an integration that
                    is not On is refused (exit 2), naming the status. The job gets a fresh set of attempts (its
                    policy's maxAttempts); its error history is kept. --all-failed retries every failed job the
                    rules allow, lists those it left failed with the reason, and exits 2 if it left any.
                    """,
                specs: [.flag("all-failed", "retry every failed job")], run: retry),
            Command(
                "jobs watch", arguments: "ID",
                summary: "follow a job until it ends: progress (done of total, rate, ETA), then its outcome",
                details: "A bar on a terminal, a line per change otherwise. Exit 0 if it succeeded, 1 if it failed or was cancelled.",
                run: watch),
            Command(
                "jobs cancel", arguments: "ID",
                summary: "stop a job that has not finished (a running one at its worker's next heartbeat)", run: cancel),
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
        let text = try arguments.positional(0, "job id")
        guard let id = Int64(text), id > 0 else { throw CLIError.usage("'\(text)' is not a job id") }
        return id
    }

    private static func list(_ arguments: Arguments, _ context: CLIContext, states: [JobState]) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let filter = JobFilter(
            states: states, kind: arguments.value("kind"), integration: arguments.value("integration"),
            limit: try arguments.integer("limit", range: 1...1_000_000) ?? 50)
        let jobs = try context.jobAdmin(withPolicies: false).jobs(matching: filter)
        if context.json {
            context.printJSON(jobs.map(JobPresentation.json))
        } else if jobs.isEmpty {
            print("no jobs")
        } else {
            print(Output.table(JobPresentation.tableHeader, jobs.map(JobPresentation.tableRow)))
        }
        return 0
    }

    private static func show(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let job = try context.jobAdmin(withPolicies: false).job(id: try jobID(arguments))
        if context.json {
            context.printJSON(JobPresentation.json(job))
        } else {
            print(JobPresentation.detail(job, full: arguments.flag("full")))
        }
        return 0
    }

    private static func retry(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let admin = try context.jobAdmin()
        if arguments.flag("all-failed") {
            try arguments.expectPositionals(atMost: 0)
            let report = try admin.retryAllFailed()
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
        let id = try jobID(arguments)
        try admin.retry(id: id)
        if context.json { context.printJSON(["id": id, "state": JobState.available.rawValue]) } else { print("job \(id) is available again") }
        return 0
    }

    private static func cancel(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try jobID(arguments)
        switch try context.jobAdmin(withPolicies: false).cancel(id: id) {
        case .cancelled:
            if context.json { context.printJSON(["id": id, "state": "cancelled"]) } else { print("job \(id) cancelled") }
        case .requested:
            if context.json {
                context.printJSON(["id": id, "state": "running", "cancelRequested": true])
            } else {
                print("job \(id) is running; its worker will cancel it at its next heartbeat")
            }
        }
        return 0
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
