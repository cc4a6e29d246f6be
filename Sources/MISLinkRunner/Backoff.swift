import Foundation

/// Exponential backoff with jitter and a cap: the wait before retry n is
/// `min(max, initial × multiplier^(n-1))`, spread by ±`jitter` (a fraction) and never above `max`.
public struct Backoff: Sendable, Equatable {
    public var initialMilliseconds: Int64
    public var maxMilliseconds: Int64
    public var multiplier: Double
    /// 0 means none; 0.2 spreads each wait over ±20 %, so that jobs failing together do not retry together.
    public var jitter: Double

    public init(initialMilliseconds: Int64, maxMilliseconds: Int64, multiplier: Double = 2, jitter: Double = 0.2) {
        self.initialMilliseconds = initialMilliseconds
        self.maxMilliseconds = maxMilliseconds
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The wait without jitter after failed attempt `attempt` (1-based).
    public func baseDelay(afterAttempt attempt: Int) -> Int64 {
        let exponent = Double(max(0, attempt - 1))
        let raw = Double(initialMilliseconds) * pow(multiplier, exponent)
        return raw >= Double(maxMilliseconds) ? maxMilliseconds : Int64(raw)
    }

    /// The wait with jitter; `unit` is a random number in 0..<1 (injected so tests can pin it).
    public func delay(afterAttempt attempt: Int, unit: Double = Double.random(in: 0..<1)) -> Int64 {
        let base = Double(baseDelay(afterAttempt: attempt))
        let spread = base * jitter * (2 * unit - 1)
        return min(maxMilliseconds, max(0, Int64(base + spread)))
    }
}
