import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// One pass of an integration's sync: read the MIS, match against the target, update, create or send
/// to intake, and find leavers. Effects on the target happen as it goes (idempotent: a re-run finds
/// what it created by the MIS id stored on the record); our own bookkeeping is returned to commit
/// with the job.
struct ImportEngine {
    enum Mode: Equatable {
        /// Initial upload and nightly import: everything.
        case full
        /// Re-run wizard: match only (after removing the integration's own links); report the rest.
        case matchAll
        /// Re-match staff: staff by NI number only.
        case matchStaffByNINumber
    }

    let integration: Integration
    let session: PluginSession
    let environment: SyncEnvironment
    let context: JobContext
    let mode: Mode
    var allowMassLeavers = false
    /// Ask the connector only for people changed since then (a nightly import after an earlier one).
    /// A connector that cannot do deltas returns everyone, which the engine handles the same way.
    /// Contacts are always read whole: a pupil's contacts are replaced as a set.
    var changedSince: Date?

    func run(links existing: [Link], exclusions: Set<String>) async throws -> (ImportReport, Bookkeeping) {
        var report = ImportReport()
        var bookkeeping = Bookkeeping(integration: integration.id)
        let settings = integration.settings
        let plugin = context.plugin
        let (people, contacts) = try await readMIS(report: &report)
        report.read = people.count
        plugin.report(.init(done: 0, total: people.count, message: "read \(people.count) records from the MIS"))
        let targetPeople = try await session.target.listPeople(context: plugin)
        let links = mode == .matchAll ? existing.filter { $0.origin == .manual } : existing
        var matcher = Matcher(targetPeople: mode == .matchStaffByNINumber ? targetPeople.filter { $0.role == .staff } : targetPeople, links: links)
        matcher.prepare(misPeople: people)
        // What was last sent per linked record: a target value that differs from it is a target-side edit.
        let sent = Dictionary(links.compactMap { link in link.sent.map { (link.role.rawValue + ":" + link.misID, $0) } }) { a, _ in a }
        func sentKey(_ person: MISPerson) -> String { person.role.rawValue + ":" + person.misID }
        let projection = RecordProjection(settings: settings, contractSync: integration.contractSync)
        let today = environment.today(settings.timeZone)
        let now = Int64(Date().timeIntervalSince1970 * 1000)

        if mode == .full { try checkMassLeavers(people, matcher: matcher, links: links, today: today) }

        for (index, person) in people.enumerated() {
            if index % 1000 == 999 {
                try plugin.checkCancellation()
                plugin.report(.init(done: index + 1, total: people.count, message: "matching and updating"))
            }
            if exclusions.contains(person.misID) {
                report.skip("excluded by an admin")
                continue
            }
            if let withheld = projection.withheldReason(person) {
                report.skip(withheld)
                continue
            }
            if mode == .matchStaffByNINumber {
                rematchByNINumber(person, matcher: &matcher, report: &report, bookkeeping: &bookkeeping, now: now)
                continue
            }
            if settings.phase == .primary, person.role == .pupil, case .pupil(let pupil) = person.record,
                let problem = YearGroup.primaryProblem(pupil.yearGroup)
            {
                report.warnings.append("\(person.misID) \(person.displayName): \(problem)")
            }
            if person.isLeaver(today: today) {
                if mode == .full { handleLeaver(person, matcher: matcher, report: &report, bookkeeping: &bookkeeping) }
                continue
            }
            let decision = matcher.match(person)
            switch decision {
            case .matched(let targetID, let rule, let isNew):
                if isNew {
                    report.matched += 1
                    report.matchedBy[rule, default: 0] += 1
                    bookkeeping.newLinks.append(
                        Link(integration: integration.id, role: person.role, misID: person.misID, targetID: targetID,
                             origin: .integration, rule: rule, createdAt: now))
                }
                if mode == .full {
                    try await update(
                        person, targetID: targetID, matcher: matcher, projection: projection, sent: sent[sentKey(person)],
                        report: &report, bookkeeping: &bookkeeping)
                    try await syncContacts(person, targetID: targetID, held: matcher.targetPerson(targetID), contacts: contacts, report: &report)
                }
            case .noMatch, .ambiguous:
                if mode == .full && settings.newRecords == .create && decision == .noMatch {
                    let created = projection.project(person)
                    let targetID = try await session.target.create(created, context: plugin)
                    matcher.remember(created: person, targetID: targetID)
                    bookkeeping.sentSnapshots.append(
                        (person.role, person.misID, created.standardFields))
                    try await syncContacts(person, targetID: targetID, held: nil, contacts: contacts, report: &report)
                    report.added += 1
                    report.matchedBy["created", default: 0] += 1
                    bookkeeping.newLinks.append(
                        Link(integration: integration.id, role: person.role, misID: person.misID, targetID: targetID,
                             origin: .integration, rule: "created", createdAt: now))
                } else if mode == .full {
                    report.sendToIntake(decision == .noMatch ? "no match" : "ambiguous")
                    bookkeeping.intake.append(
                        .init(role: person.role, misID: person.misID, name: person.displayName,
                              record: SyncJSON.encode(IntakeRecord(person.record)), reason: decision.reason))
                } else {
                    report.skip(decision == .noMatch ? "not matched" : "ambiguous: needs an admin")
                }
            }
        }
        plugin.report(.init(done: people.count, total: people.count, message: "done"))
        return (report, bookkeeping)
    }

