import Foundation

/// Who this process is, and whether another process on this host is still alive.
public enum ProcessIdentity {
    /// The host name, or `MISLINK_HOST_ID` when set: for tests that run "many hosts" as processes on
    /// one machine (each rescues only its own host's dead workers by pid; the rest by lease expiry).
    public static var host: String {
        if let id = ProcessInfo.processInfo.environment["MISLINK_HOST_ID"], !id.isEmpty { return id }
        return ProcessInfo.processInfo.hostName
    }
    public static var pid: Int32 { getpid() }

    /// The kernel's start time of a process (field 22 of `/proc/PID/stat`), so that a pid reused by a
    /// new process is not mistaken for the worker that had it.
    public static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may contain spaces) start at field 3.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// False only when the process is certainly gone (no such pid, or the pid now belongs to another
    /// process). Anything uncertain counts as alive: the lease will rescue it later anyway.
    public static func isAlive(pid: Int32, startedAt expected: String?) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return false }
        if let expected, let actual = startTime(of: pid), actual != expected { return false }
        return true
    }

    /// A new worker id: host, pid and a random suffix.
    public static func newWorkerID() -> String {
        "\(host):\(pid):\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}
