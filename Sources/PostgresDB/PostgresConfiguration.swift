/// How a connection is opened. Every field has a default; settings in the URL win over these.
public struct PostgresConfiguration: Sendable {
    /// Shown in `pg_stat_activity` unless the URL names one.
    public var applicationName: String
    public var connectTimeoutSeconds: Int
    /// The server cancels a statement that runs longer (57014); nil leaves the server's setting.
    public var statementTimeoutMilliseconds: Int?
    /// Queries and writes are prepared once per connection and run by name. Off for a pooler that
    /// cannot keep them (PgBouncer in transaction mode before 1.21): then each is parsed every time.
    public var preparedStatements: Bool

    public init(
        applicationName: String = "mislink", connectTimeoutSeconds: Int = 10, statementTimeoutMilliseconds: Int? = nil,
        preparedStatements: Bool = true
    ) {
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.preparedStatements = preparedStatements
    }

    /// Connection keywords for libpq around the URL (`dbname`, which libpq expands): these defaults
    /// come before it, so the URL's own settings override them; the server options come after it,
    /// with the URL's `options` (a `search_path`, say) appended, so that neither replaces the other.
    func keywords(for url: PostgresURL) -> [(String, String)] {
        // Rows are read in text format: UTC ISO timestamps and hex bytea are what PostgresRow parses.
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex -c client_min_messages=warning"
        if let statementTimeoutMilliseconds { options += " -c statement_timeout=\(statementTimeoutMilliseconds)" }
        for (key, value) in url.parameters where key == "options" { options += " " + value }
        return [
            ("fallback_application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            // A peer that vanishes (a host lost, a cable pulled) is noticed instead of waited on forever.
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("dbname", url.string),
            ("options", options),
        ]
    }
}
