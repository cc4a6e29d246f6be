import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// `mislink exclude add|list|remove --integration ID --mis-id X`.
enum ExcludeCommand {
    static let integrationSpec = Arguments.Spec.option("integration", "ID", "the integration")
    static let misIDSpec = Arguments.Spec.option("mis-id", "X", "the person's MIS id")

    static let group = CommandGroup(
        name: "exclude", summary: "stop one person from being imported",
        details: "Stops one person from being imported, without touching the MIS.",
        actions: [
            Command("exclude add", summary: "exclude a person", specs: [integrationSpec, misIDSpec]) { try run("add", $0, $1) },
            Command("exclude remove", summary: "let them be imported again", specs: [integrationSpec, misIDSpec]) { try run("remove", $0, $1) },
            Command("exclude list", summary: "the integration's exclusions", specs: [integrationSpec]) { try run("list", $0, $1) },
        ])

    static func run(_ action: String, _ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let id = arguments.value("integration") else { throw CLIError.usage("exclude needs --integration ID") }
        let service = try context.integrationService(withPolicies: false)
        switch action {
        case "list":
            let rows = try service.exclusions(id)
            if context.json {
                context.printJSON(rows.map { ["misId": $0.misID, "createdAt": DurationText.isoString(milliseconds: $0.createdAt)] })
            } else {
                print(rows.isEmpty ? "no exclusions" : Output.table(["MIS ID", "SINCE"], rows.map { [$0.misID, DurationText.isoString(milliseconds: $0.createdAt)] }))
            }
        case "add", "remove":
            guard let misID = arguments.value("mis-id"), !misID.isEmpty else { throw CLIError.usage("exclude \(action) needs --mis-id X") }
            if action == "add" {
                try service.exclude(id, misID: misID)
                if context.json { context.printJSON(["integration": id, "misId": misID, "excluded": true]) } else {
                    print("\(misID) is excluded from \(id)")
                }
            } else {
                try service.removeExclusion(id, misID: misID)
                if context.json { context.printJSON(["integration": id, "misId": misID, "excluded": false]) } else {
                    print("\(misID) is no longer excluded from \(id)")
                }
            }
        default:
            throw CLIError.usage("unknown exclude action '\(action)' (add, list, remove)")
        }
        return 0
    }
}

/// `mislink imports list --integration ID`.
enum ImportsCommand {
    static let group = CommandGroup(
        name: "imports", summary: "import history",
        details: """
            Import history, newest first: when, kind, added, updated, matched, to intake, leavers, skipped,
            warnings. '--json' includes each import's full report (reasons and warnings).
            """,
        actions: [
            Command(
                "imports list", summary: "an integration's imports, newest first",
                specs: [.option("integration", "ID", "the integration"), .option("limit", "N", "at most N imports (default 50)")],
                run: run)
        ])

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let id = arguments.value("integration") else { throw CLIError.usage("imports list needs --integration ID") }
        let records = try context.integrationService(withPolicies: false)
            .imports(id, limit: try arguments.integer("limit", range: 1...100_000) ?? 50)
        if context.json {
            context.printJSON(records.map(IntegrationJSON.object))
        } else if records.isEmpty {
            print("no imports yet")
        } else {
            print(Output.table(
                ["WHEN", "KIND", "ADDED", "UPDATED", "MATCHED", "TO INTAKE", "LEAVERS", "SKIPPED", "WARNINGS"],
                records.map {
                    [DurationText.isoString(milliseconds: $0.finishedAt), $0.kind, String($0.added), String($0.updated),
                     String($0.matched), String($0.toIntake), String($0.leavers), String($0.skipped), String($0.warnings)]
                }))
        }
        return 0
    }
}

