import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// `mislink enqueue KIND …` and `mislink enqueue --batch FILE`.
enum EnqueueCommand {
    static let help = """
        Usage: mislink enqueue KIND [--integration ID] [--payload JSON | --payload @FILE] [--priority N]
                               [--queue Q] [--unique-key K] [--in DURATION | --at TIME] [--max-attempts N]
               mislink enqueue --batch FILE [--commit-every N]

        Puts a job on the queue and prints its id. Queue, priority and attempts default to the kind's
        policy (see 'mislink policies'). With --unique-key, while a job with that key is pending or
        running, the existing job's id is printed instead and nothing is added.

          --in 10m             run no earlier than 10 minutes from now (units: ms, s, m, h, d)
          --at TIME            run no earlier than an ISO-8601 time (2026-11-28T02:00:00Z)
          --allow-mass-leavers nightly-import only: run even if more than the integration's mass-leaver
                               threshold of current records would become leavers at once
          --batch FILE         JSON lines, one job each: {"kind": "noop", "payload": {}, "integration": "…",
                               "priority": 0, "queue": "…", "uniqueKey": "…", "in": "10m" | "at": "…",
                               "maxAttempts": 3}; '-' reads stdin. Every line is checked first: one bad line
                               and nothing is written. All in one transaction unless --commit-every N.

        Kinds: \(JobKinds.all.joined(separator: ", "))
        """

    static let specs: [Arguments.Spec] = [
        .option("integration"), .option("payload"), .option("priority"), .option("queue"), .option("unique-key"),
        .option("in"), .option("at"), .option("max-attempts"), .option("batch"), .option("commit-every"),
        .flag("allow-mass-leavers"),
    ]

    static func run(_ tokens: [String]) throws -> Int32 {
        guard let (arguments, context) = try parseCommand(tokens, specs: specs, help: help) else { return 0 }
        let policies = try context.loadPolicies()
        let handlers = SyncHandlers.registry(environment: try context.syncEnvironment(policies: policies))
        if let batch = arguments.value("batch") {
            try arguments.expectPositionals(atMost: 0)
            return try runBatch(path: batch, arguments: arguments, context: context, policies: policies, handlers: handlers)
        }
        try arguments.expectPositionals(atMost: 1)
        let kind = try arguments.positional(0, "job kind (one of: \(JobKinds.all.joined(separator: ", ")))")
        var fields: [String: Any] = [:]
        if let payload = arguments.value("payload") { fields["payloadText"] = try readPayloadArgument(payload) }
        if arguments.flag("allow-mass-leavers") {
            guard kind == JobKinds.nightlyImport else { throw CLIError.usage("--allow-mass-leavers is for nightly-import only") }
            fields["payloadText"] = #"{"allowMassLeavers": true}"#
        }
        fields["integration"] = arguments.value("integration")
        fields["queue"] = arguments.value("queue")
        fields["uniqueKey"] = arguments.value("unique-key")
        fields["in"] = arguments.value("in")
        fields["at"] = arguments.value("at")
        if let priority = try arguments.integer("priority", range: -1000...1000) { fields["priority"] = priority }
        if let attempts = try arguments.integer("max-attempts", range: 1...1000) { fields["maxAttempts"] = attempts }
        let now = JobStore.now()
        let job: NewJob
        do {
            job = try JobRequest(kind: kind, fields: fields).resolve(policies: policies, handlers: handlers, now: now)
        } catch let error as JobRequest.Invalid {
            throw CLIError.usage(error.message)
        }
        let (store, sync) = try context.openSyncStore()
        let result = try syncOperation {
            try store.connection.transaction {
                try EnqueueRules.check(kind: job.kind, integration: job.integration, store: sync)
                return try JobStore.enqueue(job, on: store.connection, now: now)
            }
        }
        if context.json {
            context.printJSON(["id": result.id, "inserted": result.inserted, "state": result.state.rawValue])
        } else {
            print(result.id)
        }
        if !result.inserted {
            Output.note("job \(result.id) with unique key '\(job.uniqueKey ?? "")' is already \(result.state.rawValue); nothing added")
        }
        return 0
    }

