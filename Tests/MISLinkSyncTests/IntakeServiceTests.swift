import CSVConnector
import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB
import Synchronization
import Testing

@Suite struct IntakeServiceTests {
    /// A school whose initial upload leaves three entries: Amy (two target records share her name and
    /// date of birth), Ben (one target record has his name, another date of birth) and Cat (nobody).
    private func school(status: IntegrationStatus = .ready) async throws -> SyncFixture {
        let school = try SyncFixture()
        try school.writeExport(students: [
            student("M1", "Amy", "Lee", dob: "2018-01-01"), student("M2", "Ben", "Ng", dob: "2018-02-02"),
            student("M3", "Cat", "Roe"),
        ])
        for _ in 0..<2 { _ = try await school.library.addManual(pupil("Amy", "Lee", "2018-01-01")) }
        _ = try await school.library.addManual(pupil("Ben", "Ng", "2017-12-12"))
        try school.addIntegration(status: status)
        let job = try await school.run("initial-upload")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        return school
    }

    private func pupil(_ forename: String, _ surname: String, _ dob: String) -> PersonRecord {
        .pupil(Pupil(details: PersonDetails(misID: "", name: PersonName(legalForename: forename, legalSurname: surname), dateOfBirth: CalendarDate(iso: dob))))
    }

    private func entry(_ school: SyncFixture, _ misID: String) throws -> IntakeEntry {
        try #require(try school.store.intake(integration: "oak", includeResolved: true).first { $0.misID == misID })
    }

    @Test("an import records each intake entry's candidates and on what they nearly matched")
    func candidatesRecorded() async throws {
        let school = try await school()
        let amy = try entry(school, "M1").candidates ?? []
        #expect(amy.count == 2)
        #expect(amy.allSatisfy { $0.basis == .nameAndDateOfBirth && $0.name == "Amy Lee" })
        let ben = try entry(school, "M2").candidates ?? []
        #expect(ben.map(\.basis) == [.name])
        #expect(ben.first?.dateOfBirth == CalendarDate(iso: "2017-12-12"))
        #expect(try entry(school, "M3").candidates == [])
    }

    @Test("match in bulk takes each entry's only candidate and refuses none or several, with the reason")
    func matchOnlyCandidates() async throws {
        let school = try await school()
        let service = IntakeService(environment: school.environment)
        let report = try await service.decide(.matchOnlyCandidate, .allOpen)
        let ben = try entry(school, "M2")
        #expect(report.done.map(\.entry) == [ben.id])
        #expect(ben.status == .matched && ben.targetID == ben.candidates?.first?.targetID)
        let reasons = Dictionary(uniqueKeysWithValues: report.refused.map { ($0.entry, $0.reason) })
        #expect(reasons[try entry(school, "M1").id]?.contains("has 2 candidates") == true)
        #expect(reasons[try entry(school, "M3").id]?.contains("has no candidate") == true)
        #expect(try school.store.links(integration: "oak").filter { $0.origin == .manual }.map(\.misID) == ["M2"])
    }

    @Test("transfer and exclude in bulk report every entry; one already decided is refused, not redone")
    func bulkTransferAndExclude() async throws {
        let school = try await school()
        let service = IntakeService(environment: school.environment)
        let amy = try entry(school, "M1").id
        let ben = try entry(school, "M2").id
        let cat = try entry(school, "M3").id
        #expect(try service.count(.open(integration: "oak", role: .pupil)) == 3)
        #expect(try service.count(.open(integration: "oak", role: .staff)) == 0)
        let excluded = try await service.decide(.exclude, .ids([cat]))
        #expect(excluded.done == [.init(entry: cat, status: .excluded, targetID: nil)])
        let transferred = try await service.decide(.transfer, .ids([amy, ben, cat, 9_999]))
        #expect(transferred.done.map(\.entry) == [amy, ben])
        #expect(transferred.refused.map(\.entry) == [cat, 9_999])
        #expect(transferred.refused.map(\.code) == [.conflict, .notFound])
        #expect(transferred.refused[0].reason.contains("already excluded"))
        let created = try #require(transferred.done.first?.targetID)
        #expect(try await school.library.person(created)?.misID == "M1")
        #expect(try school.store.exclusions(integration: "oak").map(\.misID) == ["M3"])
        #expect(try service.count(.allOpen) == 0)
        let again = try await service.decide(.transfer, .ids([amy]))
        #expect(again.done.isEmpty && again.refused.first?.code == .conflict)
    }

    @Test("a status that does not allow intake decisions refuses each entry naming the status; nothing changes",
          arguments: [IntegrationStatus.pending, .ready])
    func refusedByStatus(status: IntegrationStatus) async throws {
        let school = try await school()
        var integration = try school.integration()
        integration.status = status
        try school.store.save(integration)
        let report = try await IntakeService(environment: school.environment).decide(.exclude, .open(integration: "oak", role: nil))
        #expect(report.done.isEmpty && report.refused.count == 3)
        #expect(report.refused.allSatisfy { $0.code == .refused && $0.reason.contains(status.title) })
        #expect(try school.store.intake(integration: "oak").count == 3)
        #expect(try school.store.exclusions(integration: "oak").isEmpty)
    }