/// `mislink links list --integration ID`.
enum LinksCommand {
    static let group = CommandGroup(
        name: "links", summary: "links between MIS and target records",
        details: """
            Links between MIS records and target records, with their origin: 'integration' (made by
            matching; a re-run of the wizard removes them) or 'manual' (made by an admin; never removed).
            """,
        actions: [
            Command("links list", summary: "an integration's links", specs: [.option("integration", "ID", "the integration")], run: run)
        ])

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let id = arguments.value("integration") else { throw CLIError.usage("links list needs --integration ID") }
        let links = try context.integrationService(withPolicies: false).links(id)
        if context.json {
            context.printJSON(links.map(IntegrationJSON.object))
        } else {
            print(links.isEmpty ? "no links" : Output.table(
                ["ROLE", "MIS ID", "TARGET ID", "ORIGIN", "RULE"],
                links.map { [$0.role.rawValue, $0.misID, $0.targetID, $0.origin.rawValue, $0.rule] }))
        }
        return 0
    }
}

/// `mislink intake list|show|match|transfer|exclude`.
enum IntakeCommand {
    static let selectionSpecs: [Arguments.Spec] = [
        .flag("all", "every open entry (of --integration, of --role)"),
        .option("integration", "ID", "with --all: only this integration's entries"),
        .option("role", "ROLE", "with --all: only pupil, staff or pre-admission entries"),
        .flag("yes", "with --all: do it (without, it says how many entries it would touch)"),
    ]

    static let group = CommandGroup(
        name: "intake", summary: "records that matched nobody (or too many): match, transfer, exclude",
        details: """
            MIS records that matched nobody in the target, or more than one, wait here, each with its
            candidates: the target records that nearly matched, and on what. 'match' links the record to a
            target record by hand (a manual link, never removed by the integration); 'transfer' creates it
            in the target as new; 'exclude' stops it from being imported. Each takes entry ids, or --all
            (of an integration, of a role), which says how many it will touch and acts only with --yes.
            'match' without --target-id takes each entry's only candidate. Exit 0 when every entry was
            decided, 1 when any was refused (each refusal says why).
            """,
        actions: [
            Command(
                "intake list", summary: "entries waiting for a decision",
                specs: [
                    .option("integration", "ID", "only this integration's entries"),
                    .option("role", "ROLE", "only pupil, staff or pre-admission entries"), .flag("all", "resolved entries too"),
                ],
                run: list),
            Command("intake show", arguments: "ENTRY", summary: "one entry and its candidates", run: show),
            Command(
                "intake match", arguments: "ENTRY [ENTRY…] | --all", summary: "link records to target records by hand",
                details: "With --target-id, one entry to that target record; without, each entry to its only candidate.",
                specs: [.option("target-id", "T", "the target record (one entry)")] + selectionSpecs
            ) { try decide("match", $0, $1) },
            Command(
                "intake transfer", arguments: "ENTRY [ENTRY…] | --all", summary: "create them in the target as new",
                specs: selectionSpecs) { try decide("transfer", $0, $1) },
            Command(
                "intake exclude", arguments: "ENTRY [ENTRY…] | --all", summary: "stop them from being imported",
                specs: selectionSpecs) { try decide("exclude", $0, $1) },
        ])

    static func service(_ context: CLIContext) throws -> IntakeService {
        IntakeService(environment: try context.syncEnvironment(policies: PolicySet()))
    }

    static func role(_ arguments: Arguments) throws -> PersonRole? {
        guard let text = arguments.value("role") else { return nil }
        guard let role = PersonRole(rawValue: text) else {
            throw CLIError.usage("--role must be \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return role
    }

    static func entryID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw CLIError.usage("'\(text)' is not an intake entry id") }
        return id
    }

    static func list(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let selection = IntakeSelection.open(integration: arguments.value("integration"), role: try role(arguments))
        let entries = try service(context).entries(selection, includeResolved: arguments.flag("all"))
        if context.json {
            context.printJSON(entries.map(IntegrationJSON.object))
        } else {
            print(entries.isEmpty ? "intake is empty" : Output.table(
                ["ID", "INTEGRATION", "ROLE", "MIS ID", "NAME", "STATUS", "CANDIDATES", "REASON"],
                entries.map {
                    [String($0.id), $0.integration, $0.role.rawValue, $0.misID, $0.name, $0.status.rawValue,
                     $0.candidates.map { String($0.count) } ?? "-", $0.reason]
                }))
        }
        return 0
    }

