import Foundation
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkTestSupport
import PostgresDB
import Testing

extension MultiProcessTests {
    /// Workers on "many hosts" sharing one PostgreSQL queue: each host a network namespace of its own
    /// (only a loopback, which the test makes and removes), reaching the server through its Unix
    /// socket, with a host id of its own (`MISLINK_HOST_ID`). Without `ip netns` (not root, no
    /// iproute2) the same test runs with the host ids alone, over TCP, and says so.
    @Suite(.serialized, .enabled(if: TestPostgres.isAvailable)) struct ManyHostsTests {
        @Test("many hosts: a worker rescues a dead peer on its own host at once, never a peer elsewhere by pid, and anyone's after its lease expires")
        func rescuesPeersCorrectly() async throws {
            try await withCLIQueue(.postgres) { dir, queue in
                _ = try writeQuickPolicies(in: dir, maxAttempts: 5)
                let tcpURL = try #require(queue.environment["MISLINK_DB"])
                let store = try queue.open()
                let hosts = HostNamespaces(prefix: "mislink-\(getpid())", count: 2)
                defer { hosts.remove() }
                let url = try hosts.isolated ? Self.socketURL(tcpURL) : tcpURL
                if hosts.isolated {
                    // The namespaces really are other hosts: the server's TCP address is not reachable there.
                    let probe = try await hosts.run(1, ["jobs", "list", "--db", tcpURL], in: dir)
                    #expect(probe.status == 1, "\(probe.stderr)")
                    #expect(probe.stderr.contains("cannot connect"), "\(probe.stderr)")
                } else {
                    print("ip netns is not available here: the hosts are told apart by MISLINK_HOST_ID alone")
                }
                func worker(_ host: Int, _ name: String, _ extra: [String]) throws -> Process {
                    try hosts.start(
                        host, ["worker", "--db", url, "--concurrency", "4", "--grace", "100ms"] + extra, in: dir,
                        environment: ["MISLINK_HOST_ID": "host-\(host)"], stderrPath: dir + "/\(name).log")
                }

                // Host 0 holds four long jobs under a long lease, then dies.
                let long = try store.enqueue(jobs: (0..<4).map { _ in NewJob(kind: "noop", payload: #"{"sleepMs": 600000}"#) }).map(\.id)
                let doomed = try worker(0, "doomed", ["--lease", "10m"])
                try await waitUntil("host 0 to run the long jobs", timeout: 120) {
                    try long.allSatisfy { try store.job(id: $0)?.state == .running }
                }
                kill(doomed.processIdentifier, SIGKILL)
                await MISLinkBinary.exit(of: doomed)

                // Host 1 runs the rest of the queue, and leaves the dead worker's jobs alone: their
                // lease is alive, and a pid of another host says nothing.
                let short = try store.enqueue(jobs: (0..<300).map { _ in NewJob(kind: "noop", payload: #"{"sleepMs": 1}"#) }).map(\.id)
                let elsewhere = try worker(1, "elsewhere", ["--lease", "10m"])
                try await waitUntil("host 1 to run the short jobs", timeout: 120) {
                    try queue.count(.succeeded, in: store) == short.count
                }
                // It made a rescue pass as it started, before its first claim, and another each second.
                for id in long { #expect(try store.job(id: id)?.state == .running, "job \(id) was taken from a live lease elsewhere") }

                // A new worker on host 0 finds its host's dead peer and rescues its jobs at once.
                let peer = try worker(0, "peer", ["--lease", "10m", "--queues", "none"])
                try await waitUntil("host 0's new worker to rescue the dead worker's jobs", timeout: 120) {
                    try long.allSatisfy { try store.job(id: $0)?.state != .running || store.job(id: $0)?.attempt == 2 }
                }
                for id in long {
                    let job = try #require(try store.job(id: id))
                    #expect(job.errors.first?.message.contains("is gone") == true, "job \(id): \(job.errors.map(\.message))")
                }

                // Host 1's worker dies holding jobs under a short lease: host 0 rescues them once it expires.
                kill(elsewhere.processIdentifier, SIGKILL)
                await MISLinkBinary.exit(of: elsewhere)
                let stranded = try store.enqueue(jobs: (0..<2).map { _ in NewJob(kind: "noop", queue: "far", payload: #"{"sleepMs": 600000}"#) }).map(\.id)
                let shortLease = try worker(1, "short-lease", ["--lease", "2s", "--queues", "far"])
                try await waitUntil("host 1 to run the stranded jobs", timeout: 120) {
                    try stranded.allSatisfy { try store.job(id: $0)?.state == .running }
                }
                kill(shortLease.processIdentifier, SIGKILL)
                await MISLinkBinary.exit(of: shortLease)
                try await waitUntil("host 0 to rescue host 1's jobs after their lease", timeout: 120) {
                    try stranded.allSatisfy { try store.job(id: $0)?.state != .running }
                }
                for id in stranded {
                    let job = try #require(try store.job(id: id))
                    #expect(job.errors.last?.message.contains("lease expired") == true, "job \(id): \(job.errors.map(\.message))")
                }
                kill(peer.processIdentifier, SIGTERM)
                await MISLinkBinary.exit(of: peer)
                #expect(peer.terminationStatus == 0)
            }
        }

        /// The same database through the server's Unix socket, which a network namespace still reaches.
        static func socketURL(_ tcp: String) throws -> String {
            let connection = try PostgresConnection(url: tcp)
            let folder = try #require(try connection.execute("SHOW unix_socket_directories").rows.first?.string(0))
                .split(separator: ",").first.map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
            let port = try connection.execute("SHOW port").rows.first?.string(0) ?? "5432"
            let database = try connection.execute("SELECT current_database()").rows.first?.string(0) ?? "postgres"
            let user = try connection.execute("SELECT current_user").rows.first?.string(0) ?? "postgres"
            return "postgresql://\(user)@/\(database)?host=\(folder)&port=\(port)"
        }
    }
}
