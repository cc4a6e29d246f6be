import Dispatch
import Glibc
import MISLinkKit

/// Accepts connections on the listening socket and keeps the open ones, all on one serial queue.
///
/// `@unchecked Sendable`: `HTTPServer` (Sendable) holds it, and every mutable property is touched only
/// on `queue`; `stop()` hops there with `sync` (or runs inline when already on it).
final class HTTPListener: @unchecked Sendable {
    private let listenFD: Int32
    private let limits: HTTPLimits
    private let handler: @Sendable (HTTPRequest) async -> HTTPResponse
    private let queue = DispatchQueue(label: "mislink.http.server")
    private let executor = DispatchTaskExecutor(label: "mislink.http.handlers")
    private let queueKey = DispatchSpecificKey<Bool>()
    /// Entered for every descriptor we own, left when it is closed: `stop()` waits on it.
    private let openDescriptors = DispatchGroup()

    private var acceptSource: (any DispatchSourceRead)?
    private var acceptPaused = false
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var started = false
    private var stopped = false

    init(listenFD: Int32, limits: HTTPLimits, handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) {
        self.listenFD = listenFD
        self.limits = limits
        self.handler = handler
        queue.setSpecific(key: queueKey, value: true)
        openDescriptors.enter()
    }

    func start() {
        queue.async { [self] in
            guard !started, !stopped else { return }
            started = true
            let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
            source.setEventHandler { [unowned self] in acceptAll() }
            source.setCancelHandler { [self] in
                Glibc.close(listenFD)
                openDescriptors.leave()
            }
            acceptSource = source
            source.resume()
        }
    }

    /// Closes the listener and every connection, and returns once their descriptors are closed.
    func stop() {
        if DispatchQueue.getSpecific(key: queueKey) == true {
            beginStop()
        } else {
            queue.sync { beginStop() }
            // Cancel handlers run on the queue after this; bounded so a stuck close never hangs a caller.
            _ = openDescriptors.wait(timeout: .now() + 10)
        }
    }

    private func beginStop() {
        guard !stopped else { return }
        stopped = true
        if let acceptSource {
            acceptSource.cancel()
            if acceptPaused { acceptSource.resume() }
        } else {
            Glibc.close(listenFD)
            openDescriptors.leave()
        }
        for connection in connections.values { connection.close() }
    }

    private func acceptAll() {
        while !stopped {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept(listenFD, $0, &length)
                }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: pauseAccepting()
                default: break
                }
                return
            }
            // accept4 is not visible from Swift's Glibc: set the flags by hand.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            guard connections.count < limits.maxConnections else {
                refuseOverCapacity(fd)
                continue
            }
            let connection = HTTPConnection(
                fd: fd, clientAddress: ListeningSocket.endpoint(of: storage).ip, queue: queue, limits: limits,
                handler: handler, executor: executor
            ) { [self] closed in
                connections[ObjectIdentifier(closed)] = nil
                openDescriptors.leave()
            }
            openDescriptors.enter()
            connections[ObjectIdentifier(connection)] = connection
            connection.open()
        }
    }

    /// Too many open connections: a short 503 into the empty send buffer, and closed at once.
    private func refuseOverCapacity(_ fd: Int32) {
        let answer = HTTPResponseSerializer.serialize(
            .text(503, "too many connections; try again shortly\n"), headOnly: false, keepAlive: false)
        _ = answer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        // Unread bytes at close make the kernel reset the connection, which can lose the 503: take
        // what has already arrived (the socket is non-blocking, so this never waits).
        var scratch = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<4 where scratch.withUnsafeMutableBytes({ recv(fd, $0.baseAddress, $0.count, 0) }) > 0 {}
        Glibc.close(fd)
    }

    /// Out of descriptors: the listener would fire again at once, so wait a moment for some to free up.
    private func pauseAccepting() {
        guard let acceptSource, !acceptPaused else { return }
        acceptPaused = true
        acceptSource.suspend()
        queue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            guard acceptPaused, !stopped else { return }
            acceptPaused = false
            self.acceptSource?.resume()
        }
    }
}
