import Foundation

/// The POST's answer: `writeback_id` (a string or a number); nothing else in it is documented.
struct PostedWriteBack: Decodable, Sendable {
    let writebackID: String?

    private enum CodingKeys: String, CodingKey {
        case writebackID = "writeback_id"
        case data
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try c.nonEmptyText(.writebackID) {
            writebackID = id
        } else if let inner = try? c.nestedContainer(keyedBy: CodingKeys.self, forKey: .data) {
            writebackID = try inner.nonEmptyText(.writebackID)
        } else {
            writebackID = nil
        }
    }
}
