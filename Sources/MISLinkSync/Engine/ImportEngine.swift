import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// One pass of an integration's sync, as a plan: read the MIS, match against the target, and list
/// every change to make (update, create, contacts, intake, leavers, links) without writing anything.
/// `PlanApplier` then applies it; the job's bookkeeping is derived from it (`ImportPlan+Bookkeeping`).
struct ImportEngine {
    enum Mode: String, Equatable, Sendable {
        /// Initial upload and nightly import: everything.
        case full
        /// Re-run wizard: match only (after removing the integration's own links); report the rest.
        case matchAll = "match-all"
        /// Re-match staff: staff by NI number only.
        case matchStaffByNINumber = "match-staff-by-ni-number"
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

    /// The plan of job `jobID` (of `kind`). `earlierWrites` (fields by "role:misID") are what unfinished
    /// earlier jobs may have written without recording it as sent: target values among them are not edits.
    /// `sentTexts`: what was last sent per "role:misID" in `SentFields`' text form, when `existing`
    /// was loaded without it (`IntegrationStore.linksForPlanning`); nil takes it from the links. Pass
    /// it with `consume`, so that the memory of settled records' texts goes as the read goes.
    func plan(
        jobID: Int64, kind: String, links existing: [Link], exclusions: Set<String>,
        earlierWrites: [String: [[String: String]]] = [:], sentTexts: consuming [String: String]? = nil, createdAt: Int64
    ) async throws -> ImportPlan {
        var plan = ImportPlan(jobID: jobID, integration: integration.id, kind: kind, mode: mode, createdAt: createdAt)
        if changedSince != nil { plan.report.delta = true }
        let settings = integration.settings
        let plugin = context.plugin
        // What the connector warns of while reading (a column the export lacks) belongs in the report.
        let warnings = PluginWarnings(context)
        let links = mode == .matchAll ? existing.filter { $0.origin == .manual } : existing
        // What was last sent per linked record: a target value that differs from it is a target-side edit.
        // Taken, not copied: this pass drops each settled record's text as it settles, which frees
        // it only if nobody else holds the dictionary (the caller hands it over).
        var sent = (consume sentTexts) ?? Dictionary(
            links.compactMap { link in link.sent.map { (link.role.rawValue + ":" + link.misID, SentFields.encode($0)) } }
        ) { a, _ in a }
        // The contacts, then the target (holding each list equal to the MIS's once), then the people,
        // each compared as it arrives.
        var contacts = try await readContacts(report: &plan.report, plugin: warnings.context)
        var (targetPeople, held) = try await listTarget(sentTexts: sent, contacts: contacts)
        var matcher = Matcher(targetPeople: targetPeople, links: links)
        targetPeople = []
        let projection = RecordProjection(settings: settings, contractSync: integration.contractSync)
        let today = environment.today(settings.timeZone)
        // A settled record's held fields, sent text and contacts go as it settles, not after the
        // read, so the read's peak does not hold them for the whole trust. That needs each key to
        // come once, and each target record to be linked once (else it waits for `dropSettled`).
        let sharedTargets = Self.targetsLinkedMoreThanOnce(links)
        var seenKeys: Set<String> = []
        let read = try await readMIS(plugin: warnings.context, today: today) { person in
            guard seenKeys.insert(person.key).inserted else {
                throw PluginError.permanent(
                    "the MIS gave two records for \(person.role.rawValue) \(person.misID): matching them would be "
                        + "ambiguous, so nothing was imported; the MIS export or connector must give each person once")
            }
            guard isSettled(person, matcher: matcher, held: held, sent: sent, contacts: contacts, exclusions: exclusions,
                projection: projection, today: today)
            else { return false }
            sent[person.key] = nil
            if person.role == .pupil { contacts?[person.misID] = nil }
            if let targetID = matcher.linkedTarget(role: person.role, misID: person.misID), !sharedTargets.contains(targetID) {
                held[targetID] = nil
            }
            return true
        }
        seenKeys = []
        plan.report.warnings.append(contentsOf: warnings.kept)
        plan.report.read = read.count
        plan.report.unchanged += read.settledKeys.count
        read.dropSettled(held: &held, matcher: matcher)
        let people = read.people
        plugin.report(.init(done: 0, total: read.count, message: "read \(Plural.count(read.count, "record")) from the MIS"))
        matcher.prepare(misPeople: people, otherNames: read.settledNames)

        if mode == .full { try checkMassLeavers(people, matcher: matcher, links: links, today: today) }

        var settledWarnings = read.settledWarnings[...]
        for (index, person) in people.enumerated() {
            if index % 1000 == 999 {
                try plugin.checkCancellation()
                plugin.report(.init(done: index + 1, total: people.count, message: "matching"))
            }
            // The warnings of settled records come in the order the MIS gave the records.
            while let first = settledWarnings.first, first.ordinal < read.ordinals[index] {
                plan.report.warnings.append(first.text)
                settledWarnings.removeFirst()
            }
            if exclusions.contains(person.misID) {
                plan.report.skip("excluded by an admin")
                continue
            }
            if let withheld = projection.withheldReason(person) {
                plan.report.skip(withheld)
                continue
            }
            if mode == .matchStaffByNINumber {
                rematchByNINumber(person, matcher: &matcher, plan: &plan)
                continue
            }
            if let warning = yearGroupWarning(person, today: today) { plan.report.warnings.append(warning) }
            if person.isLeaver(today: today) {
                if mode == .full { planLeaver(person, matcher: matcher, plan: &plan) }
                continue
            }
            let decision = matcher.match(person)
            switch decision {
            case .matched(let targetID, let rule, let isNew):
                if isNew {
                    plan.report.matched += 1
                    plan.report.matchedBy[rule, default: 0] += 1
                    plan.append(PlanStep(.link, person, targetID: targetID, detail: rule))
                }
                if mode == .full {
                    let key = person.key
                    planUpdate(
                        person, targetID: targetID, matcher: matcher, held: held[targetID], projection: projection,
                        sentText: sent[key], ours: earlierWrites.isEmpty ? [] : earlierWrites[key] ?? [], plan: &plan)
                    planContacts(
                        person, targetID: targetID, held: matcher.targetPerson(targetID), heldContacts: held[targetID]?.contacts,
                        contacts: contacts, plan: &plan)
                }
            case .noMatch, .ambiguous:
                if mode == .full && settings.newRecords == .create && decision == .noMatch {
                    // The target id comes when it is created; nobody else can match a record not yet there.
                    let record = projection.project(person)
                    var step = PlanStep(.create, person, after: record.standardFields, detail: "created")
                    step.record = record
                    plan.append(step)
                    planContacts(person, targetID: nil, held: nil, heldContacts: nil, contacts: contacts, plan: &plan)
                    plan.report.added += 1
                    plan.report.matchedBy["created", default: 0] += 1
                } else if mode == .full {
                    plan.report.sendToIntake(decision == .noMatch ? "no match" : "ambiguous")
                    var step = PlanStep(.intake, person, after: person.record.standardFields, detail: decision.reason)
                    step.record = person.record
                    step.candidates = matcher.candidates(for: person)
                    plan.append(step)
                } else {
                    plan.report.skip(decision == .noMatch ? "not matched" : "ambiguous: needs an admin")
                }
            }
        }
        plan.report.warnings += settledWarnings.map(\.text)
        plugin.report(.init(done: people.count, total: people.count, message: "planned"))
        return plan
    }

