import Foundation
import MISLinkKit

/// One export file, read and checked a row at a time: its header resolved to our column names and
/// every row as wide as the header. Every error names the file, the line and the column. Rows are
/// read on demand, so that a trust's export is never held as rows and as records at once.
struct ExportTable {
    let file: ExportFile
    let layout: ExportLayout
    private var reader: CSVReader

    /// `bytes`: the file's UTF-8, which the reader keeps without a copy.
    init(file: ExportFile, bytes: [UInt8], mapping: HeaderMapping, dateFormat: DateFormat = .iso) throws {
        var reader = CSVReader(bytes)
        let headerRecord: CSVRecord?
        do {
            headerRecord = try reader.next()
        } catch {
            throw PluginError.permanent("\(file.name) line \(error.line), column \(error.field): \(error.reason)")
        }
        guard let headerRecord else {
            throw PluginError.permanent("\(file.name) line 1: the file is empty; a header line is required")
        }
        self.file = file
        self.layout = try ExportLayout(file: file, header: headerRecord, mapping: mapping, dateFormat: dateFormat)
        self.reader = reader
    }

    /// The next data row, or nil at the end of the file.
    mutating func nextRow() throws -> ExportRow? {
        let next: CSVRecord?
        do {
            next = try reader.next()
        } catch {
            let column = layout.label(forIndex: error.field - 1)
            throw PluginError.permanent("\(file.name) line \(error.line), column \(column): \(error.reason)")
        }
        guard let record = next else { return nil }
        try layout.checkWidth(of: record)
        return ExportRow(layout: layout, record: record)
    }
}
