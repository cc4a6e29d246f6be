import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import SQLiteDB
import Testing

/// A queue back end the conformance suite runs against.
enum Backend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when `MISLINK_TEST_POSTGRES` names a server.
    static var available: [Backend] { TestPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// One fresh queue on a back end: `open()` gives another store (its own connection) on it.
struct QueueFixture: Sendable {
    let backend: Backend
    let open: @Sendable () throws -> any QueueAdminBackend
    /// Runs one statement on a connection of its own; answers the first row's first column (nil: none).
    let scalar: @Sendable (String) throws -> Int64?
}

/// Runs `body` with a fresh, empty queue on `backend`, removed afterwards.
func withQueue(_ backend: Backend, _ body: (QueueFixture) throws -> Void) throws {
    switch backend {
    case .sqlite:
        try withTemporaryDirectory { directory in
            let path = directory + "/queue.sqlite"
            try body(
                QueueFixture(
                    backend: backend, open: { try JobStore(path: path) },
                    scalar: { sql in
                        let connection = try Connection(path: path)
                        return try connection.scalarInt(sql)
                    }))
        }
    case .postgres:
        try TestPostgres.withDatabase { url in
            try body(
                QueueFixture(
                    backend: backend, open: { try PostgresJobStore(url: url) },
                    scalar: { sql in try PostgresConnection(url: url).execute(sql).rows.first?.optionalInt64(0) }))
        }
    }
}

/// The back end's clock, as the queue reads it.
func backendNow(_ store: any QueueBackend) throws -> Int64 {
    if let postgres = store as? PostgresJobStore { return try postgres.databaseNow() }
    return JobStore.now()
}

/// Asks again until `condition` holds (60 s at most: the machine is shared), failing the test if it never does.
func eventually(_ what: String, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(60)
    while try !condition() {
        guard Date() < deadline else {
            Issue.record("timed out waiting until \(what)")
            return
        }
        usleep(5_000)
    }
}

extension QueueBackend {
    /// Claims up to `limit` jobs for `worker`.
    func claim(_ worker: String, limit: Int = 10, queues: [String]? = nil, lease: Int64 = 60_000) throws -> [ClaimedJob] {
        try exchange(ExchangeRequest(workerID: worker, limit: limit, queues: queues, leaseMilliseconds: lease)).claimed
    }

    /// Reports outcomes for `worker`, claiming nothing.
    func complete(_ worker: String, _ completions: [Completion]) throws {
        _ = try exchange(ExchangeRequest(completions: completions, workerID: worker, limit: 0, leaseMilliseconds: 60_000))
    }

    func state(_ id: Int64) throws -> JobState? { try job(id: id)?.state }
}

/// Runs `body` on `count` threads at once (numbered from 0; blocking calls must not hold the
/// cooperative pool), and answers what they returned and the errors they threw, after all have
/// finished (120 s at most: the machine is shared).
func concurrently<Element>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> [Element]) -> Collected<Element> {
    let collected = Collected<Element>()
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread.detachNewThread {
            defer { group.leave() }
            do {
                collected.add(try body(index))
            } catch {
                collected.fail(error)
            }
        }
    }
    if group.wait(timeout: .now() + 120) != .success { Issue.record("the threads did not finish within 120 s") }
    return collected
}

/// `workers` threads, each with a store of its own, claiming `limit` at a time (and never
/// completing) until `stopAfterEmpty` claims in a row come back empty; answers what they took.
func claimConcurrently(_ fixture: QueueFixture, workers: Int, limit: Int, stopAfterEmpty: Int) -> Collected<Int64> {
    concurrently(workers) { worker in
        let mine = try fixture.open()
        var taken: [Int64] = []
        var empty = 0
        while empty < stopAfterEmpty {
            let batch = try mine.claim("w\(worker)", limit: limit)
            empty = batch.isEmpty ? empty + 1 : 0
            taken += batch.map(\.id)
        }
        return taken
    }
}

/// What test threads gathered (and the errors they met), under a lock.
final class Collected<Element>: @unchecked Sendable {
    // Elements are only appended and read under the lock; tests gather Sendable values or values no thread keeps.
    // Every access holds `lock`.
    private let lock = NSLock()
    private var elements: [Element] = []
    private var failures: [String] = []

    func add(_ more: [Element]) { lock.withLock { elements += more } }
    func fail(_ error: any Error) { lock.withLock { failures.append("\(error)") } }
    var all: [Element] { lock.withLock { elements } }
    var errors: [String] { lock.withLock { failures } }
}

/// A statement with one id through a commit effect's handle, in the back end's own dialect.
func run(_ sql: (sqlite: String, postgres: String), id: Int64, on transaction: any QueueTransaction) throws {
    if let connection = transaction as? Connection {
        try connection.run(sql.sqlite, [id])
    } else if let connection = transaction as? PostgresConnection {
        try connection.execute(sql.postgres, [id])
    } else {
        Issue.record("an effect got a \(transaction.queueBackendName) handle this test does not know")
    }
}
