import Foundation
import MISLinkQueue
import SQLiteDB
import Testing
import MISLinkTestSupport

extension MultiProcessTests {
    /// Jobs of one integration that touch the target never run at the same time, across processes.
    @Suite(.serialized) struct OverlapTests {
        /// A school the target knows nothing of: with new-records=create every pupil is created.
        private func writeSchool(in dir: String, pupils: Int) throws {
            let mis = dir + "/mis"
            try FileManager.default.createDirectory(atPath: mis, withIntermediateDirectories: true)
            let header = "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"
            let rows = (1...pupils).map { n in
                "M\(n),,Forename\(n),Surname\(n),,,2016-0\(1 + n % 9)-1\(n % 10),F,\(1 + n % 6),\(1 + n % 6)A,,,\(n) High St,OX1 1AA,2022-09-01,,active,"
            }
            try ([header] + rows).joined(separator: "\n").write(toFile: mis + "/students.csv", atomically: true, encoding: .utf8)
            try "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent\n"
                .write(toFile: mis + "/staff.csv", atomically: true, encoding: .utf8)
            try "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility\n"
                .write(toFile: mis + "/contacts.csv", atomically: true, encoding: .utf8)
            try "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent,expected_start_date\n"
                .write(toFile: mis + "/preadmissions.csv", atomically: true, encoding: .utf8)
        }

        private func cli(_ arguments: [String], in dir: String) async throws {
            let result = try await MISLinkBinary.run(arguments, in: dir)
            #expect(result.status == 0, "mislink \(arguments.joined(separator: " ")): \(result.stderr)")
        }

        /// Two worker processes drain the queue side by side.
        private func drainWithTwoWorkers(in dir: String, round: String) async throws {
            let workers = try (0..<2).map { n in
                try MISLinkBinary.start(["worker", "--drain", "--concurrency", "4"], in: dir, stderrPath: dir + "/\(round)-\(n).log")
            }
            for worker in workers { await MISLinkBinary.exit(of: worker) }
            for (n, worker) in workers.enumerated() {
                let log = (try? String(contentsOfFile: dir + "/\(round)-\(n).log", encoding: .utf8)) ?? ""
                #expect(worker.terminationStatus == 0, "\(round) worker \(n): \(log)")
            }
        }

        @Test("go-live plus a second initial upload, then two nightly imports, drained by two workers: one target row per MIS id, one link each")
        func overlappingImportsOfOneIntegration() async throws {
            try await withTemporaryDirectory { dir in
                let pupils = 1_500
                try writeSchool(in: dir, pupils: pupils)
                try await cli(["integration", "add", "d", "--connector", "csv", "--target", "directory",
                               "--config", "dir=mis", "--config", "db=lib.sqlite"], in: dir)
                try await cli(["integration", "set", "d", "new-records=create"], in: dir)
                try await cli(["enqueue", "rerun-wizard", "--integration", "d"], in: dir)
                try await cli(["worker", "--drain"], in: dir)
                try await cli(["integration", "go-live", "d"], in: dir)
                try await cli(["enqueue", "initial-upload", "--integration", "d"], in: dir)
                try await drainWithTwoWorkers(in: dir, round: "upload")
                try await cli(["enqueue", "nightly-import", "--integration", "d"], in: dir)
                try await cli(["enqueue", "nightly-import", "--integration", "d"], in: dir)
                try await drainWithTwoWorkers(in: dir, round: "nightly")

                let store = try JobStore(path: dir + "/mislink.sqlite")
                let stats = try store.stats()
                #expect(stats.count(state: .succeeded) == stats.rows.map(\.count).reduce(0, +), "every job succeeded")
                let target = try Connection(path: dir + "/lib.sqlite")
                let rows = try target.scalarInt("SELECT count(*) FROM people")
                let distinct = try target.scalarInt("SELECT count(DISTINCT mis_id) FROM people")
                let links = try store.connection.scalarInt("SELECT count(*) FROM links WHERE integration = 'd'")
                #expect(rows == Int64(pupils))
                #expect(distinct == Int64(pupils))
                #expect(links == Int64(pupils))
            }
        }
    }
}

extension MultiProcessTests {
    /// Defect 3: MISLink's files are marked; a file of someone else's is never touched.
    @Suite(.serialized) struct FileOwnershipTests {
        @Test("a target plugin pointed at the queue file fails the job naming the file, and the queue keeps working")
        func pluginPointedAtQueue() async throws {
            try await withTemporaryDirectory { dir in
                try FileManager.default.createDirectory(atPath: dir + "/mis", withIntermediateDirectories: true)
                for (name, header) in [
                    ("students.csv", "mis_id,legal_forename,legal_surname"), ("staff.csv", "mis_id,legal_forename,legal_surname"),
                    ("contacts.csv", "mis_id,student_mis_id,forename,surname"), ("preadmissions.csv", "mis_id,legal_forename,legal_surname"),
                ] {
                    try (header + "\n").write(toFile: dir + "/mis/" + name, atomically: true, encoding: .utf8)
                }
                let queue = dir + "/mislink.sqlite"
                #expect(try await MISLinkBinary.run(
                    ["integration", "add", "d", "--connector", "csv", "--target", "directory", "--config", "dir=mis",
                     "--config", "db=lib.sqlite"], in: dir).status == 0)
                // Pointed at the queue behind the CLI's back: its own refusal of this config is tested elsewhere.
                let sync = try Connection(path: queue)
                try sync.run("UPDATE integrations SET config = ? WHERE id = 'd'", [#"{"dir":"mis","db":"\#(queue)"}"#])
                #expect(try await MISLinkBinary.run(["enqueue", "rerun-wizard", "--integration", "d"], in: dir).status == 0)
                _ = try await MISLinkBinary.run(["worker", "--drain"], in: dir)
                let show = try await MISLinkBinary.run(["jobs", "show", "1"], in: dir)
                #expect(show.status == 0, "every later command still works: \(show.stderr)")
                #expect(show.stdout.contains("failed"))
                #expect(show.stdout.contains(queue))
                #expect(try await MISLinkBinary.run(["stats"], in: dir).status == 0)
                #expect(try sync.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'people'") == 0)
            }
        }

        @Test("the queue refuses another application's SQLite file untouched, with exit 2 and the file named")
        func queueRefusesForeignFile() async throws {
            try await withTemporaryDirectory { dir in
                let path = dir + "/other.sqlite"
                let other = try Connection(path: path, configuration: ConnectionConfiguration(walMode: false))
                try other.execute("CREATE TABLE accounts(id INTEGER)")
                try other.execute("PRAGMA journal_mode=DELETE")
                let result = try await MISLinkBinary.run(["enqueue", "noop", "--db", path], in: dir)
                #expect(result.status == 2)
                #expect(result.stderr.contains(path))
                #expect(try other.scalarString("PRAGMA journal_mode") == "delete")
                #expect(try other.scalarInt("SELECT count(*) FROM sqlite_master") == 1)
            }
        }
    }
}
