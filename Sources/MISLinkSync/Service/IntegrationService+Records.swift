import MISLinkQueue

/// An integration's bookkeeping as the admin views show it: each read refuses a missing integration
/// (and a missing queue file) with a clear message; exclusions are the one write here.
extension IntegrationService {
    public func links(_ id: String) throws(SyncError) -> [Link] {
        try records(id) { try $0.links(integration: id) }
    }

    public func imports(_ id: String, limit: Int) throws(SyncError) -> [ImportRecord] {
        try records(id) { try $0.imports(integration: id, limit: limit) }
    }

    public func exclusions(_ id: String) throws(SyncError) -> [(misID: String, createdAt: Int64)] {
        try records(id) { try $0.exclusions(integration: id) }
    }

    /// Intake entries, of one integration or all.
    public func intake(integration id: String?, includeResolved: Bool) throws(SyncError) -> [IntakeEntry] {
        let database = try SyncDatabase(environment, access: .read)
        do {
            if let id { _ = try database.store.require(id) }
            return try database.store.intake(integration: id, includeResolved: includeResolved)
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// Stops one person from being imported.
    public func exclude(_ id: String, misID: String, now: Int64 = JobStore.now()) throws(SyncError) {
        guard !misID.isEmpty else { throw SyncError(.invalidInput, "an exclusion needs an MIS id") }
        let database = try SyncDatabase(environment, access: .write)
        do {
            try database.write {
                _ = try database.store.require(id)
                try database.store.exclude(integration: id, misID: misID, now: now)
            }
        } catch {
            throw SyncError.wrap(error)
        }
    }

    /// Lets the person be imported again.
    public func removeExclusion(_ id: String, misID: String) throws(SyncError) {
        let database = try SyncDatabase(environment, access: .write)
        let removed: Bool
        do {
            removed = try database.write {
                _ = try database.store.require(id)
                return try database.store.removeExclusion(integration: id, misID: misID)
            }
        } catch {
            throw SyncError.wrap(error)
        }
        guard removed else { throw SyncError(.notFound, "\(misID) is not excluded from \(id)") }
    }

    func records<T>(_ id: String, _ body: (IntegrationStore) throws -> T) throws(SyncError) -> T {
        let database = try SyncDatabase(environment, access: .read)
        do {
            _ = try database.store.require(id)
            return try body(database.store)
        } catch {
            throw SyncError.wrap(error)
        }
    }
}
