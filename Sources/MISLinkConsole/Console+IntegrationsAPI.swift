import Foundation
import MISLinkHTTP
import MISLinkSync

/// `/api/integrations…`: list, show and import history.
extension Console {
    func integrationsAPI(_ request: HTTPRequest, _ path: [String]) async -> HTTPResponse {
        let method = request.method
        let integrations = self.integrations
        switch path {
        case []:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, try integrations.integrations().map(IntegrationJSON.object)) }
        case _ where path.count == 1:
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer { (200, IntegrationJSON.object(try integrations.integration(path[0]))) }
        case _ where path.count == 2 && path[1] == "imports":
            guard method == "GET" else { return Self.notAllowed(["GET"], api: true) }
            return await answer {
                try Self.expectOnly(["limit"], in: request)
                let limit = try Self.integer("limit", in: request, range: 1...100_000) ?? 50
                return (200, try integrations.imports(path[0], limit: limit).map(IntegrationJSON.object))
            }
        default:
            return Self.notFound(request)
        }
    }
}
