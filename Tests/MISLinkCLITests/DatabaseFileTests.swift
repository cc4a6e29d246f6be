import Foundation
import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

@Suite struct DatabaseFileTests {
    @Test("a command that only reads refuses a missing --db file, names it, exit 2, and creates nothing", arguments: [
        ["jobs", "list"], ["jobs", "failed"], ["jobs", "show", "1"], ["stats"], ["workers"], ["integration", "list"],
        ["integration", "show", "oak"], ["links", "list", "--integration", "oak"], ["imports", "list", "--integration", "oak"],
        ["intake", "list"], ["exclude", "list", "--integration", "oak"], ["report", "changes", "--integration", "oak"],
        ["target", "list", "--integration", "oak"],
    ])
    func readersRefuseMissingFile(arguments: [String]) async throws {
        try await withTemporaryDirectory { dir in
            let result = try await MISLinkBinary.run(arguments + ["--db", "typo.sqlite"], in: dir)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("no queue database at typo.sqlite"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/typo.sqlite"))
        }
    }

    @Test("with --db postgresql:// (or MISLINK_DB) every command goes to the server: one that cannot reach it fails, exit 1, naming it; what only a SQLite file has (backup, the counts' repair) is refused by name, exit 2; the password is never printed; another scheme is refused by name")
    func urlsAreNotFileNames() async throws {
        try await withTemporaryDirectory { dir in
            let url = "postgresql://mislink:pw-9f2k@127.0.0.1:1/queue"
            for arguments in [
                ["stats"], ["integration", "list"], ["links", "list", "--integration", "oak"], ["queue", "list"],
                ["enqueue", "noop"], ["worker", "--drain"], ["jobs", "list"], ["jobs", "failed"], ["workers"], ["intake", "list"],
            ] {
                let given = try await MISLinkBinary.run(arguments + ["--db", url], in: dir)
                #expect(given.status == 1, "\(arguments): \(given.stderr)")
                #expect(given.stderr.contains("cannot connect to postgresql://mislink:***@127.0.0.1:1/queue"), "\(given.stderr)")
                #expect(!(given.stdout + given.stderr).contains("pw-9f2k"))
            }
            for arguments in [["backup", "--to", "copy.sqlite"], ["doctor", "--repair-counts"]] {
                let given = try await MISLinkBinary.run(arguments + ["--db", url], in: dir)
                #expect(given.status == 2, "\(arguments): \(given.stderr)")
                #expect(given.stderr.contains("is for a SQLite queue file"), "\(given.stderr)")
                #expect(given.stderr.contains("postgresql://mislink:***@127.0.0.1:1/queue"), "\(given.stderr)")
                #expect(!(given.stdout + given.stderr).contains("pw-9f2k"))
            }
            let fromEnvironment = try await MISLinkBinary.run(
                ["stats"], in: dir, environment: ["MISLINK_DB": "postgres://mislink:pw-9f2k@127.0.0.1:1/queue"])
            #expect(fromEnvironment.status == 1)
            #expect(fromEnvironment.stderr.contains("cannot connect to postgres"), "\(fromEnvironment.stderr)")
            #expect(!(fromEnvironment.stdout + fromEnvironment.stderr).contains("pw-9f2k"))
            let badOption = try await MISLinkBinary.run(["jobs", "list", "--db", url + "?mislink_wakeups=sometimes"], in: dir)
            #expect(badOption.status != 0)
            #expect(badOption.stderr.contains("mislink_wakeups must be 'listen' or 'poll'"), "\(badOption.stderr)")
            #expect(!(badOption.stdout + badOption.stderr).contains("pw-9f2k"))
            let other = try await MISLinkBinary.run(["enqueue", "noop", "--db", "ftp://host/queue"], in: dir)
            #expect(other.status == 2)
            #expect(other.stderr.contains("ftp:// is not a database MISLink can use"), "\(other.stderr)")
            // Nothing was made in the folder that a URL might have been taken for.
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { !$0.hasPrefix(".") }.isEmpty)
        }
    }

    @Test("a command that writes may create the queue")
    func writersCreate() async throws {
        try await withTemporaryDirectory { dir in
            let enqueued = try await MISLinkBinary.run(["enqueue", "noop", "--db", "new.sqlite"], in: dir)
            #expect(enqueued.status == 0)
            let listed = try await MISLinkBinary.run(["jobs", "list", "--db", "new.sqlite"], in: dir)
            #expect(listed.status == 0)
        }
    }

    @Test("a folder given as --db is bad input: exit 2 with a clear message", arguments: [["stats"], ["enqueue", "noop"], ["worker", "--drain"]])
    func folderAsDatabase(arguments: [String]) async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/queue", withIntermediateDirectories: true)
            let result = try await MISLinkBinary.run(arguments + ["--db", "queue"], in: dir)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("queue is a folder, not a file"), "\(result.stderr)")
        }
    }

    @Test("a database error whose SQL spans lines is still one line on stderr")
    func oneLineErrors() async throws {
        try await withTemporaryDirectory { dir in
            let queue = try JobStore(path: dir + "/mislink.sqlite")
            try queue.connection.execute("CREATE TRIGGER no_jobs BEFORE INSERT ON jobs BEGIN SELECT RAISE(ABORT, 'the queue is closed'); END")
            let result = try await MISLinkBinary.run(["enqueue", "noop"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderr.contains("the queue is closed"))
            #expect(result.stderr.hasPrefix("mislink: "))
            #expect(result.stderr.filter { $0 == "\n" }.count == 1, "\(result.stderr)")
        }
    }
}
