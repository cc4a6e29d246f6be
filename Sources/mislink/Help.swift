import Foundation

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
