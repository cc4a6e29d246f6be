import CSVConnector
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// The csv connector, reading in batches of `batchSize` rows (kit 1.2's streaming reads).
struct BatchingCSVPlugin: ConnectorPlugin {
    let batchSize: Int

    var manifest: PluginManifest { CSVConnectorPlugin().manifest }

    func makeConnector(config: PluginConfig) throws -> any Connector {
        var connector = try #require(try CSVConnectorPlugin().makeConnector(config: config) as? CSVConnector)
        connector.batchSize = batchSize
        return connector
    }
}

/// The csv connector's plugin, its connectors wrapped by `wrap`.
struct WrappingCSVPlugin: ConnectorPlugin {
    let wrap: @Sendable (any Connector) -> any Connector
    private let inner = CSVConnectorPlugin()

    init(wrap: @escaping @Sendable (any Connector) -> any Connector) { self.wrap = wrap }

    var manifest: PluginManifest { inner.manifest }

    func makeConnector(config: PluginConfig) throws -> any Connector { wrap(try inner.makeConnector(config: config)) }
}

/// The csv connector seen through the array-returning methods only, as a kit 1.1 connector is:
/// the engine's streaming reads get each file as one batch (the kit's defaults).
struct ArrayOnlyConnector: Connector {
    let inner: any Connector
    /// What the pupils read are turned into (a test's broken connector).
    var pupils: @Sendable ([Pupil]) -> [Pupil] = { $0 }

    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        pupils(try await inner.readPupils(changedSince: changedSince, context: context))
    }

    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await inner.readStaff(changedSince: changedSince, context: context)
    }

    func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission] {
        try await inner.readPreAdmissions(changedSince: changedSince, context: context)
    }

    func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        try await inner.readContacts(changedSince: changedSince, context: context)
    }
}

/// Streams the csv connector's pupils in batches of 2, and fails on the third batch: a page walk
/// that broke off half way.
struct FailingOnBatchConnector: Connector {
    let inner: any Connector
    private var batching: any Connector {
        var csv = inner as! CSVConnector
        csv.batchSize = 2
        return csv
    }

    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try await RecordBatches.collect { try await readPupils(changedSince: changedSince, context: context, each: $0) }
    }

    func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void) async throws {
        var batches = 0
        try await batching.readPupils(changedSince: changedSince, context: context) { batch in
            batches += 1
            if batches == 3 { throw PluginError.retryable("students page 3 of 4 did not arrive") }
            try each(batch)
        }
    }

    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        try await inner.readStaff(changedSince: changedSince, context: context)
    }

    func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        try await inner.readContacts(changedSince: changedSince, context: context)
    }
}

@Suite("streaming reads")
struct StreamingImportTests {
    /// Eight pupils (two of them sharing a name and date of birth, one without a UPN), two staff and
    /// contacts: enough rows for several batches of two.
    private static let students = [
        "S1,A123456789012,Amy,Lee,,,2017-03-04,F,2,2L,amy@example.com,,1 Oak Road,OX1 1AA,2021-09-01,,active,yes",
        "S2,,Ben,Ng,,,2016-05-06,M,3,3N,,,,,2020-09-01,,active,yes",
        "S3,,Cal,Roe,,,2015-01-02,M,4,4R,,,,,2019-09-01,,active,yes",
        "S4,,Cal,Roe,,,2015-01-02,M,4,4R,,,,,2019-09-01,,active,yes",
        "S5,,Dee,Fox,Dee-Dee,,2018-07-08,F,R,RF,,,,,2022-09-01,,active,yes",
        "S6,,Eve,Hart,,,2017-09-10,F,2,2H,,,,,2021-09-01,2026-07-20,inactive,yes",
        "S7,,Fay,Kim,,,2014-11-12,F,5,5K,,,,,2018-09-01,,active,",
        "S8,,Gus,Orr,,,2013-02-03,M,6,6O,,,,,2017-09-01,,active,no",
    ]
    private static let staff = [
        "T1,AB123456C,Mr,Tom,Day,,,1980-01-01,M,Teacher,tom@example.com,,,,2010-09-01,,active,yes",
        "T2,,Ms,Uma,Vale,,,1985-02-02,F,TA,,,,,2015-09-01,,active,yes",
    ]
    private static let contacts = [
        "C1,S1,Mother,Ann,Lee,ann@example.com,07700900001,1,yes",
        "C2,S1,Father,Bob,Lee,,07700900002,2,yes",
        "C3,S2,Carer,Cat,Ng,,,1,no",
        "C4,S5,Mother,Dot,Fox,,,1,yes",
    ]

