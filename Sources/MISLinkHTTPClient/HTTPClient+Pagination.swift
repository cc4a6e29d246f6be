import Foundation
import MISLinkKit

/// Page walks. Either walk is all or nothing: a page that fails throws (naming the page), so a
/// caller never mistakes half a school for the whole one.
extension HTTPClient {
    /// A walk can be long, never endless.
    static let pageLimit = 100_000

    /// Follows an opaque next link (Wonde's `meta.pagination.next`) until `next` gives nil or "".
    /// A link to another host, or back to a page already read, fails rather than loops.
    public func followNext<Page: Decodable>(
        _ first: HTTPRequest, as type: Page.Type, decoder: JSONDecoder = JSONDecoder(), next: (Page) -> String?,
        context: PluginContext, body: (Page) throws -> Void
    ) async throws {
        var request = first
        var seen: Set<String> = [try resolve(first).absoluteString]
        for number in 1...Self.pageLimit {
            let page = try await onPage(number) {
                try await send(request, context: context).decode(Page.self, decoder: decoder)
            }
            try body(page)
            guard let link = next(page), !link.isEmpty else { return }
            request = HTTPRequest(.get, link, headers: first.headers, timeout: first.timeout)
            let url = try await onPage(number + 1) { try resolve(request) }
            guard seen.insert(url.absoluteString).inserted else {
                throw PluginError.permanent(
                    "\(service): page \(number)'s next link leads back to a page already read (\(url.path)); stopped rather than loop")
            }
        }
        throw PluginError.permanent("\(service): more than \(Self.pageLimit) pages; stopped")
    }

    /// Walks limit/offset pages: `makeRequest(offset)` builds each. It ends when the total is reached
    /// (`total(page)`, or the `totalHeader` such as `X-Total-Count`, when the remote gives one), or
    /// without a total, at a page shorter than `limit`. A page that comes back empty before the total
    /// is reached fails the walk: the remote lost records between pages.
    public func walkOffsets<Page: Decodable>(
        limit: Int, start: Int = 0, as type: Page.Type, decoder: JSONDecoder = JSONDecoder(),
        makeRequest: (Int) -> HTTPRequest, count: (Page) -> Int, total: ((Page) -> Int?)? = nil, totalHeader: String? = nil,
        context: PluginContext, body: (Page) throws -> Void
    ) async throws {
        var offset = start
        for number in 1...Self.pageLimit {
            let (page, response) = try await onPage(number) {
                let response = try await send(makeRequest(offset), context: context)
                return (try response.decode(Page.self, decoder: decoder), response)
            }
            let items = count(page)
            try body(page)
            offset += items
            let known = total?(page) ?? totalHeader.flatMap { response.header($0) }.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            if let known {
                if offset - start >= known { return }
                if items == 0 {
                    throw PluginError.retryable(
                        "\(service): page \(number) came back empty after \(offset - start) of the \(known) records it promised; the read was abandoned")
                }
            } else if items < limit {
                return
            }
        }
        throw PluginError.permanent("\(service): more than \(Self.pageLimit) pages; stopped")
    }

    /// Runs one page's work, adding the page number to a failure's message.
    private func onPage<T>(_ number: Int, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as PluginError {
            throw PluginError(error.disposition, error.message + " (page \(number) of a paged read; nothing from it was used)")
        }
    }
}
