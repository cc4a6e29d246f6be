import Foundation
import MISLinkQueue
import MISLinkRunner

/// `mislink jobs list|failed|show|retry|cancel|prune`.
enum JobsCommand {
    static let help = """
        Usage: mislink jobs list [--state S[,S…]] [--kind K] [--integration I] [--limit N]
               mislink jobs failed [--kind K] [--integration I] [--limit N]
               mislink jobs show ID
               mislink jobs retry ID | --all-failed
               mislink jobs cancel ID
               mislink jobs prune --older-than 30d

        States: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))
        'show' prints the error of every attempt. 'retry' puts a failed or cancelled job back with a
        fresh set of attempts (its policy's maxAttempts); its error history is kept. 'cancel' stops a
        job that has not finished; a running job is stopped by its worker at the next heartbeat.
        'prune' deletes succeeded, failed and cancelled jobs that finished longer ago than the duration.
        """

    static let specs: [Arguments.Spec] = [
        .option("state"), .option("kind"), .option("integration"), .option("limit"), .flag("all-failed"),
        .option("older-than"),
    ]

    static func run(_ tokens: [String]) throws -> Int32 {
        guard let (arguments, context) = try parseCommand(tokens, specs: specs, help: help) else { return 0 }
        let action = try arguments.positional(0, "jobs action (list, failed, show, retry, cancel, prune)")
        switch action {
        case "list": return try list(arguments, context, states: try parseStates(arguments.value("state")))
        case "failed": return try list(arguments, context, states: [.failed])
        case "show": return try show(arguments, context)
        case "retry": return try retry(arguments, context)
        case "cancel": return try cancel(arguments, context)
        case "prune": return try prune(arguments, context)
        default: throw CLIError.usage("unknown jobs action '\(action)' (list, failed, show, retry, cancel, prune)")
        }
    }

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
        try arguments.expectPositionals(atMost: 2)
        let text = try arguments.positional(1, "job id")
        guard let id = Int64(text), id > 0 else { throw CLIError.usage("'\(text)' is not a job id") }
        return id
    }

    private static func list(_ arguments: Arguments, _ context: CLIContext, states: [JobState]) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let filter = JobFilter(
            states: states, kind: arguments.value("kind"), integration: arguments.value("integration"),
            limit: try arguments.integer("limit", range: 1...1_000_000) ?? 50)
        let jobs = try context.openStore().jobs(matching: filter)
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
        let id = try jobID(arguments)
        guard let job = try context.openStore().job(id: id) else { throw CLIError.failure("job \(id) does not exist") }
        if context.json { context.printJSON(JobPresentation.json(job)) } else { print(JobPresentation.detail(job)) }
        return 0
    }

    private static func retry(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let policies = try context.loadPolicies()
        let attempts: (String) -> Int = { policies.policy(for: $0)?.maxAttempts ?? 1 }
        let store = try context.openStore()
        if arguments.flag("all-failed") {
            try arguments.expectPositionals(atMost: 1)
            let count = try store.retryAllFailed(extraAttempts: attempts)
            if context.json { context.printJSON(["retried": count]) } else { print("retried \(count) failed job(s)") }
            return 0
        }
        let id = try jobID(arguments)
        do {
            guard let job = try store.job(id: id) else { throw CLIError.failure("job \(id) does not exist") }
            try store.retry(id: id, extraAttempts: attempts(job.kind))
        } catch let error as QueueError {
            throw CLIError.failure(error.message)
        }
        if context.json { context.printJSON(["id": id, "state": JobState.available.rawValue]) } else { print("job \(id) is available again") }
        return 0
    }

    private static func cancel(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try jobID(arguments)
        let result: CancelResult
        do { result = try context.openStore().cancel(id: id) } catch let error as QueueError {
            throw CLIError.failure(error.message)
        }
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
        return 0
    }

    private static func prune(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        guard let text = arguments.value("older-than") else { throw CLIError.usage("prune needs --older-than DURATION (e.g. 30d)") }
        guard let age = DurationText.milliseconds(text) else {
            throw CLIError.usage("--older-than must be a duration such as 30d or 12h, not '\(text)'")
        }
        let count = try context.openStore().prune(finishedBefore: JobStore.now() - age)
        if context.json { context.printJSON(["pruned": count]) } else { print("pruned \(count) finished job(s)") }
        return 0
    }
}
