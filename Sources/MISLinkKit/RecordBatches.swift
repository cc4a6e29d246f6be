/// Helpers for plugins that read in batches (kit 1.2).
public enum RecordBatches {
    /// Everything a streaming read hands over, as one array: how a connector that streams implements
    /// the array form of its reads, e.g.
    /// `try await RecordBatches.collect { try await readPupils(changedSince: date, context: context, each: $0) }`.
    public static func collect<Record>(
        _ read: (_ each: (_ batch: [Record]) throws -> Void) async throws -> Void
    ) async throws -> [Record] {
        var records: [Record] = []
        try await read { records += $0 }
        return records
    }
}
