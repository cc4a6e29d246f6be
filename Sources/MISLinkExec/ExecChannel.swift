import Foundation
import MISLinkKit
import Synchronization

/// One plugin process for one job: started at the first call, spoken to in JSON lines, stopped when
/// the job lets go of it. Answers are routed to their calls by id; log and progress lines go to the
/// context of the latest call. Anything the process does wrong (garbage, silence past the call
/// timeout, dying mid-stream) fails every call in flight with a message naming the plugin, the line
/// and what was expected, and stops the process: nothing waits forever.
final class ExecChannel: Sendable {
    let exec: ExecManifest
    private let config: [String: String]
    private let secrets: [String: String]
    private let scrubber = SecretScrubber()
    private let state = Mutex(State())
    /// How long a plugin has to go after a cancel or shutdown message before SIGTERM, and again before SIGKILL.
    let grace: TimeInterval

    enum Incoming: Sendable {
        case record(Data, line: Int)
        case result(Data, line: Int)
        case done(count: Int?, line: Int)
    }

    private struct Pending {
        let method: String
        let continuation: AsyncThrowingStream<Incoming, any Error>.Continuation
        var lastHeard: UInt64
    }

    private struct State {
        var process: PluginProcess?
        var starting: Task<Void, any Error>?
        var broken: PluginError?
        var nextID = 1
        var pending: [Int: Pending] = [:]
        var context = PluginContext.silent
        var lastLine = 0
        var stderrLines = 0
        var stderrTail: [String] = []
        var finished = false
    }

    /// `config` is the integration's whole configuration: only the keys the manifest names go over.
    init(_ exec: ExecManifest, config: PluginConfig, grace: TimeInterval = 2) {
        self.exec = exec
        self.grace = grace
        var values: [String: String] = [:]
        var secrets: [String: String] = [:]
        for key in exec.manifest.configKeys {
            guard let value = config[key.name] else { continue }
            if key.secret { secrets[key.name] = value } else { values[key.name] = value }
        }
        self.config = values
        self.secrets = secrets
        scrubber.add(Array(secrets.values))
    }

    var id: String { exec.manifest.id }

    // MARK: Calls

    /// Streams a call's records into `each`; answers how many there were.
    @discardableResult
    func stream<Record: Decodable & Sendable>(
        _ method: String, params: some Encodable, context: PluginContext, each: (Record) throws -> Void
    ) async throws -> Int {
        var count = 0
        try await exchange(method, params: params, context: context) { message in
            switch message {
            case .record(let data, let line):
                try each(self.decode(RecordLine<Record>.self, data, line: line, method: method).record)
                count += 1
            case .done(let promised, let line):
                if let promised, promised != count {
                    throw self.fail(
                        "line \(line): the done message of \(method) says \(promised) records, but \(count) came; the read was abandoned")
                }
                return true
            case .result(_, let line):
                throw self.fail("line \(line): \(method) streams records ended by a done message, but a result came")
            }
            return false
        }
        return count
    }

    /// Streams a call's records into `batch`, `batchSize` at a time, each made by `make` from its
    /// wire form: only one batch is held, however many records the plugin writes.
    func stream<Wire: Decodable & Sendable, Record>(
        _ method: String, params: some Encodable, context: PluginContext, batch: ([Record]) throws -> Void,
        _ make: (Wire) -> Record
    ) async throws {
        var records: [Record] = []
        records.reserveCapacity(Self.batchSize)
        try await stream(method, params: params, context: context) { (wire: Wire) in
            records.append(make(wire))
            if records.count == Self.batchSize {
                try batch(records)
                records.removeAll(keepingCapacity: true)
            }
        }
        if !records.isEmpty { try batch(records) }
    }

    /// Records handed over at once by the batched `stream`.
    static let batchSize = 1000

    /// A call with one result.
    func request<Result: Decodable & Sendable>(
        _ method: String, params: some Encodable, context: PluginContext, as type: Result.Type
    ) async throws -> Result {
        var result: Result?
        try await exchange(method, params: params, context: context) { message in
            switch message {
            case .result(let data, let line):
                result = try self.decode(ResultLine<Result>.self, data, line: line, method: method).result
            case .record(_, let line), .done(_, let line):
                throw self.fail("line \(line): \(method) answers with one result message, but a record or done came")
            }
            return true
        }
        guard let result else { throw fail("\(method) ended without a result") }
        return result
    }

