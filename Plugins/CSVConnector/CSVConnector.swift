import Foundation
import MISLinkKit

/// Reads a folder of MIS export files (`students.csv`, `staff.csv`, `preadmissions.csv`,
/// `contacts.csv`) and writes attendance marks back to `writeback.csv` in the same folder.
///
/// A missing folder is an error, and so is a missing file of an entity the import reads, so that
/// an unmounted share or a broken export never looks like a school where everyone left. A file the
/// MIS does not export at all is named in `optionalFiles` (config key `optional-files`): its read
/// returns `[]`, with a warning in the job's log each time. CSV exports are full snapshots, so every
/// read ignores `changedSince` and returns everyone.
public struct CSVConnector: StreamingConnector {
    /// The export folder.
    public let directory: URL
    public let mapping: HeaderMapping
    /// Files that may be missing: the MIS does not export them.
    public let optionalFiles: Set<ExportFile>
    public let dateFormat: DateFormat
    public let encoding: ExportEncoding
    /// Rows per batch of a streaming read.
    public var batchSize = 1000

    public init(
        directory: URL, mapping: HeaderMapping = .none, optionalFiles: Set<ExportFile> = [], dateFormat: DateFormat = .iso,
        encoding: ExportEncoding = .utf8
    ) {
        self.directory = directory
        self.mapping = mapping
        self.optionalFiles = optionalFiles
        self.dateFormat = dateFormat
        self.encoding = encoding
    }

    /// Checks that the export folder is there.
    public func checkConnection(context: PluginContext) async throws {
        try checkDirectory()
    }

    // The reads ignore `changedSince` (exports are full snapshots); one contact may appear once per
    // pupil. The array forms come from `StreamingConnector`.

    /// The export files' bytes, with how they are read (kit 1.5): a new export, or an edit of one
    /// file, changes it. Nil with a header mapping, whose file's content the connector no longer has.
    public func fingerprint(context: PluginContext) async throws -> String? {
        guard mapping == .none else { return nil }
        var digest = StableDigest()
        digest.update("csv|\(optionalFiles.map(\.rawValue).sorted())|\(dateFormat.pattern)|\(encoding.rawValue)")
        for file in ExportFile.allCases {
            try context.checkCancellation()
            digest.update(file.rawValue)
            if let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file.rawValue).path) {
                digest.update(data)
            } else {
                digest.update("missing")
            }
        }
        return digest.hex
    }

    /// `students.csv`, `batchSize` rows at a time (kit 1.2).
    public func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void)
        async throws
    {
        try read(.students, context: context, key: { RowKey($0.details.misID) }, decode: { try $0.pupil() }, each: each)
    }

    /// `staff.csv`, `batchSize` rows at a time (kit 1.2).
    public func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void)
        async throws
    {
        try read(
            .staff, context: context, key: { RowKey($0.details.misID) }, decode: { try $0.staffMember() }, each: each)
    }

    /// `preadmissions.csv`, `batchSize` rows at a time (kit 1.2).
    public func readPreAdmissions(
        changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void
    ) async throws {
        try read(
            .preAdmissions, context: context, key: { RowKey($0.pupil.details.misID) },
            decode: { try $0.preAdmission() }, each: each)
    }

    /// `contacts.csv`, `batchSize` rows at a time (kit 1.2).
    public func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void)
        async throws
    {
        try read(
            .contacts, context: context, key: { RowKey($0.misID, student: $0.studentMisID) },
            decode: { try $0.contact() }, each: each)
    }

    /// Appends the mark to `writeback.csv`, at most once per `eventID`, and returns once it is on disk.
    public func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult {
        try checkDirectory()
        let file = WriteBackFile(directory: directory)
        // Locking and fsync block: keep them off the cooperative thread pool.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try file.append(mark, log: { context.log(.warning, $0) }) })
            }
        }
    }

    private func checkDirectory() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw PluginError.permanent("csv: export folder \(directory.path) does not exist or is not a folder")
        }
    }

    /// How much of an export file is read at once.
    static let chunkBytes = 1 << 20

    /// Reads one export file, a chunk at a time, decodes its rows
    /// one by one and hands them to `each` in batches of `batchSize`; `key` identifies a record, so
    /// that two rows describing the same one are refused. A missing optional file hands over nothing.
    private func read<Record>(
        _ file: ExportFile, context: PluginContext, key: (Record) -> RowKey, decode: (ExportRow) throws -> Record,
        each: ([Record]) throws -> Void
    ) throws {
        try checkDirectory()
        let url = directory.appendingPathComponent(file.name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            guard optionalFiles.contains(file) else {
                throw PluginError.permanent(
                    "csv: \(file.name) is missing from the export folder \(directory.path); nothing was read. "
                        + "If the MIS does not export it, list it in the config key optional-files")
            }
            context.log(.warning, "csv: \(file.name) is not in \(directory.path); read as no records (optional-files)")
            return
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw PluginError.retryable("csv: cannot read \(url.path): \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        // A megabyte at a time: the file's bytes are never held whole beside the records made from them.
        let encoding = encoding
        let reader: CSVReader
        do {
            reader = try CSVReader(chunks: {
                guard let chunk = try handle.read(upToCount: Self.chunkBytes), !chunk.isEmpty else { return nil }
                return try encoding.utf8([UInt8](chunk), file: file.name)
            })
        } catch {
            if case .undecodable(let why) = error.kind { throw PluginError.permanent(why) }
            throw PluginError.retryable("csv: cannot read \(url.path): \(error.reason)")
        }
        var table = try ExportTable(file: file, reader: reader, mapping: mapping, dateFormat: dateFormat)
        if !table.layout.absentColumns.isEmpty {
            let names = table.layout.absentColumns.joined(separator: ", ")
            context.log(.warning, "csv: \(file.name) has no column for \(names); read as empty (optional columns)")
        }
        var batch: [Record] = []
        batch.reserveCapacity(batchSize)
        var count = 0
        var firstLine: [RowKey: Int] = [:]
        while let row = try table.nextRow() {
            if count % 1000 == 0 { try context.checkCancellation() }
            let record = try decode(row)
            // Two rows for one person would make matching ambiguous: the export is broken.
            let recordKey = key(record)
            if let earlier = firstLine.updateValue(row.line, forKey: recordKey) {
                throw row.error("mis_id", "\(recordKey) is also on line \(earlier)")
            }
            batch.append(record)
            count += 1
            if batch.count == batchSize {
                try each(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try each(batch) }
        context.report(.init(done: count, total: count, message: "read \(file.name)"))
    }
}
