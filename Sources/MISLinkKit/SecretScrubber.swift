import Foundation
import Synchronization

/// Replaces known secret values with `(secret)` in any text before it is stored or printed.
public final class SecretScrubber: Sendable {
    private let secrets = Mutex<Set<String>>([])

    public init() {}

    public func add(_ values: [String]) {
        // Very short values would scrub ordinary words; credentials are never that short.
        secrets.withLock { $0.formUnion(values.filter { $0.count >= 4 }) }
    }

    public func scrub(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var result = text
        // Longest first, so that a secret containing another is replaced whole.
        for secret in known.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: "(secret)")
        }
        return result
    }
}
