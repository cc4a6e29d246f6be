import MISLinkKit

/// Intake at scale: entries with their candidates, and decisions (match, transfer, exclude) for one
/// entry, a list, or every open entry of an integration and/or role. The command line and the
/// console both call this. A batch answers a report (done and refused, per entry) rather than
/// stopping at the first refusal; it opens one plugin session, and lists the target once, per
/// integration, never per entry.
public struct IntakeService: Sendable {
    public let environment: SyncEnvironment

    public init(environment: SyncEnvironment) { self.environment = environment }

    private var desk: IntakeDesk { IntakeDesk(environment: environment) }

    // MARK: - Reading

    /// Entries of the selection (open ones, unless `includeResolved`), by id. A named integration
    /// that does not exist is refused.
    public func entries(_ selection: IntakeSelection, includeResolved: Bool = false) throws(SyncError) -> [IntakeEntry] {
        try read { store in
            switch selection {
            case .ids(let ids):
                return try Self.unique(ids).compactMap { id in
                    let entry = try store.intakeEntry(id)
                    return includeResolved || entry.status == .open ? entry : nil
                }
            case .open(let integration, let role):
                if let integration { _ = try store.require(integration) }
                return try store.intake(integration: integration, role: role, includeResolved: includeResolved)
            }
        }
    }

    /// How many open entries a decision for the selection would touch (a bulk action's confirmation),
    /// without reading them.
    public func count(_ selection: IntakeSelection) throws(SyncError) -> Int {
        switch selection {
        case .ids: return try entries(selection).count
        case .open(let integration, let role):
            return try read { store in
                if let integration { _ = try store.require(integration) }
                return try store.intakeCount(integration: integration, role: role)
            }
        }
    }

    /// One entry with its candidates: as recorded when it was made, or, for an entry made before
    /// candidates were recorded, worked out now from one listing of the target (open entries only;
    /// a target that cannot be reached leaves them nil).
    public func entry(_ id: Int64) async throws(SyncError) -> IntakeEntry {
        let store = try openStore()
        var (entry, integration) = try await run(store) { store in
            let entry = try store.intakeEntry(id)
            return (entry, try store.require(entry.integration))
        }
        if entry.candidates == nil, entry.status == .open {
            entry.candidates = try? await desk.candidates(for: entry, of: integration, store: store)
        }
        return entry
    }

    // MARK: - Deciding

    /// Decides for every entry of the selection, integration by integration. `match(targetID:)`
    /// needs exactly one entry id. Refused entries (already decided, a status that does not allow
    /// it, no single candidate, a target failure) are in the report with their reason; the others
    /// are done. An empty selection answers an empty report.
    public func decide(_ decision: IntakeDecision, _ selection: IntakeSelection) async throws(SyncError) -> IntakeReport {
        if case .match = decision {
            guard case .ids(let ids) = selection, Self.unique(ids).count == 1 else {
                throw SyncError(.invalidInput, "a match with a target id is for one intake entry; to match in bulk, use each entry's only candidate")
            }
        }
        if case .ids(let ids) = selection, ids.isEmpty { throw SyncError(.invalidInput, "no intake entry ids given") }
        let store = try openStore()
        let (groups, missing) = try await run(store) { store in try Self.groups(selection, store: store) }
        var report = IntakeReport()
        for id in missing { report.refuse(id, SyncError(.notFound, "there is no intake entry \(id) (see 'mislink intake list')")) }
        for (integration, entries) in groups {
            await desk.decide(entries, of: integration, decision, store: store, into: &report)
        }
        report.sort()
        return report
    }

    /// The selection's entries by integration (in id order), and the ids that name no entry.
    private static func groups(_ selection: IntakeSelection, store: IntegrationStore) throws
        -> (groups: [(Integration, [IntakeEntry])], missing: [Int64])
    {
        var entries: [IntakeEntry] = []
        var missing: [Int64] = []
        switch selection {
        case .ids(let ids):
            for id in unique(ids) {
                do { entries.append(try store.intakeEntry(id)) } catch let error as SyncError where error.code == .notFound {
                    missing.append(id)
                }
            }
        case .open(let integration, let role):
            if let integration { _ = try store.require(integration) }
            entries = try store.intake(integration: integration, role: role)
        }
        var groups: [(Integration, [IntakeEntry])] = []
        for (id, members) in Dictionary(grouping: entries, by: \.integration).sorted(by: { $0.key < $1.key }) {
            groups.append((try store.require(id), members.sorted { $0.id < $1.id }))
        }
        return (groups, missing)
    }

    private static func unique(_ ids: [Int64]) -> [Int64] {
        var seen: Set<Int64> = []
        return ids.filter { seen.insert($0).inserted }
    }

    // MARK: - The database

    /// The store on a queue of its own (these calls await plugins); a missing SQLite file is refused, never made.
    private func openStore() throws(SyncError) -> SyncStoreActor {
        try SyncDatabase.check(environment.databasePath, access: .read)
        return environment.jobStore()
    }

    private func run<T: Sendable>(_ store: SyncStoreActor, _ body: @Sendable (IntegrationStore) throws -> T) async throws(SyncError) -> T {
        do { return try await store.run(body) } catch { throw SyncError.wrap(error) }
    }

    private func read<T>(_ body: (IntegrationStore) throws -> T) throws(SyncError) -> T {
        let database = try SyncDatabase(environment, access: .read)
        do { return try body(database.store) } catch { throw SyncError.wrap(error) }
    }
}
