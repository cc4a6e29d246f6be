import Foundation
import MISLinkKit

/// A plugin process's manifest file: who it is, what config it needs, how to start it.
///
///     {"id": "school-json", "role": "connector", "version": "1.0.0", "protocol": "1.0",
///      "summary": "…", "config": [{"name": "file", "summary": "…", "secret": false, "required": true}],
///      "command": "python3", "args": ["school_connector.py"], "methods": ["readPupils", …], "callTimeout": 600,
///      "startTimeout": 60}
public struct ExecManifest: Sendable {
    public let manifest: PluginManifest
    public let protocolVersion: ProtocolVersion
    /// The executable: a path relative to the manifest's folder, an absolute path, or a name on PATH.
    public let command: String
    public let arguments: [String]
    /// The folder the process starts in: the manifest's own.
    public let folder: URL
    /// Calls the process serves; the kit's defaults stand in for the optional rest.
    public let methods: Set<String>
    /// Longest wait for any one message of a call before the plugin counts as hung.
    public let callTimeout: TimeInterval
    /// Longest wait for the process to start and answer the hello message (interpreters start slowly
    /// on a loaded machine).
    public let startTimeout: TimeInterval
    /// Where it was read from, for messages.
    public let file: URL

    private struct File: Decodable {
        struct Key: Decodable {
            var name: String
            var summary: String?
            var secret: Bool?
            var required: Bool?
        }

        var id: String
        var role: PluginRole
        var version: String
        var `protocol`: String
        var summary: String?
        var config: [Key]?
        var command: String
        var args: [String]?
        var methods: [String]?
        var callTimeout: Double?
        var startTimeout: Double?
    }

    /// Reads and checks the file; every refusal names the file and the reason.
    public init(contentsOf file: URL) throws(ExecManifestError) {
        let fail = { (reason: String) in ExecManifestError(file: file.path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw fail("cannot be read") }
        let parsed: File
        do {
            parsed = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            throw fail(Self.describe(error))
        } catch {
            throw fail("is not a manifest: \(error)")
        }
        guard parsed.id.range(of: #"^[a-z0-9][a-z0-9-]{0,39}$"#, options: .regularExpression) != nil else {
            throw fail("id '\(parsed.id)' must be 1-40 lower-case letters, digits and dashes")
        }
        guard let version = ProtocolVersion(parsed.protocol) else {
            throw fail("protocol '\(parsed.protocol)' is not a version such as \(ExecProtocol.version)")
        }
        guard version.major == ExecProtocol.version.major else {
            throw fail(
                "built for plugin protocol \(version), but this MISLink speaks \(ExecProtocol.version) (major versions differ)")
        }
        guard !parsed.command.isEmpty else { throw fail("command is empty") }
        let known = parsed.role == .connector ? ExecProtocol.connectorMethods : ExecProtocol.targetMethods
        let required = parsed.role == .connector ? ExecProtocol.requiredConnectorMethods : ExecProtocol.requiredTargetMethods
        let methods = Set(parsed.methods ?? known.filter { !ExecProtocol.optInMethods.contains($0) })
        if let unknown = methods.subtracting(known).sorted().first {
            throw fail("method '\(unknown)' is not a \(parsed.role.rawValue) call (known: \(known.joined(separator: ", ")))")
        }
        if let missing = required.subtracting(methods).sorted().first {
            throw fail("a \(parsed.role.rawValue) must serve '\(missing)'")
        }
        var names: Set<String> = []
        for key in parsed.config ?? [] where !names.insert(key.name).inserted {
            throw fail("config key '\(key.name)' is listed twice")
        }
        if let timeout = parsed.callTimeout, !(timeout > 0) { throw fail("callTimeout must be a number of seconds above 0") }
        if let timeout = parsed.startTimeout, !(timeout > 0) { throw fail("startTimeout must be a number of seconds above 0") }
        manifest = PluginManifest(
            id: parsed.id, role: parsed.role, version: parsed.version, summary: parsed.summary ?? "",
            configKeys: (parsed.config ?? []).map {
                ConfigKey($0.name, summary: $0.summary ?? "", secret: $0.secret ?? false, required: $0.required ?? true)
            })
        protocolVersion = version
        command = parsed.command
        arguments = parsed.args ?? []
        folder = file.deletingLastPathComponent()
        self.methods = methods
        callTimeout = parsed.callTimeout ?? 600
        startTimeout = parsed.startTimeout ?? 60
        self.file = file
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "key '\(key.stringValue)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case .dataCorrupted(let context) where context.codingPath.isEmpty: "is not JSON"
        case .dataCorrupted(let context):
            "key '\(context.codingPath.map(\.stringValue).joined(separator: "."))': \(context.debugDescription)"
        @unknown default: "is not a manifest"
        }
    }
}

/// A manifest refused: the file and why.
public struct ExecManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "plugin manifest \(file) refused: \(reason)" }
}