    /// `--payload '{…}'` or `--payload @file`.
    static func readPayloadArgument(_ argument: String) throws(CLIError) -> String {
        guard argument.hasPrefix("@") else { return argument }
        let path = String(argument.dropFirst())
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CLIError.usage("cannot read payload file '\(path)'")
        }
        return text
    }

    private static func runBatch(
        path: String, arguments: Arguments, context: CLIContext, policies: PolicySet, handlers: HandlerRegistry
    ) throws -> Int32 {
        let commitEvery = try arguments.integer("commit-every", range: 1...1_000_000)
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data, let text = String(data: data, encoding: .utf8) else {
            throw CLIError.usage("cannot read batch file '\(path)'")
        }
        let now = JobStore.now()
        var jobs: [NewJob] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let where_ = "\(path) line \(offset + 1)"
            guard let lineData = trimmed.data(using: .utf8),
                let object = (try? JSONSerialization.jsonObject(with: lineData)) as? [String: Any]
            else { throw CLIError.usage("\(where_): not a JSON object") }
            let allowed: Set<String> = ["kind", "payload", "integration", "priority", "queue", "uniqueKey", "in", "at", "maxAttempts"]
            if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw CLIError.usage("\(where_): unknown key '\(unknown)'")
            }
            guard let kind = object["kind"] as? String else { throw CLIError.usage("\(where_): missing \"kind\"") }
            var fields = object
            if let payload = object["payload"] {
                guard JSONSerialization.isValidJSONObject(payload),
                    let payloadData = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]),
                    let payloadText = String(data: payloadData, encoding: .utf8)
                else { throw CLIError.usage("\(where_): \"payload\" must be a JSON object") }
                fields["payloadText"] = payloadText
            }
            do {
                jobs.append(try JobRequest(kind: kind, fields: fields).resolve(policies: policies, handlers: handlers, now: now))
            } catch let error as JobRequest.Invalid {
                throw CLIError.usage("\(where_): \(error.message)")
            }
        }
        let (store, sync) = try context.openSyncStore()
        for (index, job) in jobs.enumerated() where EnqueueRules.syncKinds.contains(job.kind) {
            do { try EnqueueRules.check(kind: job.kind, integration: job.integration, store: sync) } catch let error as SyncError {
                throw CLIError(message: "\(path) job \(index + 1): \(error.message)", exitCode: error.cliError.exitCode)
            }
        }
        let results = try store.enqueue(batch: jobs, commitEvery: commitEvery, now: now)
        if context.json {
            context.printJSON([
                "enqueued": results.filter(\.inserted).count,
                "existing": results.filter { !$0.inserted }.count,
                "ids": results.map(\.id),
            ])
        } else {
            print("enqueued \(results.filter(\.inserted).count) job(s)" + (results.contains { !$0.inserted } ? ", \(results.filter { !$0.inserted }.count) already pending" : ""))
        }
        return 0
    }
}

/// One job as asked for on the command line or in a batch line, checked and resolved against the
/// kind's policy. Checking happens before anything is written.
struct JobRequest {
    struct Invalid: Error { let message: String }

    let kind: String
    let fields: [String: Any]

    func resolve(policies: PolicySet, handlers: HandlerRegistry, now: Int64) throws -> NewJob {
        guard let policy = policies.policy(for: kind) else {
            throw Invalid(message: "unknown job kind '\(kind)' (known: \(JobKinds.all.joined(separator: ", ")))")
        }
        let payload: JSONPayload
        do throws(PayloadError) {
            payload = try JSONPayload(text: (fields["payloadText"] as? String) ?? "{}")
            try payload.checkNoSecrets()
            try handlers.handler(for: kind)?.validate(payload)
        } catch {
            throw Invalid(message: "\(kind): \(error.message)")
        }
        var job = NewJob(
            kind: kind, queue: policy.queue, payload: payload.text, priority: policy.priority,
            maxAttempts: policy.maxAttempts)
        if let integration = fields["integration"] {
            guard let text = integration as? String, !text.isEmpty else { throw Invalid(message: "integration must be a non-empty string") }
            job.integration = text
        }
        job.concurrencyKey = JobKinds.concurrencyKey(kind: kind, integration: job.integration)
        if let queue = fields["queue"] {
            guard let text = queue as? String, PlainName.isValid(text) else {
                throw Invalid(message: "queue must be a queue name: letters, digits, '-' or '_'")
            }
            job.queue = text
        }
        if let priority = fields["priority"] {
            guard let number = priority as? Int, !JSONPayload.isBoolean(priority), (-1000...1000).contains(number) else {
                throw Invalid(message: "priority must be a whole number from -1000 to 1000")
            }
            job.priority = number
        }
        if let attempts = fields["maxAttempts"] {
            guard let number = attempts as? Int, !JSONPayload.isBoolean(attempts), (1...1000).contains(number) else {
                throw Invalid(message: "maxAttempts must be a whole number from 1 to 1000")
            }
            job.maxAttempts = number
        }
        if let key = fields["uniqueKey"] {
            guard let text = key as? String, !text.isEmpty else { throw Invalid(message: "unique key must be a non-empty string") }
            job.uniqueKey = text
        } else {
            job.uniqueKey = EnqueueRules.defaultUniqueKey(kind: kind, integration: job.integration, payload: payload)
        }
        switch (fields["in"], fields["at"]) {
        case (.some, .some):
            throw Invalid(message: "give either 'in' or 'at', not both")
        case (.some(let delay), nil):
            guard let text = delay as? String, let ms = DurationText.milliseconds(text) else {
                throw Invalid(message: "'in' must be a duration such as 30s, 10m, 2h or 1d, not '\(delay)'")
            }
            job.runAt = now + ms
        case (nil, .some(let time)):
            guard let text = time as? String, let ms = DurationText.isoTime(text) else {
                throw Invalid(message: "'at' must be an ISO-8601 time such as 2026-11-28T02:00:00Z, not '\(time)'")
            }
            job.runAt = ms
        case (nil, nil):
            break
        }
        return job
    }
}
