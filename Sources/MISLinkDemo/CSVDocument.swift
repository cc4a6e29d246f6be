import CSVConnector

/// One export file being written: the layout's header and rows, each row given by column name so
/// that the column order comes from `ExportFile` alone.
struct CSVDocument {
    let file: ExportFile
    private(set) var rows: [[String?]] = []

    init(_ file: ExportFile) {
        self.file = file
    }

    /// Appends a row; a column left out or nil is written as an empty field. Every name must be one
    /// of the file's columns, so that a misspelt one fails here instead of silently writing nothing.
    mutating func append(_ fields: [String: String?]) {
        let unknown = Set(fields.keys).subtracting(file.columns)
        precondition(unknown.isEmpty, "\(file.name) has no column \(unknown.sorted().joined(separator: ", "))")
        rows.append(file.columns.map { fields[$0] ?? nil })
    }

    var text: String {
        ([file.columns] + rows.map { $0.map { $0 ?? "" } }).map(CSVLine.text).joined()
    }
}
