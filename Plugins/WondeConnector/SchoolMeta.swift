import Foundation

/// `meta/schools/{id}`: whether the school keeps its own attendance codes.
struct SchoolMeta: Decodable, Sendable {
    let customAttendanceCodes: Bool?

    private enum CodingKeys: String, CodingKey {
        case data
        case custom = "custom_attendance_codes"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let source = (try? c.nestedContainer(keyedBy: CodingKeys.self, forKey: .data)) ?? c
        customAttendanceCodes = try source.flag(.custom)
    }
}
