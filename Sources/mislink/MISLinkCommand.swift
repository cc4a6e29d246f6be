import Foundation
import MISLinkQueue
import MISLinkSync

/// The command tree: finds the subcommand, hands it the rest, maps errors to exit codes.
enum MISLinkCommand {
    typealias Run = @Sendable ([String]) throws -> Int32

    static let commands: [(name: String, summary: String, run: Run)] = [
        ("quickstart", QuickstartCommand.command.summary, QuickstartCommand.command.main),
        ("enqueue", EnqueueCommand.command.summary, EnqueueCommand.command.main),
        ("worker", WorkerCommand.command.summary, WorkerCommand.command.main),
        ("jobs", JobsCommand.group.summary, JobsCommand.group.main),
        ("stats", StatsCommand.command.summary, StatsCommand.command.main),
        ("workers", WorkersCommand.command.summary, WorkersCommand.command.main),
        ("queue", QueueCommand.group.summary, QueueCommand.group.main),
        ("plugins", PluginsCommand.command.summary, PluginsCommand.command.main),
        ("policies", PoliciesCommand.command.summary, PoliciesCommand.command.main),
        ("integration", IntegrationCommand.group.summary, IntegrationCommand.group.main),
        ("intake", IntakeCommand.group.summary, IntakeCommand.group.main),
        ("links", LinksCommand.group.summary, LinksCommand.group.main),
        ("imports", ImportsCommand.group.summary, ImportsCommand.group.main),
        ("plan", PlanCommand.group.summary, PlanCommand.group.main),
        ("exclude", ExcludeCommand.group.summary, ExcludeCommand.group.main),
        ("target", TargetCommand.group.summary, TargetCommand.group.main),
        ("report", ReportCommand.group.summary, ReportCommand.group.main),
        ("person", PersonCommand.group.summary, PersonCommand.group.main),
        ("history", HistoryCommand.group.summary, HistoryCommand.group.main),
        // Temporary: the lead moves it into the `plan` group as `plan undo`.
        ("doctor", DoctorCommand.command.summary, DoctorCommand.command.main),
        ("backup", BackupCommand.command.summary, BackupCommand.command.main),
        ("migrate", MigrateCommand.command.summary, MigrateCommand.command.main),
        ("serve", ServeCommand.command.summary, ServeCommand.command.main),
    ]

    static let help = """
        mislink: a job runner that keeps a school's MIS in step with the systems beside it.

        Usage: mislink [--db PATH] COMMAND [OPTIONS]

        Commands:
        \(commands.map { "  " + $0.name.padding(toLength: 12, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        \(Help.globalSection)

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
        } catch let error as SyncError {
            Output.error(error.message)
            return error.cliError.exitCode
        } catch let error as QueueError {
            // The queue alone (PostgreSQL) answers in its own errors: bad input is exit 2, as elsewhere.
            Output.error(error.message)
            return error.cliError.exitCode
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

