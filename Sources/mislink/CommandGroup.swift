import Foundation

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
