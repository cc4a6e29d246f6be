import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import Testing

@Suite struct QueueDatabaseTests {
    @Test("a path is a SQLite file, a postgresql:// URL is PostgreSQL, and another scheme is refused by name")
    func locations() throws {
        #expect(try QueueDatabase("/var/lib/mislink/queue.sqlite") == .sqlite(path: "/var/lib/mislink/queue.sqlite"))
        #expect(try QueueDatabase("queue.sqlite") == .sqlite(path: "queue.sqlite"))
        let postgres = try QueueDatabase("postgresql://mislink:pw@db:5432/queue")
        #expect(postgres == .postgres(try PostgresURL("postgresql://mislink:pw@db:5432/queue")))
        #expect(postgres.description == "postgresql://mislink:***@db:5432/queue")
        let refused = try #require(throws: QueueError.self) { try QueueDatabase("mysql://root:pw@db/queue") }
        #expect(refused.message.contains("mysql://"))
        #expect(!refused.message.contains("pw"))
    }

    @Test("each location opens its back end", arguments: Backend.available)
    func opens(backend: Backend) throws {
        switch backend {
        case .sqlite:
            try withTemporaryDirectory { directory in
                let store = try QueueDatabase(directory + "/q.sqlite").open()
                #expect(store is JobStore)
            }
        case .postgres:
            try TestPostgres.withDatabase { url in
                let store = try QueueDatabase(url).open()
                #expect(store is PostgresJobStore)
            }
        }
    }
}
