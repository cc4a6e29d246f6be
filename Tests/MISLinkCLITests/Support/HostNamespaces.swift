import Foundation

/// Network namespaces standing in for hosts, each with only its loopback up; made and removed by the
/// test. `isolated` is false when they cannot be made: processes then run in this namespace.
final class HostNamespaces {
    let names: [String]
    let isolated: Bool
    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    init(prefix: String, count: Int) {
        names = (0..<count).map { "\(prefix)-\($0)" }
        var made = Self.ip != nil
        for name in names where made {
            made = Self.ip(["netns", "add", name]) && Self.ip(["netns", "exec", name, Self.ip!, "link", "set", "lo", "up"])
        }
        isolated = made
        if !made { remove() }
    }

    func remove() {
        guard Self.ip != nil else { return }
        for name in names { _ = Self.ip(["netns", "del", name]) }
    }

    /// The binary, in host `host`'s namespace.
    func start(_ host: Int, _ arguments: [String], in dir: String, environment: [String: String], stderrPath: String) throws -> Process {
        try MISLinkBinary.start(
            arguments, in: dir, stderrPath: stderrPath, environment: environment,
            launcher: isolated ? [Self.ip!, "netns", "exec", names[host]] : [])
    }

    /// Runs the binary to its end in host `host`'s namespace.
    func run(_ host: Int, _ arguments: [String], in dir: String) async throws -> MISLinkBinary.Result {
        let errors = dir + "/.probe-\(UUID().uuidString)"
        let process = try start(host, arguments, in: dir, environment: [:], stderrPath: errors)
        await MISLinkBinary.exit(of: process)
        defer { try? FileManager.default.removeItem(atPath: errors) }
        return MISLinkBinary.Result(
            status: process.terminationStatus, stdout: "", stderr: (try? String(contentsOfFile: errors, encoding: .utf8)) ?? "")
    }

    private static func ip(_ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ip!)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
