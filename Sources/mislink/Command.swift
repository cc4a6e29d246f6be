import Foundation

/// A command, or one action of a command group (`jobs list`), as both its parser and its `--help`
/// see it: the help is built from the specs the parser takes, so neither can list what the other
/// does not know.
struct Command: Sendable {
    typealias Run = @Sendable (Arguments, CLIContext) throws -> Int32

    /// `stats`, `jobs list`.
    let path: String
    /// Positional arguments in the usage line (`ID`, `KIND | --batch FILE`), or "".
    let arguments: String
    /// One line, for the group's list and the top of the help.
    let summary: String
    /// More about it, or "".
    let details: String
    let specs: [Arguments.Spec]
    let run: Run

    init(
        _ path: String, arguments: String = "", summary: String, details: String = "", specs: [Arguments.Spec] = [],
        run: @escaping Run
    ) {
        self.path = path
        self.arguments = arguments
        self.summary = summary
        self.details = details
        self.specs = specs
        self.run = run
    }

    var name: String { String(path.split(separator: " ").last ?? "") }

    var usage: String {
        "mislink \(path)" + (arguments.isEmpty ? "" : " " + arguments) + (specs.isEmpty ? "" : " [OPTIONS]")
    }

    var help: String {
        var text = "Usage: \(usage)\n\n\(summary)"
        if !details.isEmpty { text += "\n\n" + details }
        if !specs.isEmpty { text += "\n\nOptions:\n" + Help.optionLines(specs) }
        return text + "\n\n" + Help.globalSection
    }

    /// Parses `tokens` with this command's specs (and the global ones), prints help when asked,
    /// and runs.
    func main(_ tokens: [String]) throws -> Int32 {
        let arguments = try Arguments(tokens, specs: specs + CLIContext.globalSpecs)
        if arguments.wantsHelp {
            print(help)
            return ExitCode.success
        }
        return try run(arguments, try CLIContext(arguments))
    }
}

/// A command whose first argument is an action (`jobs list|show|…`), each action a `Command`.
struct CommandGroup: Sendable {
    let name: String
    let summary: String
    let details: String
    let actions: [Command]

    var help: String {
        let width = (actions.map(\.usage.count).max() ?? 0) + 2
        var text = "Usage: mislink \(name) ACTION [OPTIONS]\n\n\(summary)"
        if !details.isEmpty { text += "\n\n" + details }
        text += "\n\nActions:\n"
        text += actions.map { "  " + $0.usage.padding(toLength: width, withPad: " ", startingAt: 0) + $0.summary }
            .joined(separator: "\n")
        text += "\n\n'mislink \(name) ACTION --help' shows an action's options."
        return text + "\n\n" + Help.globalSection
    }

    private var names: String { actions.map(\.name).joined(separator: ", ") }

    func main(_ tokens: [String]) throws -> Int32 {
        guard let index = MISLinkCommand.indexOfCommand(in: tokens) else {
            if tokens.contains("--help") || tokens.contains("-h") {
                print(help)
                return ExitCode.success
            }
            throw CLIError.usage("missing \(name) action (\(names)); see 'mislink \(name) --help'")
        }
        guard let action = actions.first(where: { $0.name == tokens[index] }) else {
            throw CLIError.usage("unknown \(name) action '\(tokens[index])' (\(names)); see 'mislink \(name) --help'")
        }
        var rest = tokens
        rest.remove(at: index)
        return try action.main(rest)
    }
}

/// Help text built from specs.
enum Help {
    static func optionLines(_ specs: [Arguments.Spec]) -> String {
        let width = max(20, (specs.map(\.synopsis.count).max() ?? 0) + 2)
        return specs.map { spec in
            let lines = spec.help.split(separator: "\n", omittingEmptySubsequences: false)
            let first = "  " + spec.synopsis.padding(toLength: width, withPad: " ", startingAt: 0) + (lines.first ?? "")
            let rest = lines.dropFirst().map { String(repeating: " ", count: width + 2) + $0 }
            return ([first] + rest).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    static var globalSection: String {
        "Options every command takes:\n" + optionLines(CLIContext.globalSpecs + [Arguments.helpSpec])
    }
}
