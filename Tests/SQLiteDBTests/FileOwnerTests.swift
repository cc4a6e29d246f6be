import Foundation
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct FileOwnerTests {
    static let ours = FileOwner(applicationID: FileOwner.code("TEST"), name: "a test store") { connection in
        try FileOwner.hasTable("ours", in: connection)
    }
    static let theirs = FileOwner(applicationID: FileOwner.code("THEM"), name: "another store") { _ in false }

    @Test("an application id is four letters in the header, big-endian as file formats spell them")
    func code() {
        #expect(FileOwner.code("MISL") == 0x4D49_534C)
    }

    @Test("a new file is claimed: marked with the owner's application id, and opened again freely")
    func claimsNewFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/new.sqlite"
            let db = try Connection(path: path, configuration: .init(owner: Self.ours))
            #expect(try db.scalarInt("PRAGMA application_id") == Int64(FileOwner.code("TEST")))
            try db.execute("CREATE TABLE ours(x)")
            _ = try Connection(path: path, configuration: .init(owner: Self.ours))
        }
    }

    @Test("another application's SQLite file is refused untouched: not switched to WAL, no table added, path named")
    func refusesForeignFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/plugin.sqlite"
            let plain = try Connection(path: path, configuration: .init(walMode: false))
            try plain.execute("CREATE TABLE people(name TEXT)")
            try plain.execute("PRAGMA journal_mode=DELETE")
            let error = try #require(throws: SQLiteError.self) {
                try Connection(path: path, configuration: .init(owner: Self.ours))
            }
            #expect(error.isNotADatabase)
            #expect(error.message.contains(path))
            #expect(error.message.contains("left untouched"))
            #expect(try plain.scalarString("PRAGMA journal_mode") == "delete")
            #expect(try plain.scalarInt("PRAGMA application_id") == 0)
            #expect(try plain.scalarInt("SELECT count(*) FROM sqlite_master") == 1)
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test("a file marked by another owner is refused, naming its application id")
    func refusesOtherOwner() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/theirs.sqlite"
            _ = try Connection(path: path, configuration: .init(owner: Self.theirs))
            let error = try #require(throws: SQLiteError.self) {
                try Connection(path: path, configuration: .init(owner: Self.ours))
            }
            #expect(error.message.contains("application_id \(FileOwner.code("THEM"))"))
        }
    }

    @Test("an unmarked file of ours from an earlier build is adopted and marked")
    func adoptsLegacyFile() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/old.sqlite"
            try Connection(path: path).execute("CREATE TABLE ours(x)")
            let db = try Connection(path: path, configuration: .init(owner: Self.ours))
            #expect(try db.scalarInt("PRAGMA application_id") == Int64(FileOwner.code("TEST")))
        }
    }

    @Test("a directory is refused by name")
    func refusesDirectory() throws {
        try withTemporaryDirectory { dir in
            let error = try #require(throws: SQLiteError.self) { try Connection(path: dir) }
            #expect(error.message == "\(dir) is a directory, not a database file")
        }
    }

    @Test("a new database and its -wal and -shm are owner-only (0600) even under umask 000")
    func ownerOnlyFiles() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/private.sqlite"
            let db = try withUmask(0) { () throws -> Connection in
                let db = try Connection(path: path)
                try db.execute("CREATE TABLE t(x)")
                try db.run("INSERT INTO t VALUES (1)")
                return db
            }
            for file in [path, path + "-wal", path + "-shm"] {
                #expect(try permissions(of: file) == 0o600, "\(file)")
            }
            withExtendedLifetime(db) {}
        }
    }

    @Test("a savepoint that throws undoes only its own writes; the transaction goes on")
    func savepoint() throws {
        struct Boom: Error {}
        try withTemporaryDirectory { dir in
            let db = try Connection(path: dir + "/s.sqlite")
            try db.execute("CREATE TABLE t(x INTEGER)")
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                #expect(throws: Boom.self) {
                    try db.savepoint {
                        try db.run("INSERT INTO t VALUES (2)")
                        throw Boom()
                    }
                }
                try db.savepoint { try db.run("INSERT INTO t VALUES (3)") }
            }
            #expect(try db.query("SELECT x FROM t ORDER BY x") { $0.int(0) } == [1, 3])
        }
    }
}
