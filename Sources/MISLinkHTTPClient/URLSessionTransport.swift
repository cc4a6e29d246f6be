import Foundation
import MISLinkKit
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Owns a URLSession: no cookies, no cache, redirects handed back rather than followed (so a
/// credential never follows a redirect to another host). Waits hold no thread: URLSession's own
/// loop does the I/O, and the calling task is resumed when the answer is in.
///
/// One per timeout for the whole process (`shared(timeout:)`), never one per client: every job
/// makes its plugin, and so its client, afresh, and a session of its own each time cost a curl
/// multi handle, new TCP connections and their teardown, which on Linux was most of a write-back's
/// CPU. Shared, a vendor's hundreds of schools on one host reuse kept-alive connections. The
/// session holds no credentials: each request carries its own headers.
final class URLSessionTransport: Sendable {
    private let session: URLSession

    private struct Key: Hashable {
        let timeout: TimeInterval
        let urgent: Bool
    }

    private static let sessions = Mutex<[Key: URLSessionTransport]>([:])

    /// Connections kept to one host: enough for a worker's slots all waiting on one vendor's API.
    static let connectionsPerHost = 32

    /// `urgent` (a task of high priority: a write-back) gets a session of its own, so that its
    /// requests are not queued in one session's loop behind dozens of imports' page transfers.
    static func shared(timeout: TimeInterval, urgent: Bool = false) -> URLSessionTransport {
        sessions.withLock { sessions in
            let key = Key(timeout: timeout, urgent: urgent)
            if let existing = sessions[key] { return existing }
            let made = URLSessionTransport(timeout: timeout)
            sessions[key] = made
            return made
        }
    }

    private init(timeout: TimeInterval) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        configuration.urlCredentialStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.httpMaximumConnectionsPerHost = Self.connectionsPerHost
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    func data(for request: URLRequest) async throws -> (Data, HTTPURLResponse) {
        let pending = PendingTask()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, HTTPURLResponse), any Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let response = response as? HTTPURLResponse {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(throwing: URLError(.badServerResponse))
                    }
                }
                pending.start(task)
            }
        } onCancel: {
            pending.cancel()
        }
    }
}

/// The task in flight, so that cancelling the Swift task cancels the transfer, even when the cancel
/// comes before the transfer has started.
private final class PendingTask: Sendable {
    private let state = Mutex<(task: URLSessionDataTask?, cancelled: Bool)>((nil, false))

    func start(_ task: URLSessionDataTask) {
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        // Resumed either way, so that the completion handler runs (with "cancelled") and the caller returns.
        task.resume()
        if cancelled { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        task?.cancel()
    }
}

/// Hands a redirect back as the 3xx response it is.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
