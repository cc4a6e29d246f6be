import Foundation
import MISLinkKit

/// The `csv` connector: reads a folder of MIS export files and writes attendance back to a CSV file
/// there. The reference connector, and the way in for an MIS that can only export files.
public struct CSVConnectorPlugin: ConnectorPlugin {
    public init() {}

    public var manifest: PluginManifest {
        PluginManifest(
            id: "csv",
            role: .connector,
            version: "1.0.0",
            summary: "Reads students, staff, pre-admissions and contacts from CSV exports; "
                + "writes attendance to writeback.csv",
            configKeys: [
                ConfigKey("dir", summary: "folder holding the export files"),
                ConfigKey(
                    "mapping",
                    summary:
                        "JSON file renaming export headers, e.g. {\"students.csv\": {\"mis_id\": \"Admission No\"}}",
                    required: false),
                ConfigKey(
                    "optional-files",
                    summary:
                        "export files the MIS does not export, comma-separated (e.g. preadmissions.csv); "
                        + "any other missing file fails the import",
                    required: false),
                ConfigKey("date-format", summary: "how the export writes dates, e.g. dd/MM/yyyy (default yyyy-MM-dd)", required: false),
                ConfigKey("encoding", summary: "utf-8 (default) or windows-1252", required: false),
            ])
    }

    /// A connector for the folder in `dir`; reads and checks the `mapping` file now, so a broken one
    /// fails before any job runs.
    public func makeConnector(config: PluginConfig) throws -> any Connector {
        let directory = URL(fileURLWithPath: try config.require("dir", plugin: "csv"), isDirectory: true)
        var mapping = HeaderMapping.none
        if let path = config["mapping"], !path.isEmpty {
            mapping = try HeaderMapping(contentsOf: URL(fileURLWithPath: path))
        }
        return CSVConnector(
            directory: directory, mapping: mapping, optionalFiles: try Self.optionalFiles(config["optional-files"]),
            dateFormat: try Self.dateFormat(config["date-format"]), encoding: try ExportEncoding(config: config["encoding"]))
    }

    /// Checked at `integration add` and `set` (kit 1.1): a typo in `optional-files`, or a mapping file
    /// that is missing, not JSON or names an unknown file or column, is refused then, not found by
    /// the first import.
    public func validate(config: PluginConfig) throws {
        _ = try Self.optionalFiles(config["optional-files"])
        if let path = config["mapping"], !path.isEmpty { _ = try HeaderMapping(contentsOf: URL(fileURLWithPath: path)) }
        _ = try Self.dateFormat(config["date-format"])
        _ = try ExportEncoding(config: config["encoding"])
    }

    static func dateFormat(_ text: String?) throws -> DateFormat {
        guard let text, !text.isEmpty else { return .iso }
        return try DateFormat(text)
    }

    /// The `optional-files` list; a name that is not an export file is an error, so that a typo
    /// cannot leave a file required (or, worse, quietly optional).
    static func optionalFiles(_ text: String?) throws -> Set<ExportFile> {
        var files: Set<ExportFile> = []
        let names = (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in names where !name.isEmpty {
            guard let file = ExportFile(rawValue: name.lowercased()) else {
                let known = ExportFile.allCases.map(\.name).joined(separator: ", ")
                throw PluginError.permanent(
                    "csv: optional-files names '\(name)', which is not an export file (known: \(known))")
            }
            files.insert(file)
        }
        return files
    }
}
