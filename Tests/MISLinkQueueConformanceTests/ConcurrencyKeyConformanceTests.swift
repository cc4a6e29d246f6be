import Foundation
import MISLinkQueue
import Testing

/// The concurrency keys of the earlier issue: at most a key's limit of its jobs run at once, across
/// every worker and process.
@Suite struct ConcurrencyKeyConformanceTests {
    @Test("a key's jobs run at most its limit at once; keyless jobs are claimed beside them", arguments: Backend.available)
    func limit(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            let keyed = try store.enqueue(jobs: (0..<4).map { _ in NewJob(kind: "import", concurrencyKey: "school-1", concurrencyLimit: 2) })
                .map(\.id)
            let free = try store.enqueue(jobs: (0..<3).map { _ in NewJob(kind: "noop") }).map(\.id)
            let first = try store.claim("w1", limit: 10).map(\.id)
            #expect(Set(first) == Set(keyed.prefix(2) + free))
            let other = try fixture.open()
            #expect(try other.claim("w2", limit: 10).isEmpty)
            try store.complete("w1", [Completion(jobID: keyed[0], outcome: .succeeded(result: nil))])
            #expect(try other.claim("w2", limit: 10).map(\.id) == [keyed[2]])
        }
    }

    @Test("claimers at once never run more of a key than its limit", arguments: Backend.available)
    func concurrentClaimers(backend: Backend) throws {
        try withQueue(backend) { fixture in
            let store = try fixture.open()
            var byKey: [String: [Int64]] = [:]
            for key in ["a", "b", "c"] {
                byKey[key] = try store.enqueue(jobs: (0..<10).map { _ in NewJob(kind: "import", concurrencyKey: key, concurrencyLimit: 2) })
                    .map(\.id)
            }
            let keyed = byKey.values.flatMap { $0 }
            let free = try store.enqueue(jobs: (0..<50).map { _ in NewJob(kind: "noop") }).map(\.id)
            // Nothing completes, so every key stays full once its limit runs.
            let claims = claimConcurrently(fixture, workers: 4, limit: 3, stopAfterEmpty: 3)
            #expect(claims.errors.isEmpty, "\(claims.errors)")
            #expect(claims.all.count == Set(claims.all).count)
            #expect(Set(free).isSubset(of: Set(claims.all)))
            #expect(Set(claims.all).intersection(Set(keyed)).count == 6)
            for (key, ids) in byKey {
                #expect(try ids.filter { try store.state($0) == .running }.count == 2, "key \(key)")
            }
        }
    }
}
