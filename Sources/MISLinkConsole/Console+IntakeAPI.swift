import Foundation
import MISLinkHTTP
import MISLinkKit
import MISLinkRunner
import MISLinkSync

/// `/api/intake…`: the entries waiting for an admin's decision, one entry with its candidates, and
/// decisions for one entry (`POST /api/intake/ID/match|transfer|exclude`) or many
/// (`POST /api/intake/match|transfer|exclude` with `{"ids": [...]}` or `{"all": true, ...}`), through
/// `IntakeService` as the command line's `intake` commands.
extension Console {
    func intakeAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let intake = IntakeService(environment: integrations.environment)
        switch path {
        case []:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["integration", "role", "all"], in: request)
                let all = try Self.boolean("all", in: request) ?? false
                let selection = IntakeSelection.open(
                    integration: request.queryValue("integration"), role: try Self.role(request.queryValue("role")))
                return (200, try intake.entries(selection, includeResolved: all).map(IntegrationJSON.object))
            }
        case _ where path.count == 1 && Self.intakeActions.contains(path[0]):
            let action = path[0]
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answerAsync {
                let body = try Self.jsonBody(request, allowed: ["ids", "all", "integration", "role"])
                let selection = try Self.intakeSelection(body)
                let decision: IntakeDecision = action == "match" ? .matchOnlyCandidate : action == "transfer" ? .transfer : .exclude
                return (200, IntegrationJSON.object(try await intake.decide(decision, selection)))
            }
        case _ where path.count == 1:
            let id = path[0]
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answerAsync { (200, IntegrationJSON.object(try await intake.entry(try Self.entryID(id)))) }
        case _ where path.count == 2 && Self.intakeActions.contains(path[1]):
            let (id, action) = (path[0], path[1])
            guard method == "POST" else { return Self.notAllowed(["POST"], api: true) }
            return await answerAsync {
                let entry = try Self.entryID(id)
                let decision: IntakeDecision
                switch action {
                case "match":
                    let body = try Self.jsonBody(request, allowed: ["targetID"])
                    if let target = body["targetID"] {
                        guard let target = target as? String, !target.isEmpty else {
                            throw APIError.badInput("\"targetID\" must be a non-empty string")
                        }
                        decision = .match(targetID: target)
                    } else {
                        decision = .matchOnlyCandidate
                    }
                case "transfer": decision = .transfer
                default: decision = .exclude
                }
                let report = try await intake.decide(decision, .ids([entry]))
                if let refusal = report.refused.first { throw APIError(SyncError(refusal.code, refusal.reason)) }
                let done = report.done[0]
                return (200, ["id": done.entry, "status": done.status.rawValue, "targetId": done.targetID.map { $0 as Any } ?? NSNull()])
            }
        default:
            return Self.notFound(request)
        }
    }

    private static let intakeActions: Set<String> = ["match", "transfer", "exclude"]

    /// `{"ids": [1, 2]}` or `{"all": true, "integration": "oak", "role": "pupil"}`.
    private static func intakeSelection(_ body: [String: Any]) throws -> IntakeSelection {
        if let ids = body["ids"] {
            guard body["all"] == nil, body["integration"] == nil, body["role"] == nil else {
                throw APIError.badInput("give \"ids\" or \"all\" (with \"integration\", \"role\"), not both")
            }
            guard let list = ids as? [Any], !list.isEmpty else {
                throw APIError.badInput("\"ids\" must be a non-empty array of intake entry ids")
            }
            var numbers: [Int64] = []
            for value in list {
                guard !JSONPayload.isBoolean(value), let number = value as? NSNumber, number.int64Value > 0,
                    Double(number.int64Value) == number.doubleValue
                else { throw APIError.badInput("\"ids\" must be a non-empty array of intake entry ids") }
                numbers.append(number.int64Value)
            }
            return .ids(numbers)
        }
        guard let all = body["all"], JSONPayload.isBoolean(all), all as? Bool == true else {
            throw APIError.badInput("give {\"ids\": [...]} or {\"all\": true} (optionally with \"integration\" and \"role\")")
        }
        let integration = try body["integration"].map { value -> String in
            guard let text = value as? String, !text.isEmpty else { throw APIError.badInput("\"integration\" must be an integration id") }
            return text
        }
        let role = try body["role"].map { value -> String in
            guard let text = value as? String else { throw APIError.badInput("\"role\" must be a string") }
            return text
        }
        return .open(integration: integration, role: try Self.role(role))
    }

    private static func role(_ text: String?) throws -> PersonRole? {
        guard let text else { return nil }
        guard let role = PersonRole(rawValue: text) else {
            throw APIError.badInput("role must be \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return role
    }

    private static func entryID(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw APIError.badInput("'\(text)' is not an intake entry id") }
        return id
    }

    // MARK: - Shared by the action endpoints

    /// A POST's JSON object (an empty body is `{}`); a key it does not take is refused, not ignored.
    static func jsonBody(_ request: HTTPRequest, allowed: Set<String>) throws -> [String: Any] {
        try expectOnly([], in: request)
        guard !request.body.isEmpty else { return [:] }
        guard let object = (try? JSONSerialization.jsonObject(with: request.body)) as? [String: Any] else {
            throw APIError.badInput("the body must be a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError.badInput(
                "unknown key '\(unknown)' for \(request.path)" + (allowed.isEmpty ? "" : " (known: \(allowed.sorted().joined(separator: ", ")))"))
        }
        return object
    }

    /// `answer` for service calls that await plugins: their SQLite work runs on the store's own
    /// queue (`IntakeService`), the plugins' on theirs.
    func answerAsync(_ body: @escaping @Sendable () async throws -> (Int, Any)) async -> HTTPResponse {
        do {
            let (status, value) = try await body()
            return .json(status, ConsoleJSON.data(value))
        } catch let error as APIError {
            return error.response
        } catch let error as SyncError {
            return APIError(error).response
        } catch let error as PluginError {
            return APIError(502, "failed", OneLine.text(error.message)).response
        } catch {
            return APIError(500, "failed", OneLine.text("\(error)")).response
        }
    }
}