    static func show(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let id = try entryID(try arguments.positional(0, "intake entry id"))
        let service = try service(context)
        let entry = try pluginOperation { try await service.entry(id) }
        if context.json {
            context.printJSON(IntegrationJSON.object(entry))
            return 0
        }
        var lines = [
            "intake entry \(entry.id): \(entry.status.rawValue)" + (entry.targetID.map { " (target record \($0))" } ?? ""),
            "integration: \(entry.integration)", "role:        \(entry.role.rawValue)", "MIS id:      \(entry.misID)",
            "name:        \(entry.name)", "reason:      \(entry.reason)",
            "since:       \(DurationText.isoString(milliseconds: entry.createdAt))",
        ]
        switch entry.candidates {
        case nil: lines.append("candidates:  not known (the target could not be listed)")
        case let candidates? where candidates.isEmpty: lines.append("candidates:  none")
        case let candidates?:
            lines.append("candidates:")
            lines.append(Output.table(
                ["TARGET ID", "ON", "NAME", "DATE OF BIRTH"],
                candidates.map { [$0.targetID, $0.basis.summary, $0.name, $0.dateOfBirth?.description ?? "-"] }))
        }
        print(lines.joined(separator: "\n"))
        return 0
    }

    /// Which entries: ids, or --all (filtered), never both.
    static func selection(_ action: String, _ arguments: Arguments) throws -> IntakeSelection {
        let ids = arguments.positionals
        guard arguments.flag("all") else {
            guard arguments.value("integration") == nil, arguments.value("role") == nil else {
                throw CLIError.usage("--integration and --role choose entries with --all; with ids, give only the ids")
            }
            guard !ids.isEmpty else { throw CLIError.usage("intake \(action) needs ENTRY [ENTRY…] or --all") }
            return .ids(try ids.map(entryID))
        }
        guard ids.isEmpty else { throw CLIError.usage("give intake entry ids or --all, not both") }
        return .open(integration: arguments.value("integration"), role: try role(arguments))
    }

    static func decide(_ action: String, _ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let selection = try selection(action, arguments)
        let decision: IntakeDecision
        switch action {
        case "match":
            if let target = arguments.value("target-id") {
                guard case .ids(let ids) = selection, ids.count == 1 else {
                    throw CLIError.usage("intake match --target-id T takes one entry id")
                }
                decision = .match(targetID: target)
            } else {
                decision = .matchOnlyCandidate
            }
        case "transfer": decision = .transfer
        default: decision = .exclude
        }
        let service = try service(context)
        if case .open(let integration, let role) = selection, !arguments.flag("yes") {
            let count = try service.count(selection)
            let scope = [integration.map { "of \($0)" }, role.map { "with role \($0.rawValue)" }].compactMap { $0 }
            throw CLIError.usage(
                "intake \(action) --all would touch \(count) open intake entr\(count == 1 ? "y" : "ies")"
                    + (scope.isEmpty ? "" : " " + scope.joined(separator: " ")) + "; run it again with --yes to do it")
        }
        let report = try pluginOperation { try await service.decide(decision, selection) }
        if case .ids(let ids) = selection, ids.count == 1 {
            if let refusal = report.refused.first { throw CLIError.failure(refusal.reason) }
            let done = report.done[0]
            if context.json { context.printJSON(["entry": done.entry, "status": done.status.rawValue, "targetId": done.targetID ?? ""]) } else {
                print("intake entry \(done.entry) \(done.status.rawValue)" + (done.targetID.map { " (target record \($0))" } ?? ""))
            }
            return 0
        }
        if context.json {
            context.printJSON(IntegrationJSON.object(report))
        } else {
            for done in report.done {
                print("intake entry \(done.entry) \(done.status.rawValue)" + (done.targetID.map { " (target record \($0))" } ?? ""))
            }
            for refusal in report.refused { Output.note("intake entry \(refusal.entry) refused: \(OneLine.text(refusal.reason))") }
            print("\(report.done.count) decided, \(report.refused.count) refused")
        }
        return report.isComplete ? 0 : 1
    }
}