    /// A call whose result carries nothing (`"result": null` or any value).
    func perform(_ method: String, params: some Encodable, context: PluginContext) async throws {
        _ = try await request(method, params: params, context: context, as: Ignored.self)
    }

    private struct Ignored: Decodable, Sendable {
        init(from decoder: any Decoder) throws {}
    }

    /// Sends the call and hands each answer to `handle` until it says the call is over.
    private func exchange(
        _ method: String, params: some Encodable, context: PluginContext, handle: (Incoming) throws -> Bool
    ) async throws {
        try context.checkCancellation()
        try await ready(context)
        let (stream, continuation) = AsyncThrowingStream<Incoming, any Error>.makeStream()
        let notRunning = PluginError.permanent("plugin '\(self.id)' is not running")
        let (id, process) = try state.withLock { state -> (Int, PluginProcess) in
            if let broken = state.broken { throw broken }
            guard let process = state.process else { throw notRunning }
            let call = state.nextID
            state.nextID += 1
            state.pending[call] = Pending(method: method, continuation: continuation, lastHeard: Self.now())
            state.context = context
            return (call, process)
        }
        defer { _ = state.withLock { $0.pending.removeValue(forKey: id) } }
        try await send(ExecOutgoing.Call(id: id, method: method, params: params), to: process)
        try await withTaskCancellationHandler {
            for try await message in stream {
                if try handle(message) { return }
            }
            try Task.checkCancellation()
            throw fail("call \(method) (\(id)) ended without an answer")
        } onCancel: {
            self.cancel(id)
        }
    }

    private func send(_ message: some Encodable, to process: PluginProcess) async throws {
        do {
            try await process.send(try ExecOutgoing.line(message))
        } catch {
            if let broken = state.withLock({ $0.broken }) { throw broken }
            throw fail("cannot write to the plugin's stdin (\(error.localizedDescription)); it has probably exited")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, line: Int, method: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw fail("line \(line) (\(method)): \(Self.describe(error))")
        }
    }

    // MARK: Start, handshake, stop

    private func ready(_ context: PluginContext) async throws {
        let task = state.withLock { state in
            if let task = state.starting { return task }
            state.context = context
            let task = Task { try await self.start() }
            state.starting = task
            return task
        }
        try await task.value
    }

    /// Starts the process and shakes hands: our protocol version, config and secrets over stdin;
    /// its manifest back.
    private func start() async throws {
        let process = try PluginProcess(
            exec, onLine: { [weak self] number, line in self?.received(line, number: number) },
            onStderr: { [weak self] line in self?.stderr(line) },
            onExit: { [weak self] status, overlong in self?.exited(status: status, overlong: overlong) })
        let (stream, continuation) = AsyncThrowingStream<Incoming, any Error>.makeStream()
        state.withLock { state in
            state.process = process
            state.pending[0] = Pending(method: "hello", continuation: continuation, lastHeard: Self.now())
        }
        defer { _ = state.withLock { $0.pending.removeValue(forKey: 0) } }
        startWatchdog()
        try await send(
            ExecOutgoing.Hello(
                protocol: ExecProtocol.version.description, plugin: id, role: exec.manifest.role.rawValue, config: config,
                secrets: secrets),
            to: process)
        var answer: (Data, Int)?
        for try await message in stream {
            if case .result(let data, let line) = message { answer = (data, line) }
            break
        }
        guard let (data, line) = answer else { throw fail("the process ended before it answered the hello message") }
        let hello = try decode(ExecEnvelope.self, data, line: line, method: "hello")
        guard let text = hello.protocol, let version = ProtocolVersion(text) else {
            throw fail("line \(line): the hello answer must carry \"protocol\": \"\(ExecProtocol.version)\"")
        }
        guard version.major == ExecProtocol.version.major else {
            throw fail(
                "line \(line): it speaks plugin protocol \(version), but MISLink speaks \(ExecProtocol.version) (major versions differ); it was stopped")
        }
        if let other = hello.manifest?.id, other != id {
            throw fail("line \(line): it says it is '\(other)', but its manifest (\(exec.file.path)) says '\(id)'")
        }
        if let role = hello.manifest?.role, role != exec.manifest.role.rawValue {
            throw fail("line \(line): it says it is a \(role), but its manifest says \(exec.manifest.role.rawValue)")
        }
    }

