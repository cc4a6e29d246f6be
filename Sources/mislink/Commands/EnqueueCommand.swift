import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink enqueue KIND …` and `mislink enqueue --batch FILE`: parses, asks the job admin service,
/// prints.
enum EnqueueCommand {
    static let command = Command(
        "enqueue", arguments: "KIND | --batch FILE", summary: "put a job (or a batch of jobs) on the queue",
        details: """
            Puts a job on the queue and prints its id. Queue, priority and attempts default to the kind's
            policy (see 'mislink policies'). With a unique key, while a job with that key is pending or
            running, the existing job's id is printed instead and nothing is added. An initial upload and
            a nightly import always have one ('initial-upload:ID', 'nightly-import:ID'), so a second while
            one is pending adds nothing; a write-back gets 'write-back:ID:eventId'. The six sync kinds need
            --integration and are checked against the integration's status as they are written.

            Kinds: \(JobKinds.all.joined(separator: ", "))
            """,
        specs: [
            .option("integration", "ID", "the integration a sync job works on"),
            .option("payload", "JSON", "the job's payload: a JSON object, or @FILE to read it from a file"),
            .option("priority", "N", "higher runs first (-1000 to 1000)"),
            .option("queue", "Q", "the queue to put it on (default: the kind's policy)"),
            .option("unique-key", "K", "add nothing while a job with this key is pending or running"),
            .option("in", "DURATION", "run no earlier than this from now (10m; units: ms, s, m, h, d)"),
            .option("at", "TIME", "run no earlier than an ISO-8601 time (2026-11-28T02:00:00Z)"),
            .option("max-attempts", "N", "attempts before it fails for good (1 to 1000)"),
            .flag("wait", "wait until the job ends, showing its progress; exit 0 if it succeeded, 1 if not"),
            .flag("allow-mass-leavers", "nightly-import or initial-upload: let the recycle guards through (the\nmass-leaver guard: more than the threshold of current records becoming leavers at once)"),
            .flag("plan-only", "initial-upload, nightly-import, rerun-wizard, rematch: work out every change and\nstore it as a plan, writing nothing ('mislink plan show ID'; 'mislink plan apply ID' makes\nexactly those changes)"),
            .option("as-of", "DATE", "with --plan-only: a rehearsal as if it were that day (2027-09-01): leavers,\ngrace periods and start dates judged then; shown, never applied"),
            .option("batch", "FILE", """
                JSON lines, one job each: {"kind": "noop", "payload": {}, "integration": "…",
                "priority": 0, "queue": "…", "uniqueKey": "…", "in": "10m" | "at": "…", "maxAttempts": 3};
                '-' reads stdin; LF or CRLF line ends. Every line is checked first: one bad line and nothing
                is written. All in one transaction unless --commit-every N.
                """),
            .option("commit-every", "N", "with --batch: commit every N jobs"),
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        if let batch = arguments.value("batch") {
            try arguments.expectPositionals(atMost: 0)
            return try runBatch(path: batch, arguments: arguments, context: context)
        }
        try arguments.expectPositionals(atMost: 1)
        let kind = try arguments.positional(0, "job kind (one of: \(JobKinds.all.joined(separator: ", ")))")
        var request = JobRequest(kind: kind)
        if let payload = arguments.value("payload") { request.payload = try readPayloadArgument(payload) }
        var plan = PlanRequest()
        if arguments.flag("allow-mass-leavers") {
            guard kind == JobKinds.nightlyImport || kind == JobKinds.initialUpload else {
                throw CLIError.usage("--allow-mass-leavers is for nightly-import and initial-upload")
            }
            plan.allowMassLeavers = true
        }
        if arguments.flag("plan-only") {
            guard JobKinds.planned.contains(kind) else {
                throw CLIError.usage("--plan-only is for \(JobKinds.planned.sorted().joined(separator: ", ")), not \(kind)")
            }
            plan.planOnly = true
        }
        if let asOf = arguments.value("as-of") {
            guard plan.planOnly else { throw CLIError.usage("--as-of is a rehearsal: it needs --plan-only") }
            guard let date = CalendarDate(iso: asOf) else { throw CLIError.usage("--as-of must be a date such as 2027-09-01, not '\(asOf)'") }
            plan.asOf = date
        }
        if plan != PlanRequest() {
            guard request.payload == nil else { throw CLIError.usage("give --payload or the plan flags, not both") }
            request.payload = plan.json
        }
        request.integration = arguments.value("integration")
        request.queue = arguments.value("queue")
        request.uniqueKey = arguments.value("unique-key")
        request.delay = arguments.value("in")
        request.at = arguments.value("at")
        request.priority = try arguments.integer("priority", range: -1000...1000)
        request.maxAttempts = try arguments.integer("max-attempts", range: 1...1000)
        let result = try context.queueAdmin().enqueue(request)
        if context.json {
            context.printJSON(JobJSON.enqueued(result))
        } else {
            print(result.id)
        }
        if !result.inserted {
            Output.note("job \(result.id) with the same unique key is already \(result.state.rawValue); nothing added")
        }
        if arguments.flag("wait") {
            return try JobWatcher(admin: try context.jobAdmin(withPolicies: false), id: result.id).watch().exitCode
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

    private static func runBatch(path: String, arguments: Arguments, context: CLIContext) throws -> Int32 {
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
        var requests: [JobRequest] = []
        var lineNumbers: [Int] = []
        for (offset, line) in batchLines(text).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let place = "\(path) line \(offset + 1)"
            guard let object = (try? JSONSerialization.jsonObject(with: Data(trimmed.utf8))) as? [String: Any] else {
                throw CLIError.usage("\(place): not a JSON object")
            }
            do { requests.append(try JobRequest(json: object)) } catch { throw CLIError.usage("\(place): \(error.message)") }
            lineNumbers.append(offset + 1)
        }
        let admin = try context.queueAdmin()
        let results: [EnqueueResult]
        do {
            results = try admin.enqueue(batch: requests, commitEvery: commitEvery)
        } catch {
            let place = error.index > 0 ? "\(path) line \(lineNumbers[error.index - 1]): " : ""
            throw CLIError(message: place + error.error.message, exitCode: error.error.exitCode)
        }
        let existing = results.filter { !$0.inserted }.count
        if context.json {
            context.printJSON(JobJSON.enqueued(batch: results))
        } else {
            print("enqueued \(results.count - existing) job(s)" + (existing > 0 ? ", \(existing) already pending" : ""))
        }
        return 0
    }

    /// The file's lines, LF or CRLF ended. Swift reads "\r\n" as one character, so it is a separator
    /// of its own; numbering stays that of an editor.
    static func batchLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    }
}
