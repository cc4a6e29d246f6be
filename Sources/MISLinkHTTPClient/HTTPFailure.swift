import Foundation
import MISLinkKit

/// How a status the caller did not accept becomes a `PluginError`: the rules the issue sets, in one
/// place, so every HTTP plugin fails the same way.
enum HTTPFailure {
    /// nil for a success (2xx).
    static func classify(
        status: Int, headers: (String) -> String?, body: Data, label: RequestLabel, now: Date = Date(), scrub: (String) -> String
    ) -> PluginError? {
        switch status {
        case 200..<300:
            return nil
        case 401, 403:
            return .permanent(label.credentialsRefused(status: status))
        case 429, 503:
            if let value = headers("Retry-After"), let until = RetryAfter.date(from: value, now: now) {
                let wait = max(0, Int(until.timeIntervalSince(now).rounded(.up)))
                return .snooze(until: until, "\(label.message(status)): asked to wait \(wait) s (Retry-After)")
            }
            return .retryable("\(label.message(status))\(excerpt(body, scrub: scrub))")
        case 408, 500..<600:
            return .retryable("\(label.message(status))\(excerpt(body, scrub: scrub))")
        case 300..<400:
            let location = headers("Location").map { " to \(scrub(RequestLabel.withoutQuery($0)))" } ?? ""
            return .permanent(
                "\(label.message(status)): redirected\(location); redirects are not followed, so check the configured URL or domain")
        default:
            return .permanent("\(label.message(status))\(excerpt(body, scrub: scrub))")
        }
    }

    /// The start of an error body, on one line and scrubbed: what the remote said, not all of it.
    static func excerpt(_ body: Data, scrub: (String) -> String) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return "" }
        let short = text.count > 200 ? String(text.prefix(200)) + "…" : text
        return ": " + scrub(short)
    }

    /// `30`, `0.3`: whole seconds without a decimal point.
    static func seconds(_ value: TimeInterval) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    /// A transport failure (no status): timeouts and unreachable hosts are worth another attempt.
    static func transport(_ error: any Error, label: RequestLabel, timeout: TimeInterval, scrub: (String) -> String) -> any Error {
        if error is CancellationError { return error }
        guard let urlError = error as? URLError else {
            return PluginError.retryable("\(label.text) failed: \(scrub(String(describing: error)))")
        }
        switch urlError.code {
        case .cancelled:
            return CancellationError()
        case .timedOut:
            return PluginError.retryable("\(label.text): no answer within \(seconds(timeout)) s")
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .networkConnectionLost, .notConnectedToInternet:
            return PluginError.retryable("\(label.text): could not reach \(label.hostAndPort) (\(scrub(urlError.localizedDescription)))")
        default:
            return PluginError.retryable("\(label.text) failed: \(scrub(urlError.localizedDescription))")
        }
    }
}
