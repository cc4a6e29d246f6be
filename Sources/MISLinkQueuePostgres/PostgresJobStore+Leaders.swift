import PostgresDB

extension PostgresJobStore {
    /// Makes `candidate` the leader of `role`, or keeps it so: answers whether it leads now, for
    /// `termMilliseconds` from now by the database's clock. One statement, so of any number of
    /// processes electing at once exactly one wins: a term is taken over only once it has expired,
    /// and renewed only by its holder (keeping its start).
    public func elect(_ candidate: String, role: String, termMilliseconds: Int64) throws -> Bool {
        try writing {
            try !connection.execute(
                """
                INSERT INTO queue_leaders AS current (role, leader, elected_at, expires_at)
                VALUES ($1, $2, mislink_now_ms(), mislink_now_ms() + $3)
                ON CONFLICT (role) DO UPDATE SET
                    leader = EXCLUDED.leader,
                    elected_at = CASE WHEN current.leader = EXCLUDED.leader THEN current.elected_at ELSE EXCLUDED.elected_at END,
                    expires_at = EXCLUDED.expires_at
                WHERE current.leader = EXCLUDED.leader OR current.expires_at < mislink_now_ms()
                RETURNING leader
                """, [role, candidate, termMilliseconds]
            ).rows.isEmpty
        }
    }

    /// Ends `candidate`'s term of `role` early, so another process can take over at its next
    /// election. Answers false if it did not lead.
    @discardableResult
    public func resign(_ candidate: String, role: String) throws -> Bool {
        try writing {
            try connection.execute("DELETE FROM queue_leaders WHERE role = $1 AND leader = $2", [role, candidate]).affectedRows == 1
        }
    }

    /// The leader of `role` whose term has not expired, if any.
    public func leader(role: String) throws -> String? {
        try connection.execute(
            "SELECT leader FROM queue_leaders WHERE role = $1 AND expires_at >= mislink_now_ms()", [role]
        ).rows.first?.string(0)
    }
}
