import Foundation
import MISLinkKit
import Synchronization

/// One running plugin process: started with a clean environment (no secrets: those go over stdin),
/// its stdout read line by line and its stderr captured, on threads of their own so that neither a
/// silent nor a chatty plugin holds the cooperative pool.
final class PluginProcess: @unchecked Sendable {
    // @unchecked: `Process` is not Sendable; it is only touched here, under `lock` after launch.
    private let process = Process()
    private let input: FileHandle
    private let writer = DispatchQueue(label: "mislink.exec.stdin")
    private let lock = NSLock()
    let pluginID: String

    /// Environment variables a plugin may see: enough to run an interpreter, nothing an admin keeps
    /// secrets in (secret references such as env:WONDE_TOKEN point at the parent's environment).
    static let passedEnvironment = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "PYTHONIOENCODING"]
    /// A line longer than this is garbage, not a record.
    static let maxLineBytes = 16 << 20

    /// Starts it. `onLine(number, bytes)` gets every stdout line, `onStderr` every stderr line, and
    /// `onExit(status)` runs once stdout has closed and the process has ended.
    init(
        _ manifest: ExecManifest, onLine: @escaping @Sendable (Int, Data) -> Void, onStderr: @escaping @Sendable (String) -> Void,
        onExit: @escaping @Sendable (Int32, _ overlong: Bool) -> Void
    ) throws {
        Self.ignoreBrokenPipes
        pluginID = manifest.manifest.id
        process.executableURL = try Self.executable(manifest)
        process.arguments = manifest.arguments
        process.currentDirectoryURL = manifest.folder
        let parent = ProcessInfo.processInfo.environment
        process.environment = parent.filter { Self.passedEnvironment.contains($0.key) }.merging(["PYTHONUNBUFFERED": "1"]) { a, _ in a }
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        input = stdin.fileHandleForWriting
        do {
            try process.run()
        } catch {
            throw PluginError.permanent("plugin '\(pluginID)': cannot start \(manifest.command): \(error.localizedDescription)")
        }
        let process = self.process
        let out = stdout.fileHandleForReading
        let err = stderr.fileHandleForReading
        // The exit is reported once stderr is read too, so that its last lines can be quoted (a
        // grandchild holding stderr open gets 2 s).
        let stderrRead = DispatchGroup()
        stderrRead.enter()
        Thread.detachNewThread {
            _ = LineSplitter.read(err, maxLineBytes: 64 << 10) { _, line in onStderr(String(decoding: line, as: UTF8.self)) }
            stderrRead.leave()
        }
        Thread.detachNewThread {
            let overlong = LineSplitter.read(out, maxLineBytes: Self.maxLineBytes, onLine: onLine)
            if overlong {
                // Said at once: the process may be blocked writing the rest of the line, and is stopped.
                onExit(-1, true)
                process.waitUntilExit()
                return
            }
            process.waitUntilExit()
            _ = stderrRead.wait(timeout: .now() + 2)
            onExit(process.terminationStatus, overlong)
        }
    }

    /// Writes one line (a JSON message and its newline) without holding the caller's thread.
    func send(_ line: Data) async throws {
        let input = self.input
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            writer.async {
                continuation.resume(with: Result { try input.write(contentsOf: line) })
            }
        }
    }

    /// Closes stdin: a well-behaved plugin exits when its input ends.
    func closeInput() {
        writer.async { [input] in try? input.close() }
    }

    var isRunning: Bool { lock.withLock { process.isRunning } }

    /// SIGTERM now if it still runs, SIGKILL after `grace` if it still runs then.
    func stop(grace: TimeInterval) {
        let pid = lock.withLock { process.isRunning ? process.processIdentifier : 0 }
        guard pid > 0 else { return }
        kill(pid, SIGTERM)
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { [weak self] in
            guard let self, self.isRunning else { return }
            kill(pid, SIGKILL)
        }
    }

    /// The executable: a path (relative to the manifest's folder when it has a slash) or a name on PATH.
    static func executable(_ manifest: ExecManifest) throws -> URL {
        let command = manifest.command
        if command.contains("/") {
            let url = command.hasPrefix("/") ? URL(fileURLWithPath: command) : manifest.folder.appendingPathComponent(command)
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw PluginError.permanent("plugin '\(manifest.manifest.id)': \(url.path) is not an executable file (from \(manifest.file.path))")
            }
            return url
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(command)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw PluginError.permanent("plugin '\(manifest.manifest.id)': '\(command)' is not on PATH (from \(manifest.file.path))")
    }

    /// A plugin that dies while we write to it must give an error, not kill MISLink with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()
}

/// Splits a stream into lines, on the calling thread (a thread of its own).
enum LineSplitter {
    /// Reads to the end; answers whether it stopped at a line over `maxLineBytes`.
    static func read(_ handle: FileHandle, maxLineBytes: Int, onLine: (Int, Data) -> Void) -> Bool {
        var buffer = Data()
        var number = 0
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            var start = buffer.startIndex
            while let newline = buffer[start...].firstIndex(of: 0x0A) {
                number += 1
                onLine(number, Data(buffer[start..<newline]))
                start = buffer.index(after: newline)
            }
            buffer.removeSubrange(buffer.startIndex..<start)
            if buffer.count > maxLineBytes { return true }
        }
        if !buffer.isEmpty { onLine(number + 1, buffer) }
        return false
    }
}
