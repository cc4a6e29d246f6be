import Foundation
import MISLinkQueuePostgres
import MISLinkTestSupport
import Testing

/// Checklist 9: one leader among many processes, on the database's clock.
@Suite(.enabled(if: TestPostgres.isAvailable)) struct PostgresLeaderTests {
    @Test("of many processes electing at once exactly one wins, and only it is re-elected")
    func singleWinner() throws {
        try TestPostgres.withDatabase { url in
            let won = concurrently(6) { candidate -> [String] in
                let store = try PostgresJobStore(url: url)
                return try store.elect("host-\(candidate)", role: "scheduler", termMilliseconds: 60_000) ? ["host-\(candidate)"] : []
            }
            #expect(won.errors.isEmpty, "\(won.errors)")
            let winners = won.all
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            let store = try PostgresJobStore(url: url)
            #expect(try store.leader(role: "scheduler") == winner)
            #expect(try store.elect(winner, role: "scheduler", termMilliseconds: 60_000))
            #expect(try !store.elect("someone-else", role: "scheduler", termMilliseconds: 60_000))
            // Roles are separate.
            #expect(try store.elect("someone-else", role: "pruner", termMilliseconds: 60_000))
        }
    }

    @Test("an expired term is taken over, and its old holder is then refused")
    func expiry() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            #expect(try store.elect("old", role: "scheduler", termMilliseconds: 1))
            var taken = false
            try eventually("the term expires and another host takes over") {
                taken = try store.elect("new", role: "scheduler", termMilliseconds: 60_000)
                return taken
            }
            #expect(try store.leader(role: "scheduler") == "new")
            #expect(try !store.elect("old", role: "scheduler", termMilliseconds: 60_000))
        }
    }

    @Test("only the leader can resign, and then another is elected at once")
    func resign() throws {
        try TestPostgres.withDatabase { url in
            let store = try PostgresJobStore(url: url)
            #expect(try store.elect("a", role: "scheduler", termMilliseconds: 60_000))
            #expect(try !store.resign("b", role: "scheduler"))
            #expect(try store.leader(role: "scheduler") == "a")
            #expect(try store.resign("a", role: "scheduler"))
            #expect(try store.leader(role: "scheduler") == nil)
            #expect(try store.elect("b", role: "scheduler", termMilliseconds: 60_000))
        }
    }
}