    /// The record's fields as the target would keep them (`Target.storedForm`).
    private func comparedFields(of record: PersonRecord) -> [String: String] {
        let stored = session.target.storedForm(of: record)
        return stored == record ? record.standardFields : stored.standardFields
    }

    /// A primary school's pupil whose year group is not `R` or `1`…`6`: the report's warning.
    /// A leaver's year group no longer matters (and a deleted record carries none).
    private func yearGroupWarning(_ person: MISPerson, today: CalendarDate) -> String? {
        guard integration.settings.phase == .primary, person.role == .pupil, !person.isLeaver(today: today),
            case .pupil(let pupil) = person.record,
            let problem = YearGroup.primaryProblem(pupil.yearGroup)
        else { return nil }
        return "\(person.misID) \(person.displayName): \(problem)"
    }

    /// Target ids that more than one link points to.
    private static func targetsLinkedMoreThanOnce(_ links: [Link]) -> Set<String> {
        var seen: Set<String> = []
        var shared: Set<String> = []
        for link in links where !seen.insert(link.targetID).inserted { shared.insert(link.targetID) }
        return shared
    }

    /// The MIS records, read a batch at a time. `settles` says which records the plan needs nothing
    /// of but a count (`MISReadout`): of those only the names are kept.
    private func readMIS(plugin: PluginContext, today: CalendarDate, settles: (MISPerson) throws -> Bool) async throws
        -> MISReadout
    {
        let connector = session.connector
        var read = MISReadout()
        func take(_ person: MISPerson) throws {
            if try settles(person) {
                read.settle(person, warning: yearGroupWarning(person, today: today))
            } else {
                read.keep(person)
            }
        }
        if mode != .matchStaffByNINumber {
            try await connector.readPupils(changedSince: changedSince, context: plugin) { batch in
                for pupil in batch { try take(MISPerson(.pupil(pupil))) }
            }
            try await connector.readPreAdmissions(changedSince: changedSince, context: plugin) { batch in
                for pre in batch { try take(MISPerson(.preAdmission(pre))) }
            }
        }
        // Staff sync off: no staff record is sent (seed 000). Re-match works on staff regardless.
        if mode == .matchStaffByNINumber || (integration.staffSync && integration.settings.fields.contains(.staff)) {
            try await connector.readStaff(changedSince: changedSince, context: plugin) { batch in
                for staff in batch { try take(MISPerson(.staff(staff))) }
            }
        }
        return read
    }

