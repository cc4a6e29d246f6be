import Foundation
import MISLinkQueue
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
            // The queue's tables first, as in every queue file: plans reference jobs.
            _ = try JobStore(path: path)
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

extension SyncSchemaTests {
    @Test("the upgrade to plans for review keeps every plan and step of an older queue, with their states")
    func plansForReviewUpgrade() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-schema-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let queue = try JobStore(path: path)
        let job = try queue.enqueue(job: NewJob(kind: "nightly-import", integration: "oak")).id
        let connection = try Connection(path: path)
        try Migrator(Array(SyncSchema.migrator.migrations.prefix(6)), track: "sync").migrate(connection)
        try connection.run(
            """
            INSERT INTO integrations(id, connector, target, status, config, secrets, settings, created_at, updated_at)
            VALUES ('oak', 'csv', 'directory', 'on', '{}', '{}', '{}', 0, 0)
            """)
        try connection.run(
            "INSERT INTO import_plans(job_id, integration, kind, mode, status, report, created_at) VALUES (?, 'oak', 'nightly-import', 'full', 'applying', ?, 5)",
            [job, SyncJSON.encode({ var report = ImportReport(); report.updated = 1; return report }())])
        try connection.run(
            """
            INSERT INTO plan_steps(job_id, seq, kind, role, mis_id, target_id, before, after, status)
            VALUES (?, 0, 'update', 'pupil', 'M1', 'T1', '{"legal_surname":"Lee"}', '{"legal_surname":"Lee-Smith"}', 'planned')
            """, [job])
        let store = try IntegrationStore(connection: connection)
        let plan = try #require(try store.resumablePlan(jobID: job))
        #expect(plan.state == .applying && plan.report.updated == 1 && plan.createdAt == 5 && plan.holds.isEmpty && !plan.exceptHeld)
        #expect(plan.steps.map(\.misID) == ["M1"] && plan.steps.first?.before == ["legal_surname": "Lee"] && plan.steps.first?.held == false)
        // The new states are allowed, and deleting the job still takes its plan and steps.
        try connection.run("UPDATE import_plans SET status = 'held' WHERE job_id = ?", [job])
        try connection.run("DELETE FROM jobs WHERE id = ?", [job])
        #expect(try connection.scalarInt("SELECT count(*) FROM plan_steps") == 0)
    }
}
