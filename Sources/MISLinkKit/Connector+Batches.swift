import Foundation

// A connector built before kit 1.2 reads whole arrays: its streaming reads hand them over as one batch.
extension Connector {
    public func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void)
        async throws
    {
        try each(try await readPupils(changedSince: changedSince, context: context))
    }

    public func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void)
        async throws
    {
        try each(try await readStaff(changedSince: changedSince, context: context))
    }

    public func readPreAdmissions(
        changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void
    ) async throws {
        try each(try await readPreAdmissions(changedSince: changedSince, context: context))
    }

    public func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void)
        async throws
    {
        try each(try await readContacts(changedSince: changedSince, context: context))
    }
}