    /// The MIS records, and (when guardian contacts are shared) each pupil's contacts by MIS id.
    private func readMIS(report: inout ImportReport) async throws -> ([MISPerson], [String: [Contact]]?) {
        let connector = session.connector
        let plugin = context.plugin
        var people: [MISPerson] = []
        var contacts: [String: [Contact]]?
        if mode != .matchStaffByNINumber {
            people += try await connector.readPupils(changedSince: changedSince, context: plugin).map { MISPerson(.pupil($0)) }
            people += try await connector.readPreAdmissions(changedSince: changedSince, context: plugin)
                .map { MISPerson(.preAdmission($0)) }
        }
        // Staff sync off: no staff record is sent (seed 000). Re-match works on staff regardless.
        if mode == .matchStaffByNINumber || (integration.staffSync && integration.settings.fields.contains(.staff)) {
            people += try await connector.readStaff(changedSince: changedSince, context: plugin).map { MISPerson(.staff($0)) }
        }
        if mode == .full && integration.settings.fields.contains(.guardians) {
            let all = try await connector.readContacts(changedSince: nil, context: plugin)
            report.contactsRead = all.count
            contacts = Dictionary(grouping: all, by: \.studentMisID).mapValues {
                $0.sorted { ($0.priority ?? Int.max, $0.misID) < ($1.priority ?? Int.max, $1.misID) }
            }
        }
        return (people, contacts)
    }

    /// Sends a pupil's contacts to the target when the integration shares them and they changed.
    private func syncContacts(
        _ person: MISPerson, targetID: String, held: TargetPerson?, contacts: [String: [Contact]]?, report: inout ImportReport
    ) async throws {
        guard let contacts, person.role == .pupil, held?.inRecycleBin != true else { return }
        let wanted = contacts[person.misID] ?? []
        guard wanted != (held?.contacts ?? []) else { return }
        try await session.target.replaceContacts(of: targetID, with: wanted, context: context.plugin)
        report.contactsUpdated += 1
    }

    /// Stops before touching anything when too many current records would become leavers at once.
    /// "Current" counts every linked record not in the recycle bin, read or not, so a delta import
    /// is judged against the whole school.
    private func checkMassLeavers(_ people: [MISPerson], matcher: Matcher, links: [Link], today: CalendarDate) throws {
        guard !allowMassLeavers else { return }
        let current = links.filter { matcher.targetPerson($0.targetID).map { !$0.inRecycleBin } ?? false }.count
        var leaving = 0
        for person in people where person.isLeaver(today: today) {
            guard let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
                let held = matcher.targetPerson(targetID), !held.inRecycleBin
            else { continue }
            leaving += 1
        }
        let limit = integration.settings.massLeaverThreshold
        guard current > 0, Double(leaving) > limit * Double(current) else { return }
        let share = String(format: "%.0f%%", Double(leaving) / Double(current) * 100)
        throw HandlerError(
            .permanent, code: FailureMarker.massLeaverGuard,
            "mass-leaver guard: this import would make \(leaving) of \(current) current records leavers (\(share), more than the \(Int(limit * 100))% limit); nothing was changed. If this is right, run it again with --allow-mass-leavers")
    }

