/// What a statement returned: its rows (copied, so the libpq result is already freed) and how many
/// rows it affected.
public struct PostgresResult: Sendable {
    public let columns: PostgresColumns
    public let rows: [PostgresRow]
    /// Rows inserted, updated, deleted or selected, from the command tag (0 for other commands).
    public let affectedRows: Int
}
