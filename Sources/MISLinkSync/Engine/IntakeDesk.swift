import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import SQLiteDB

/// What an admin decides for an intake entry.
public enum IntakeDecision: Sendable, Equatable {
    /// Link it to this target record by hand (a manual link).
    case match(targetID: String)
    /// Create it in the target as new.
    case transfer
    /// Stop importing it.
    case exclude
}

/// An admin's direct work with an integration's target: intake decisions, listing, restoring.
public struct IntakeDesk: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) { self.environment = environment }

    public struct Outcome: Sendable {
        public let status: IntakeEntry.Status
        public let targetID: String?
    }

    public func decide(_ entryID: Int64, _ decision: IntakeDecision) async throws -> Outcome {
        let store = try environment.openStore()
        let entry = try store.intakeEntry(entryID)
        guard entry.status == .open else {
            throw SyncError(.invalidInput, "intake entry \(entryID) is already \(entry.status.rawValue)")
        }
        let integration = try store.require(entry.integration)
        let now = JobStore.now()
        switch decision {
        case .exclude:
            try store.connection.transaction {
                try store.exclude(integration: integration.id, misID: entry.misID, now: now)
                try store.resolveIntake(entryID, as: .excluded, targetID: nil, now: now)
            }
            return Outcome(status: .excluded, targetID: nil)
        case .match(let targetID):
            let session = try PluginSession.open(integration, environment: environment, context: nil)
            let people = try await session.target.listPeople(context: .silent)
            guard let person = people.first(where: { $0.targetID == targetID }) else {
                throw SyncError(.notFound, "the target of '\(integration.id)' has no record '\(targetID)'")
            }
            guard person.role == entry.role else {
                throw SyncError(.invalidInput, "target record \(targetID) is a \(person.role.rawValue), the intake entry a \(entry.role.rawValue)")
            }
            if let holder = try store.links(integration: integration.id).first(where: { $0.targetID == targetID }) {
                throw SyncError(.invalidInput, "target record \(targetID) is already linked to MIS record \(holder.misID)")
            }
            try link(entry, targetID: targetID, rule: "manual", status: .matched, store: store, now: now)
            return Outcome(status: .matched, targetID: targetID)
        case .transfer:
            guard let data = entry.record.data(using: .utf8),
                let record = try JSONDecoder().decode(IntakeRecord.self, from: data).record
            else { throw SyncError(.failed, "intake entry \(entryID) holds no readable MIS record") }
            let session = try PluginSession.open(integration, environment: environment, context: nil)
            let projection = RecordProjection(settings: integration.settings, contractSync: integration.contractSync)
            let targetID = try await session.target.create(projection.project(MISPerson(record)), context: .silent)
            try link(entry, targetID: targetID, rule: "transferred", status: .transferred, store: store, now: now)
            return Outcome(status: .transferred, targetID: targetID)
        }
    }

    private func link(
        _ entry: IntakeEntry, targetID: String, rule: String, status: IntakeEntry.Status, store: IntegrationStore, now: Int64
    ) throws {
        try store.connection.transaction {
            try store.link(
                Link(integration: entry.integration, role: entry.role, misID: entry.misID, targetID: targetID,
                     origin: .manual, rule: rule, createdAt: now))
            try store.resolveIntake(entry.id, as: status, targetID: targetID, now: now)
        }
    }

    public func targetPeople(_ integration: Integration) async throws -> [TargetPerson] {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        return try await session.target.listPeople(context: .silent)
    }

    public func restore(_ integration: Integration, targetID: String) async throws {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        try await session.target.restoreFromRecycleBin(targetID: targetID, context: .silent)
    }
}

/// "Changes made in the target": fields whose target value differs from what the integration last
/// sent from the MIS. The sync is one way, so these are listed for the admin to make in the MIS by
/// hand, never copied back. Pending ones are in the target now (the next import overwrites them);
/// overwritten ones an import found, recorded and replaced.
public struct ChangesReport: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) { self.environment = environment }

    public func changes(_ integration: Integration, links: [Link]) async throws -> [TargetChange] {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        let held = Dictionary(try await session.target.listPeople(context: .silent).map { ($0.targetID, $0) }) { first, _ in first }
        let store = try environment.openStore()
        // Writes of an import that has not completed (killed, waiting for a retry) are ours, not edits.
        let written = try store.earlierWrites(integration: integration.id, excluding: nil)
        var pending: [TargetChange] = []
        for link in links {
            guard let sent = link.sent, let person = held[link.targetID], !person.inRecycleBin else { continue }
            let have = RecordProjection.comparable(person.standardFields, registered: person.registered)
            let ours = written[link.role.rawValue + ":" + link.misID] ?? []
            for edit in RecordProjection.targetEdits(held: have, registered: person.registered, sent: sent, ours: ours) {
                pending.append(
                    TargetChange(role: link.role, misID: link.misID, targetID: link.targetID, field: edit.field,
                                 sentValue: edit.sent, targetValue: edit.target, status: .pending))
            }
        }
        let overwritten = try store.overwrittenTargetChanges(integration: integration.id)
        return pending + overwritten
    }
}
