import Foundation
import MISLinkHTTP
import MISLinkSync

/// `/api/intake…`: the entries waiting for an admin's decision.
extension Console {
    func intakeAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let integrations = self.integrations
        switch path {
        case []:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["integration", "all"], in: request)
                let all = try Self.boolean("all", in: request) ?? false
                let entries = try integrations.intake(integration: request.queryValue("integration"), includeResolved: all)
                return (200, entries.map(IntegrationJSON.object))
            }
        default:
            return Self.notFound(request)
        }
    }
}
