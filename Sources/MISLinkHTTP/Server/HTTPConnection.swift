import Dispatch
import Foundation
import Glibc
import MISLinkKit

/// One accepted client socket, driven by read, write and timer sources on the server's queue.
///
/// `@unchecked Sendable` because the handler's Task must hop back to it; that is safe since every
/// property is read and written only on `queue` (the Task only calls `queue.async`).
final class HTTPConnection: @unchecked Sendable {
    /// Where the connection is in its request cycle. Each case names what the timer means in it.
    private enum State {
        /// Waiting for bytes. `requestStart` is nil while idle between requests (the timer is the idle
        /// timeout) and the first byte's time once a request has begun (the timer answers 408).
        case reading(requestStart: DispatchTime?)
        /// The handler has the request; reading is paused. The timer answers 503 if it never returns.
        case handling(generation: Int, task: Task<Void, Never>?)
        /// Sending a response; `closeAfter` once it is out. The timer drops a client that stops reading.
        case writing(closeAfter: Bool)
        /// Answer sent and our side shut: read and discard until the client closes, so that the kernel
        /// does not reset the connection and lose the answer. The timer bounds the wait.
        case draining
        case closed
    }

    /// How long a closing connection reads and discards what the client still sends.
    static let lingerMilliseconds = 5_000
    private static let readChunk = 64 * 1024

    private let fd: Int32
    private let queue: DispatchQueue
    private let limits: HTTPLimits
    private let parser: HTTPRequestParser
    private let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    private let executor: DispatchTaskExecutor
    private let onClose: (HTTPConnection) -> Void

    private var state: State = .reading(requestStart: nil)
    private var input: [UInt8] = []
    private var output: [UInt8] = []
    private var outputSent = 0
    private var generation = 0
    private var continueSent = false
    private var headOnly = false
    private var deadline: DispatchTime = .distantFuture

    private let readSource: any DispatchSourceRead
    private let writeSource: any DispatchSourceWrite
    private let timer: any DispatchSourceTimer
    private var readSuspended = false
    private var writeResumed = false
    private var sourcesLeft = 2

    init(
        fd: Int32, clientAddress: String, queue: DispatchQueue, limits: HTTPLimits,
        handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse, executor: DispatchTaskExecutor,
        onClose: @escaping (HTTPConnection) -> Void
    ) {
        self.fd = fd
        self.queue = queue
        self.limits = limits
        self.parser = HTTPRequestParser(limits: limits, clientAddress: clientAddress)
        self.handler = handler
        self.executor = executor
        self.onClose = onClose
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        timer = DispatchSource.makeTimerSource(queue: queue)
    }

    /// Starts reading, with the idle timeout running. On the queue.
    func open() {
        readSource.setEventHandler { [unowned self] in readable() }
        writeSource.setEventHandler { [unowned self] in flush() }
        // The descriptor is closed only once both sources are cancelled: Dispatch may still watch it until then.
        let sourceCancelled: @Sendable () -> Void = { [self] in
            sourcesLeft -= 1
            if sourcesLeft == 0 {
                Glibc.close(fd)
                onClose(self)
            }
        }
        readSource.setCancelHandler(handler: sourceCancelled)
        writeSource.setCancelHandler(handler: sourceCancelled)
        timer.setEventHandler { [unowned self] in timerFired() }
        timer.schedule(deadline: .distantFuture)
        timer.resume()
        readSource.resume()
        arm(milliseconds: limits.idleTimeoutMilliseconds)
    }

    /// Shuts the socket at once (the peer sees the end now) and releases it. Idempotent. On the queue.
    func close() {
        if case .closed = state { return }
        if case .handling(_, let task) = state { task?.cancel() }
        state = .closed
        shutdown(fd, Int32(SHUT_RDWR))
        timer.cancel()
        // A suspended source never runs its cancel handler: resume it after cancelling.
        readSource.cancel()
        if readSuspended { readSource.resume() }
        writeSource.cancel()
        if !writeResumed { writeSource.resume() }
    }

    // MARK: - Reading

