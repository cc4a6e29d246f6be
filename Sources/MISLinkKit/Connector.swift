import Foundation

/// The MIS side: reads people and writes attendance marks back.
///
/// `changedSince` asks for a delta; a connector that cannot do deltas returns everything (the engine
/// copes with either). Implementations are value types or actors: they are shared across tasks.
///
/// Each read comes in two forms. The array form returns everything at once. The streaming form
/// (kit 1.2) hands the records to `each` a batch at a time (a page of an HTTP API, a thousand rows
/// of a file), in order, and returns once the last batch is handed over; the engine keeps only what
/// it needs of each batch, so a large trust's import does not hold every record twice. A read that
/// throws, even after some batches, counts as a failed read: the engine discards what it got and
/// writes nothing, so an incomplete page walk never looks like a school whose pupils left. Call
/// `each` from the read's own task, never after it returned. The engine calls the streaming form;
/// its default calls the array form, so a connector built for kit 1.0 or 1.1 works unchanged.
public protocol Connector: Sendable {
    /// Checks that the MIS can be reached with the configured credentials.
    func checkConnection(context: PluginContext) async throws
    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil]
    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember]
    func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission]
    func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact]
    /// The pupils, a batch at a time (kit 1.2); see the protocol's summary.
    func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void) async throws
    /// The staff, a batch at a time (kit 1.2).
    func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void)
        async throws
    /// The pre-admissions, a batch at a time (kit 1.2).
    func readPreAdmissions(
        changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void) async throws
    /// The contacts, a batch at a time (kit 1.2).
    func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void)
        async throws
    /// A value that changes whenever anything the reads would return changes (kit 1.5), or nil when
    /// the connector cannot tell (the default). A reviewed plan whose MIS and target fingerprints,
    /// and the integration's own records, are as they were when it was made is applied without
    /// reading either again; nil always reads again.
    func fingerprint(context: PluginContext) async throws -> String?
    /// Writes one mark. Must be idempotent on `mark.eventID`: a second call with the same event id
    /// returns `.alreadyWritten` and changes nothing.
    func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult
}

/// What a write-back did.
public enum WriteBackResult: String, Sendable, Codable {
    case written
    case alreadyWritten = "already-written"
}

extension Connector {
    public func checkConnection(context: PluginContext) async throws {}
    public func fingerprint(context: PluginContext) async throws -> String? { nil }
    public func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission] { [] }
    public func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] { [] }
    public func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult {
        throw PluginError.permanent("this connector cannot write attendance back to the MIS")
    }
}

/// The other system: lists the people it has, creates and updates them, and keeps a recycle bin.
public protocol Target: Sendable {
    /// Everyone the target holds, recycle bin included (see `TargetPerson.inRecycleBin`).
    func listPeople(context: PluginContext) async throws -> [TargetPerson]
    /// Everyone the target holds, a batch at a time (kit 1.2), with the rules of `Connector`'s
    /// streaming reads: in order, from the call's own task, and a throw fails the whole listing.
    /// The default calls `listPeople(context:)`.
    func listPeople(context: PluginContext, each: (_ batch: [TargetPerson]) throws -> Void) async throws
    /// Creates the person and returns the target's id for them.
    func create(_ record: PersonRecord, context: PluginContext) async throws -> String
    /// Updates the person. When `keepContactDetails` is set, email and mobile stay as the target has them.
    func update(targetID: String, with record: PersonRecord, keepContactDetails: Bool, context: PluginContext)
        async throws
    func moveToRecycleBin(targetID: String, context: PluginContext) async throws
    func restoreFromRecycleBin(targetID: String, context: PluginContext) async throws
    /// Replaces a pupil's contacts (guardians), first to call first. Sent only when the integration
    /// shares guardian contacts and they changed. A target that keeps no contacts leaves the default,
    /// which does nothing.
    func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws
    /// The record as this target would keep it (kit 1.3): fields it cannot hold left out, names as it
    /// keeps them (a SCIM user has one given name: the preferred one when there is one). The engine
    /// compares what the target holds with this, not with the whole record, so a field the target
    /// never keeps is neither an update every night nor an "edit made in the target". The default
    /// is the record itself: the target keeps every field.
    func storedForm(of record: PersonRecord) -> PersonRecord
    /// A value that changes whenever anything `listPeople` would return changes (kit 1.5), or nil
    /// when the target cannot tell (the default); see `Connector.fingerprint(context:)`.
    func fingerprint(context: PluginContext) async throws -> String?
    /// Whether this target deletes records for good (kit 1.5): the engine purges the recycle bin
    /// through `delete(targetID:context:)` only when it says so. The default is false.
    var canDelete: Bool { get }
    /// Deletes the record for good (kit 1.5), recycle bin or not. Must be idempotent: a record that
    /// is already gone is deleted, not an error (a re-run of a purge sends the same calls again).
    /// The default refuses as permanent; a target that implements it also answers `canDelete` true.
    func delete(targetID: String, context: PluginContext) async throws
}

extension Target {
    public func storedForm(of record: PersonRecord) -> PersonRecord { record }
    public func fingerprint(context: PluginContext) async throws -> String? { nil }

    public var canDelete: Bool { false }

    public func delete(targetID: String, context: PluginContext) async throws {
        throw PluginError.permanent("this target cannot delete records")
    }

    public func listPeople(context: PluginContext, each: (_ batch: [TargetPerson]) throws -> Void) async throws {
        try each(try await listPeople(context: context))
    }

    public func replaceContacts(of targetID: String, with contacts: [Contact], context: PluginContext) async throws {}
}

/// Makes connectors: one per integration, from that integration's config.
public protocol ConnectorPlugin: Sendable {
    var manifest: PluginManifest { get }
    func makeConnector(config: PluginConfig) throws -> any Connector
    /// Checks a configuration when an admin adds or changes an integration (kit 1.1), before it is
    /// stored. MISLink has already checked it against the manifest (known keys, required keys,
    /// secrets given as references). `config` holds the plain values only: secrets are not read
    /// until a job needs them. Throw a `PluginError` whose message names the key and what is wrong.
    func validate(config: PluginConfig) throws
}

/// Makes targets: one per integration, from that integration's config.
public protocol TargetPlugin: Sendable {
    var manifest: PluginManifest { get }
    func makeTarget(config: PluginConfig) throws -> any Target
    /// Checks a configuration at add and set time (kit 1.1); see `ConnectorPlugin.validate(config:)`.
    func validate(config: PluginConfig) throws
}

// A plugin built before kit 1.1 accepts every configuration its manifest allows.
extension ConnectorPlugin {
    public func validate(config: PluginConfig) throws {}
}

extension TargetPlugin {
    public func validate(config: PluginConfig) throws {}
}
