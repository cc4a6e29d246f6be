import Foundation
import PostgresDB
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkConsole
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// What every command shares: where the database and policies are, and how to print.
struct CLIContext {
    /// Options every command accepts.
    static let globalSpecs: [Arguments.Spec] = [
        .option("db", "PATH|URL", "the queue database: a SQLite file, or postgresql://USER@HOST:PORT/DB for the queue and\nthe sync store on PostgreSQL (default: $MISLINK_DB or ./mislink.sqlite)"),
        .option("jobs-dir", "DIR", "job policy files (default: $MISLINK_JOBS_DIR or ./jobs)"),
        .option("plugins-dir", "DIR", "plugins in any language, one manifest each (default: $MISLINK_PLUGINS or ./plugins)"),
        .option("synchronous", "MODE", "normal (default: survives any process crash) or full (also survives power loss)"),
        .flag("json", "print data as JSON, for scripts"),
    ]
    /// Global options that take a value, so the dispatcher can skip their values when finding the command.
    static let globalValueOptions: Set<String> = ["--db", "--jobs-dir", "--plugins-dir", "--synchronous"]

    /// Where the queue is: a SQLite file or a PostgreSQL URL.
    let database: QueueDatabase
    let jobsDirectory: String
    /// Where process plugins' manifests are.
    let pluginsDirectory: String
    let synchronous: SynchronousMode
    let json: Bool
    let environment: [String: String]

    init(_ arguments: Arguments, environment: [String: String] = ProcessInfo.processInfo.environment) throws(CLIError) {
        self.environment = environment
        let location = arguments.value("db") ?? environment["MISLINK_DB"] ?? "./mislink.sqlite"
        do { database = try QueueDatabase(location) } catch { throw CLIError.usage("--db: \(error)") }
        jobsDirectory = arguments.value("jobs-dir") ?? environment["MISLINK_JOBS_DIR"] ?? "./jobs"
        pluginsDirectory = arguments.value("plugins-dir") ?? environment["MISLINK_PLUGINS"] ?? "./plugins"
        let syncName = arguments.value("synchronous") ?? environment["MISLINK_SYNCHRONOUS"] ?? "normal"
        guard let mode = SynchronousMode(name: syncName), mode != .off else {
            throw CLIError.usage("--synchronous must be 'normal' or 'full', not '\(syncName)'")
        }
        synchronous = mode
        json = arguments.flag("json")
    }

    /// The queue's admin for the queue commands (`enqueue`, `jobs`, `workers`, `queue`): the service
    /// layer, with every sync rule, on either back end.
    func queueAdmin(withPolicies: Bool = true) throws -> SyncQueueAdmin {
        SyncQueueAdmin(admin: try jobAdmin(withPolicies: withPolicies))
    }

    /// What a worker runs here: the sync handlers over the sync store, and the environment its
    /// nightly schedule runs in, on either back end.
    func workerJobs(policies: PolicySet) throws -> (handlers: HandlerRegistry, environment: SyncEnvironment?) {
        let environment = try syncEnvironment(policies: policies)
        try JobAdmin(environment: environment).prepareQueue()  // a bad database fails here, before the worker starts
        return (SyncHandlers.registry(environment: environment), environment)
    }

    /// The console's token file when `--token-file` is not given: beside a SQLite queue file; in the
    /// working folder for a queue on a server.
    var defaultTokenPath: String {
        switch database {
        case .sqlite(let path): ConsoleToken.defaultPath(databasePath: path)
        case .postgres: "./mislink-console.token"
        }
    }

    var connectionConfiguration: ConnectionConfiguration {
        ConnectionConfiguration(synchronous: synchronous)
    }

    /// The job policies: defaults over which `jobs/*.json` is laid. A bad file stops the command.
    func loadPolicies() throws(CLIError) -> PolicySet {
        do {
            return try PolicySet.load(directory: jobsDirectory, catalog: JobKinds.catalog)
        } catch let error as PolicyError {
            throw CLIError.usage("bad job policy: \(error)")
        } catch {
            throw CLIError.usage("cannot read job policies in \(jobsDirectory): \(error)")
        }
    }

    // MARK: - Printing

    func printJSON(_ value: Any) {
        Output.printJSON(value)
    }
}

/// Writes to stdout and stderr.
enum Output {
    static func printJSON(_ value: Any) {
        guard JSONSerialization.isValidJSONObject(value) || value is String || value is NSNumber,
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]),
            let text = String(data: data, encoding: .utf8)
        else {
            FileHandle.standardError.write(Data("internal error: output is not JSON\n".utf8))
            return
        }
        print(text)
    }

    /// One line, always: SQL or other text with line breaks is collapsed.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("mislink: " + OneLine.text(message) + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Left-aligned columns, two spaces apart.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
