/// A column by position (from 0) or by name.
public protocol PostgresColumnReference: Sendable {
    func index(in columns: PostgresColumns) -> Int?
}

extension Int: PostgresColumnReference {
    public func index(in columns: PostgresColumns) -> Int? { columns.names.indices.contains(self) ? self : nil }
}

extension String: PostgresColumnReference {
    public func index(in columns: PostgresColumns) -> Int? { columns.positions[self] }
}

/// The column names of a result, shared by its rows.
public final class PostgresColumns: Sendable {
    public let names: [String]
    let positions: [String: Int]

    init(_ names: [String]) {
        self.names = names
        // The first column of a name wins, as in `SELECT *` over a join.
        self.positions = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
