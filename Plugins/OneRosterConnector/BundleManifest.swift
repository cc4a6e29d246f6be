import Foundation

/// A bundle's manifest.csv: which files it carries, and whether each is a full snapshot (`bulk`), a
/// set of changes (`delta`) or not there (`absent`).
struct BundleManifest: Sendable, Equatable {
    enum Mode: String, Sendable {
        case bulk, delta, absent
    }

    /// By file name without `.csv` (`users`, `classes`, …), as the manifest's `file.` keys say.
    var files: [String: Mode]
    var properties: [String: String]

    static let fileName = "manifest.csv"

    /// Reads `manifest.csv` in `directory`; missing, unreadable or malformed, it names the problem.
    init(directory: URL) throws {
        let url = directory.appendingPathComponent(Self.fileName)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw OneRosterError.config(
                "dir", "names \(directory.path), which has no \(Self.fileName): that is not a OneRoster CSV bundle")
        }
        try self.init(text: try BundleFile.text(url))
    }

    init(text: String) throws {
        let records = try BundleCSV.records(text, file: Self.fileName)
        guard let header = records.first, header.fields.map({ $0.lowercased() }).starts(with: ["propertyname", "value"]) else {
            throw OneRosterError.bundle(Self.fileName, line: 1, "the header must be propertyName,value")
        }
        var files: [String: Mode] = [:]
        var properties: [String: String] = [:]
        for record in records.dropFirst() {
            guard record.fields.count >= 2 else {
                throw OneRosterError.bundle(Self.fileName, line: record.line, "a row needs a property name and a value")
            }
            let name = record.fields[0].trimmingCharacters(in: .whitespaces)
            let value = record.fields[1].trimmingCharacters(in: .whitespaces)
            properties[name] = value
            guard name.lowercased().hasPrefix("file.") else { continue }
            guard let mode = Mode(rawValue: value.lowercased()) else {
                throw OneRosterError.bundle(
                    Self.fileName, line: record.line, "\(name) is '\(value)', not bulk, delta or absent")
            }
            files[String(name.dropFirst(5))] = mode
        }
        self.files = files
        self.properties = properties
    }

    /// How `file` is carried; a file the manifest does not list counts as absent.
    func mode(_ file: String) -> Mode { files.first { $0.key.lowercased() == file.lowercased() }?.value ?? .absent }
}