    private func readable() {
        var chunk = [UInt8](repeating: 0, count: Self.readChunk)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
            return close()
        }
        if count == 0 { return close() }
        switch state {
        case .draining:
            return
        case .reading(let requestStart):
            input.append(contentsOf: chunk[0..<count])
            if requestStart == nil { beginRequest() }
            process()
        default:
            return
        }
    }

    /// The first byte of a request has arrived: from now it has the request timeout to be complete.
    private func beginRequest() {
        state = .reading(requestStart: .now())
        continueSent = false
        arm(milliseconds: limits.requestTimeoutMilliseconds)
    }

    private func process() {
        switch parser.parse(input) {
        case .incomplete(let expectsContinue):
            if expectsContinue && !continueSent {
                continueSent = true
                // Small enough for any socket buffer; if it does not go, the client sends its body anyway.
                let line = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        case .refused(let status, let reason):
            input.removeAll()
            respond(.text(status, reason + "\n"), headOnly: false, closeAfter: true)
        case .request(let parsed, let consumed):
            input.removeFirst(consumed)
            handle(parsed)
        }
    }

    // MARK: - Handling

    private func handle(_ parsed: ParsedRequest) {
        generation += 1
        let current = generation
        headOnly = parsed.request.method == "HEAD"
        pauseReading()
        state = .handling(generation: current, task: nil)
        arm(milliseconds: limits.requestTimeoutMilliseconds)
        let handler = handler, queue = queue, request = parsed.request, keepAlive = parsed.keepAlive
        let task = Task(executorPreference: executor) { [self] in
            let response = await handler(request)
            queue.async { self.finish(response, generation: current, keepAlive: keepAlive) }
        }
        if case .handling(current, nil) = state { state = .handling(generation: current, task: task) }
    }

    private func finish(_ response: HTTPResponse, generation answered: Int, keepAlive: Bool) {
        // A late answer to a request already timed out, or to a closed connection, is dropped.
        guard case .handling(let current, _) = state, current == answered else { return }
        let handlerCloses = response.headers.values("Connection").contains { $0.lowercased().contains("close") }
        respond(response, headOnly: headOnly, closeAfter: !keepAlive || handlerCloses)
    }

    // MARK: - Writing

    private func respond(_ response: HTTPResponse, headOnly: Bool, closeAfter: Bool) {
        pauseReading()
        output = HTTPResponseSerializer.serialize(response, headOnly: headOnly, keepAlive: !closeAfter)
        outputSent = 0
        state = .writing(closeAfter: closeAfter)
        arm(milliseconds: limits.requestTimeoutMilliseconds)
        flush()
    }

    private func flush() {
        guard case .writing(let closeAfter) = state else { return pauseWriting() }
        while outputSent < output.count {
            let count = output.withUnsafeBytes {
                send(fd, $0.baseAddress! + outputSent, $0.count - outputSent, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    if !writeResumed {
                        writeResumed = true
                        writeSource.resume()
                    }
                    return
                }
                return close()
            }
            outputSent += count
            // The write limit is on a client that stops reading, not on a large answer still moving.
            arm(milliseconds: limits.requestTimeoutMilliseconds)
        }
        pauseWriting()
        output = []
        if closeAfter { return startDraining() }
        state = .reading(requestStart: nil)
        resumeReading()
        if input.isEmpty {
            arm(milliseconds: limits.idleTimeoutMilliseconds)
        } else {
            // A pipelined request already arrived behind the last one.
            beginRequest()
            process()
        }
    }

    private func startDraining() {
        state = .draining
        input = []
        shutdown(fd, Int32(SHUT_WR))
        resumeReading()
        arm(milliseconds: Self.lingerMilliseconds)
    }

    // MARK: - Sources and the timer

    private func pauseReading() {
        if !readSuspended {
            readSuspended = true
            readSource.suspend()
        }
    }

    private func resumeReading() {
        if readSuspended {
            readSuspended = false
            readSource.resume()
        }
    }

    private func pauseWriting() {
        if writeResumed {
            writeResumed = false
            writeSource.suspend()
        }
    }

    private func arm(milliseconds: Int) {
        deadline = .now() + .milliseconds(milliseconds)
        timer.schedule(deadline: deadline)
    }

    private func timerFired() {
        // A firing queued before the deadline moved is stale; wait for the new one.
        guard DispatchTime.now() >= deadline else {
            timer.schedule(deadline: deadline)
            return
        }
        switch state {
        case .reading(nil), .writing, .draining:
            close()
        case .reading(.some):
            input.removeAll()
            respond(.text(408, "the request was not complete in time\n"), headOnly: false, closeAfter: true)
        case .handling(_, let task):
            task?.cancel()
            respond(.text(503, "the request took too long to answer\n"), headOnly: headOnly, closeAfter: true)
        case .closed:
            return
        }
    }
}
