import MISLinkKit
import SQLiteDB

extension DirectoryStore {
    /// Replaces a person's contacts (guardians), kept in the order given.
    public func replaceContacts(of targetID: String, with contacts: [Contact]) throws {
        try perform { db in
            try db.transaction {
                guard let id = try db.scalarInt("SELECT id FROM people WHERE target_id = ?", [targetID]) else {
                    throw PluginError.permanent("directory: no person with target id '\(targetID)'")
                }
                try db.run("DELETE FROM contacts WHERE person_id = ?", [id])
                for (position, contact) in contacts.enumerated() {
                    try db.run(
                        """
                        INSERT INTO contacts (person_id, position, mis_id, student_mis_id, relationship, forename, surname,
                            email, mobile, priority, parental_responsibility)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            id, position, contact.misID, contact.studentMisID, contact.relationship, contact.forename,
                            contact.surname, contact.email, contact.mobile, contact.priority,
                            contact.parentalResponsibility,
                        ])
                }
            }
        }
    }

    /// Everyone's contacts (or one person's, or those of the people whose row ids are in `personIDs`),
    /// by target id.
    func contactsByTargetID(_ db: Connection, targetID: String? = nil, personIDs: ClosedRange<Int64>? = nil) throws
        -> [String: [Contact]]
    {
        var sql = """
            SELECT p.target_id, c.mis_id, c.student_mis_id, c.relationship, c.forename, c.surname, c.email, c.mobile,
                c.priority, c.parental_responsibility
            FROM contacts c JOIN people p ON p.id = c.person_id
            """
        var arguments: [any SQLBindable] = []
        if let targetID {
            sql += " WHERE p.target_id = ?"
            arguments.append(targetID)
        } else if let personIDs {
            sql += " WHERE c.person_id BETWEEN ? AND ?"
            arguments += [personIDs.lowerBound, personIDs.upperBound]
        }
        var result: [String: [Contact]] = [:]
        for (owner, contact) in try db.query(sql + " ORDER BY c.person_id, c.position", arguments, { row in
            (row.string(0), Contact(
                misID: row.string(1), studentMisID: row.string(2), relationship: row.optionalString(3),
                forename: row.string(4), surname: row.string(5), email: row.optionalString(6),
                mobile: row.optionalString(7), priority: row.optionalInt64(8).map(Int.init),
                parentalResponsibility: row.optionalInt64(9).map { $0 != 0 }))
        }) {
            result[owner, default: []].append(contact)
        }
        return result
    }
}
