import Foundation
import MISLinkKit

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The one HTTP client plugins use: a base URL, headers for every request (credentials), timeouts,
/// and every failure classified into a `PluginError` the runner knows how to treat.
///
/// Secrets given to it are scrubbed from every message and log line it makes; headers are never
/// logged, and secret-looking query values are logged as `(redacted)`.
public struct HTTPClient: Sendable {
    /// Names the remote in messages: "credentials refused by Wonde …".
    public let service: String
    /// Always ends in `/`, so relative targets land under it.
    public let baseURL: URL
    public let timeout: TimeInterval
    let headers: [String: String]
    let scrubber: SecretScrubber
    let maxBodyBytes: Int
    /// Shared by every client with this timeout (see URLSessionTransport.shared).
    let transport: URLSessionTransport

    public init(
        service: String, baseURL: URL, headers: [String: String] = [:], secrets: [String] = [], timeout: TimeInterval = 30,
        maxBodyBytes: Int = 64 << 20
    ) {
        self.service = service
        let text = baseURL.absoluteString
        self.baseURL = text.hasSuffix("/") ? baseURL : URL(string: text + "/") ?? baseURL
        self.headers = headers
        self.timeout = timeout
        self.maxBodyBytes = maxBodyBytes
        scrubber = SecretScrubber()
        scrubber.add(secrets)
        transport = URLSessionTransport.shared(timeout: timeout)
    }

    /// Sends the request. Statuses in `request.accept` come back as responses; every other failure
    /// throws (see `HTTPFailure` for the rules), and cancellation throws `CancellationError`.
    public func send(_ request: HTTPRequest, context: PluginContext) async throws -> HTTPResponse {
        try context.checkCancellation()
        let url = try resolve(request)
        let label = RequestLabel(service: service, method: request.method, url: url)
        let wait = request.timeout ?? timeout
        var urlRequest = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: wait)
        urlRequest.httpMethod = request.method.rawValue
        urlRequest.setValue("application/json", forHTTPHeaderField: "Accept")
        for (name, value) in headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body

        let started = DispatchTime.now().uptimeNanoseconds
        let data: Data
        let answer: HTTPURLResponse
        do {
            (data, answer) = try await transportForThisTask.data(for: urlRequest)
        } catch {
            context.log(.debug, scrubber.scrub("\(service): \(request.method.rawValue) \(label.loggedTarget) failed"))
            throw HTTPFailure.transport(error, label: label, timeout: wait, scrub: scrubber.scrub)
        }
        let millis = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        context.log(
            .debug,
            scrubber.scrub(
                "\(service): \(request.method.rawValue) \(label.loggedTarget) → \(answer.statusCode) in \(millis) ms (\(ByteCountText.text(data.count)))"))
        guard data.count <= maxBodyBytes else {
            throw PluginError.permanent("\(label.text): the answer is \(ByteCountText.text(data.count)), more than the \(ByteCountText.text(maxBodyBytes)) allowed")
        }
        var fields: [String: String] = [:]
        for case (let name as String, let value as String) in answer.allHeaderFields { fields[name] = value }
        let response = HTTPResponse(status: answer.statusCode, headers: fields, body: data, url: url, label: label.text)
        if request.accept.contains(answer.statusCode) { return response }
        if let failure = HTTPFailure.classify(
            status: answer.statusCode, headers: response.header, body: data, label: label, scrub: scrubber.scrub)
        {
            throw failure
        }
        return response
    }

    /// The shared session, or for a task of high priority (the worker's urgent jobs) the urgent one.
    var transportForThisTask: URLSessionTransport {
        Task.currentPriority >= .high ? URLSessionTransport.shared(timeout: timeout, urgent: true) : transport
    }

    /// GETs and decodes.
    public func get<T: Decodable>(
        _ target: String, query: [(String, String)] = [], as type: T.Type, decoder: JSONDecoder = JSONDecoder(),
        context: PluginContext
    ) async throws -> T {
        try await send(HTTPRequest(.get, target, query: query), context: context).decode(T.self, decoder: decoder)
    }

    /// `Basic base64(user:password)`, for an Authorization header.
    public static func basicAuthorization(user: String, password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    /// The request's full URL. An absolute target must be on the base URL's origin: a `next` link
    /// pointing elsewhere would otherwise carry our credentials to whoever wrote it.
    func resolve(_ request: HTTPRequest) throws -> URL {
        let target = request.target
        let absolute = target.hasPrefix("http://") || target.hasPrefix("https://")
        let relative = target.hasPrefix("/") ? String(target.drop { $0 == "/" }) : target
        guard let url = absolute ? URL(string: target) : URL(string: relative, relativeTo: baseURL)?.absoluteURL,
            var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        else {
            throw PluginError.permanent("\(service): '\(scrubber.scrub(RequestLabel.withoutQuery(target)))' is not a valid URL")
        }
        if absolute && !Self.sameOrigin(url, baseURL) {
            throw PluginError.permanent(
                "\(service): refusing to follow a link to \(url.host ?? "?"), which is not \(baseURL.host ?? "?"): credentials stay with the configured host")
        }
        if !request.query.isEmpty {
            let added = request.query.map { FormEncoding.encode($0.0) + "=" + FormEncoding.encode($0.1) }.joined(separator: "&")
            components.percentEncodedQuery = [components.percentEncodedQuery, added].compactMap { $0 }.filter { !$0.isEmpty }
                .joined(separator: "&")
        }
        guard let final = components.url else {
            throw PluginError.permanent("\(service): '\(scrubber.scrub(RequestLabel.withoutQuery(target)))' is not a valid URL")
        }
        return final
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        func port(_ url: URL) -> Int? { url.port ?? (url.scheme == "https" ? 443 : url.scheme == "http" ? 80 : nil) }
        return a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && port(a) == port(b)
    }
}

/// Sizes in log lines: bytes, KB or MB.
enum ByteCountText {
    static func text(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\(bytes / 1024) KB" }
        return String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
