/// One of `mislink doctor`'s checks: what it looked at, its verdict, and what it found.
public struct DoctorCheck: Sendable, Equatable {
    public enum Verdict: String, Sendable, Comparable {
        case ok, warning, failed

        private var rank: Int { self == .ok ? 0 : self == .warning ? 1 : 2 }
        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
    }

    public let name: String
    public let verdict: Verdict
    public let detail: String

    public init(_ name: String, _ verdict: Verdict, _ detail: String) {
        self.name = name
        self.verdict = verdict
        self.detail = detail
    }
}
