import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `mislink integration …`: add, inspect, configure and remove integrations, and the admin switches
/// of the state table. Each action is one call of the integration service.
enum IntegrationCommand {
    static let group = CommandGroup(
        name: "integration", summary: "add, show, configure, switch and remove MIS integrations",
        details: """
            A new integration is Pending. The setup wizard ('mislink enqueue rerun-wizard --integration ID')
            checks the connection and matches records: Pending → Ready. 'go-live' enqueues the initial
            upload: Ready → On. A job that fails for good moves the integration to Error (the reason is in
            'show'). 'off' pauses it: no nightly import runs and nothing is deleted. Each action is allowed
            as the state table says (see README).
            """,
        actions: [
            Command(
                "integration add", arguments: "ID", summary: "a new integration of a connector and a target: Pending",
                details: """
                    Secrets are given as where they live (env:VAR or file:PATH), never as values; they are read
                    only when a plugin needs them and shown as (set). The configuration is checked against both
                    plugins; a value naming the queue database (or its -wal/-shm) is refused.
                    """,
                specs: [
                    .option("connector", "PLUGIN", "the MIS side (see 'mislink plugins')"),
                    .option("target", "PLUGIN", "the other system (see 'mislink plugins')"),
                    .repeated("config", "KEY=VALUE", "a plugin configuration value (repeatable)"),
                    .repeated("secret", "KEY=env:VAR|file:PATH", "where a secret lives (repeatable)"),
                ],
                run: add),
            Command("integration list", summary: "every integration with its status", run: list),
            Command("integration show", arguments: "ID", summary: "one integration, its settings and configuration", run: show),
            Command(
                "integration set", arguments: "ID CHANGE...", summary: "change settings or plugin configuration",
                details: """
                    Each CHANGE is KEY=VALUE for a setting, config.KEY=VALUE for a plugin's configuration (an
                    empty value removes an optional key) or secret.KEY=env:VAR|file:PATH. Nothing else changes;
                    a configuration change is checked as 'add' checks it.

                    Settings:
                    \(IntegrationSettings.keys.map { "  \($0.name.padding(toLength: 24, withPad: " ", startingAt: 0))\($0.takes)" }.joined(separator: "\n"))
                    """,
                run: set),
            Command("integration on", arguments: "ID", summary: "turn it on", run: { try toggle($0, $1, on: true) }),
            Command("integration off", arguments: "ID", summary: "pause it: no nightly import runs, nothing is deleted", run: { try toggle($0, $1, on: false) }),
            Command("integration absence-sync", arguments: "ID on|off", summary: "write-back of attendance on or off", run: { try syncSwitch($0, $1, .absenceSync) }),
            Command("integration contract-sync", arguments: "ID on|off", summary: "contract sync on or off", run: { try syncSwitch($0, $1, .contractSync) }),
            Command("integration staff-sync", arguments: "ID on|off", summary: "staff sync on or off", run: { try syncSwitch($0, $1, .staffSync) }),
            Command(
                "integration go-live", arguments: "ID",
                summary: "enqueue the initial upload of a Ready integration; it turns On when it succeeds", run: goLive),
            Command(
                "integration remove", arguments: "ID",
                summary: "delete it and all its sync information (links, stored ids, matches, intake, exclusions, import history)",
                details: "It cannot be undone, so it needs --yes.",
                specs: [.flag("yes", "confirm: this cannot be undone")], run: remove),
        ])

    private static func integrationID(_ arguments: Arguments, positionals: Int = 1) throws(CLIError) -> String {
        try arguments.expectPositionals(atMost: positionals)
        return try arguments.positional(0, "integration id")
    }

