import DirectoryTarget
import MISLinkKit

/// The directory target as a system that keeps less: no date of birth or gender (what it lists
/// has none, and its `storedForm` says so), and that refuses to create the people `refused` names.
struct ReshapingDirectoryPlugin: TargetPlugin {
    let refused: Set<String>
    private let inner = DirectoryTargetPlugin()

    init(refused: Set<String> = []) { self.refused = refused }

    var manifest: PluginManifest { inner.manifest }

    func makeTarget(config: PluginConfig) throws -> any Target {
        ReshapingTarget(inner: try inner.makeTarget(config: config), refused: refused)
    }
}

struct ReshapingTarget: ForwardingTarget {
    let inner: any Target
    let refused: Set<String>

    func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        try await inner.listPeople(context: context).map { person in
            var kept = person
            kept.dateOfBirth = nil
            kept.fields["gender"] = nil
            return kept
        }
    }

    func storedForm(of record: PersonRecord) -> PersonRecord {
        var details = record.details
        details.dateOfBirth = nil
        details.gender = nil
        return record.replacingDetails(details)
    }

    func create(_ record: PersonRecord, context: PluginContext) async throws -> String {
        if refused.contains(record.details.misID) {
            throw PluginError.recordRefused("the login \(record.details.name.legalForename.lowercased())@oak.example is held by another user")
        }
        return try await inner.create(record, context: context)
    }
}
