import Foundation

/// The CSV of a OneRoster bundle (RFC 4180, which the OneRoster 1.1 CSV binding names): fields
/// split by commas, quoted fields holding commas, doubled quotes and line breaks, records ended by
/// CRLF or LF, an optional UTF-8 byte order mark. Blank lines are skipped: real bundles end with one.
///
/// Kept apart from the csv connector's reader because a plugin depends on the kit alone.
enum BundleCSV {
    /// One record and the physical line it starts on.
    struct Record {
        let line: Int
        let fields: [String]
    }

    /// Every record of `text`, the header first; a quote left open names the line it opened on.
    static func records(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        if pending == "\u{FEFF}" { pending = iterator.next() }

        func endRecord() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            afterQuote = false
        }

        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\r" where pending == "\n":
                continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
                quoteLine = line
            default:
                if afterQuote {
                    throw OneRosterError.bundle(file, line: line, "text follows a closing quote (a quote inside a quoted field must be doubled)")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw OneRosterError.bundle(file, line: quoteLine, "a quoted field is not closed before the end of the file") }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        return records
    }
}
