import Foundation
import MISLinkHTTP
import MISLinkQueue
import MISLinkSync

/// The JSON API under `/api/`: the same lists and actions as the command line's `--json`, through
/// the same service calls. Every refusal is `{"error": code, "message": "..."}`. Each resource has
/// its own file (`Console+JobsAPI`, `Console+IntegrationsAPI`, `Console+IntakeAPI`, `Console+PlansAPI`); this one routes
/// and holds what they share.
extension Console {
    func api(_ request: HTTPRequest) async -> HTTPResponse {
        let segments = request.path.split(separator: "/").dropFirst().map(String.init)
        switch segments.first {
        case "jobs": return await jobsAPI(request, Array(segments.dropFirst()))
        case "integrations": return await integrationsAPI(request, Array(segments.dropFirst()))
        case "intake": return await intakeAPI(request, Array(segments.dropFirst()))
        case "plans": return await plansAPI(request, Array(segments.dropFirst()))
        case "queues": return await queuesAPI(request, Array(segments.dropFirst()))
        case "workers": return await workersAPI(request, Array(segments.dropFirst()))
        default: return Self.notFound(request)
        }
    }

    static func notFound(_ request: HTTPRequest) -> HTTPResponse {
        APIError(404, "not-found", "there is no API at \(request.path)").response
    }

    /// Runs a service call off the cooperative pool and answers its JSON, or its error.
    func answer(_ body: @escaping @Sendable () throws -> (Int, Any)) async -> HTTPResponse {
        let outcome: Result<(Int, Data), APIError> = await BlockingWork.run {
            do {
                let (status, value) = try body()
                return .success((status, ConsoleJSON.data(value)))
            } catch let error as APIError {
                return .failure(error)
            } catch let error as SyncError {
                return .failure(APIError(error))
            } catch {
                return .failure(APIError(500, "failed", OneLine.text("\(error)")))
            }
        }
        switch outcome {
        case .success(let (status, data)): return .json(status, data)
        case .failure(let error): return error.response
        }
    }

    // MARK: - Parameters

    /// A mistyped parameter must not be ignored: a "retry all" with `integraton=x` would retry all.
    static func expectOnly(_ names: Set<String>, in request: HTTPRequest) throws {
        if let unknown = request.query.keys.sorted().first(where: { !names.contains($0) }) {
            throw APIError.badInput(
                "unknown parameter '\(unknown)' for \(request.path) (known: \(names.sorted().joined(separator: ", ")))")
        }
    }

    static func integer(_ name: String, in request: HTTPRequest, range: ClosedRange<Int>) throws -> Int? {
        guard let text = request.queryValue(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.badInput("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not '\(text)'")
        }
        return value
    }

    static func boolean(_ name: String, in request: HTTPRequest) throws -> Bool? {
        switch request.queryValue(name) {
        case nil: return nil
        case "true", "1": return true
        case "false", "0": return false
        case let text?: throw APIError.badInput("\(name) must be true or false, not '\(text)'")
        }
    }
}
