import Foundation
import MISLinkHTTP
import MISLinkHTTPClient
import MISLinkKit
import Synchronization
import Testing

/// Page walks are all or nothing.
@Suite struct HTTPClientPaginationTests {
    struct Page: Decodable {
        struct Meta: Decodable { var next: String? }
        var data: [Int]
        var meta: Meta
    }

    /// Pages 1…`pages` of three items each; `next` links are absolute, as Wonde's are.
    static func pagedServer(pages: Int, failOn: Int? = nil, nextFor: (@Sendable (Int, UInt16) -> String?)? = nil) throws -> StubServer {
        let port = Mutex<UInt16>(0)
        let stub = try StubServer { request in
            let number = Int(request.queryValue("page") ?? "1") ?? 1
            if number == failOn { return .json(500, #"{"error":"boom"}"#) }
            let here = port.withLock { $0 }
            let next = nextFor.map { $0(number, here) } ?? (number < pages ? "http://127.0.0.1:\(here)/v1.0/items?page=\(number + 1)" : nil)
            let link = next.map { "\"\($0)\"" } ?? "null"
            let items = (0..<3).map { String(number * 10 + $0) }.joined(separator: ",")
            return .json(200, #"{"data":[\#(items)],"meta":{"next":\#(link)}}"#)
        }
        port.withLock { $0 = stub.server.port }
        return stub
    }

    func walk(_ stub: StubServer) async throws -> [Int] {
        var seen: [Int] = []
        try await HTTPClient(service: "Wonde", baseURL: stub.base).followNext(
            HTTPRequest(.get, "items", query: [("per_page", "3")]), as: Page.self, next: { $0.meta.next }, context: .silent
        ) { seen += $0.data }
        return seen
    }

    @Test func followsNextLinksUntilNull() async throws {
        let stub = try Self.pagedServer(pages: 3)
        defer { stub.stop() }
        #expect(try await walk(stub) == [10, 11, 12, 20, 21, 22, 30, 31, 32])
        #expect(stub.requests.count == 3)
    }

    @Test func aFailingPageFailsTheWalkAndNamesThePage() async throws {
        let stub = try Self.pagedServer(pages: 9, failOn: 7)
        defer { stub.stop() }
        let error = await #expect(throws: PluginError.self) { _ = try await walk(stub) }
        #expect(error?.disposition == .retryable)
        #expect(error?.message.contains("(page 7 of a paged read") == true)
    }

    @Test func aLoopingOrForeignNextLinkStopsTheWalk() async throws {
        let looping = try Self.pagedServer(pages: 5) { number, port in "http://127.0.0.1:\(port)/v1.0/items?page=\(number == 2 ? 1 : number + 1)" }
        defer { looping.stop() }
        let loop = await #expect(throws: PluginError.self) { _ = try await walk(looping) }
        #expect(loop?.message.contains("leads back to a page already read") == true)
        let foreign = try Self.pagedServer(pages: 5) { _, _ in "http://127.0.0.9:9/v1.0/items?page=2" }
        defer { foreign.stop() }
        let away = await #expect(throws: PluginError.self) { _ = try await walk(foreign) }
        #expect(away?.message.contains("refusing to follow a link to 127.0.0.9") == true)
        #expect(foreign.requests.count == 1)
    }

    struct Users: Decodable { var users: [String] }

    /// `total` records served `size` at a time at most (a server may cap below the asked limit).
    static func offsetServer(total: Int, cap: Int, header: Bool, loseAt: Int? = nil) throws -> StubServer {
        try StubServer { request in
            let offset = Int(request.queryValue("offset") ?? "0") ?? 0
            let limit = min(Int(request.queryValue("limit") ?? "0") ?? 0, cap)
            let end = offset >= (loseAt ?? Int.max) ? offset : min(total, offset + limit)
            let names = (offset..<max(offset, end)).map { "\"u\($0)\"" }.joined(separator: ",")
            return .json(200, #"{"users":[\#(names)]}"#, headers: header ? [("X-Total-Count", String(total))] : [])
        }
    }

    func offsets(_ stub: StubServer, header: Bool) async throws -> [String] {
        var seen: [String] = []
        try await HTTPClient(service: "OneRoster", baseURL: stub.base).walkOffsets(
            limit: 4, as: Users.self, makeRequest: { HTTPRequest(.get, "users", query: [("limit", "4"), ("offset", String($0))]) },
            count: { $0.users.count }, totalHeader: header ? "X-Total-Count" : nil, context: .silent
        ) { seen += $0.users }
        return seen
    }

    @Test func walksOffsetsToTheTotalEvenWhenTheServerCapsPages() async throws {
        let stub = try Self.offsetServer(total: 10, cap: 3, header: true)
        defer { stub.stop() }
        #expect(try await offsets(stub, header: true) == (0..<10).map { "u\($0)" })
    }

    @Test func withoutATotalAShortPageEndsTheWalk() async throws {
        let stub = try Self.offsetServer(total: 10, cap: 100, header: false)
        defer { stub.stop() }
        #expect(try await offsets(stub, header: false) == (0..<10).map { "u\($0)" })
        #expect(stub.requests.count == 3)
    }

    @Test func anEmptyPageBeforeTheTotalFailsTheWalk() async throws {
        let stub = try Self.offsetServer(total: 10, cap: 4, header: true, loseAt: 8)
        defer { stub.stop() }
        let error = await #expect(throws: PluginError.self) { _ = try await offsets(stub, header: true) }
        #expect(error?.message.contains("came back empty after 8 of the 10 records") == true)
    }
}
