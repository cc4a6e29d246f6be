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

/// The test server's URL always carries a password, so a test can grep for it: `.ci/with-postgres`
/// gives one; a passwordless URL (trust auth, where any password is ignored) gets a made-up one.
enum TestPostgresPassword {
    static func ensure(_ url: String) -> (url: String, password: String) {
        let scheme = url.range(of: "://")!
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":"), userInfo.index(after: colon) < userInfo.endIndex {
                return (url, String(userInfo[userInfo.index(after: colon)...]))
            }
            let made = "pw-unused-\(UInt32.random(in: 0...UInt32.max))"
            return (url.replacingCharacters(in: userInfo.endIndex..<userInfo.endIndex, with: ":" + made), made)
        }
        let made = "pw-unused-\(UInt32.random(in: 0...UInt32.max))"
        return (url.replacingCharacters(in: scheme.upperBound..<scheme.upperBound, with: "postgres:\(made)@"), made)
    }
}
