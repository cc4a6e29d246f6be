import Foundation

/// The command tree: finds the subcommand, hands it the rest, maps errors to exit codes.
enum MISLinkCommand {
    typealias Run = @Sendable ([String]) throws -> Int32

    static let commands: [(name: String, summary: String, run: Run)] = [
        ("quickstart", "enqueue and drain a demo batch of jobs on a local SQLite file", QuickstartCommand.run),
        ("enqueue", "put a job (or a batch of jobs) on the queue", EnqueueCommand.run),
        ("worker", "claim and run jobs until stopped", WorkerCommand.run),
        ("jobs", "list, show, retry, cancel and prune jobs", JobsCommand.run),
        ("stats", "job counts by kind and state", StatsCommand.run),
        ("workers", "registered worker processes", WorkersCommand.run),
        ("plugins", "the connector and target plugins in this build", PluginsCommand.run),
        ("policies", "each job kind's effective policy (from jobs/ over the defaults)", PoliciesCommand.run),
        ("integration", "add, show, configure, switch and remove MIS integrations", IntegrationCommand.run),
        ("intake", "records that matched nobody (or too many): match, transfer, exclude", IntakeCommand.run),
        ("links", "links between MIS and target records", LinksCommand.run),
        ("imports", "import history", ImportsCommand.run),
        ("exclude", "stop one person from being imported", ExcludeCommand.run),
        ("target", "the target's people and recycle bin; restore", TargetCommand.run),
        ("report", "changes made in the target that the MIS does not have", ReportCommand.run),
    ]

    static let help = """
        mislink: a job runner that keeps a school's MIS in step with the systems beside it.

        Usage: mislink [--db PATH] COMMAND [OPTIONS]

        Commands:
        \(commands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        Options every command takes:
          --db PATH            the queue database (default: $MISLINK_DB or ./mislink.sqlite)
          --jobs-dir DIR       job policy files (default: $MISLINK_JOBS_DIR or ./jobs)
          --synchronous MODE   normal (default: survives any process crash) or full (also survives power loss)
          --json               print data as JSON, for scripts
          --help               help for a command

        Exit codes: 0 success, 1 a failed operation, 2 bad usage or bad input.
        """

    static func main(_ arguments: [String]) -> Int32 {
        guard let commandIndex = indexOfCommand(in: arguments) else {
            if arguments.contains("--help") || arguments.contains("-h") || arguments.isEmpty {
                print(help)
                return arguments.isEmpty ? ExitCode.usage : ExitCode.success
            }
            Output.error("no command given; see 'mislink --help'")
            return ExitCode.usage
        }
        let name = arguments[commandIndex]
        guard let command = commands.first(where: { $0.name == name }) else {
            Output.error("unknown command '\(name)'; see 'mislink --help'")
            return ExitCode.usage
        }
        var rest = arguments
        rest.remove(at: commandIndex)
        do {
            return try command.run(rest)
        } catch let error as CLIError {
            Output.error(error.message)
            return error.exitCode
        } catch {
            Output.error("\(error)")
            return ExitCode.failure
        }
    }

    /// The first argument that is neither an option nor a global option's value.
    static func indexOfCommand(in arguments: [String]) -> Int? {
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if CLIContext.globalValueOptions.contains(token) {
                index += 2
                continue
            }
            if !token.hasPrefix("-") { return index }
            index += 1
        }
        return nil
    }
}

/// Parses a command's arguments (its own specs plus the global ones) and prints help when asked.
/// Returns nil when help was printed.
func parseCommand(_ tokens: [String], specs: [Arguments.Spec], help: String) throws(CLIError) -> (Arguments, CLIContext)? {
    let arguments = try Arguments(tokens, specs: specs + CLIContext.globalSpecs)
    if arguments.wantsHelp {
        print(help)
        return nil
    }
    return (arguments, try CLIContext(arguments))
}
