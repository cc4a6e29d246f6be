import Foundation
import MISLinkKit

/// What the plugin may send, read first by its envelope; a record or result is decoded again by the
/// call that expects it, as the type that call expects.
struct ExecEnvelope: Decodable {
    var type: String
    var id: Int?
    // log
    var level: String?
    var message: String?
    // progress
    var done: Int?
    var total: Int?
    // done
    var count: Int?
    // error
    var disposition: String?
    var until: String?
    // hello
    var `protocol`: String?
    var manifest: HelloManifest?

    struct HelloManifest: Decodable {
        var id: String?
        var role: String?
        var version: String?
    }

    static let types = ["hello", "log", "progress", "record", "done", "result", "error"]
}

/// A record line, decoded as the call's own record type.
struct RecordLine<Record: Decodable>: Decodable {
    var record: Record
}

/// A result line, decoded as the call's own result type.
struct ResultLine<Result: Decodable>: Decodable {
    var result: Result
}

/// What MISLink sends.
enum ExecOutgoing {
    struct Hello: Encodable {
        let type = "hello"
        var `protocol`: String
        var plugin: String
        var role: String
        var config: [String: String]
        var secrets: [String: String]
    }

    struct Call<Params: Encodable>: Encodable {
        let type = "call"
        var id: Int
        var method: String
        var params: Params
    }

    struct Cancel: Encodable {
        let type = "cancel"
        var id: Int
    }

    struct Shutdown: Encodable {
        let type = "shutdown"
    }

    static func line<T: Encodable>(_ message: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(message)
        data.append(0x0A)
        return data
    }
}

/// A call's parameters, by call.
enum ExecParams {
    struct None: Encodable {}
    struct Read: Encodable { var changedSince: String? }
    struct Mark: Encodable { var mark: WireMark }
    struct Create: Encodable { var record: WirePerson }
    struct Update: Encodable {
        var targetId: String
        var record: WirePerson
        var keepContactDetails: Bool
    }
    struct TargetID: Encodable { var targetId: String }
    struct Contacts: Encodable {
        var targetId: String
        var contacts: [WireContact]
    }
}

/// Results, by call.
enum ExecResults {
    struct Created: Decodable { var targetId: String }
}