    @Test("a target that fails mid-batch leaves each entry either transferred with its link or open")
    func failureMidBatch() async throws {
        let budget = WriteBudget()
        let school = try SyncFixture(writeBudget: budget)
        try school.writeExport(students: (1...5).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .intake }
        #expect(try await school.run("initial-upload").state == .succeeded)
        budget.crash(after: 2)
        let report = try await IntakeService(environment: school.environment).decide(.transfer, .allOpen)
        #expect(report.done.count == 2 && report.refused.count == 3)
        #expect(report.refused.allSatisfy { $0.code == .failed && $0.reason.contains("simulated crash") })
        let entries = try school.store.intake(integration: "oak", includeResolved: true)
        let links = try school.store.links(integration: "oak")
        for entry in entries {
            let link = links.first { $0.misID == entry.misID }
            #expect((entry.status == .transferred) == (link != nil), "\(entry.misID)")
            #expect(entry.status == .transferred || entry.status == .open)
            if let link { #expect(link.targetID == entry.targetID && link.origin == .manual) }
        }
        budget.unlimited()
        let rest = try await IntakeService(environment: school.environment).decide(.transfer, .allOpen)
        #expect(rest.done.count == 3 && rest.isComplete)
    }

    @Test("a batch opens one plugin session and lists the target once per integration, not per entry")
    func oneListingPerBatch() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...6).map { student("M\($0)", "Kid\($0)", "Roe") })
        for n in 1...6 { _ = try await school.library.addManual(pupil("Kid\(n)", "Roe", "2011-01-01")) }
        try school.addIntegration(status: .ready)
        #expect(try await school.run("initial-upload").state == .succeeded)
        let counter = ListingCounter()
        let plugins = PluginRegistry()
        try plugins.register(connector: CSVConnectorPlugin())
        try plugins.register(target: CountingDirectoryPlugin(counter: counter))
        let environment = SyncEnvironment(databasePath: school.databasePath, plugins: plugins, environment: [:])
        let report = try await IntakeService(environment: environment).decide(.matchOnlyCandidate, .allOpen)
        #expect(report.done.count == 6 && report.isComplete)
        #expect(counter.listings.withLock { $0 } == 1)
        #expect(counter.sessions.withLock { $0 } == 1)
    }

    @Test("an entry made before candidates were recorded gets them on demand, and matches in bulk from the batch's listing")
    func olderEntries() async throws {
        let school = try await school()
        try school.store.connection.run("UPDATE intake SET candidates = NULL")
        let ben = try entry(school, "M2")
        #expect(ben.candidates == nil)
        let service = IntakeService(environment: school.environment)
        let shown = try await service.entry(ben.id)
        #expect(shown.candidates?.map(\.basis) == [.name])
        let report = try await service.decide(.matchOnlyCandidate, .ids([ben.id]))
        #expect(report.done.first?.targetID == shown.candidates?.first?.targetID)
    }

    @Test("two entries whose only candidate is the same record are both refused")
    func sharedOnlyCandidate() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee", dob: "2018-01-01"), student("M2", "Amy", "Lee", dob: "2018-01-01")])
        _ = try await school.library.addManual(pupil("Amy", "Lee", "2018-01-01"))
        try school.addIntegration(status: .ready)
        #expect(try await school.run("initial-upload").state == .succeeded)
        let report = try await IntakeService(environment: school.environment).decide(.matchOnlyCandidate, .allOpen)
        #expect(report.done.isEmpty && report.refused.count == 2)
        #expect(report.refused.allSatisfy { $0.reason.contains("also the only candidate") })
    }

    @Test("a match by target id is for one entry")
    func matchNeedsOneEntry() async throws {
        let school = try await school()
        let service = IntakeService(environment: school.environment)
        await #expect(throws: SyncError.self) { _ = try await service.decide(.match(targetID: "X"), .allOpen) }
        await #expect(throws: SyncError.self) { _ = try await service.decide(.transfer, .ids([])) }
    }

    @Test("the allowed actions per status follow the state table and the service's own rules",
          arguments: IntegrationStatus.allCases)
    func allowedActions(status: IntegrationStatus) throws {
        #expect(IntegrationActions.allows(.rerunWizard, in: status) == StateTable.allows(.rerunWizard, in: status))
        #expect(IntegrationActions.allows(.intakeDecisions, in: status) == StateTable.allows(.rematch, in: status))
        #expect(IntegrationActions.allows(.goLive, in: status) == (status == .ready))
        #expect(IntegrationActions.allows(.importNow, in: status) == (status == .on))
        var integration = Integration(id: "oak", connector: "csv", target: "directory", now: 0)
        integration.status = status
        let allowed = IntegrationActions.allowed(for: integration)
        #expect(!allowed.contains(status == .on ? .turnOn : .turnOff) || ![.on, .off].contains(status))
        #expect(allowed.allSatisfy { IntegrationActions.allows($0, in: status) })
    }
}

/// How often the target was made (a plugin session) and listed.
final class ListingCounter: Sendable {
    let sessions = Mutex(0)
    let listings = Mutex(0)
}

/// The directory target plugin (same id), counting sessions and listings.
struct CountingDirectoryPlugin: TargetPlugin {
    let counter: ListingCounter
    private let inner = DirectoryTargetPlugin()

    init(counter: ListingCounter) { self.counter = counter }

    var manifest: PluginManifest { inner.manifest }

    func makeTarget(config: PluginConfig) throws -> any Target {
        counter.sessions.withLock { $0 += 1 }
        return CountingTarget(inner: try inner.makeTarget(config: config), counter: counter)
    }
}

struct CountingTarget: ForwardingTarget {
    let inner: any Target
    let counter: ListingCounter

    func listPeople(context: PluginContext) async throws -> [TargetPerson] {
        counter.listings.withLock { $0 += 1 }
        return try await inner.listPeople(context: context)
    }
}
