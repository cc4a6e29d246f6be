import Foundation
import PostgresDB
import Testing

/// URL handling needs no server: these run everywhere.
@Suite struct PostgresURLTests {
    @Test("a URL is read into user, host and port, database and parameters")
    func parts() throws {
        let url = try PostgresURL("postgresql://alice@db.example:6543/mislink?sslmode=disable&application_name=w%201")
        #expect(url.user == "alice")
        #expect(url.hostAndPort == "db.example:6543")
        #expect(url.database == "mislink")
        #expect(url.parameters.map(\.key) == ["sslmode", "application_name"])
        #expect(url.parameters.last?.value == "w 1")
        let socket = try PostgresURL("postgresql://postgres@/queue?host=/run/pg%20dir")
        #expect(socket.hostAndPort == "")
        #expect(socket.parameters.first?.value == "/run/pg dir")
    }

    @Test("the password, in the authority or as a parameter, shows as *** and is scrubbed from text")
    func passwordRedacted() throws {
        let url = try PostgresURL("postgresql://bob:p%40ss-w0rd@127.0.0.1:5432/db")
        #expect(url.description == "postgresql://bob:***@127.0.0.1:5432/db")
        #expect(url.scrub("failed for p@ss-w0rd and p%40ss-w0rd") == "failed for *** and ***")
        let query = try PostgresURL("postgresql://bob@127.0.0.1/db?password=hunter2&sslmode=disable")
        #expect(query.description == "postgresql://bob@127.0.0.1/db?password=***&sslmode=disable")
    }

    @Test("another database keeps the server, the user and the parameters")
    func withDatabase() throws {
        let url = try PostgresURL("postgresql://postgres:pw@127.0.0.1:5432/postgres?sslmode=disable")
        let other = url.withDatabase("t_1")
        #expect(other.database == "t_1")
        #expect(other.description == "postgresql://postgres:***@127.0.0.1:5432/t_1?sslmode=disable")
        #expect(try PostgresURL("postgresql://u@h").withDatabase("d").database == "d")
    }

    @Test("a text that is not a PostgreSQL URL is refused without quoting its password")
    func notAURL() throws {
        let error = try #require(throws: PostgresError.self) { try PostgresURL("mysql://root:t0p-secret@h/db") }
        #expect(error.kind == .badURL)
        #expect(error.description.contains("postgresql://"))
        #expect(!error.description.contains("t0p-secret"))
        #expect(PostgresURL.isPostgresURL("postgres://u@h/d"))
        #expect(!PostgresURL.isPostgresURL("/var/lib/mislink/queue.sqlite"))
    }

    @Test("an unreachable server fails with the host and port named and the password hidden")
    func unreachable() throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(url: "postgresql://postgres:n0t-for-logs@127.0.0.1:1/postgres")
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.description.contains("127.0.0.1"))
        #expect(error.description.contains("***"))
        #expect(!error.description.contains("n0t-for-logs"))
    }
}

extension PostgresURLTests {
    @Test("the connection string keeps the password for libpq; only the description hides it")
    func connectionString() throws {
        let url = try PostgresURL("postgresql://bob:s3cret@127.0.0.1:5432/db").withDatabase("other")
        #expect(url.connectionString == "postgresql://bob:s3cret@127.0.0.1:5432/other")
        #expect(!url.description.contains("s3cret"))
    }
}