    /// Each pupil's contacts by MIS id, when guardian contacts are shared (a full pass), first to
    /// call first.
    private func readContacts(report: inout ImportReport, plugin: PluginContext) async throws -> [String: [Contact]]? {
        guard mode == .full && integration.settings.fields.contains(.guardians) else { return nil }
        var byPupil: [String: [Contact]] = [:]
        var count = 0
        try await session.connector.readContacts(changedSince: nil, context: plugin) { batch in
            count += batch.count
            for contact in batch { byPupil[contact.studentMisID, default: []].append(contact) }
        }
        report.contactsRead = count
        for index in byPupil.indices {
            byPupil.values[index].sort { ($0.priority ?? Int.max, $0.misID) < ($1.priority ?? Int.max, $1.misID) }
        }
        return byPupil
    }

    /// Whether a full pass's plan needs nothing of `person` but a count: linked, not excluded or
    /// withheld, not a leaver, in the target and out of its recycle bin, with the fields wanted equal
    /// to those sent and those held (compared as texts), and (a pupil, contacts shared) the contacts
    /// too. Such a record is "unchanged" whatever else the MIS holds, and makes no step.
    private func isSettled(
        _ person: MISPerson, matcher: Matcher, held: [String: HeldRecord], sent: [String: String],
        contacts: [String: [Contact]]?, exclusions: Set<String>, projection: RecordProjection, today: CalendarDate
    ) -> Bool {
        guard mode == .full, !exclusions.contains(person.misID), projection.withheldReason(person) == nil,
            !person.isLeaver(today: today), let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
            let target = matcher.targetPerson(targetID), !target.inRecycleBin, let fields = held[targetID],
            let sentText = sent[person.key], sentText == fields.recordText
        else { return false }
        let record = projection.project(person, currentPost: target.fields["post"])
        let wanted = RecordProjection.comparable(comparedFields(of: record), registered: target.registered)
        guard SentFields.encode(wanted) == sentText else { return false }
        if let contacts, person.role == .pupil { return (contacts[person.misID] ?? []) == fields.contacts }
        return true
    }

    /// The target's records as matching needs them (only staff for a re-match), a batch at a time;
    /// with what planning needs of each by target id, for a full pass. `sentTexts` and `contacts`
    /// (what was sent, the MIS's contacts) let equal values be held once.
    private func listTarget(sentTexts: [String: String], contacts: [String: [Contact]]?) async throws
        -> ([TargetPerson], [String: HeldRecord])
    {
        var people: [TargetPerson] = []
        var held: [String: HeldRecord] = [:]
        let keepFields = mode == .full
        try await session.target.listPeople(context: context.plugin) { batch in
            for person in batch where mode != .matchStaffByNINumber || person.role == .staff {
                if keepFields {
                    let misID = person.misID ?? ""
                    held[person.targetID] = HeldRecord(
                        person, sentText: sentTexts[person.role.rawValue + ":" + misID], wantedContacts: contacts?[misID])
                }
                people.append(HeldRecord.slim(person))
            }
        }
        return (people, held)
    }

