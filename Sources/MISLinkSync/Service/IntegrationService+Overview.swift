import MISLinkKit

/// What the console's overview reads about integrations' bookkeeping in one go: open intake by
/// integration and role, import figures, the mass-leaver guard's stops. Small reads along indexes.
public struct IntegrationFigures: Sendable {
    public let openIntake: [(integration: String, role: PersonRole, count: Int)]
    public let imports: [ImportFigures]
    public let guardTrips: [(integration: String, trips: Int)]

    public func openIntake(of integration: String) -> Int {
        openIntake.filter { $0.integration == integration }.reduce(0) { $0 + $1.count }
    }

    public func lastImportSuccess(of integration: String) -> Int64? {
        imports.first { $0.integration == integration }?.lastSuccessAt
    }

    public func guardTrips(of integration: String) -> Int {
        guardTrips.first { $0.integration == integration }?.trips ?? 0
    }
}

extension IntegrationService {
    public func figures() throws(SyncError) -> IntegrationFigures {
        let database = try SyncDatabase(environment, access: .read)
        do {
            return IntegrationFigures(
                openIntake: try database.store.openIntakeCounts(), imports: try database.store.importFigures(),
                guardTrips: try database.store.guardTrips())
        } catch {
            throw SyncError.wrap(error)
        }
    }
}
