extension JobSelection {
    /// The bulk walk every back end shares (`forEachChunk`): ids deduplicated, sorted and chunked; a
    /// filter's jobs found `chunkSize` at a time, oldest first, by `find` outside the chunk's
    /// `transaction` and checked again inside it by `recheck`, so a job that stopped matching in
    /// between is left alone. `body` sees each non-empty chunk; a throw ends the walk.
    package func walk(
        chunkSize: Int,
        find: (_ filter: JobFilter, _ after: Int64, _ upToID: Int64, _ limit: Int) throws -> [Int64],
        recheck: (_ filter: JobFilter, _ upToID: Int64, _ found: [Int64]) throws -> [Int64],
        transaction: (() throws -> Void) throws -> Void,
        _ body: ([Int64]) throws -> Void
    ) throws {
        // `recheck` and `body` run inside `transaction`'s argument: escaping for the call only, which
        // the exclusivity rules need for a closure captured by a closure passed to a closure.
        try withoutActuallyEscaping(recheck) { recheck in
            try withoutActuallyEscaping(body) { body in try walk(size: max(1, chunkSize), find, recheck, transaction, body) }
        }
    }

    private func walk(
        size: Int,
        _ find: (JobFilter, Int64, Int64, Int) throws -> [Int64],
        _ recheck: @escaping (JobFilter, Int64, [Int64]) throws -> [Int64],
        _ transaction: (() throws -> Void) throws -> Void,
        _ body: @escaping ([Int64]) throws -> Void
    ) throws {
        switch self {
        case .ids(let ids):
            let unique = Array(Set(ids)).sorted()
            for start in stride(from: 0, to: unique.count, by: size) {
                let chunk = Array(unique[start..<min(start + size, unique.count)])
                try transaction { try body(chunk) }
            }
        case .matching(let filter, let upToID):
            var after: Int64 = 0
            while true {
                let found = try find(filter, after, upToID, size)
                guard let last = found.last else { return }
                try transaction {
                    let still = try recheck(filter, upToID, found)
                    if !still.isEmpty { try body(still) }
                }
                if found.count < size { return }
                after = last
            }
        }
    }
}
