import Foundation
import MISLinkKit

/// One export file, read and checked: its header resolved to our column names and every row as
/// wide as the header. Every error names the file, the line and the column.
struct ExportTable {
    let layout: ExportLayout
    let rows: [ExportRow]

    init(file: ExportFile, data: Data, mapping: HeaderMapping, dateFormat: DateFormat = .iso) throws {
        var reader = CSVReader(data)
        let headerRecord: CSVRecord?
        do {
            headerRecord = try reader.next()
        } catch {
            throw PluginError.permanent("\(file.name) line \(error.line), column \(error.field): \(error.reason)")
        }
        guard let headerRecord else {
            throw PluginError.permanent("\(file.name) line 1: the file is empty; a header line is required")
        }
        let layout = try ExportLayout(file: file, header: headerRecord, mapping: mapping, dateFormat: dateFormat)
        var rows: [ExportRow] = []
        while true {
            let next: CSVRecord?
            do {
                next = try reader.next()
            } catch {
                let column = layout.label(forIndex: error.field - 1)
                throw PluginError.permanent("\(file.name) line \(error.line), column \(column): \(error.reason)")
            }
            guard let record = next else { break }
            try layout.checkWidth(of: record)
            rows.append(ExportRow(layout: layout, record: record))
        }
        self.layout = layout
        self.rows = rows
    }
}
