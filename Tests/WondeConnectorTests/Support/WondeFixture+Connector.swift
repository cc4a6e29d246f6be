import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import WondeConnector

extension WondeFixture {
    /// The connector's configuration for this fixture, with `extra` keys on top.
    func config(_ extra: [String: String] = [:], token: String = WondeFixture.token) -> PluginConfig {
        PluginConfig(values: values(extra), secrets: ["token": token])
    }

    func connector(_ extra: [String: String] = [:], token: String = WondeFixture.token) throws -> WondeConnector {
        try #require(try WondeConnectorPlugin().makeConnector(config: config(extra, token: token)) as? WondeConnector)
    }
}

/// A context that keeps every log line, to check what a run said (and that no secret was in it).
final class LogRecorder: @unchecked Sendable {
    // Guarded by `lock`: plugin calls log from any task.
    private let lock = NSLock()
    private var lines: [String] = []

    var context: PluginContext {
        PluginContext(log: { [self] level, message in
            lock.lock()
            lines.append("\(level.rawValue): \(message)")
            lock.unlock()
        })
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }
}
