import Foundation
import MISLinkRunner
import MISLinkSync

/// `mislink history prune [--older-than DURATION]`.
enum HistoryCommand {
    static let group = CommandGroup(
        name: "history", summary: "the person history's retention",
        details: "The person history ('person history') is kept for each integration's 'history-keep' (default 400d).",
        actions: [
            Command(
                "history prune", summary: "delete person history past its retention",
                details: "Without --older-than, each integration's own 'history-keep'; with it, that age for every integration.",
                specs: [.option("older-than", "DURATION", "delete rows older than this (400d, 12h), in every integration")],
                run: prune)
        ])

    static func prune(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        var age: Int64?
        if let text = arguments.value("older-than") {
            guard let milliseconds = DurationText.milliseconds(text) else {
                throw CLIError.usage("--older-than must be a duration such as 400d or 12h, not '\(text)'")
            }
            age = milliseconds
        }
        let pruned = try context.integrationService(withPolicies: false).pruneHistory(olderThan: age)
        let total = pruned.reduce(0) { $0 + $1.pruned }
        if context.json {
            context.printJSON(["pruned": total, "integrations": pruned.map { ["integration": $0.integration, "pruned": $0.pruned] }])
        } else {
            print("pruned \(total) row(s) of person history")
        }
        return 0
    }
}
