/// What makes an export row's record one of a kind: the MIS id, and for a contact the pupil too (a
/// contact appears once per pupil). Two short strings, not a message per row: a trust's contacts
/// file has 170,000 rows.
struct RowKey: Hashable, CustomStringConvertible {
    let misID: String
    let student: String?

    init(_ misID: String, student: String? = nil) {
        self.misID = misID
        self.student = student
    }

    /// How an error names the record.
    var description: String {
        student.map { "contact '\(misID)' for student '\($0)'" } ?? "'\(misID)'"
    }
}
