import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// `mislink integration …`: add, inspect, configure and remove integrations, and the admin switches
/// of the state table.
enum IntegrationCommand {
    static let help = """
        Usage: mislink integration add ID --connector PLUGIN --target PLUGIN [--config KEY=VALUE]...
                                          [--secret KEY=env:VAR | --secret KEY=file:PATH]...
               mislink integration list | show ID
               mislink integration set ID KEY=VALUE...
               mislink integration on|off ID
               mislink integration absence-sync|contract-sync|staff-sync ID on|off
               mislink integration go-live ID
               mislink integration remove ID --yes

        A new integration is Pending. The setup wizard ('mislink enqueue rerun-wizard --integration ID')
        checks the connection and matches records: Pending → Ready. 'go-live' enqueues the initial
        upload: Ready → On. A job that fails for good moves the integration to Error (the reason is in
        'show'); a successful re-run wizard or re-match brings it back On. 'off' pauses it: no nightly
        import runs and nothing is deleted. Each action is allowed as the state table says (see README).

        Secrets are given as where they live (env:VAR or file:PATH), never as values; they are read only
        when a plugin needs them and shown as (set).

        'remove' deletes the integration and all its sync information (links, stored ids, matches,
        intake, exclusions, import history); it cannot be undone and needs --yes.

        Settings for 'set':
        \(IntegrationSettings.keys.map { "  \($0.name.padding(toLength: 24, withPad: " ", startingAt: 0))\($0.takes)" }.joined(separator: "\n"))
        """

    static let specs: [Arguments.Spec] = [
        .option("connector"), .option("target"), .repeated("config"), .repeated("secret"), .flag("yes"),
    ]

    static func run(_ tokens: [String]) throws -> Int32 {
        guard let (arguments, context) = try parseCommand(tokens, specs: specs, help: help) else { return 0 }
        let action = try arguments.positional(0, "integration action (add, list, show, set, on, off, absence-sync, contract-sync, staff-sync, go-live, remove)")
        switch action {
        case "add": return try add(arguments, context)
        case "list": return try list(arguments, context)
        case "show": return try show(arguments, context)
        case "set": return try set(arguments, context)
        case "on", "off": return try toggle(arguments, context, on: action == "on")
        case "absence-sync", "contract-sync", "staff-sync": return try syncSwitch(arguments, context, which: action)
        case "go-live": return try goLive(arguments, context)
        case "remove": return try remove(arguments, context)
        default: throw CLIError.usage("unknown integration action '\(action)'; see 'mislink integration --help'")
        }
    }

    private static func integrationID(_ arguments: Arguments) throws(CLIError) -> String {
        let id = try arguments.positional(1, "integration id")
        guard Integration.isValidID(id) else {
            throw CLIError.usage("'\(id)' is not an integration id: letters, digits, '-' or '_'")
        }
        return id
    }

