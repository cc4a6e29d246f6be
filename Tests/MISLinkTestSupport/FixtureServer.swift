import Foundation

/// A fixture server from `Tests/Fixtures/` (Python 3, standard library only) on a free loopback
/// port: the script binds port 0 and prints its port on its first stdout line. It is stopped by its
/// pid when the test ends, and it also exits by itself when its stdin (held here) closes, so a test
/// process that dies leaves nothing running.
public final class FixtureServer: @unchecked Sendable {
    // Immutable after start; `stop` only signals the process, which Foundation allows from any thread.
    public let port: Int
    public let process: Process
    private let input: Pipe

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// `Tests/Fixtures/`, found from this file's place in the checkout.
    public static let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    private init(port: Int, process: Process, input: Pipe) {
        self.port = port
        self.process = process
        self.input = input
    }

    /// Starts `script` (a file in `Tests/Fixtures/`) and waits (up to 60 s) for its port.
    public static func start(_ script: String, arguments: [String] = []) async throws -> FixtureServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixturesDirectory.appendingPathComponent(script).path] + arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let line = await firstLine(of: output.fileHandleForReading, within: 60)
        guard let port = line.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            process.terminate()
            throw Failure(description: "fixture \(script) printed no port (got \(line ?? "nothing"))")
        }
        return FixtureServer(port: port, process: process, input: input)
    }

    /// Stops the server by its pid.
    public func stop() {
        if process.isRunning { process.terminate() }
        try? input.fileHandleForWriting.close()
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads on a thread of its own: the read blocks, and the cooperative pool must not.
    private static func firstLine(of handle: FileHandle, within seconds: Double) async -> String? {
        await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            DispatchQueue.global().async {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data += chunk
                }
                once.resume(String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init))
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { once.resume(nil) }
        }
    }

    private final class ResumeOnce: @unchecked Sendable {
        // Guarded by `lock`: two threads race to resume, only the first may.
        private let lock = NSLock()
        private var continuation: CheckedContinuation<String?, Never>?

        init(_ continuation: CheckedContinuation<String?, Never>) { self.continuation = continuation }

        func resume(_ value: String?) {
            lock.lock()
            let taken = continuation
            continuation = nil
            lock.unlock()
            taken?.resume(returning: value)
        }
    }
}

/// Runs `body` with a started fixture server, stopping it afterwards whatever happens.
public func withFixtureServer<T>(
    _ script: String, arguments: [String] = [], _ body: (FixtureServer) async throws -> T
) async throws -> T {
    let server = try await FixtureServer.start(script, arguments: arguments)
    defer { server.stop() }
    return try await body(server)
}
