import Foundation

/// `writebacks/{id}`: a status (values configurable) and an error text, at the top or under `data`.
struct WriteBackStatus: Decodable, Sendable {
    let status: String?
    let error: String?

    private enum CodingKeys: String, CodingKey { case data, status, error, message }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let source = (try? c.nestedContainer(keyedBy: CodingKeys.self, forKey: .data)) ?? c
        status = try source.nonEmptyText(.status) ?? c.nonEmptyText(.status)
        error = (try? source.nonEmptyText(.error)) ?? (try? source.nonEmptyText(.message)) ?? nil
    }
}
