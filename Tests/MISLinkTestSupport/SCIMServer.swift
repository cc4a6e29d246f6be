import Foundation

/// The real SCIM server the `scim` target is tested against: scim2-server 0.8.3 from PyPI, in the
/// venv `.ci/install-deps` makes at `.build/scim-venv`. Started on 127.0.0.1 on a free port with a
/// bearer token, stopped by pid. A missing venv fails the test (CI must never skip it).
public final class SCIMServer: @unchecked Sendable {
    // `process` is only read after `start` returns, and `stop` is idempotent: safe across tasks.
    public let url: URL
    public let token: String
    private let process: Process
    private let folder: URL

    public struct NotInstalled: Error, CustomStringConvertible {
        public let description: String
    }

    /// The package root: this file is Tests/MISLinkTestSupport/SCIMServer.swift.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static var executable: URL { packageRoot.appendingPathComponent(".build/scim-venv/bin/scim2-server") }

    /// Starts a server; `serviceProviderConfig` (JSON) replaces the default one, e.g. to withhold Bulk.
    public static func start(token: String, serviceProviderConfig: String? = nil) async throws -> SCIMServer {
        let venvPython = packageRoot.appendingPathComponent(".build/scim-venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: executable.path),
            FileManager.default.isExecutableFile(atPath: venvPython.path)
        else {
            throw NotInstalled(
                description: "scim2-server is not installed at \(executable.path): run .ci/install-deps (it makes .build/scim-venv with scim2-server 0.8.3)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-scim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var arguments = [
            packageRoot.appendingPathComponent("Tests/Fixtures/scim/free-port.py").path, executable.path,
            "--hostname", "127.0.0.1", "--port", "0", "--bearer-token", token,
        ]
        if let serviceProviderConfig {
            let path = folder.appendingPathComponent("spc.json")
            try serviceProviderConfig.write(to: path, atomically: true, encoding: .utf8)
            arguments += ["--service-provider-config", path.path]
        }
        let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = venvPython
        process.arguments = arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // The machine is shared and busy: the server gets a minute to bind.
        let deadline = Date().addingTimeInterval(90)
        while true {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) {
                return SCIMServer(url: URL(string: "http://127.0.0.1:\(port)/v2")!, token: token, process: process, folder: folder)
            }
            guard process.isRunning, Date() < deadline else {
                if process.isRunning { process.terminate() }
                let why = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: folder)
                throw NotInstalled(description: "scim2-server did not start: \(why.suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private init(url: URL, token: String, process: Process, folder: URL) {
        self.url = url
        self.token = token
        self.process = process
        self.folder = folder
    }

    public var pid: Int32 { process.processIdentifier }

    /// What the server wrote to stderr (its request log), for tests that check nothing leaked there.
    public var log: String { (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Stops it by pid and waits for it to end.
    public func stop() async {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Runs `body` with a fresh server, stopped afterwards whatever happens.
public func withSCIMServer<T>(
    token: String = "scim-token-\(UUID().uuidString)", serviceProviderConfig: String? = nil, _ body: (SCIMServer) async throws -> T
) async throws -> T {
    let server = try await SCIMServer.start(token: token, serviceProviderConfig: serviceProviderConfig)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