    private static func pairs(_ values: [String], option: String) throws(CLIError) -> [(String, String)] {
        var result: [(String, String)] = []
        for value in values {
            guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                throw CLIError.usage("--\(option) takes KEY=VALUE, not '\(value)'")
            }
            result.append((String(value[..<equals]), String(value[value.index(after: equals)...])))
        }
        return result
    }

    private static func add(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 2)
        let id = try integrationID(arguments)
        guard let connectorID = arguments.value("connector") else { throw CLIError.usage("integration add needs --connector PLUGIN") }
        guard let targetID = arguments.value("target") else { throw CLIError.usage("integration add needs --target PLUGIN") }
        let plugins = try BuiltInPlugins.registry()
        guard let connector = plugins.connector(connectorID) else {
            throw CLIError.usage("there is no connector plugin '\(connectorID)' (see 'mislink plugins')")
        }
        guard let target = plugins.target(targetID) else {
            throw CLIError.usage("there is no target plugin '\(targetID)' (see 'mislink plugins')")
        }
        let keys = connector.manifest.configKeys + target.manifest.configKeys
        var integration = Integration(id: id, connector: connectorID, target: targetID, now: JobStore.now())
        // A new integration's nightly time starts from the nightly-import policy's schedule.
        if let schedule = try context.loadPolicies().policy(for: JobKinds.nightlyImport)?.schedule {
            integration.settings.nightlyAt = schedule.timeText
            integration.settings.timeZone = schedule.timeZone
        }
        for (key, value) in try pairs(arguments.all("config"), option: "config") {
            guard let declared = keys.first(where: { $0.name == key }) else {
                throw CLIError.usage("configuration key '\(key)' is not one the plugins take (they take: \(keys.map(\.name).joined(separator: ", ")))")
            }
            if declared.secret {
                throw CLIError.usage("'\(key)' is a secret: give it with --secret \(key)=env:VARIABLE or --secret \(key)=file:PATH")
            }
            integration.config[key] = value
        }
        for (key, value) in try pairs(arguments.all("secret"), option: "secret") {
            guard keys.contains(where: { $0.name == key }) else {
                throw CLIError.usage("secret key '\(key)' is not one the plugins take (they take: \(keys.map(\.name).joined(separator: ", ")))")
            }
            integration.secrets[key] = try syncOperation { try SecretReference(parsing: value) }
        }
        if let missing = keys.first(where: { $0.required && integration.config[$0.name] == nil && integration.secrets[$0.name] == nil }) {
            throw CLIError.usage("the \(missing.secret ? "secret" : "configuration key") '\(missing.name)' is required (\(missing.summary))")
        }
        let (_, store) = try context.openSyncStore()
        try syncOperation { try store.connection.transaction { try store.add(integration) } }
        if context.json {
            context.printJSON(IntegrationPresentation.json(integration))
        } else {
            print("integration \(id) added: Pending. Next: mislink enqueue rerun-wizard --integration \(id)")
        }
        return 0
    }

    private static func list(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 1)
        let (_, store) = try context.openSyncStore()
        let integrations = try store.integrations()
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
        try arguments.expectPositionals(atMost: 2)
        let id = try integrationID(arguments)
        let (_, store) = try context.openSyncStore()
        let integration = try syncOperation { try store.require(id) }
        if context.json {
            context.printJSON(IntegrationPresentation.json(integration))
        } else {
            print(IntegrationPresentation.detail(integration))
        }
        return 0
    }

    private static func set(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        let id = try integrationID(arguments)
        let settings = try pairs(Array(arguments.positionals.dropFirst(2)), option: "set")
        guard !settings.isEmpty else { throw CLIError.usage("integration set needs at least one KEY=VALUE") }
        let (_, store) = try context.openSyncStore()
        let integration = try syncOperation {
            try store.connection.transaction {
                var integration = try store.require(id)
                for (key, value) in settings { try integration.settings.set(key, value) }
                integration.updatedAt = JobStore.now()
                try store.save(integration)
                return integration
            }
        }
        if context.json { context.printJSON(IntegrationPresentation.json(integration)) } else { print("integration \(id) updated") }
        return 0
    }

    /// Applies a state-table action to an integration, in one transaction with the check.
    private static func act(
        _ id: String, _ action: IntegrationAction, _ context: CLIContext, _ change: (inout Integration) -> Void
    ) throws -> Integration {
        let (_, store) = try context.openSyncStore()
        return try syncOperation {
            try store.connection.transaction {
                var integration = try store.require(id)
                try StateTable.check(action, integration: id, status: integration.status)
                change(&integration)
                integration.updatedAt = JobStore.now()
                try store.save(integration)
                return integration
            }
        }
    }

    private static func toggle(_ arguments: Arguments, _ context: CLIContext, on: Bool) throws -> Int32 {
        try arguments.expectPositionals(atMost: 2)
        let id = try integrationID(arguments)
        let integration = try act(id, .turnIntegrationOnOff, context) { integration in
            integration.status = on ? .on : .off
            integration.errorReason = nil
        }
        if context.json { context.printJSON(IntegrationPresentation.json(integration)) } else {
            print("integration \(id) is \(integration.status.title)" + (on ? "" : ": paused, nothing deleted"))
        }
        return 0
    }

    private static func syncSwitch(_ arguments: Arguments, _ context: CLIContext, which: String) throws -> Int32 {
        try arguments.expectPositionals(atMost: 3)
        let id = try integrationID(arguments)
        let value = try arguments.positional(2, "on or off")
        guard value == "on" || value == "off" else { throw CLIError.usage("\(which) takes on or off, not '\(value)'") }
        let action: IntegrationAction =
            which == "absence-sync" ? .absenceSync : which == "contract-sync" ? .contractSync : .staffSync
        let integration = try act(id, action, context) { integration in
            switch action {
            case .absenceSync: integration.absenceSync = value == "on"
            case .contractSync: integration.contractSync = value == "on"
            default: integration.staffSync = value == "on"
            }
        }
        if context.json { context.printJSON(IntegrationPresentation.json(integration)) } else { print("integration \(id): \(which) \(value)") }
        return 0
    }

    private static func goLive(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 2)
        let id = try integrationID(arguments)
        let policies = try context.loadPolicies()
        let (jobs, store) = try context.openSyncStore()
        let result = try syncOperation {
            try store.connection.transaction {
                let integration = try store.require(id)
                guard integration.status == .ready else {
                    throw SyncError(.refused, "integration '\(id)' is \(integration.status.title): go-live needs it Ready (run the setup wizard first)")
                }
                let policy = policies.policy(for: JobKinds.initialUpload)!
                return try JobStore.enqueue(
                    NewJob(kind: JobKinds.initialUpload, queue: policy.queue, integration: id, payload: "{}",
                           priority: policy.priority, maxAttempts: policy.maxAttempts, uniqueKey: "initial-upload:\(id)",
                           concurrencyKey: JobKinds.concurrencyKey(kind: JobKinds.initialUpload, integration: id)),
                    on: jobs.connection, now: JobStore.now())
            }
        }
        if context.json { context.printJSON(["id": result.id, "kind": JobKinds.initialUpload]) } else {
            print(result.id)
            Output.note("initial upload of \(id) enqueued as job \(result.id); it turns the integration On when it succeeds")
        }
        return 0
    }

    private static func remove(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 2)
        let id = try integrationID(arguments)
        let (_, store) = try context.openSyncStore()
        guard arguments.flag("yes") else {
            _ = try syncOperation { try store.require(id) }
            throw CLIError.usage("removing '\(id)' deletes all its sync information (links, stored ids, matches, intake, exclusions, import history) and cannot be undone; run again with --yes")
        }
        let counts = try syncOperation {
            try store.connection.transaction {
                let integration = try store.require(id)
                try StateTable.check(.remove, integration: id, status: integration.status)
                return try store.remove(id)
            }
        }
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
    static func json(_ integration: Integration) -> [String: Any] {
        let settings = integration.settings
        return [
            "id": integration.id, "status": integration.status.rawValue, "connector": integration.connector,
            "target": integration.target, "errorReason": integration.errorReason.map { $0 as Any } ?? NSNull(),
            "config": integration.config,
            "secrets": Dictionary(uniqueKeysWithValues: integration.secrets.keys.map { ($0, "(set)") }),
            "absenceSync": integration.absenceSync, "contractSync": integration.contractSync,
            "staffSync": integration.staffSync,
            "settings": [
                "lawful-basis": settings.lawfulBasis.rawValue, "names": settings.names.rawValue,
                "fields": settings.fields.sorted().map(\.rawValue), "new-records": settings.newRecords.rawValue,
                "nightly-at": settings.nightlyAt, "time-zone": settings.timeZone,
                "mass-leaver-threshold": settings.massLeaverThreshold, "phase": settings.phase.rawValue,
            ] as [String: Any],
        ]
    }

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
            "  phase:           \(settings.phase.rawValue)",
        ]
        for key in integration.config.keys.sorted() { lines.append("  config \(key): \(integration.config[key]!)") }
        for key in integration.secrets.keys.sorted() { lines.append("  secret \(key): (set)") }
        return lines.joined(separator: "\n")
    }
}
