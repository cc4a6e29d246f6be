import Foundation
import MISLinkKit

/// Renames columns for an MIS whose export headers differ from ours.
///
/// The mapping file (config key `mapping`) is a JSON object keyed by export file name; each value
/// maps our column name to the header the MIS writes:
///
///     {
///       "students.csv": { "mis_id": "Admission No", "date_of_birth": "DOB" },
///       "contacts.csv": { "student_mis_id": "Pupil Admission No" }
///     }
///
/// Files and columns it does not name keep our default headers. Headers are matched by their letters
/// and digits, ignoring case, spaces, underscores and punctuation ("Start Date" is `start_date`). A file or column we do not know is an error, so that a typo fails loudly
/// instead of leaving a column silently unread.
public struct HeaderMapping: Sendable, Equatable {
    /// Export file name → our column name → the MIS's header.
    public let headers: [String: [String: String]]
    /// Where it came from ("mapping file PATH"), for errors about the headers it names; nil for none.
    public let source: String?

    /// No renaming: every file uses our default headers.
    public static let none = HeaderMapping(checked: [:], source: nil)

    private init(checked headers: [String: [String: String]], source: String?) {
        self.headers = headers
        self.source = source
    }

    /// A mapping from its parts; `source` names where they came from in error messages.
    public init(headers: [String: [String: String]], source: String = "mapping") throws {
        self.source = source
        for (file, columns) in headers.sorted(by: { $0.key < $1.key }) {
            guard let export = ExportFile(rawValue: file) else {
                let known = ExportFile.allCases.map(\.name).joined(separator: ", ")
                throw PluginError.permanent("\(source): unknown export file '\(file)' (known: \(known))")
            }
            for (column, header) in columns.sorted(by: { $0.key < $1.key }) {
                guard export.columns.contains(column) else {
                    let known = export.columns.joined(separator: ", ")
                    throw PluginError.permanent("\(source): \(file) has no column '\(column)' (known: \(known))")
                }
                guard !header.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw PluginError.permanent("\(source): \(file) maps '\(column)' to an empty header")
                }
            }
        }
        self.headers = headers
    }

    /// Reads a mapping file in the JSON format above.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PluginError.permanent("mapping file \(url.path) cannot be read: \(error.localizedDescription)")
        }
        let decoded: [String: [String: String]]
        do {
            decoded = try JSONDecoder().decode([String: [String: String]].self, from: data)
        } catch {
            throw PluginError.permanent(
                "mapping file \(url.path) is not a JSON object of the form "
                    + #"{"students.csv": {"mis_id": "Admission No"}}"#)
        }
        try self.init(headers: decoded, source: "mapping file \(url.path)")
    }

    /// The header the MIS writes for our `column` in `file`.
    func header(for column: String, in file: ExportFile) -> String {
        headers[file.name]?[column] ?? column
    }
}