/// `mislink target list|restore`.
enum TargetCommand {
    static let integrationSpec = Arguments.Spec.option("integration", "ID", "the integration")

    static let group = CommandGroup(
        name: "target", summary: "the target's people and recycle bin; restore",
        details: "The people the integration's target holds (or its recycle bin), and restoring one from the bin.",
        actions: [
            Command(
                "target list", summary: "the people the target holds",
                specs: [integrationSpec, .flag("recycle-bin", "the recycle bin instead")]) { try run("list", $0, $1) },
            Command(
                "target restore", arguments: "TARGET_ID", summary: "restore a person from the recycle bin",
                specs: [integrationSpec]) { try run("restore", $0, $1) },
        ])

    static func run(_ action: String, _ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        guard let id = arguments.value("integration") else { throw CLIError.usage("target \(action) needs --integration ID") }
        let service = try context.integrationService()
        switch action {
        case "list":
            try arguments.expectPositionals(atMost: 0)
            let recycled = arguments.flag("recycle-bin")
            let people = try pluginOperation { try await service.targetPeople(id) }.filter { $0.inRecycleBin == recycled }
            if context.json {
                context.printJSON(people.map { person in
                    [
                        "targetId": person.targetID, "role": person.role.rawValue, "misId": person.misID ?? "",
                        "name": "\(person.name.legalForename) \(person.name.legalSurname)",
                        "registered": person.registered, "inRecycleBin": person.inRecycleBin,
                    ] as [String: Any]
                })
            } else {
                print(people.isEmpty ? (recycled ? "the recycle bin is empty" : "no people") : Output.table(
                    ["TARGET ID", "ROLE", "MIS ID", "NAME", "REGISTERED"],
                    people.map { [$0.targetID, $0.role.rawValue, $0.misID ?? "-", "\($0.name.legalForename) \($0.name.legalSurname)", $0.registered ? "yes" : "no"] }))
            }
        case "restore":
            try arguments.expectPositionals(atMost: 1)
            let targetID = try arguments.positional(0, "target id")
            try pluginOperation { try await service.restore(id, targetID: targetID) }
            if context.json { context.printJSON(["targetId": targetID, "inRecycleBin": false]) } else {
                print("\(targetID) restored from the recycle bin")
            }
        default:
            throw CLIError.usage("unknown target action '\(action)' (list, restore)")
        }
        return 0
    }
}

/// `mislink report changes --integration ID`.
enum ReportCommand {
    static let group = CommandGroup(
        name: "report", summary: "changes made in the target that the MIS does not have",
        details: """
            Changes made in the target that the MIS does not have: fields whose target value differs from
            what the integration last sent. The sync is one way: they are never copied to the MIS, and the
            next import overwrites them (and records them here as overwritten). This report lists both,
            so an admin can make them in the MIS by hand.
            """,
        actions: [
            Command("report changes", summary: "edits made in the target, pending or overwritten",
                    specs: [.option("integration", "ID", "the integration")], run: run)
        ])

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        guard let id = arguments.value("integration") else { throw CLIError.usage("report changes needs --integration ID") }
        let service = try context.integrationService()
        let changes = try pluginOperation { try await service.changes(id) }
        func when(_ change: TargetChange) -> String {
            change.status == .pending
                ? "in the target now" : "overwritten" + (change.seenAt.map { " at " + DurationText.isoString(milliseconds: $0) } ?? "")
        }
        if context.json {
            context.printJSON(changes.map(IntegrationJSON.object))
        } else {
            print(changes.isEmpty ? "no changes made in the target" : Output.table(
                ["MIS ID", "TARGET ID", "FIELD", "SENT FROM THE MIS", "IN THE TARGET", "STATUS"],
                changes.map { [$0.misID, $0.targetID, $0.field, $0.sentValue ?? "-", $0.targetValue ?? "-", when($0)] }))
        }
        return 0
    }
}
