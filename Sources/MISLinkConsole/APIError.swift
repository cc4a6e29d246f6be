import Foundation
import MISLinkHTTP
import MISLinkSync

/// An API refusal: its status, a stable code for scripts and a message for people. Answered as
/// `{"error": code, "message": "..."}`.
struct APIError: Error, Sendable {
    let status: Int
    let code: String
    let message: String

    init(_ status: Int, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The service layer's error with the status its code means.
    init(_ error: SyncError) {
        switch error.code {
        case .invalidInput: self.init(400, "invalid-input", error.message)
        case .refused: self.init(409, "refused", error.message)
        case .conflict: self.init(409, "conflict", error.message)
        case .notFound: self.init(404, "not-found", error.message)
        case .failed: self.init(500, "failed", error.message)
        }
    }

    static func badInput(_ message: String) -> APIError { APIError(400, "invalid-input", message) }

    var response: HTTPResponse {
        .json(status, ConsoleJSON.data(["error": code, "message": message]))
    }
}
