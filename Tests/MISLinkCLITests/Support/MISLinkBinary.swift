import Foundation

/// Runs the built `mislink` binary, as a user would.
enum MISLinkBinary {
    /// The binary sits beside the test bundle in `.build/<triple>/debug`.
    static let url: URL = {
        var candidates: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("mislink"))
        candidates.append(testBinary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mislink"))
        var dir = URL(fileURLWithPath: #filePath)
        while dir.path != "/" {
            dir.deleteLastPathComponent()
            candidates.append(dir.appendingPathComponent(".build/debug/mislink"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs to completion and collects output. `environment` is added to a clean one.
    @discardableResult
    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:], stdin: String? = nil)
        async throws -> Result
    {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": "/usr/bin:/bin", "HOME": directory]
        env.merge(environment) { $1 }
        process.environment = env
        let out = directory + "/.out-\(UUID().uuidString)"
        let err = directory + "/.err-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let stdin {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        await exit(of: process)
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Starts the binary without waiting; stderr goes to `stderrPath`. `environment` is added to a clean one.
    /// `launcher` runs it (`ip netns exec NAME`): its program and arguments, before the binary's path.
    static func start(
        _ arguments: [String], in directory: String, stderrPath: String, environment: [String: String] = [:],
        launcher: [String] = []
    ) throws -> Process {
        let process = Process()
        process.executableURL = launcher.first.map { URL(fileURLWithPath: $0) } ?? url
        process.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [url.path] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": directory].merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a process to end without blocking a thread of the cooperative pool (tests run
    /// in parallel on it; a blocked thread would starve the in-process workers of other tests).
    static func exit(of process: Process) async {
        while process.isRunning {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

/// Waits until `condition` holds, checking often; fails after `timeout` seconds.
func waitUntil(_ what: String, timeout: Double = 120, _ condition: () throws -> Bool) async throws {
    struct TimedOut: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }
    let deadline = Date().addingTimeInterval(timeout)
    while try !condition() {
        guard Date() < deadline else { throw TimedOut(what: what) }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// A policy directory with quick retries, for end-to-end runs.
func writeQuickPolicies(in dir: String, maxAttempts: Int = 3) throws -> String {
    let jobs = dir + "/jobs"
    try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
    try #"{"maxAttempts": \#(maxAttempts), "backoff": {"initial": "10ms", "max": "50ms", "jitter": 0}}"#
        .write(toFile: jobs + "/noop.json", atomically: true, encoding: .utf8)
    return jobs
}
