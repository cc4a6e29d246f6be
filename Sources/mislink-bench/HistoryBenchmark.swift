import Foundation
import MISLinkDemo
import MISLinkKit
import MISLinkQueue
import MISLinkQueuePostgres
import MISLinkRunner
import MISLinkSync

/// `mislink-bench --history`: the person history after a year of nightly imports of a 2,000-pupil
/// school with the demo school's churn (each night's `DemoSchool.nextDay`: form changes, house
/// moves, leavers, joiners, contacts), and `person history`'s time on it. The rows are written
/// through the store's own calls, as an import's completion writes them (one transaction a night),
/// not through the engine: a year of real imports would take longer than the figure is worth.
enum HistoryBenchmark {
    static func run(pupils: Int = 2_000, nights: Int = 365, lookups: Int = 200) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("mislink-history-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent("mislink.sqlite").path
        _ = try QueueDatabase(path).open()
        let store = try IntegrationStore(path: path)
        let start = JobStore.now() - Int64(nights) * 86_400_000
        try store.add(Integration(id: "school", connector: "csv", target: "directory", now: start))

        var school = DemoSchool.generate(seed: 7, pupils: pupils, staff: 150)
        var recycled: Set<String> = []
        let began = Date()
        try write(store, night: 0, at: start, changes: changes(from: nil, to: school, recycled: &recycled))
        for night in 1...nights {
            let next = school.nextDay(seed: UInt64(night))
            try write(store, night: Int64(night), at: start + Int64(night) * 86_400_000,
                      changes: changes(from: school, to: next, recycled: &recycled))
            school = next
        }
        let writing = Date().timeIntervalSince(began)
        _ = try store.connection.run("PRAGMA wal_checkpoint(TRUNCATE)")
        let rows = try store.connection.scalarInt("SELECT count(*) FROM person_changes") ?? 0
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // `person history` as the command calls it: the service, which opens the file, for a random person.
        let environment = SyncEnvironment(databasePath: path, plugins: PluginRegistry(), policies: PolicySet(catalog: JobKinds.catalog))
        let service = IntegrationService(environment: environment)
        var generator = SystemRandomNumberGenerator()
        let people = school.pupils.map(\.details.misID)
        var times: [Double] = []
        var found = 0
        for _ in 0..<lookups {
            let misID = people.randomElement(using: &generator)!
            let clock = Date()
            found += try service.personHistory("school", misID: misID).count
            times.append(Date().timeIntervalSince(clock) * 1000)
        }
        times.sort()
        print("history: \(pupils) pupils, \(nights) nightly imports written in \(String(format: "%.1f", writing)) s")
        print("  rows: \(rows), database file: \(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB (\(bytes / max(Int(rows), 1)) bytes a row, indexes included)")
        print("  person history (\(lookups) random pupils, \(found) rows): p50 \(String(format: "%.2f", times[times.count / 2])) ms, max \(String(format: "%.2f", times.last ?? 0)) ms")
    }

    private static func write(_ store: IntegrationStore, night: Int64, at: Int64, changes: [PersonChange.Draft]) throws {
        try store.connection.transaction {
            for draft in changes {
                try store.recordChange(
                    PersonChange(
                        integration: "school", jobID: night + 1, planID: night + 1, at: at, role: .pupil, misID: draft.misID,
                        targetID: "T" + draft.misID, kind: draft.kind, before: draft.before, after: draft.after))
            }
        }
    }

    /// What a night's import would record: creates (with contacts), updates of the fields that
    /// changed, contacts that changed, leavers moved to the recycle bin.
    private static func changes(from old: DemoSchool?, to new: DemoSchool, recycled: inout Set<String>) -> [PersonChange.Draft] {
        let before = Dictionary((old?.pupils ?? []).map { ($0.details.misID, PersonRecord.pupil($0).standardFields) }) { a, _ in a }
        let contactsBefore = Dictionary(grouping: old?.contacts ?? [], by: \.studentMisID)
        let contactsAfter = Dictionary(grouping: new.contacts, by: \.studentMisID)
        var drafts: [PersonChange.Draft] = []
        for pupil in new.pupils {
            let misID = pupil.details.misID
            let fields = PersonRecord.pupil(pupil).standardFields
            if pupil.details.endDate != nil && pupil.details.status != .active {
                if before[misID] != nil, recycled.insert(misID).inserted { drafts.append(.init(misID: misID, kind: .recycle)) }
                continue
            }
            guard let was = before[misID] else {
                drafts.append(.init(misID: misID, kind: .create, after: PersonChange.encodeFields(fields)))
                if let contacts = contactsAfter[misID] {
                    drafts.append(.init(misID: misID, kind: .contacts, before: "[]", after: PersonChange.encodeContacts(contacts)))
                }
                continue
            }
            let changed = Set(was.keys).union(fields.keys).filter { was[$0] != fields[$0] }
            if !changed.isEmpty {
                drafts.append(
                    .init(misID: misID, kind: .update,
                          before: PersonChange.encodeFields(Dictionary(uniqueKeysWithValues: changed.map { ($0, was[$0]) })),
                          after: PersonChange.encodeFields(Dictionary(uniqueKeysWithValues: changed.map { ($0, fields[$0]) }))))
            }
            let had = contactsBefore[misID] ?? [], has = contactsAfter[misID] ?? []
            if had != has {
                drafts.append(
                    .init(misID: misID, kind: .contacts, before: PersonChange.encodeContacts(had), after: PersonChange.encodeContacts(has)))
            }
        }
        return drafts
    }
}
