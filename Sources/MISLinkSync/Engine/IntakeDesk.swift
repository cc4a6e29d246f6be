import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import SQLiteDB

/// What an admin decides for an intake entry.
public enum IntakeDecision: Sendable, Equatable {
    /// Link it to this target record by hand (a manual link).
    case match(targetID: String)
    /// Link it by hand to its only candidate; an entry with none or several is refused.
    case matchOnlyCandidate
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

    /// One entry's decision; a refusal is thrown.
    public func decide(_ entryID: Int64, _ decision: IntakeDecision) async throws -> Outcome {
        let store = environment.jobStore()
        let (entry, integration) = try await store.run { store in
            let entry = try store.intakeEntry(entryID)
            return (entry, try store.require(entry.integration))
        }
        var report = IntakeReport()
        await decide([entry], of: integration, decision, store: store, into: &report)
        if let refusal = report.refused.first { throw SyncError(refusal.code, refusal.reason) }
        return Outcome(status: report.done[0].status, targetID: report.done[0].targetID)
    }

    /// Decides for entries of one integration with one plugin session and, to match, one listing of
    /// the target's people. Each entry commits on its own (its link or exclusion with its
    /// resolution, in one transaction), so a crash leaves every entry decided or open. A transfer
    /// killed between the create and its commit leaves the entry open and a record in the target
    /// that carries its MIS id: the next import links it by MIS id and closes the entry.
    func decide(
        _ entries: [IntakeEntry], of integration: Integration, _ decision: IntakeDecision, store: SyncStoreActor,
        into report: inout IntakeReport
    ) async {
        var open: [IntakeEntry] = []
        for entry in entries {
            if entry.status == .open {
                open.append(entry)
            } else {
                report.refuse(entry.id, Self.alreadyDecided(entry))
            }
        }
        guard !open.isEmpty else { return }
        do {
            try IntegrationActions.check(.intakeDecisions, integration: integration.id, status: integration.status)
        } catch {
            for entry in open { report.refuse(entry.id, error) }
            return
        }
        if decision == .exclude {
            for entry in open { await commit(entry, .excluded, targetID: nil, store: store, into: &report) }
            return
        }
        let scrubber = SecretScrubber()
        scrubber.add(integration.secrets.values.compactMap { try? $0.resolve(environment: environment.environment) })
        func failure(_ error: any Error) -> SyncError {
            let wrapped = SyncError.wrap(error)
            return SyncError(wrapped.code, scrubber.scrub("integration '\(integration.id)': \(wrapped.message)"))
        }
        let session: PluginSession
        do { session = try PluginSession.open(integration, environment: environment, context: nil) } catch {
            for entry in open { report.refuse(entry.id, failure(error)) }
            return
        }
        if decision == .transfer {
            for entry in open {
                do {
                    let record = try Self.misRecord(entry)
                    let projection = RecordProjection(settings: integration.settings, contractSync: integration.contractSync)
                    let targetID = try await session.target.create(projection.project(MISPerson(record)), context: .silent)
                    await commit(entry, .transferred, targetID: targetID, store: store, into: &report)
                } catch {
                    report.refuse(entry.id, failure(error))
                }
            }
            return
        }
        let people: [TargetPerson]
        let links: [Link]
        do {
            people = try await session.target.listPeople(context: .silent)
            links = try await store.run { try $0.links(integration: integration.id) }
        } catch {
            for entry in open { report.refuse(entry.id, failure(error)) }
            return
        }
        var matcher = Matcher(targetPeople: people, links: links)
        var chosen: [(IntakeEntry, String)] = []
        for entry in open {
            do {
                switch decision {
                case .match(let targetID): chosen.append((entry, targetID))
                default: chosen.append((entry, try Self.onlyCandidate(entry, matcher: &matcher)))
                }
            } catch {
                report.refuse(entry.id, error)
            }
        }
        // Two entries whose only candidate is the same record: which one it is needs an admin.
        let shared = Dictionary(grouping: chosen, by: \.1).filter { $0.value.count > 1 }
        for (entry, targetID) in chosen {
            if decision == .matchOnlyCandidate, let others = shared[targetID] {
                let ids = others.map(\.0.id).filter { $0 != entry.id }.map(String.init).joined(separator: ", ")
                report.refuse(
                    entry.id,
                    SyncError(.invalidInput, "intake entry \(entry.id): its only candidate \(targetID) is also the only candidate of entry \(ids); match one by hand"))
                continue
            }
            guard let person = matcher.targetPerson(targetID) else {
                report.refuse(entry.id, SyncError(.notFound, "the target of '\(integration.id)' has no record '\(targetID)'"))
                continue
            }
            guard person.role == entry.role else {
                report.refuse(
                    entry.id,
                    SyncError(.invalidInput, "target record \(targetID) is a \(person.role.rawValue), intake entry \(entry.id) a \(entry.role.rawValue)"))
                continue
            }
            await commit(entry, .matched, targetID: targetID, store: store, into: &report)
        }
    }

