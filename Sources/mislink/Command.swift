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
