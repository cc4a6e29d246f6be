/// The process protocol's version and names: what the README's "Plugins in any language" section
/// documents. Within a major version changes are additive only, as in the kit: 1.1 adds the
/// target's optional `delete` call.
public enum ExecProtocol {
    public static let version = ProtocolVersion(major: 1, minor: 1)

    /// The calls a connector process may serve; `read…` calls stream records.
    static let connectorMethods: [String] = [
        "checkConnection", "readPupils", "readStaff", "readPreAdmissions", "readContacts", "writeAttendance",
    ]
    /// The calls a target process may serve; `listPeople` streams records.
    static let targetMethods: [String] = [
        "listPeople", "create", "update", "moveToRecycleBin", "restoreFromRecycleBin", "replaceContacts", "delete",
    ]
    /// What a connector or target must serve; the rest fall back to the kit's defaults when the
    /// manifest leaves them out.
    static let requiredConnectorMethods: Set<String> = ["readPupils", "readStaff"]
    /// Calls served only when the manifest lists them, even when it leaves `methods` out (which
    /// otherwise means every call): a plugin written before they existed never claims them.
    static let optInMethods: Set<String> = ["delete"]
    static let requiredTargetMethods: Set<String> = ["listPeople", "create", "update", "moveToRecycleBin", "restoreFromRecycleBin"]
}

/// `major.minor`, as the manifest and the hello message write it.
public struct ProtocolVersion: Sendable, Equatable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0 else { return nil }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }
}
