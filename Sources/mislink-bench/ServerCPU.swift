import Foundation
import PostgresDB
import Synchronization

/// The server's CPU while a figure runs: every 20 ms, the utime + stime of the postmaster and its
/// children (backends come and go with the workers' connections, so each is sampled while it lives;
/// at most one interval of a backend that exits is missed). Nothing on SQLite, which has no server.
final class ServerCPU: Sendable {
    private let first = Mutex<[Int32: Double]>([:])
    private let last = Mutex<[Int32: Double]>([:])
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(server: PostgresURL) {
        guard let connection = try? PostgresConnection(url: server),
            let backend = try? connection.execute("SELECT pg_backend_pid()").rows.first?.int64(0),
            let postmaster = Self.parent(of: Int32(backend))
        else {
            done.signal()
            return
        }
        _ = connection
        sample(postmaster)
        Thread.detachNewThread { [self] in
            while !stopped.load(ordering: .relaxed) {
                sample(postmaster)
                Thread.sleep(forTimeInterval: 0.02)
            }
            sample(postmaster)
            done.signal()
        }
    }

    /// CPU seconds the server used since this began.
    func stop() -> Double {
        stopped.store(true, ordering: .relaxed)
        done.wait()
        let first = first.withLock { $0 }
        return last.withLock { $0 }.reduce(0) { $0 + $1.value - (first[$1.key] ?? 0) }
    }

    private func sample(_ postmaster: Int32) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return }
        for name in names {
            guard let pid = Int32(name), pid == postmaster || Self.parent(of: pid) == postmaster, let cpu = Self.cpuSeconds(pid)
            else { continue }
            first.withLock { if $0[pid] == nil { $0[pid] = cpu } }
            last.withLock { $0[pid] = cpu }
        }
    }

    /// Fields after the command name: state is field 3, ppid 4, utime 14, stime 15.
    private static func fields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    static func parent(of pid: Int32) -> Int32? { fields(pid).flatMap { $0.count > 1 ? Int32($0[1]) : nil } }

    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let fields = fields(pid), fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
