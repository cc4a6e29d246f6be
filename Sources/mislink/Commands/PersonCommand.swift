import Foundation
import MISLinkKit
import MISLinkRunner
import MISLinkSync

/// `mislink person history --integration ID (--mis-id X | --target-id T)`.
enum PersonCommand {
    static let group = CommandGroup(
        name: "person", summary: "one person's history across runs",
        details: "Every change MISLink made to a person's target record, and the intake decisions about them.",
        actions: [
            Command(
                "person history", summary: "every change MISLink made to a person's target record, oldest first",
                details: """
                    When, which job, what kind of change (create, update, contacts, recycle, restore, intake,
                    matched, transferred, excluded, undo) and each field from → to. Kept for the integration's
                    'history-keep' (default 400d).
                    """,
                specs: [
                    .option("integration", "ID", "the integration"), .option("mis-id", "X", "the person's MIS id"),
                    .option("target-id", "T", "or the target record's id"),
                ],
                run: history)
        ])

    static func history(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let id = arguments.value("integration") else { throw CLIError.usage("person history needs --integration ID") }
        let service = try context.integrationService(withPolicies: false)
        let changes: [PersonChange]
        let who: String
        switch (arguments.value("mis-id"), arguments.value("target-id")) {
        case (let misID?, nil) where !misID.isEmpty:
            changes = try service.personHistory(id, misID: misID)
            who = "MIS id \(misID)"
        case (nil, let targetID?) where !targetID.isEmpty:
            changes = try service.personHistory(id, targetID: targetID)
            who = "target record \(targetID)"
        default:
            throw CLIError.usage("person history needs one of --mis-id X or --target-id T")
        }
        if context.json {
            context.printJSON(changes.map(HistoryJSON.object))
        } else if changes.isEmpty {
            print("no history for \(who) in integration '\(id)'")
        } else {
            for change in changes { print(lines(change).joined(separator: "\n")) }
        }
        return 0
    }

    /// One change: a heading line, then a line per field (or the contacts before and after).
    static func lines(_ change: PersonChange) -> [String] {
        let job = change.jobID.map { "job \($0)" } ?? "admin"
        var heading = "\(DurationText.isoString(milliseconds: change.at))  \(job)  \(change.kind.rawValue)  \(change.role.rawValue) \(change.misID)"
        if let targetID = change.targetID { heading += " (target \(targetID))" }
        if let detail = change.detail { heading += ": \(detail)" }
        var lines = [heading]
        if let contacts = change.contacts {
            lines.append("    contacts: \(HistoryJSON.contactsText(contacts.before)) → \(HistoryJSON.contactsText(contacts.after))")
        } else if change.kind != .create {
            for field in change.fields { lines.append("    \(field.field): \(field.from ?? "(none)") → \(field.to ?? "(none)")") }
        } else {
            lines.append("    " + change.fields.map { "\($0.field)=\($0.to ?? "")" }.joined(separator: ", "))
        }
        return lines
    }
}