    /// The entry's one candidate, from those recorded with it or (an entry older than candidates)
    /// worked out now from the listing the batch already has.
    private static func onlyCandidate(_ entry: IntakeEntry, matcher: inout Matcher) throws(SyncError) -> String {
        var candidates = entry.candidates ?? []
        if entry.candidates == nil { candidates = matcher.candidates(for: MISPerson(try misRecord(entry))) }
        guard candidates.count == 1 else {
            throw SyncError(
                .invalidInput,
                candidates.isEmpty
                    ? "intake entry \(entry.id) has no candidate: transfer it, or match it by hand with a target id"
                    : "intake entry \(entry.id) has \(candidates.count) candidates (\(candidates.map(\.targetID).joined(separator: ", "))): match one by hand")
        }
        return candidates[0].targetID
    }

    /// Writes one decision: the link (refused when another MIS record holds the target record) or the
    /// exclusion, with the entry's resolution, in one transaction; an entry decided meanwhile is refused.
    private func commit(
        _ entry: IntakeEntry, _ status: IntakeEntry.Status, targetID: String?, store: SyncStoreActor,
        into report: inout IntakeReport
    ) async {
        do {
            try await store.run { store in
                try store.connection.transaction {
                    let now = JobStore.now()
                    if let targetID {
                        if let holder = try store.misIDLinked(to: targetID, integration: entry.integration) {
                            throw SyncError(.conflict, "target record \(targetID) is already linked to MIS record \(holder)")
                        }
                        try store.link(
                            Link(integration: entry.integration, role: entry.role, misID: entry.misID, targetID: targetID,
                                 origin: .manual, rule: status == .transferred ? "transferred" : "manual", createdAt: now))
                    } else {
                        try store.exclude(integration: entry.integration, misID: entry.misID, now: now)
                    }
                    try store.resolveIntake(entry.id, as: status, targetID: targetID, now: now)
                    try store.recordChange(
                        PersonChange(
                            integration: entry.integration, jobID: nil, planID: nil, at: now, role: entry.role, misID: entry.misID,
                            targetID: targetID, kind: PersonChange.Kind(decision: status),
                            detail: "intake entry \(entry.id): \(status.rawValue) by an admin"))
                }
            }
            report.record(entry.id, status, targetID: targetID)
        } catch {
            report.refuse(entry.id, SyncError.wrap(error))
        }
    }

    static func alreadyDecided(_ entry: IntakeEntry) -> SyncError {
        SyncError(.conflict, "intake entry \(entry.id) is already \(entry.status.rawValue)")
    }

    /// The MIS record the entry holds.
    static func misRecord(_ entry: IntakeEntry) throws(SyncError) -> PersonRecord {
        guard let record = try? JSONDecoder().decode(IntakeRecord.self, from: Data(entry.record.utf8)).record else {
            throw SyncError(.failed, "intake entry \(entry.id) holds no readable MIS record")
        }
        return record
    }

    /// The near matches of an entry made before candidates were recorded: one listing of the target.
    func candidates(for entry: IntakeEntry, of integration: Integration, store: SyncStoreActor) async throws -> [IntakeCandidate] {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        let people = try await session.target.listPeople(context: .silent)
        let links = try await store.run { try $0.links(integration: integration.id) }
        var matcher = Matcher(targetPeople: people, links: links)
        return matcher.candidates(for: MISPerson(try Self.misRecord(entry)))
    }

    public func targetPeople(_ integration: Integration) async throws -> [TargetPerson] {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        return try await session.target.listPeople(context: .silent)
    }

    /// Restores a record from the recycle bin; a linked one's history records it.
    public func restore(_ integration: Integration, targetID: String) async throws {
        let session = try PluginSession.open(integration, environment: environment, context: nil)
        try await session.target.restoreFromRecycleBin(targetID: targetID, context: .silent)
        try await environment.jobStore().run { store in
            guard let link = try store.link(integration: integration.id, targetID: targetID) else { return }
            try store.recordChange(
                PersonChange(
                    integration: integration.id, jobID: nil, planID: nil, at: JobStore.now(), role: link.role, misID: link.misID,
                    targetID: targetID, kind: .restore, detail: "restored from the recycle bin by an admin"))
        }
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
