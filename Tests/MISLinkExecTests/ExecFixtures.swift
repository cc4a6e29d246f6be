import Foundation
import MISLinkExec
import MISLinkKit
import Synchronization

/// Where the test plugins are: the misbehaving one beside these tests, the reference ones under Plugins/.
enum ExecFixtures {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let repository = tests.deletingLastPathComponent().deletingLastPathComponent()
    static let misbehaving = tests.appendingPathComponent("Fixtures/misbehaving/manifest.json")
    static let schoolJSON = repository.appendingPathComponent("Plugins/exec-examples/school-json/manifest.json")
    static let peopleFile = repository.appendingPathComponent("Plugins/exec-examples/people-file/manifest.json")

    static func connector(_ manifest: URL, values: [String: String], secrets: [String: String] = [:]) throws -> any Connector {
        try ExecConnectorPlugin(try ExecManifest(contentsOf: manifest)).makeConnector(
            config: PluginConfig(values: values, secrets: secrets))
    }

    static func target(values: [String: String]) throws -> any Target {
        try ExecTargetPlugin(try ExecManifest(contentsOf: peopleFile)).makeTarget(config: PluginConfig(values: values))
    }

    /// Whether a process id still names a live process (a zombie counts as gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ").dropFirst(2).first
        return state != "Z"
    }

    static func pid(in file: String) -> Int32? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Waits (generously: the machine is loaded) until `condition` holds.
    static func waitUntil(_ what: String, timeout: Double = 60, _ condition: () -> Bool) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw TimedOut(what: what) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    struct TimedOut: Error, CustomStringConvertible {
        let what: String
        var description: String { "timed out waiting for \(what)" }
    }
}

/// Log lines and progress a plugin context was given.
final class ContextRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    private let reports = Mutex<[PluginContext.Progress]>([])

    var context: PluginContext {
        PluginContext(
            log: { level, message in self.lines.withLock { $0.append("\(level.rawValue): \(message)") } },
            progress: { progress in self.reports.withLock { $0.append(progress) } })
    }

    var logged: [String] { lines.withLock { $0 } }
    var progress: [PluginContext.Progress] { reports.withLock { $0 } }
}
