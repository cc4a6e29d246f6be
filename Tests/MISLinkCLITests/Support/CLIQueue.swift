import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import Testing

/// A back end the end-to-end tests that run on both drive the binary against.
enum CLIBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when `MISLINK_TEST_POSTGRES` names a server.
    static var available: [CLIBackend] { TestPostgres.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// One fresh queue for the binary: the environment that points it there (`MISLINK_DB`) and a store of
/// the test's own on the same queue, to look at what the processes did.
struct CLIQueue {
    let environment: [String: String]
    let open: () throws -> any QueueBackend
    /// The server's password when on PostgreSQL (what must never be printed or stored), else nil.
    let password: String?

    /// Jobs in `state`, read through the back end's own listing.
    func count(_ state: JobState, in store: any QueueBackend, upTo limit: Int = 1_000_000) throws -> Int {
        try store.jobPage(matching: JobFilter(states: [state], limit: limit)).jobs.count
    }
}

/// Runs `body` in a fresh folder with a fresh queue on `backend` (a file in the folder, or a new
/// database on the test server), both removed afterwards.
func withCLIQueue(_ backend: CLIBackend, _ body: (String, CLIQueue) async throws -> Void) async throws {
    try await withTemporaryDirectory { dir in
        switch backend {
        case .sqlite:
            let path = dir + "/mislink.sqlite"
            try await body(dir, CLIQueue(environment: ["MISLINK_DB": path], open: { try JobStore(path: path) }, password: nil))
        case .postgres:
            try await TestPostgres.withDatabase { url in
                let (withPassword, password) = TestPostgresPassword.ensure(url)
                try await body(
                    dir,
                    CLIQueue(environment: ["MISLINK_DB": withPassword], open: { try PostgresJobStore(url: withPassword) }, password: password))
            }
        }
    }
}
