import Foundation
import MISLinkKit

/// Where each of our columns sits in one file's header.
struct ExportLayout {
    let file: ExportFile
    /// The file's own header names, in file order.
    let header: [String]
    /// Our column name → its 0-based position in `header`. Optional columns may be absent.
    private let positions: [String: Int]
    /// How this export writes dates.
    let dateFormat: DateFormat
    /// Our optional columns this file's header lacks: read as empty, and said so in the report.
    let absentColumns: [String]

    init(file: ExportFile, header record: CSVRecord, mapping: HeaderMapping, dateFormat: DateFormat = .iso) throws {
        self.file = file
        self.dateFormat = dateFormat
        header = record.fields
        var byName: [String: [Int]] = [:]
        for (index, name) in record.fields.enumerated() {
            byName[Self.normalised(name), default: []].append(index)
        }
        var positions: [String: Int] = [:]
        for column in file.columns {
            let expected = mapping.header(for: column, in: file)
            let found = byName[Self.normalised(expected)] ?? []
            let label = expected == column ? column : "\(column) (mapped to header '\(expected)')"
            if found.count > 1 {
                let places = found.map { String($0 + 1) }.joined(separator: " and ")
                throw PluginError.permanent(
                    "\(file.name) line \(record.line), column \(label): "
                        + "the header appears more than once (columns \(places))")
            }
            if let index = found.first {
                positions[column] = index
            } else if file.requiredColumns.contains(column) {
                let mapped = mapping.source.map { " (headers renamed by \($0))" } ?? ""
                throw PluginError.permanent(
                    "\(file.name) line \(record.line), column \(label): required column is missing from the header\(mapped)")
            }
        }
        self.positions = positions
        absentColumns = file.columns.filter { positions[$0] == nil }
    }

    /// Header names are compared by their letters and digits alone, without case: exports write
    /// "Start Date", "start_date" and "START-DATE" for one column.
    static func normalised(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0)
        }))
    }

    func position(of column: String) -> Int? { positions[column] }

    /// A row with more or fewer fields than the header means the file is broken, not just a cell.
    func checkWidth(of record: CSVRecord) throws {
        guard record.fields.count != header.count else { return }
        let column = min(record.fields.count, header.count)
        throw PluginError.permanent(
            "\(file.name) line \(record.line), column \(label(forIndex: column)): "
                + "the row has \(record.fields.count) fields but the header has \(header.count)")
    }

    /// How a message names a column: the file's header and its 1-based position, plus our name
    /// when a mapping renamed it.
    func label(forIndex index: Int) -> String {
        guard index < header.count else { return "\(index + 1)" }
        let name = header[index]
        if let ours = positions.first(where: { $0.value == index })?.key,
            Self.normalised(ours) != Self.normalised(name)
        {
            return "\(name) (\(index + 1), mapped to \(ours))"
        }
        return "\(name) (\(index + 1))"
    }
}
