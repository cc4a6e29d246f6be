import Foundation
@testable import MISLinkSync
import SQLiteDB
import Testing

/// The sync schema's upgrade of databases made by earlier builds.
@Suite struct SyncSchemaTests {
    @Test("the upgrade that adds went_live_at counts On, Off and already-uploaded integrations as live, others not")
    func wentLiveBackfill() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-schema-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let connection = try Connection(path: path)
            try Migrator(Array(SyncSchema.migrator.migrations.prefix(3)), track: "sync").migrate(connection)
            for (id, status) in [("on", "on"), ("off", "off"), ("uploaded", "error"), ("wizard-failed", "error"), ("ready", "ready")] {
                try connection.run(
                    """
                    INSERT INTO integrations(id, connector, target, status, config, secrets, settings, created_at, updated_at)
                    VALUES (?, 'csv', 'directory', ?, '{}', '{}', '{}', 0, 0)
                    """, [id, status])
            }
            try connection.run(
                """
                INSERT INTO imports(integration, kind, started_at, finished_at, added, updated, matched, to_intake, leavers,
                    skipped, warnings, report)
                VALUES ('uploaded', 'initial-upload', 0, 0, 1, 0, 0, 0, 0, 0, 0, '{}')
                """)
            let store = try IntegrationStore(connection: connection)
            #expect(try store.hasGoneLive("on"))
            #expect(try store.hasGoneLive("off"))
            #expect(try store.hasGoneLive("uploaded"))
            #expect(try !store.hasGoneLive("wizard-failed"))
            #expect(try !store.hasGoneLive("ready"))
        }
    }
}
