import MISLinkKit

/// The admin actions that reach an integration's plugins: intake decisions, the target's people,
/// restoring from its recycle bin, and the changes report. Each first refuses a missing queue file
/// (or integration), then hands over to the engine.
extension IntegrationService {
    public func decide(_ entryID: Int64, _ decision: IntakeDecision) async throws -> IntakeDesk.Outcome {
        try SyncDatabase.check(environment.databasePath, access: .read)
        return try await IntakeDesk(environment: environment).decide(entryID, decision)
    }

    /// Everyone the integration's target holds, recycle bin included.
    public func targetPeople(_ id: String) async throws -> [TargetPerson] {
        try await IntakeDesk(environment: environment).targetPeople(try integration(id))
    }

    public func restore(_ id: String, targetID: String) async throws {
        try await IntakeDesk(environment: environment).restore(try integration(id), targetID: targetID)
    }

    /// Edits made in the target that the MIS does not have.
    public func changes(_ id: String) async throws -> [TargetChange] {
        let integration = try integration(id)
        return try await ChangesReport(environment: environment).changes(integration, links: try links(id))
    }
}