    private static func pairs(_ values: [String], option: String) throws(CLIError) -> [String: String] {
        var result: [String: String] = [:]
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw CLIError.usage("--\(option) takes KEY=VALUE, not '\(value)'")
            }
            result[String(value[..<equals])] = String(value[value.index(after: equals)...])
        }
        return result
    }

    private static func printIntegration(_ integration: Integration, _ context: CLIContext, _ text: String) {
        if context.json { context.printJSON(IntegrationPresentation.json(integration)) } else { print(text) }
    }

    private static func add(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try integrationID(arguments)
        guard let connector = arguments.value("connector") else { throw CLIError.usage("integration add needs --connector PLUGIN") }
        guard let target = arguments.value("target") else { throw CLIError.usage("integration add needs --target PLUGIN") }
        let draft = IntegrationDraft(
            id: id, connector: connector, target: target, config: try pairs(arguments.all("config"), option: "config"),
            secrets: try pairs(arguments.all("secret"), option: "secret"))
        let integration = try context.integrationService().add(draft)
        printIntegration(integration, context, "integration \(id) added: Pending. Next: mislink enqueue rerun-wizard --integration \(id)")
        return 0
    }

    private static func list(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let integrations = try context.integrationService(withPolicies: false).integrations()
        if context.json {
            context.printJSON(integrations.map(IntegrationPresentation.json))
        } else if integrations.isEmpty {
            print("no integrations")
        } else {
            print(Output.table(
                ["ID", "STATUS", "CONNECTOR", "TARGET", "ABSENCE", "CONTRACT", "STAFF", "ERROR"],
                integrations.map {
                    [$0.id, $0.status.title, $0.connector, $0.target, $0.absenceSync ? "on" : "off",
                     $0.contractSync ? "on" : "off", $0.staffSync ? "on" : "off", $0.errorReason ?? ""]
                }))
        }
        return 0
    }

    private static func show(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let integration = try context.integrationService(withPolicies: false).integration(try integrationID(arguments))
        printIntegration(integration, context, IntegrationPresentation.detail(integration))
        return 0
    }

    private static func set(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try arguments.positional(0, "integration id")
        var edits: [IntegrationEdit] = []
        for text in arguments.positionals.dropFirst() { edits.append(try IntegrationEdit(parsing: text)) }
        guard !edits.isEmpty else { throw CLIError.usage("integration set needs at least one KEY=VALUE") }
        let integration = try context.integrationService(withPolicies: false).set(id, edits)
        printIntegration(integration, context, "integration \(id) updated")
        return 0
    }

    private static func toggle(_ arguments: Arguments, _ context: CLIContext, on: Bool) throws -> Int32 {
        let id = try integrationID(arguments)
        let integration = try context.integrationService(withPolicies: false).turn(id, on: on)
        printIntegration(integration, context, "integration \(id) is \(integration.status.title)" + (on ? "" : ": paused, nothing deleted"))
        return 0
    }

    private static func syncSwitch(_ arguments: Arguments, _ context: CLIContext, _ action: IntegrationAction) throws -> Int32 {
        let id = try integrationID(arguments, positionals: 2)
        let value = try arguments.positional(1, "on or off")
        guard value == "on" || value == "off" else { throw CLIError.usage("\(action.rawValue) takes on or off, not '\(value)'") }
        let integration = try context.integrationService(withPolicies: false).setSync(id, action, on: value == "on")
        printIntegration(integration, context, "integration \(id): \(action.rawValue.replacingOccurrences(of: " on/off", with: "")) \(value)")
        return 0
    }

    private static func goLive(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try integrationID(arguments)
        let result = try context.integrationService().goLive(id)
        if context.json {
            context.printJSON(["id": result.id, "kind": JobKinds.initialUpload, "inserted": result.inserted])
        } else {
            print(result.id)
            Output.note(
                result.inserted
                    ? "initial upload of \(id) enqueued as job \(result.id); it turns the integration On when it succeeds"
                    : "the initial upload of \(id) is already pending as job \(result.id); nothing added")
        }
        return 0
    }

    private static func remove(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try integrationID(arguments)
        let counts = try context.integrationService(withPolicies: false).remove(id, confirmed: arguments.flag("yes"))
        if context.json {
            context.printJSON([
                "removed": id, "links": counts.links, "intake": counts.intake, "exclusions": counts.exclusions,
                "imports": counts.imports, "writeBacks": counts.writeBacks,
            ])
        } else {
            print("integration \(id) removed with \(counts.links) link(s), \(counts.intake) intake entr(ies), \(counts.exclusions) exclusion(s), \(counts.imports) import record(s) and \(counts.writeBacks) write-back record(s); this cannot be undone")
        }
        return 0
    }
}

/// How an integration looks in output. Secrets show as "(set)", never their values or whereabouts.
enum IntegrationPresentation {
    static func json(_ integration: Integration) -> [String: Any] { IntegrationJSON.object(integration) }

    static func detail(_ integration: Integration) -> String {
        let settings = integration.settings
        var lines = [
            "integration \(integration.id)",
            "  status:          \(integration.status.title)" + (integration.errorReason.map { " (\($0))" } ?? ""),
            "  connector:       \(integration.connector)",
            "  target:          \(integration.target)",
            "  absence sync:    \(integration.absenceSync ? "on" : "off")",
            "  contract sync:   \(integration.contractSync ? "on" : "off")",
            "  staff sync:      \(integration.staffSync ? "on" : "off")",
            "  lawful basis:    \(settings.lawfulBasis.rawValue)",
            "  names:           \(settings.names.rawValue)",
            "  fields:          \(settings.fields.sorted().map(\.rawValue).joined(separator: ", "))",
            "  new records:     \(settings.newRecords.rawValue)",
            "  nightly import:  \(settings.nightlyAt) \(settings.timeZone)",
            "  mass-leaver guard: \(Int(settings.massLeaverThreshold * 100))%",
            "  guards:          \(settings.guardLimits.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.text)" }.joined(separator: ", "))",
            "  plan expiry:     \(DurationText.format(milliseconds: settings.planExpiry))",
            "  phase:           \(settings.phase.rawValue)",
            "  recycle purge:   \(settings.recyclePurgeAfterDays.map { "after \($0) days in the recycle bin" } ?? "never")",
        ]
        for key in integration.config.keys.sorted() { lines.append("  config \(key): \(integration.config[key]!)") }
        for key in integration.secrets.keys.sorted() { lines.append("  secret \(key): (set)") }
        return lines.joined(separator: "\n")
    }
}
