import Foundation

/// A connector that reads in batches (kit 1.4): it implements the four `each:` reads, and gets the
/// array forms from them, so no streaming connector writes its own. (Declaring the conformance
/// without implementing the `each:` reads would make each form call the other forever.)
public protocol StreamingConnector: Connector {}

extension StreamingConnector {
    public func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try await RecordBatches.collect { try await readPupils(changedSince: changedSince, context: context, each: $0) }
    }

    public func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await RecordBatches.collect { try await readStaff(changedSince: changedSince, context: context, each: $0) }
    }

    public func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission] {
        try await RecordBatches.collect {
            try await readPreAdmissions(changedSince: changedSince, context: context, each: $0)
        }
    }

    public func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        try await RecordBatches.collect { try await readContacts(changedSince: changedSince, context: context, each: $0) }
    }
}