    private func handleLeaver(_ person: MISPerson, matcher: Matcher, report: inout ImportReport, bookkeeping: inout Bookkeeping) {
        // Leavers are never created, and never come back as new.
        guard let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
            let held = matcher.targetPerson(targetID)
        else {
            report.skip("leaver not in the target")
            return
        }
        guard !held.inRecycleBin else { return }
        report.leavers += 1
        let policy = environment.policies.policy(for: "leaver-to-recycle-bin") ?? JobKinds.defaultPolicies["leaver-to-recycle-bin"]!
        bookkeeping.followUps.append(
            NewJobFactory.make(
                kind: "leaver-to-recycle-bin", policy: policy, integration: integration.id,
                payload: SyncJSON.encode(LeaverPayload(role: person.role, misID: person.misID, targetID: targetID)),
                uniqueKey: "leaver:\(integration.id):\(person.role.rawValue):\(person.misID)"))
    }

    private func update(
        _ person: MISPerson, targetID: String, matcher: Matcher, projection: RecordProjection, sent: [String: String]?,
        report: inout ImportReport, bookkeeping: inout Bookkeeping
    ) async throws {
        guard let held = matcher.targetPerson(targetID) else {
            report.skip("linked record no longer in the target")
            return
        }
        if held.inRecycleBin {
            report.skip("in the target's recycle bin (restore it to sync it again)")
            return
        }
        let record = projection.project(person, currentPost: held.fields["post"])
        // Each side's fields once: this runs for every linked person of every import.
        let wanted = RecordProjection.comparable(record.standardFields, registered: held.registered)
        let have = RecordProjection.comparable(held.standardFields, registered: held.registered)
        if let sent {
            for edit in RecordProjection.targetEdits(held: have, registered: held.registered, sent: sent) {
                report.targetEdits += 1
                bookkeeping.targetChanges.append(
                    TargetChange(role: person.role, misID: person.misID, targetID: targetID, field: edit.field,
                                 sentValue: edit.sent, targetValue: edit.target, status: .overwritten))
            }
        }
        if wanted != sent { bookkeeping.sentSnapshots.append((person.role, person.misID, wanted)) }
        guard RecordProjection.differs(wanted: wanted, held: have) else {
            report.unchanged += 1
            return
        }
        try await session.target.update(
            targetID: targetID, with: record, keepContactDetails: held.registered, context: context.plugin)
        report.updated += 1
    }

    private func rematchByNINumber(
        _ person: MISPerson, matcher: inout Matcher, report: inout ImportReport, bookkeeping: inout Bookkeeping, now: Int64
    ) {
        guard matcher.linkedTarget(role: person.role, misID: person.misID) == nil else { return }
        guard let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) else {
            report.skip(person.niNumber?.isEmpty == false ? "NI number not valid" : "no NI number in the MIS")
            return
        }
        switch matcher.matchStrongOnly(person) {
        case .matched(let targetID, let rule, _):
            report.matched += 1
            report.matchedBy[rule, default: 0] += 1
            bookkeeping.newLinks.append(
                Link(integration: integration.id, role: .staff, misID: person.misID, targetID: targetID,
                     origin: .integration, rule: rule, createdAt: now))
        default:
            report.skip("no staff record in the target has this NI number")
        }
    }
}

/// The payload of a `leaver-to-recycle-bin` job.
struct LeaverPayload: Codable {
    let role: PersonRole
    let misID: String
    let targetID: String
}

/// An MIS record as kept in intake, so that a transfer creates it as it was.
struct IntakeRecord: Codable {
    var pupil: Pupil?
    var staff: StaffMember?
    var preAdmission: PreAdmission?

    init(_ record: PersonRecord) {
        switch record {
        case .pupil(let value): pupil = value
        case .staff(let value): staff = value
        case .preAdmission(let value): preAdmission = value
        }
    }

    var record: PersonRecord? {
        if let pupil { return .pupil(pupil) }
        if let staff { return .staff(staff) }
        if let preAdmission { return .preAdmission(preAdmission) }
        return nil
    }
}

/// A job to enqueue from inside the engine, with its kind's policy applied.
enum NewJobFactory {
    static func make(kind: String, policy: JobPolicy, integration: String, payload: String, uniqueKey: String?) -> NewJob {
        NewJob(
            kind: kind, queue: policy.queue, integration: integration, payload: payload, priority: policy.priority,
            maxAttempts: policy.maxAttempts, uniqueKey: uniqueKey,
            concurrencyKey: JobKinds.concurrencyKey(kind: kind, integration: integration))
    }
}
