import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import PostgresDB
import SQLiteDB

/// Integrations and their bookkeeping (links, intake, exclusions, import history, write-backs), in
/// the queue's database file. Works on a connection it is given, inside the caller's transaction
/// when there is one: a job's bookkeeping commits with the job.
///
/// Not `Sendable`, like the connection.
public final class IntegrationStore {
    /// SQLite's or PostgreSQL's: the store's SQL is written once for both (`PortableSQL`).
    public let connection: any PortableSQL

    public init(sql: any PortableSQL) throws {
        self.connection = sql
        try sql.migrate(SyncSchema.portable)
    }

    public convenience init(connection: Connection) throws {
        try self.init(sql: SQLitePortableSQL(connection))
    }

    /// Opens its own connection to the file (for handlers, which run off the worker's thread).
    public convenience init(path: String, configuration: ConnectionConfiguration = ConnectionConfiguration()) throws {
        try self.init(connection: try Connection(path: path, configuration: JobStore.queueConfiguration(configuration)))
    }

    /// Opens its own connection to the queue's database, a SQLite file or a PostgreSQL URL
    /// (`QueueDatabase`). On PostgreSQL the queue's tables are made first: plans reference jobs.
    public convenience init(location: String, configuration: ConnectionConfiguration = ConnectionConfiguration()) throws {
        switch try QueueDatabase(location) {
        case .sqlite(let path):
            try self.init(path: path, configuration: configuration)
        case .postgres(let url):
            try self.init(sql: PostgresPortableSQL.open(url: url))
        }
    }

    // MARK: - Integrations

    private static let columns = """
        id, connector, target, status, error_reason, config, secrets, settings, absence_sync, contract_sync, \
        staff_sync, created_at, updated_at
        """

    private static func integration(from row: any PortableRow) throws -> Integration {
        var integration = Integration(id: try row.string(0), connector: try row.string(1), target: try row.string(2), now: try row.int64(11))
        integration.status = IntegrationStatus(rawValue: try row.string(3)) ?? .error
        integration.errorReason = try row.optionalString(4)
        integration.config = try JSONDecoder().decode([String: String].self, from: Data(try row.string(5).utf8))
        let secrets = try JSONDecoder().decode([String: String].self, from: Data(try row.string(6).utf8))
        integration.secrets = try secrets.mapValues { text throws(SyncError) in try SecretReference(parsing: text) }
        integration.settings = try JSONDecoder().decode(IntegrationSettings.self, from: Data(try row.string(7).utf8))
        integration.absenceSync = try row.int(8) != 0
        integration.contractSync = try row.int(9) != 0
        integration.staffSync = try row.int(10) != 0
        integration.updatedAt = try row.int64(12)
        return integration
    }

    public func integration(_ id: String) throws -> Integration? {
        try connection.queryFirst("SELECT \(Self.columns) FROM integrations WHERE id = ?", [id], Self.integration)
    }

    /// The integration, or a not-found error naming it.
    public func require(_ id: String) throws -> Integration {
        guard let integration = try integration(id) else {
            throw SyncError(.notFound, "there is no integration '\(id)' (see 'mislink integration list')")
        }
        return integration
    }

    public func integrations() throws -> [Integration] {
        try connection.query("SELECT \(Self.columns) FROM integrations ORDER BY id", [], Self.integration)
    }

    public func add(_ integration: Integration) throws {
        guard try self.integration(integration.id) == nil else {
            throw SyncError(.invalidInput, "integration '\(integration.id)' already exists")
        }
        try connection.run(
            """
            INSERT INTO integrations(id, connector, target, status, error_reason, config, secrets, settings,
                absence_sync, contract_sync, staff_sync, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                integration.id, integration.connector, integration.target, integration.status.rawValue,
                integration.errorReason, SyncJSON.encode(integration.config),
                SyncJSON.encode(integration.secrets.mapValues(\.description)), SyncJSON.encode(integration.settings),
                integration.absenceSync, integration.contractSync, integration.staffSync, integration.createdAt,
                integration.updatedAt,
            ])
    }

    /// Writes every field back.
    public func save(_ integration: Integration) throws {
        try connection.run(
            """
            UPDATE integrations SET connector = ?, target = ?, status = ?, error_reason = ?, config = ?, secrets = ?,
                settings = ?, absence_sync = ?, contract_sync = ?, staff_sync = ?, updated_at = ?
            WHERE id = ?
            """,
            [
                integration.connector, integration.target, integration.status.rawValue, integration.errorReason,
                SyncJSON.encode(integration.config), SyncJSON.encode(integration.secrets.mapValues(\.description)),
                SyncJSON.encode(integration.settings), integration.absenceSync, integration.contractSync,
                integration.staffSync, integration.updatedAt, integration.id,
            ])
    }

    /// Moves an integration to a status (and records or clears the error reason).
    public func setStatus(_ id: String, _ status: IntegrationStatus, reason: String? = nil, now: Int64) throws {
        try connection.run(
            "UPDATE integrations SET status = ?, error_reason = ?, updated_at = ? WHERE id = ?",
            [status.rawValue, status == .error ? reason : nil, now, id])
    }

    /// Deletes the integration and every piece of its sync information. Cannot be undone.
    public func remove(_ id: String) throws -> RemovalCounts {
        _ = try require(id)
        var counts = RemovalCounts()
        func count(_ table: String) throws -> Int {
            Int(try connection.scalarInt("SELECT count(*) FROM \(table) WHERE integration = ?", [id]) ?? 0)
        }
        counts.links = try count("links")
        counts.intake = try count("intake")
        counts.exclusions = try count("exclusions")
        counts.imports = try count("imports")
        counts.writeBacks = try count("writebacks")
        try connection.run("DELETE FROM integrations WHERE id = ?", [id])  // the rest cascades
        return counts
    }
}

extension IntegrationStore {
    /// The sync schema's version in the file, and the newest this build knows.
    public func schemaVersion() throws -> (found: Int, latest: Int) {
        try connection.schemaVersion(SyncSchema.portable)
    }
}
