import Synchronization

/// Failed sign-ins per client address in a sliding window: past `limit` the address is refused
/// (429) until its oldest failure leaves the window. The table is bounded, so a flood of addresses
/// cannot grow it without end.
final class SignInLimiter: Sendable {
    private let failures = Mutex<[String: [Int64]]>([:])
    private let limit: Int
    private let windowMilliseconds: Int64
    private let maxAddresses: Int

    init(limit: Int, windowMilliseconds: Int64, maxAddresses: Int = 10_000) {
        self.limit = limit
        self.windowMilliseconds = windowMilliseconds
        self.maxAddresses = maxAddresses
    }

    func isLimited(_ address: String, now: Int64) -> Bool {
        failures.withLock { table in
            let recent = (table[address] ?? []).filter { $0 > now - windowMilliseconds }
            table[address] = recent.isEmpty ? nil : recent
            return recent.count >= limit
        }
    }

    func recordFailure(_ address: String, now: Int64) {
        failures.withLock { table in
            if table[address] == nil, table.count >= maxAddresses {
                table = table.filter { $0.value.contains { $0 > now - windowMilliseconds } }
                if table.count >= maxAddresses, let stalest = table.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) }) {
                    table[stalest.key] = nil
                }
            }
            table[address, default: []].append(now)
        }
    }
}
