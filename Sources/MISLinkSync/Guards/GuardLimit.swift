import Foundation

/// How much of one kind of change an import may make before it is held for an admin: over `share`
/// of the current records, or over `count` changes, whichever comes first. Neither set: no guard.
public struct GuardLimit: Sendable, Codable, Equatable {
    public var share: Double?
    public var count: Int?

    public init(share: Double? = nil, count: Int? = nil) {
        self.share = share
        self.count = count
    }

    public var isOff: Bool { share == nil && count == nil }

    /// `10%`, `400`, `10%,400` (either trips it), or `none`. Nil when it is none of these.
    public init?(text: String) {
        let value = text.trimmingCharacters(in: .whitespaces)
        if value == "none" || value == "off" {
            self.init()
            return
        }
        self.init()
        for part in value.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.hasSuffix("%") {
                guard share == nil, let percent = Double(item.dropLast()), (0...100).contains(percent) else { return nil }
                share = percent / 100
            } else {
                guard count == nil, let number = Int(item), number >= 0 else { return nil }
                count = number
            }
        }
    }

    /// Whether `changes` of `current` records goes past it.
    public func isTripped(by changes: Int, of current: Int) -> Bool {
        if let count, changes > count { return true }
        if let share, current > 0, Double(changes) > share * Double(current) { return true }
        return false
    }

    /// As an admin writes it: `10%`, `400`, `10%,400`, `none`.
    public var text: String {
        let parts = [share.map { Self.percent($0) }, count.map(String.init)].compactMap { $0 }
        return parts.isEmpty ? "none" : parts.joined(separator: ",")
    }

    static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }
}
