import Foundation

/// An attendance code: `{id, code, description, type}`.
struct AttendanceCodeEntry: Decodable, Sendable {
    let id: String
    let code: String?

    private enum CodingKeys: String, CodingKey { case id, code }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.nonEmptyText(.id) ?? ""
        code = try c.text(.code)
    }
}