    /// The job is done with the plugin: ask it to exit, then make sure it does.
    func shutdown() {
        let process = state.withLock { state -> PluginProcess? in
            state.finished = true
            return state.process
        }
        guard let process else { return }
        let grace = self.grace
        Task {
            try? await process.send(try ExecOutgoing.line(ExecOutgoing.Shutdown()))
            process.closeInput()
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            if process.isRunning { process.stop(grace: grace) }
        }
    }

    /// A call was cancelled (job cancelled, timed out, worker stopping): tell the plugin, then stop
    /// it if it has not gone within the grace period. The channel is done.
    private func cancel(_ id: Int) {
        let error = PluginError.retryable("plugin '\(self.id)': the call was cancelled")
        let (process, pending) = state.withLock { state -> (PluginProcess?, Pending?) in
            if state.broken == nil { state.broken = error }
            return (state.process, state.pending.removeValue(forKey: id))
        }
        pending?.continuation.finish(throwing: CancellationError())
        guard let process else { return }
        let grace = self.grace
        Task { try? await process.send(try ExecOutgoing.line(ExecOutgoing.Cancel(id: id))) }
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
            if process.isRunning { process.stop(grace: grace) }
        }
    }

    // MARK: What the process sends

    private func received(_ line: Data, number: Int) {
        let context = state.withLock { state in
            state.lastLine = number
            return state.context
        }
        guard let envelope = try? JSONDecoder().decode(ExecEnvelope.self, from: line) else {
            breakDown(fail("line \(number): expected a JSON message with a \"type\", got '\(excerpt(line))'"))
            return
        }
        switch envelope.type {
        case "log":
            let level = envelope.level.flatMap(LogLevel.init(rawValue:)) ?? .info
            context.log(level, scrubber.scrub("plugin '\(id)': \(envelope.message ?? "")"))
        case "progress":
            context.report(.init(done: envelope.done ?? 0, total: envelope.total, message: envelope.message.map(scrubber.scrub)))
        case "hello":
            deliver(0, .result(line, line: number), line: number)
        case "record":
            deliver(envelope.id, .record(line, line: number), line: number)
        case "result":
            deliver(envelope.id, .result(line, line: number), line: number)
        case "done":
            deliver(envelope.id, .done(count: envelope.count, line: number), line: number)
        case "error":
            let error = pluginError(envelope)
            if let id = envelope.id, id > 0 {
                let pending = state.withLock { $0.pending[id] }
                pending?.continuation.finish(throwing: error)
            } else {
                breakDown(error)
            }
        default:
            breakDown(
                fail("line \(number): unknown message type '\(envelope.type)' (expected \(ExecEnvelope.types.joined(separator: ", ")))"))
        }
    }

    private func deliver(_ id: Int?, _ message: Incoming, line: Int) {
        guard let id else {
            breakDown(fail("line \(line): the message has no \"id\"; answers carry the id of their call"))
            return
        }
        let (pending, known) = state.withLock { state -> (Pending?, Bool) in
            state.pending[id]?.lastHeard = Self.now()
            return (state.pending[id], id < state.nextID)
        }
        if let pending {
            pending.continuation.yield(message)
        } else if !known {
            breakDown(fail("line \(line): an answer to call \(id), which MISLink never made"))
        }
        // Otherwise: a late answer to a call already given up (cancelled): dropped.
    }

    /// The plugin's own error, as it chose its disposition.
    private func pluginError(_ envelope: ExecEnvelope) -> PluginError {
        let message = "plugin '\(id)': " + scrubber.scrub(envelope.message ?? "failed (no message)")
        switch envelope.disposition {
        case "permanent": return .permanent(message)
        case "snooze":
            if let text = envelope.until, let until = ISO8601DateFormatter().date(from: text) { return .snooze(until: until, message) }
            return .retryable(message + " (snooze without a valid \"until\")")
        default: return .retryable(message)
        }
    }

    private func stderr(_ line: String) {
        let (context, show) = state.withLock { state -> (PluginContext, Bool?) in
            state.stderrLines += 1
            state.stderrTail = Array((state.stderrTail + [line]).suffix(5))
            if state.stderrLines <= 200 { return (state.context, true) }
            return (state.context, state.stderrLines == 201 ? false : nil)
        }
        switch show {
        case true?: context.log(.info, scrubber.scrub("plugin '\(id)' stderr: \(line.prefix(2000))"))
        case false?: context.log(.warning, "plugin '\(id)' stderr: more than 200 lines; the rest is not kept")
        case nil: break
        }
    }

    private func exited(status: Int32, overlong: Bool) {
        let (finished, lastLine, tail, waiting) = state.withLock { state in
            (state.finished, state.lastLine, state.stderrTail, state.pending.filter { $0.key > 0 }.min { $0.key < $1.key })
        }
        if overlong {
            breakDown(fail("line \(lastLine + 1) is longer than \(PluginProcess.maxLineBytes >> 20) MiB; it was stopped"))
            return
        }
        let last = tail.isEmpty ? "" : "; its last stderr lines: " + tail.joined(separator: " | ")
        if let waiting {
            breakDown(
                fail(
                    "exited with status \(status) after line \(lastLine), while MISLink waited for the answer to \(waiting.value.method) (call \(waiting.key))\(last)"
                ))
        } else if !finished {
            breakDown(fail("exited with status \(status) after line \(lastLine)\(last)"))
        } else {
            breakDown(PluginError.permanent("plugin '\(id)' has finished"))
        }
    }

    /// The channel cannot go on: every call in flight fails with `error`, and the process is stopped.
    private func breakDown(_ error: PluginError) {
        let (pending, process) = state.withLock { state -> ([Pending], PluginProcess?) in
            if state.broken == nil { state.broken = error }
            let pending = Array(state.pending.values)
            return (pending, state.process)
        }
        let reason = state.withLock { $0.broken } ?? error
        for call in pending { call.continuation.finish(throwing: reason) }
        process?.stop(grace: grace)
    }

    /// Fails any call that has heard nothing for the manifest's call timeout.
    private func startWatchdog() {
        let (callTimeout, startTimeout) = (exec.callTimeout, exec.startTimeout)
        let tick = min(1.0, callTimeout / 4)
        Task { [weak self] in
            while let self, self.state.withLock({ $0.broken == nil }) {
                try? await Task.sleep(for: .seconds(tick))
                let now = Self.now()
                let hung = self.state.withLock { state in
                    // The reader may have heard from the plugin since `now` was read: that call is not hung.
                    state.pending.first { now > $0.value.lastHeard && now - $0.value.lastHeard > UInt64(($0.key == 0 ? startTimeout : callTimeout) * 1e9) }
                }
                if let (id, call) = hung {
                    let waited = Int(id == 0 ? startTimeout : callTimeout)
                    let what = id == 0 ? "its answer to the hello message" : "\(call.method) (call \(id))"
                    self.breakDown(self.fail("sent nothing for \(waited) s while MISLink waited for \(what); it was stopped"))
                }
            }
        }
    }

    // MARK: Messages

    /// A permanent error naming the plugin, scrubbed of its secrets.
    private func fail(_ message: String) -> PluginError {
        .permanent(scrubber.scrub("plugin '\(id)': \(message)"))
    }

    private func excerpt(_ line: Data) -> String {
        let text = String(decoding: line.prefix(120), as: UTF8.self)
        return scrubber.scrub(line.count > 120 ? text + "…" : text)
    }

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context): return "field '\(path(context.codingPath + [key]))' is missing"
        case .typeMismatch(_, let context): return "field '\(path(context.codingPath))' has the wrong type"
        case .valueNotFound(_, let context): return "field '\(path(context.codingPath))' is null"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "field '\(path(context.codingPath))': \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
