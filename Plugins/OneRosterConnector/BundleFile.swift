import Foundation
import MISLinkKit

/// Reading one file of a bundle: its text, then its rows by header.
enum BundleFile {
    /// The file's text; unreadable or not UTF-8 (the binding's encoding), it says which file.
    static func text(_ url: URL) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PluginError.retryable("oneroster: cannot read \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw OneRosterError.bundle(url.lastPathComponent, "is not UTF-8 text (the OneRoster CSV binding is UTF-8)")
        }
        return text
    }

    /// Every data row of `name` in `directory`, decoded by `decode`. `required` columns must be in the header.
    static func rows<Record>(
        _ name: String, in directory: URL, required: [String], decode: (RosterRow) throws -> Record
    ) throws -> [Record] {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw OneRosterError.bundle(
                name, "is missing from \(directory.path), but manifest.csv lists it as bulk or delta")
        }
        let records = try BundleCSV.records(try text(url), file: name)
        guard let header = records.first else { throw OneRosterError.bundle(name, "is empty: not even a header") }
        let columns = RosterRow.columns(of: header.fields)
        for column in required where columns[column.lowercased()] == nil {
            throw OneRosterError.bundle(name, line: header.line, "the header has no column \(column)")
        }
        return try records.dropFirst().map { record in
            guard record.fields.count <= header.fields.count else {
                throw OneRosterError.bundle(
                    name, line: record.line,
                    "the row has \(record.fields.count) fields but the header has \(header.fields.count)")
            }
            return try decode(RosterRow(file: name, line: record.line, fields: record.fields, columns: columns))
        }
    }
}
