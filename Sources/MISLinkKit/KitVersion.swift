/// The plugin protocol's version. Within a major version changes are additive only, so a plugin
/// built against 1.x runs on any kit 1.y with y ≥ x.
///
/// History:
/// - 1.0: connectors, targets, manifests, config, context, errors.
/// - 1.1: the optional `validate(config:)` hook on `ConnectorPlugin` and `TargetPlugin`, called at
///   `integration add` and `set`. Additive: its default implementation accepts everything, so every
///   1.0 plugin builds and runs unchanged.
/// - 1.2: streaming reads: `Connector.readPupils(changedSince:context:each:)` and its siblings, and
///   `Target.listPeople(context:each:)`, hand records over a batch at a time. Additive: their default
///   implementations call the array-returning methods, so every earlier plugin runs unchanged.
/// - 1.3: `Target.storedForm(of:)` (the record as the target keeps it, for comparing) and
///   `PluginError.recordRefused` (a create the target will not take goes to intake); the kit's
///   `SecretScrubber`. Additive: the default stored form is the record itself.
/// - 1.4: `StreamingConnector`, a connector that implements only the batch reads and gets the
///   array forms from them. Additive: `Connector` is unchanged.
/// - 1.5: `Target.delete(targetID:context:)` and `Target.canDelete`, so that the engine can purge
///   records that have sat in the recycle bin too long. Additive: by default a target cannot delete
///   (`canDelete` false), and the engine then only warns. `Connector.fingerprint(context:)` and
///   `Target.fingerprint(context:)`, with `StableDigest`: a value that changes with what the reads
///   return, so a reviewed plan is applied without reading again when nothing changed. Additive: the
///   default is nil (always read again).
public struct KitVersion: Sendable, Codable, Equatable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// The version of the kit this build of MISLink provides.
    public static let current = KitVersion(major: 1, minor: 5)

    public var description: String { "\(major).\(minor)" }

    public static func < (lhs: KitVersion, rhs: KitVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// Why a plugin built against `self` cannot run on `host`, or nil when it can.
    public func incompatibility(with host: KitVersion) -> String? {
        if major != host.major {
            return "built for plugin kit \(self), but this MISLink provides kit \(host) (major versions differ)"
        }
        if minor > host.minor {
            return "built for plugin kit \(self), newer than this MISLink's kit \(host); upgrade MISLink"
        }
        return nil
    }
}
