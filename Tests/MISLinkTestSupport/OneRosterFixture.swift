import Foundation

/// The OneRoster REST fixture (Tests/Fixtures/oneroster_fixture.py), serving a bundle on a free
/// loopback port. `with` starts it and stops it by pid when the body ends, failing or not; it also
/// exits by itself when its stdin (held here) closes, so a test process that dies leaves nothing.
public struct RosterServer: Sendable {
    public static let clientID = "mislink-tests"
    public let port: Int
    public let secret: String
    /// One JSON line per request the server saw.
    public let logPath: String

    public var url: String { "http://127.0.0.1:\(port)/ims/oneroster/v1p1" }

    /// The requests logged so far, as (path, query).
    public func requests() throws -> [(path: String, query: [String: String])] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            return (object["path"] as? String ?? "", object["query"] as? [String: String] ?? [:])
        }
    }

    static let script: String = {
        var dir = URL(fileURLWithPath: #filePath)
        for _ in 0..<2 { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("Fixtures/oneroster_fixture.py").path
    }()

    public static func with<T>(
        bundle: URL, knobs: [String] = [], secret: String = "s3cret-\(UUID().uuidString)", _ body: (RosterServer) async throws -> T
    ) async throws -> T {
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("oneroster-fixture-\(UUID().uuidString).log").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", script, "--bundle", bundle.path, "--client-id", clientID, "--client-secret", secret, "--log", logPath] + knobs
        let output = Pipe()
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let exited = ExitSignal()
        process.terminationHandler = { _ in exited.fire() }
        try process.run()
        let outcome: Result<T, any Error>
        do {
            let port = try await firstLine(of: output, within: 60)
            outcome = .success(try await body(RosterServer(port: port, secret: secret, logPath: logPath)))
        } catch {
            outcome = .failure(error)
        }
        // SIGKILL: nothing to shut down gracefully, and a test process may have taught its children to ignore SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        try? input.fileHandleForWriting.close()
        await exited.wait()
        try? FileManager.default.removeItem(atPath: logPath)
        return try outcome.get()
    }

    /// Waits (without holding a thread) for the server's first stdout line: its port.
    private static func firstLine(of pipe: Pipe, within seconds: Double) async throws -> Int {
        let line = await withCheckedContinuation { (continuation: CheckedContinuation<String?, Never>) in
            let state = LineState(continuation)
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                state.add(data)
            }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { state.finish(nil) }
        }
        pipe.fileHandleForReading.readabilityHandler = nil
        guard let line, let port = Int(line.trimmingCharacters(in: .whitespaces)) else {
            throw FixtureError("the OneRoster fixture did not print its port within 60 s (got \(line ?? "nothing"))")
        }
        return port
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Resumes a waiter once the fixture process has ended, without holding a thread meanwhile.
private final class ExitSignal: @unchecked Sendable {
    // Guarded by `lock`: the termination handler runs on Foundation's own queue.
    private let lock = NSLock()
    private var fired = false
    private var waiter: CheckedContinuation<Void, Never>?

    func fire() {
        lock.lock()
        fired = true
        let waiting = waiter
        waiter = nil
        lock.unlock()
        waiting?.resume()
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if fired {
                lock.unlock()
                continuation.resume()
            } else {
                waiter = continuation
                lock.unlock()
            }
        }
    }
}

/// Collects stdout bytes until the first line break, then resumes once.
private final class LineState: @unchecked Sendable {
    // Guarded by `lock`: the pipe's handler and the deadline run on different queues.
    private let lock = NSLock()
    private var buffer = Data()
    private var continuation: CheckedContinuation<String?, Never>?

    init(_ continuation: CheckedContinuation<String?, Never>) { self.continuation = continuation }

    func add(_ data: Data) {
        lock.lock()
        buffer.append(data)
        let text = String(decoding: buffer, as: UTF8.self)
        let ended = data.isEmpty
        lock.unlock()
        if let newline = text.firstIndex(of: "\n") {
            finish(String(text[..<newline]))
        } else if ended {
            finish(text.isEmpty ? nil : text)
        }
    }

    func finish(_ line: String?) {
        lock.lock()
        let waiting = continuation
        continuation = nil
        lock.unlock()
        waiting?.resume(returning: line)
    }
}