    /// Runs an upload, changes the export (a new address, a new contact, a leaver, a new pupil) and
    /// runs a nightly import; answers both jobs' reports and plans, and the target's records.
    private func uploadThenNightly(_ school: SyncFixture) async throws -> [String] {
        try school.addIntegration { $0.settings.newRecords = .create }
        try school.writeExport(students: Self.students, staff: Self.staff, contacts: Self.contacts)
        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
        var students = Self.students
        students[1] = "S2,,Ben,Ng,,,2016-05-06,M,3,3N,,,9 Elm Street,OX2 2BB,2020-09-01,,active,yes"
        students[2] = "S3,,Cal,Roe,,,2015-01-02,M,4,4R,,,,,2019-09-01,2026-11-01,inactive,yes"
        students.append("S9,,Hal,Ive,,,2019-04-05,M,R,RI,,,,,2026-09-01,,active,yes")
        try school.writeExport(
            students: students, staff: Self.staff, contacts: Self.contacts + ["C5,S2,Father,Dan,Ng,,,2,yes"])
        let nightly = try await school.run(JobKinds.nightlyImport, payload: #"{"allowMassLeavers":true}"#)
        #expect(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
        var lines: [String] = []
        for job in [upload, nightly] {
            lines.append(job.result ?? "")
            for step in try school.store.planSteps(jobID: job.id) {
                lines.append(
                    "\(step.seq) \(step.kind.rawValue) \(step.role.rawValue):\(step.misID) → \(step.targetID ?? "-") "
                        + "\(sorted(step.before)) \(sorted(step.after)) \(step.contacts ?? []) \(step.detail ?? "")")
            }
        }
        for person in try await school.people() {
            var fields = person.standardFields
            fields["created_at"] = nil
            fields["updated_at"] = nil
            lines.append("\(person.targetID) \(person.inRecycleBin) \(sorted(fields)) \(person.contacts)")
        }
        return lines
    }

    private func sorted(_ fields: [String: String]?) -> String {
        (fields ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    @Test("a connector that streams in batches gives the same plans, reports and target as one that returns arrays")
    func batchesMatchArrays() async throws {
        let arrays = try await uploadThenNightly(try SyncFixture(connector: WrappingCSVPlugin { ArrayOnlyConnector(inner: $0) }))
        let batches = try await uploadThenNightly(try SyncFixture(connector: BatchingCSVPlugin(batchSize: 2)))
        #expect(arrays.count > 20)
        #expect(batches == arrays)
        // The runs did something worth comparing: creates, an update, a leaver, contacts and intake.
        let kinds = Set(arrays.compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) })
        #expect(kinds.isSuperset(of: ["create", "update", "leaver", "contacts"]), "\(kinds)")
    }

    @Test("a connector that throws on its third batch fails the import before the target is touched")
    func failureOnBatchThreeWritesNothing() async throws {
        let school = try SyncFixture(connector: WrappingCSVPlugin { FailingOnBatchConnector(inner: $0) })
        try school.addIntegration { $0.settings.newRecords = .create }
        try school.writeExport(students: Self.students, staff: Self.staff, contacts: Self.contacts)
        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state != .succeeded)
        #expect(upload.lastError?.contains("students page 3 of 4 did not arrive") == true)
        #expect(try await school.people().isEmpty)
        #expect(try school.store.planSteps(jobID: upload.id).isEmpty)
        #expect(try school.store.links(integration: "oak").isEmpty)
    }

    @Test("year-group warnings keep the MIS's order when unchanged records are settled as they are read")
    func warningsKeepOrder() async throws {
        let school = try SyncFixture()
        try school.addIntegration {
            $0.settings.newRecords = .create
            $0.settings.phase = .primary
        }
        let students = [
            "S1,,Amy,Lee,,,2017-03-04,F,Y2,2L,,,,,2021-09-01,,active,yes",
            "S2,,Ben,Ng,,,2016-05-06,M,Year 3,3N,,,,,2020-09-01,,active,yes",
            "S3,,Cal,Roe,,,2015-01-02,M,Reception,4R,,,,,2019-09-01,,active,yes",
        ]
        try school.writeExport(students: students)
        #expect(try await school.run(JobKinds.initialUpload).state == .succeeded)
        // S2 changes (planned in full); S1 and S3 are unchanged (settled as they are read).
        try school.writeExport(students: [students[0], students[1].replacingOccurrences(of: "3N", with: "3M"), students[2]])
        let nightly = try await school.run(JobKinds.nightlyImport)
        let report = try school.report(of: nightly)
        #expect(report.updated == 1)
        #expect(report.unchanged == 2)
        #expect(report.warnings.filter { !$0.hasPrefix("csv: ") }.map { String($0.prefix(2)) } == ["S1", "S2", "S3"])
    }

    @Test("a person the MIS gives twice fails the import, naming them, before the target is touched")
    func aPersonGivenTwiceIsRefused() async throws {
        // The first pupil given again at the end: a connector (or an MIS export) naming one person twice.
        let school = try SyncFixture(connector: WrappingCSVPlugin { ArrayOnlyConnector(inner: $0, pupils: { $0 + $0.prefix(1) }) })
        try school.addIntegration { $0.settings.newRecords = .create }
        try school.writeExport(students: Self.students, staff: Self.staff, contacts: Self.contacts)
        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state == .failed)
        #expect(upload.lastError?.contains("the MIS gave two records for pupil S1") == true)
        #expect(try await school.people().isEmpty)
        #expect(try school.store.links(integration: "oak").isEmpty)
    }
}
