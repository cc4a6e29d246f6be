import Foundation
import MISLinkKit

/// Independent Bulk operations packed into requests that stay within the server's advertised
/// `maxOperations` and `maxPayloadSize`, and the check of what each request answered.
enum SCIMBulkChunks {
    /// The operations in order, in as few requests as the limits allow. An operation too large to
    /// go in any request fails with the figures.
    static func split(_ operations: [SCIMBulk.Operation], limits: (maxOperations: Int, maxPayloadSize: Int)) throws
        -> [[SCIMBulk.Operation]]
    {
        var chunks: [[SCIMBulk.Operation]] = []
        var current: [SCIMBulk.Operation] = []
        var size = envelope
        for operation in operations {
            let bytes = try encodedSize(operation) + 1
            guard envelope + bytes <= limits.maxPayloadSize else {
                throw PluginError.permanent(
                    "scim: one Bulk operation (\(operation.method) \(operation.path)) is \(bytes) bytes, more than the server's maxPayloadSize of \(limits.maxPayloadSize)")
            }
            if !current.isEmpty && (current.count >= limits.maxOperations || size + bytes > limits.maxPayloadSize) {
                chunks.append(current)
                current = []
                size = envelope
            }
            current.append(operation)
            size += bytes
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// Whether one request holding all of `operations` is within the limits.
    static func fits(_ operations: [SCIMBulk.Operation], limits: (maxOperations: Int, maxPayloadSize: Int)) throws -> Bool {
        guard operations.count <= limits.maxOperations else { return false }
        return try JSONEncoder().encode(SCIMBulk.Request(operations: operations)).count <= limits.maxPayloadSize
    }

    /// Throws for the first operation that failed: a 5xx is worth another attempt, anything else is not.
    static func check(_ results: [SCIMBulk.Result], of operations: [SCIMBulk.Operation]) throws {
        guard results.count == operations.count else {
            throw PluginError.retryable(
                "scim: a Bulk request of \(operations.count) operations was answered for \(results.count); will try again")
        }
        for (result, operation) in zip(results, operations) where !(200..<300).contains(result.status) {
            throw failure(result, operation)
        }
    }

    static func failure(_ result: SCIMBulk.Result, _ operation: SCIMBulk.Operation) -> PluginError {
        let detail = [result.response?.scimType, result.response?.detail].compactMap { $0 }.joined(separator: ": ")
        let message = "scim: Bulk \(operation.method) \(operation.path) failed with \(result.status)" + (detail.isEmpty ? "" : " (\(detail))")
        return (500..<600).contains(result.status) ? .retryable(message) : .permanent(message)
    }

    /// `{"schemas":[…],"Operations":[]}`: what a request costs before its operations.
    private static let envelope = (try? JSONEncoder().encode(SCIMBulk.Request(operations: [])).count) ?? 100

    private static func encodedSize(_ operation: SCIMBulk.Operation) throws -> Int {
        try JSONEncoder().encode(operation).count
    }
}
