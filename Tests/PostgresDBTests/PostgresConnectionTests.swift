import Foundation
import MISLinkTestSupport
import PostgresDB
import Testing

/// Against a real server, each test in a fresh database (`MISLINK_TEST_POSTGRES`; `.ci/with-postgres`).
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresConnectionTests {
    @Test("a connection reaches its own database, in UTC")
    func connects() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let row = try #require(try db.execute("SELECT current_database() AS name, current_setting('TimeZone') AS zone").rows.first)
            #expect(try row.string("name") == PostgresURL(url).database)
            #expect(try row.string("zone") == "UTC")
            #expect(db.isConnected)
            #expect(!db.isInTransaction)
        }
    }

    @Test("server options in the URL are added to the connection's own, not put in their place")
    func urlOptions() throws {
        try TestPostgres.withDatabase { url in
            let admin = try PostgresConnection(url: url)
            try admin.execute("CREATE SCHEMA tenant_a")
            let withOptions = url + "?options=-c%20search_path%3Dtenant_a%20-c%20lock_timeout%3D1234"
            let db = try PostgresConnection(url: withOptions)
            let row = try #require(
                try db.execute(
                    "SELECT current_schema() AS s, current_setting('TimeZone') AS z, current_setting('bytea_output') AS b, current_setting('lock_timeout') AS a"
                ).rows.first)
            #expect(try row.string("s") == "tenant_a")
            #expect(try row.string("z") == "UTC")
            #expect(try row.string("b") == "hex")
            #expect(try row.string("a") == "1234ms")
        }
    }

    @Test("a URL with ?host= reaches the server through its Unix socket")
    func socketURL() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let directory = try #require(try db.execute("SHOW unix_socket_directories").rows.first?.string(0))
            let port = try #require(try db.execute("SHOW port").rows.first?.string(0))
            let name = try #require(try PostgresURL(url).database)
            let socketDirectory = String(directory.split(separator: ",")[0]).trimmingCharacters(in: .whitespaces)
            let viaSocket = try PostgresConnection(url: "postgresql://postgres@/\(name)?host=\(socketDirectory)&port=\(port)")
            #expect(try viaSocket.execute("SELECT inet_server_addr() IS NULL").rows.first?.bool(0) == true)
        }
    }

    @Test("every parameter type goes in as text and comes back typed")
    func typesRoundTrip() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            try db.execute(
                "CREATE TABLE t (i bigint, d double precision, b boolean, s text, y bytea, at timestamptz, n text, j jsonb)")
            let bytes = Data((0...255).map { UInt8($0) })
            let when = Date(timeIntervalSince1970: 1_796_144_646.123456)
            let text = "Zoë O'Brien \"quoted\" \\ back; ünïcødé 👩‍🏫"
            let inserted = try db.execute(
                "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                [Int64.min, 0.1 + 0.2, true, text, bytes, when, String?.none, #"{"a": [1, "x"]}"#])
            #expect(inserted.affectedRows == 1)
            let row = try #require(try db.execute("SELECT * FROM t").rows.first)
            #expect(try row.int64("i") == Int64.min)
            #expect(try row.double("d") == 0.1 + 0.2)
            #expect(try row.bool("b"))
            #expect(try row.string("s") == text)
            #expect(try row.data("y") == bytes)
            #expect(try abs(row.date("at").timeIntervalSince(when)) < 0.000_001)
            #expect(try row.isNull("n"))
            #expect(try row.optionalString("n") == nil)
            #expect(try row.optionalInt64(0) == Int64.min)
            #expect(try row.string("j") == #"{"a": [1, "x"]}"#)
            let special = try #require(
                try db.execute("SELECT $1::float8 AS inf, $2::float8 AS nan, $3 = ANY($4::bigint[]) AS member",
                    [Double.infinity, Double.nan, 3, PostgresValue.int64Array([1, 3])]).rows.first)
            #expect(try row.double("d").isFinite)
            #expect(try special.double("inf") == .infinity)
            #expect(try special.double("nan").isNaN)
            #expect(try special.bool("member"))
        }
    }

    @Test("reading a NULL or a value of another type names the column and not the value")
    func decodingErrors() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let row = try #require(try db.execute("SELECT NULL::bigint AS missing, 'classified' AS word").rows.first)
            let null = try #require(throws: PostgresError.self) { try row.int64("missing") }
            #expect(null.kind == .decoding)
            #expect(null.message.contains("missing"))
            let wrongType = try #require(throws: PostgresError.self) { try row.int64("word") }
            #expect(wrongType.message.contains("word"))
            #expect(!wrongType.description.contains("classified"))
            #expect(throws: PostgresError.self) { try row.string("no_such_column") }
        }
    }

    @Test("a SQL error names its SQLSTATE, the server's message and the SQL")
    func sqlError() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let error = try #require(throws: PostgresError.self) { try db.execute("SELECT * FROM no_such_table") }
            #expect(error.kind == .server)
            #expect(error.sqlState == "42P01")
            #expect(error.message.contains("no_such_table"))
            #expect(error.sql == "SELECT * FROM no_such_table")
            #expect(error.description.contains("42P01"))
            #expect(!error.isTransient)
            // The connection is still usable after an error outside a transaction.
            #expect(try db.execute("SELECT 1").rows.count == 1)
        }
    }

    @Test("a unique violation is classified, names its index and never quotes the duplicate value")
    func uniqueViolation() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            try db.executeScript("CREATE TABLE jobs (key text); CREATE UNIQUE INDEX jobs_key ON jobs (key)")
            try db.execute("INSERT INTO jobs VALUES ($1)", ["secret-token-42"])
            let error = try #require(throws: PostgresError.self) { try db.execute("INSERT INTO jobs VALUES ($1)", ["secret-token-42"]) }
            #expect(error.isUniqueViolation)
            #expect(error.sqlState == "23505")
            #expect(error.constraint == "jobs_key")
            #expect(!error.isTransient)
            #expect(!error.description.contains("secret-token-42"))
        }
    }

    @Test("a transaction commits what it did, and one that throws leaves nothing")
    func transactions() throws {
        struct Boom: Error {}
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            try db.execute("CREATE TABLE t (x bigint)")
            try db.transaction { try db.execute("INSERT INTO t VALUES (1)") }
            #expect(throws: Boom.self) {
                try db.transaction {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            #expect(!db.isInTransaction)
            #expect(try db.execute("SELECT x FROM t").rows.map { try $0.int64(0) } == [1])
            let nested = try #require(throws: PostgresError.self) { try db.transaction { try db.transaction {} } }
            #expect(nested.kind == .misuse)
        }
    }

    @Test("a serialization failure between two SERIALIZABLE connections is 40001, transient, and retried")
    func serializationFailure() throws {
        try TestPostgres.withDatabase { url in
            let first = try PostgresConnection(url: url)
            let second = try PostgresConnection(url: url)
            try first.execute("CREATE TABLE counter (n bigint)")
            try first.execute("INSERT INTO counter VALUES (0)")
            // The first reads (taking its snapshot), the second updates and commits, the first then updates.
            try first.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            _ = try first.execute("SELECT n FROM counter")
            try second.execute("UPDATE counter SET n = n + 1")
            let error = try #require(throws: PostgresError.self) { try first.execute("UPDATE counter SET n = n + 10") }
            #expect(error.isSerializationFailure)
            #expect(error.isTransient)
            try first.execute("ROLLBACK")

            // The helper runs the body again after the failure, and the second run wins.
            var runs = 0
            try first.transaction(isolation: .serializable, retries: 2) {
                runs += 1
                _ = try first.execute("SELECT n FROM counter")
                if runs == 1 { try second.execute("UPDATE counter SET n = n + 1") }
                try first.execute("UPDATE counter SET n = n + 10")
            }
            #expect(runs == 2)
            #expect(try first.execute("SELECT n FROM counter").rows.first?.int64(0) == 12)

            // Without retries the failure reaches the caller and nothing is left open.
            #expect(throws: PostgresError.self) {
                try first.transaction(isolation: .serializable) {
                    _ = try first.execute("SELECT n FROM counter")
                    try second.execute("UPDATE counter SET n = n + 1")
                    try first.execute("UPDATE counter SET n = n + 10")
                }
            }
            #expect(!first.isInTransaction)
        }
    }

    @Test("a deadlock is 40P01 and transient")
    func deadlock() async throws {
        try await TestPostgres.withDatabase { url in
            let setup = try PostgresConnection(url: url)
            try setup.executeScript("CREATE TABLE r (id bigint PRIMARY KEY, v bigint); INSERT INTO r VALUES (1, 0), (2, 0)")
            let first = try PostgresConnection(url: url)
            let second = try PostgresConnection(url: url)
            try first.execute("BEGIN")
            try second.execute("BEGIN")
            try first.execute("UPDATE r SET v = 1 WHERE id = 1")
            try second.execute("UPDATE r SET v = 2 WHERE id = 2")
            let secondPID = second.serverProcessID  // read now: while blocked, `second` holds its lock
            // The second blocks on row 1 (on a thread of its own); once it waits, the first takes row 2.
            let blocked = Thread.detachedResult { try second.execute("UPDATE r SET v = 2 WHERE id = 1") }
            try await waitUntil("the second connection waits on a lock") {
                try setup.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = $1::int", [secondPID])
                    .rows.first?.int64(0) == 1
            }
            let firstOutcome = Result { try first.execute("UPDATE r SET v = 1 WHERE id = 2") }
            let secondOutcome = await blocked.value
            let errors = [firstOutcome, secondOutcome].compactMap { outcome -> PostgresError? in
                if case .failure(let error) = outcome { return error as? PostgresError }
                return nil
            }
            #expect(errors.count == 1)
            #expect(errors.first?.isDeadlock == true)
            #expect(errors.first?.isTransient == true)
            _ = try? first.execute("ROLLBACK")
            _ = try? second.execute("ROLLBACK")
        }
    }

    @Test("a NOTIFY is heard only once its transaction commits, and never after a rollback")
    func notifyAfterCommit() throws {
        try TestPostgres.withDatabase { url in
            let listener = try PostgresConnection(url: url)
            let sender = try PostgresConnection(url: url)
            let marker = try PostgresConnection(url: url)
            try listener.listen("mislink_jobs")

            try sender.transaction {
                try sender.notify("mislink_jobs", payload: "committed")
                // Delivered in commit order: the marker, sent and committed now, arrives before it.
                try marker.notify("mislink_jobs", payload: "marker-1")
                let seen = try collect(on: listener, until: "marker-1")
                #expect(!seen.contains("committed"))
            }
            #expect(try collect(on: listener, until: "committed").contains("committed"))

            try sender.execute("BEGIN")
            try sender.notify("mislink_jobs", payload: "rolled-back")
            try sender.execute("ROLLBACK")
            try marker.notify("mislink_jobs", payload: "marker-2")
            #expect(!(try collect(on: listener, until: "marker-2")).contains("rolled-back"))
            #expect(try listener.notifications(timeout: 0).isEmpty)
        }
    }

    @Test("a connection the server terminates is reported lost, and reconnects and listens again")
    func connectionLoss() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let admin = try PostgresConnection(url: url)
            try db.listen("wake")
            // The second argument waits (up to 60 s) until the backend is gone.
            try admin.execute("SELECT pg_terminate_backend($1::int, 60000)", [db.serverProcessID])
            let error = try #require(throws: PostgresError.self) { try db.execute("SELECT 1") }
            #expect(error.isConnectionLost)
            #expect(error.isTransient)
            try db.reconnect()
            #expect(try db.execute("SELECT 1").rows.count == 1)
            try admin.notify("wake", payload: "again")
            #expect(try collect(on: db, until: "again") == ["again"])
        }
    }

    @Test("queries are prepared once per session, prepared again after a reconnect, and not at all when turned off")
    func preparedStatements() throws {
        try TestPostgres.withDatabase { url in
            let db = try PostgresConnection(url: url)
            let prepared = "SELECT count(*) FROM pg_prepared_statements WHERE statement = $1"
            let query = "SELECT $1::bigint + 1 AS n"
            #expect(try db.execute(query, [41]).rows.first?.int64("n") == 42)
            #expect(try db.execute(query, [1]).rows.first?.int64("n") == 2)
            #expect(try db.execute(prepared, [query]).rows.first?.int64(0) == 1)
            let admin = try PostgresConnection(url: url)
            try admin.execute("SELECT pg_terminate_backend($1::int, 60000)", [db.serverProcessID])
            #expect(throws: PostgresError.self) { try db.execute(query, [1]) }
            try db.reconnect()
            #expect(try db.execute(query, [2]).rows.first?.int64("n") == 3)
            #expect(try db.execute(prepared, [query]).rows.first?.int64(0) == 1)

            let unprepared = try PostgresConnection(url: url, configuration: .init(preparedStatements: false))
            #expect(try unprepared.execute(query, [5]).rows.first?.int64("n") == 6)
            #expect(try unprepared.execute("SELECT count(*) FROM pg_prepared_statements").rows.first?.int64(0) == 0)
        }
    }

    @Test("a wrong password or a missing database fails clearly, never quoting the password")
    func wrongCredentials() throws {
        try TestPostgres.withDatabase { url in
            let admin = try PostgresConnection(url: url)
            let server = try PostgresURL(url)
            let name = try #require(server.database)
            let missing = try #require(throws: PostgresError.self) {
                try PostgresConnection(url: server.withDatabase("no_such_db_\(name)"))
            }
            #expect(missing.kind == .connectionFailed)
            #expect(missing.description.contains("no_such_db_\(name)"))

            // Only a server that asks this role for a password can refuse a wrong one (.ci/with-postgres does).
            let role = "pw_\(name)"
            try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD 'right-one'")
            defer { _ = try? admin.execute("DROP ROLE \(role)") }
            let asksPassword = try admin.execute(
                "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host' AND auth_method IN ('scram-sha-256', 'md5', 'password')"
            ).rows.first?.int64(0) ?? 0
            guard asksPassword > 0 else { return }
            let wrongURL = "postgresql://\(role):Wr0ng-Secret%21@\(server.hostAndPort)/\(name)"
            let wrong = try #require(throws: PostgresError.self) { try PostgresConnection(url: wrongURL) }
            #expect(wrong.kind == .connectionFailed)
            #expect(wrong.description.contains("password authentication failed"))
            #expect(!wrong.description.contains("Wr0ng-Secret"))
            #expect(try PostgresConnection(url: "postgresql://\(role):right-one@\(server.hostAndPort)/\(name)").isConnected)
        }
    }
}

/// The payloads heard on `connection` up to and including `payload` (60 s at most).
func collect(on connection: PostgresConnection, until payload: String) throws -> [String] {
    var seen: [String] = []
    let deadline = Date().addingTimeInterval(60)
    while !seen.contains(payload) && Date() < deadline {
        seen += try connection.notifications(timeout: 5).map(\.payload)
    }
    return seen
}

/// Polls `condition` until it holds (60 s at most), failing the test if it never does.
func waitUntil(_ what: String, _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(60)
    while try !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        try await Task.sleep(for: .milliseconds(20))
    }
}

extension Thread {
    /// Runs `body` on a new thread (a blocking call must not hold a cooperative-pool thread) and
    /// answers its outcome as a task.
    static func detachedResult<T: Sendable>(_ body: @escaping @Sendable () throws -> T) -> Task<Result<T, any Error>, Never> {
        Task {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: Result { try body() }) }
            }
        }
    }
}