    /// Plans the replacement of a pupil's contacts when the integration shares them and they changed.
    /// `targetID` is nil for a record still to be created.
    private func planContacts(
        _ person: MISPerson, targetID: String?, held: TargetPerson?, heldContacts: [Contact]?,
        contacts: [String: [Contact]]?, plan: inout ImportPlan
    ) {
        guard let contacts, person.role == .pupil, held?.inRecycleBin != true else { return }
        let wanted = contacts[person.misID] ?? []
        guard wanted != (heldContacts ?? []) else { return }
        var step = PlanStep(.contacts, person, targetID: targetID)
        step.contactsBefore = held == nil ? nil : heldContacts ?? []
        step.contacts = wanted
        plan.append(step)
        plan.report.contactsUpdated += 1
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
            "mass-leaver guard: this import would make leavers of \(leaving) of the \(Plural.count(current, "current record")) (\(share), more than the \(Int(limit * 100))% limit); nothing was changed. If this is right, run it again with --allow-mass-leavers")
    }

    private func planLeaver(_ person: MISPerson, matcher: Matcher, plan: inout ImportPlan) {
        // Leavers are never created, and never come back as new.
        guard let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
            let held = matcher.targetPerson(targetID)
        else {
            plan.report.skip("leaver not in the target")
            return
        }
        guard !held.inRecycleBin else { return }
        plan.report.leavers += 1
        plan.append(PlanStep(.leaver, person, targetID: targetID))
    }

    private func planUpdate(
        _ person: MISPerson, targetID: String, matcher: Matcher, held fields: HeldRecord?, projection: RecordProjection,
        sentText: String?, ours: [[String: String]], plan: inout ImportPlan
    ) {
        guard let held = matcher.targetPerson(targetID), let fields else {
            plan.report.skip("linked record no longer in the target")
            return
        }
        if held.inRecycleBin {
            plan.report.skip("in the target's recycle bin (restore it to sync it again)")
            return
        }
        let record = projection.project(person, currentPost: held.fields["post"])
        let recordFields = record.standardFields
        // Each side's fields once: this runs for every linked person of every import. A target that
        // keeps less than the record (`storedForm`) is compared with what it would keep.
        let stored = session.target.storedForm(of: record)
        let reshaped = stored != record
        let wanted = RecordProjection.comparable(reshaped ? stored.standardFields : recordFields, registered: held.registered)
        // Most linked records are as sent and as held: equal texts say so without decoding either (the
        // target's other fields change nothing then: no field of theirs is wanted, sent or compared).
        let wantedText = SentFields.encode(wanted)
        if wantedText == fields.recordText && sentText == wantedText {
            plan.report.unchanged += 1
            return
        }
        let have = fields.comparable
        var sent = sentText.map(SentFields.decode)
        if reshaped, let whole = sent {
            // What was sent, as the target would have kept it: fields it never holds are no edits.
            let kept = session.target.storedForm(of: PersonRecord(role: person.role, standardFields: whole)).standardFields
            sent = RecordProjection.comparable(kept, registered: held.registered)
        }
        if let sent {
            let edits = RecordProjection.targetEdits(held: have, registered: held.registered, sent: sent, ours: ours)
            if !edits.isEmpty {
                plan.report.targetEdits += edits.count
                plan.append(
                    PlanStep(
                        .targetEdit, person, targetID: targetID,
                        before: Dictionary(uniqueKeysWithValues: edits.compactMap { edit in edit.sent.map { (edit.field, $0) } }),
                        after: Dictionary(uniqueKeysWithValues: edits.compactMap { edit in edit.target.map { (edit.field, $0) } })))
            }
        }
        guard RecordProjection.differs(wanted: wanted, held: have) else {
            plan.report.unchanged += 1
            if wanted != sent { plan.append(PlanStep(.recordSent, person, targetID: targetID, after: wanted)) }
            return
        }
        let changed = RecordProjection.changedFields(wanted: wanted, held: have)
        var step = PlanStep(
            .update, person, targetID: targetID, before: have.filter { changed.contains($0.key) }, after: recordFields,
            detail: held.registered ? PlanStep.registered : nil)
        step.record = record
        plan.append(step)
        plan.report.updated += 1
    }

    private func rematchByNINumber(_ person: MISPerson, matcher: inout Matcher, plan: inout ImportPlan) {
        guard matcher.linkedTarget(role: person.role, misID: person.misID) == nil else { return }
        guard let ni = person.niNumber.map(NINumber.normalise), NINumber.isValid(ni) else {
            plan.report.skip(person.niNumber?.isEmpty == false ? "NI number not valid" : "no NI number in the MIS")
            return
        }
        switch matcher.matchStrongOnly(person) {
        case .matched(let targetID, let rule, _):
            plan.report.matched += 1
            plan.report.matchedBy[rule, default: 0] += 1
            plan.append(PlanStep(.link, person, targetID: targetID, detail: rule))
        default:
            plan.report.skip("no staff record in the target has this NI number")
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
