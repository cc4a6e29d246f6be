import Foundation
import MISLinkKit

/// One data row of an export file, read by our column names.
struct ExportRow {
    let layout: ExportLayout
    let record: CSVRecord

    var line: Int { record.line }

    /// The trimmed cell, or nil when the column is absent or the cell is empty.
    func text(_ column: String) -> String? {
        guard let index = layout.position(of: column) else { return nil }
        let cell = record.fields[index]
        // Most cells need no trimming; Foundation's trim bridges every string, so skip it when it can.
        guard cell.first?.isWhitespace == true || cell.last?.isWhitespace == true else {
            return cell.isEmpty ? nil : cell
        }
        let value = cell.trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
    }

    func required(_ column: String) throws -> String {
        guard let value = text(column) else { throw error(column, "a value is required") }
        return value
    }

    func date(_ column: String) throws -> CalendarDate? {
        guard let value = text(column) else { return nil }
        guard let date = layout.dateFormat.date(value) else {
            let pattern = layout.dateFormat == .iso ? "YYYY-MM-DD" : layout.dateFormat.pattern
            throw error(column, "\(Self.quoted(value)) is not a date (\(pattern))")
        }
        return date
    }

    /// `yes`/`no` in any case; an empty cell is nil (the MIS holds no answer).
    func yesNo(_ column: String) throws -> Bool? {
        guard let value = text(column) else { return nil }
        switch value.lowercased() {
        case "yes": return true
        case "no": return false
        default: throw error(column, "\(Self.quoted(value)) is not yes or no")
        }
    }

    func integer(_ column: String) throws -> Int? {
        guard let value = text(column) else { return nil }
        guard let number = Int(value) else { throw error(column, "\(Self.quoted(value)) is not a whole number") }
        return number
    }

    /// `active` or `inactive` in any case; an empty cell counts as active.
    func status() throws -> EnrolmentStatus {
        guard let value = text("status") else { return .active }
        guard let status = EnrolmentStatus(rawValue: value.lowercased()) else {
            throw error("status", "\(Self.quoted(value)) is not active or inactive")
        }
        return status
    }

    func error(_ column: String, _ message: String) -> PluginError {
        let place = layout.position(of: column).map { layout.label(forIndex: $0) } ?? column
        return PluginError.permanent("\(layout.file.name) line \(line), column \(place): \(message)")
    }

    /// Long cells are cut so that one bad value cannot flood a log line.
    private static func quoted(_ value: String) -> String {
        value.count > 60 ? "'\(value.prefix(60))…'" : "'\(value)'"
    }
}
