import Foundation

extension MISLinkBinary {
    /// Starts `mislink ARGS` (a console: `serve`, or `worker --serve`) and waits for its "listening
    /// on" line; answers the process, its port and the path of its stderr log.
    static func startConsole(_ arguments: [String], in dir: String, environment: [String: String] = [:]) async throws
        -> (process: Process, port: UInt16, log: String)
    {
        let log = dir + "/serve-\(UUID().uuidString).log"
        let process = try start(arguments, in: dir, stderrPath: log, environment: environment)
        var port: UInt16?
        try await waitUntil("the console to listen") {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://127.0.0.1:") {
                port = UInt16(text[range.upperBound...].prefix { $0.isNumber })
            }
            return port != nil || !process.isRunning
        }
        guard let port else {
            kill(process.processIdentifier, SIGTERM)
            throw ConsoleDidNotListen(log: (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        }
        return (process, port, log)
    }

    struct ConsoleDidNotListen: Error, CustomStringConvertible {
        let log: String
        var description: String { "the console never said where it listens: \(log)" }
    }
}
