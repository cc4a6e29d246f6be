import Dispatch
import Foundation
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct ConnectionTests {
    @Test("a file that is not a database fails at open with a message naming the file")
    func notADatabase() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/junk.sqlite"
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            let error = try #require(throws: SQLiteError.self) { try Connection(path: path) }
            #expect(error.isNotADatabase)
            #expect(error.message.contains(path))
        }
    }

    @Test("a new connection is in WAL mode with the synchronous mode asked for")
    func walAndSynchronous() throws {
        try withTemporaryDirectory { dir in
            let normal = try Connection(path: dir + "/a.sqlite")
            #expect(try normal.scalarString("PRAGMA journal_mode") == "wal")
            #expect(try normal.scalarInt("PRAGMA synchronous") == 1)
            #expect(try normal.scalarInt("PRAGMA secure_delete") == 0)
            let full = try Connection(path: dir + "/b.sqlite", configuration: .init(synchronous: .full))
            #expect(try full.scalarInt("PRAGMA synchronous") == 2)
        }
    }

    @Test("a transaction that throws is rolled back")
    func rollback() throws {
        struct Boom: Error {}
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.sqlite")
            try db.execute("CREATE TABLE t(x INTEGER)")
            #expect(throws: Boom.self) {
                try db.transaction {
                    try db.run("INSERT INTO t VALUES (?)", [1])
                    throw Boom()
                }
            }
            #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
            #expect(!db.isInTransaction)
        }
    }

    @Test("an error carries the SQL but never the bound values")
    func errorsOmitBoundValues() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/t.sqlite")
            try db.execute("CREATE TABLE t(x TEXT NOT NULL UNIQUE)")
            try db.run("INSERT INTO t VALUES (?)", ["hunter2-secret"])
            let error = try #require(throws: SQLiteError.self) {
                try db.run("INSERT INTO t VALUES (?)", ["hunter2-secret"])
            }
            #expect(error.isUniqueConstraint)
            #expect(error.sql == "INSERT INTO t VALUES (?)")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("a writer waits out another connection's write lock instead of failing")
    func busyTimeoutWaits() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/busy.sqlite"
            try Connection(path: path).execute("CREATE TABLE t(x INTEGER)")
            // Another thread takes the write lock on its own connection and holds it for a while.
            let locked = DispatchSemaphore(value: 0)
            let holder = Thread {
                guard let first = try? Connection(path: path) else {
                    locked.signal()
                    return
                }
                try? first.execute("BEGIN IMMEDIATE")
                _ = try? first.run("INSERT INTO t VALUES (1)")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.1)
                try? first.execute("COMMIT")
            }
            holder.start()
            locked.wait()
            let second = try Connection(path: path)
            try second.transaction { try second.run("INSERT INTO t VALUES (2)") }
            #expect(try second.scalarInt("SELECT count(*) FROM t") == 2)
        }
    }

    @Test("with no busy timeout a second writer gets SQLITE_BUSY, named as such")
    func busyWithoutTimeout() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/busy.sqlite"
            let first = try Connection(path: path)
            try first.execute("CREATE TABLE t(x INTEGER)")
            try first.execute("BEGIN IMMEDIATE")
            let second = try Connection(path: path, configuration: .init(busyTimeoutMilliseconds: 0))
            let error = try #require(throws: SQLiteError.self) { try second.execute("BEGIN IMMEDIATE") }
            #expect(error.isBusy)
            try first.execute("COMMIT")
        }
    }
}

@Suite struct MigratorTests {
    static let migrator = Migrator([
        .init(version: 1, sql: "CREATE TABLE a(x)"),
        .init(version: 2, sql: "CREATE TABLE b(y)"),
    ])

    @Test("migrations run once and set user_version")
    func runsOnce() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/m.sqlite")
            try Self.migrator.migrate(db)
            try Self.migrator.migrate(db)
            #expect(try db.scalarInt("PRAGMA user_version") == 2)
            #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table'") == 2)
        }
    }

    @Test("a database from a newer build is refused")
    func newerSchemaRefused() throws {
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/m.sqlite")
            try db.execute("PRAGMA user_version=9")
            let error = try #require(throws: SQLiteError.self) { try Self.migrator.migrate(db) }
            #expect(error.message.contains("newer than this build"))
        }
    }
}
