import Foundation
import MISLinkKit

/// One export file, read and checked a row at a time: its header resolved to our column names and
/// every row as wide as the header. Every error names the file, the line and the column. Rows are
/// read on demand, so that a trust's export is never held as rows and as records at once.
struct ExportTable {
    let file: ExportFile
    let layout: ExportLayout
    private var reader: CSVReader

    /// `reader` reads the file's UTF-8 (a chunk at a time, see CSVConnector).
    init(file: ExportFile, reader: CSVReader, mapping: HeaderMapping, dateFormat: DateFormat = .iso) throws {
        var reader = reader
        let headerRecord: CSVRecord?
        do {
            headerRecord = try reader.next()
        } catch {
            throw Self.failure(error, file: file, column: "\(error.field)")
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
            throw Self.failure(error, file: file, column: layout.label(forIndex: error.field - 1))
        }
        guard let record = next else { return nil }
        try layout.checkWidth(of: record)
        return ExportRow(layout: layout, record: record)
    }

    /// A file that cannot be read may read next time (retryable); a broken one will not (permanent).
    private static func failure(_ error: CSVSyntaxError, file: ExportFile, column: String) -> PluginError {
        switch error.kind {
        case .unreadable(let why): return PluginError.retryable("csv: cannot read \(file.name): \(why)")
        case .undecodable(let why): return PluginError.permanent(why)
        default: break
        }
        return PluginError.permanent("\(file.name) line \(error.line), column \(column): \(error.reason)")
    }
}
