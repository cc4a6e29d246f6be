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
    /// A rehearsal as of this date: leavers, grace periods and start dates are judged as on that day.
    var asOf: CalendarDate?
    /// Plan only these people ("role:misID") and target records, as the check before a reviewed plan
    /// is applied needs: everyone else is read (their names still count for matching) but settled at
    /// once, and no other target record's fields or contacts are held. Nil: everyone.
    var focus: (people: Set<String>, targets: Set<String>)?
    /// Ask the connector only for people changed since then (a nightly import after an earlier one).
    /// A connector that cannot do deltas returns everyone, which the engine handles the same way.
    /// Contacts are always read whole: a pupil's contacts are replaced as a set.
    var changedSince: Date?

    /// The plan of job `jobID` (of `kind`). `earlierWrites` (fields by "role:misID") are what unfinished
    /// earlier jobs may have written without recording it as sent: target values among them are not edits.
    /// `sentDigests`: digests of what was last sent per "role:misID" (`IntegrationStore.linksForPlanning`;
    /// the links carry none), whose texts `sentTexts` reads back. Pass it with `consume`, so that
    /// settled records' digests go as the read goes. `recycleBin`: the integration's records known to
    /// be in the target's recycle bin, by target id (`IntegrationStore.recycleBin`), for a full pass.
    func plan(
        jobID: Int64, kind: String, links existing: consuming [Link], exclusions: Set<String>,
        earlierWrites: [String: [[String: String]]] = [:], waitingLeaverMoves: [String: Int64] = [:],
        recycleBin: [String: RecycleBinEntry] = [:], sentDigests: consuming [String: TextDigest],
        sentTexts source: SentTextSource, createdAt: Int64
    ) async throws -> ImportPlan {
        var plan = ImportPlan(jobID: jobID, integration: integration.id, kind: kind, mode: mode, createdAt: createdAt)
        if changedSince != nil { plan.report.delta = true }
        let settings = integration.settings
        let plugin = context.plugin
        // What the connector warns of while reading (a column the export lacks) belongs in the report.
        let warnings = PluginWarnings(context)
        // Held only until the matcher has what it needs of them (pass them with `consume` too).
        var links = consume existing
        if mode == .matchAll { links.removeAll { $0.origin != .manual } }
        // What was last sent per linked record: a target value that differs from it is a target-side edit.
        // Taken, not copied: this pass drops each settled record's digest as it settles, which frees
        // it only if nobody else holds the dictionary (the caller hands it over).
        var sent = consume sentDigests
        // The contacts, then the target (holding each list equal to the MIS's once), then the people,
        // each compared as it arrives.
        var contacts = try await readContacts(report: &plan.report, plugin: warnings.context)
        var (targetPeople, held) = try await listTarget(sent: sent, contacts: contacts)
        var matcher = Matcher(targetPeople: targetPeople, links: links)
        targetPeople = []
        // The current records per entity, which the guards' shares are of (read or not: a delta
        // import is judged against the whole school).
        for link in links where matcher.targetPerson(link.targetID).map({ !$0.inRecycleBin }) ?? false { plan.current.count(link.role) }
        let projection = RecordProjection(settings: settings, contractSync: integration.contractSync)
        let today = asOf ?? environment.today(settings.timeZone)
        // The recycle bin's dates and purges (full passes): from the links and the whole target
        // listing, so a delta import that reads none of them sees them too.
        let recycleReview =
            mode == .full
            ? RecycleBinReview(
                links: links, entries: recycleBin, today: today, purgeAfter: settings.recyclePurgeAfterDays,
                targetPerson: { matcher.targetPerson($0) })
            : nil
        var purgeHeldBack: Set<String> = []
        // A settled record's held fields, sent text and contacts go as it settles, not after the
        // read, so the read's peak does not hold them for the whole trust. That needs each key to
        // come once, and each target record to be linked once (else it waits for `dropSettled`).
        let sharedTargets = Self.targetsLinkedMoreThanOnce(links)
        links = []
        var seenKeys: Set<String> = []
        // Leavers whose move still waits and who are back in the MIS: looked for before a record
        // settles, since one who comes back as they were (their end date gone) settles at once.
        var reprieved: [(person: MISPerson, move: Int64)] = []
        let read = try await readMIS(plugin: warnings.context, today: today) { person in
            guard seenKeys.insert(person.key).inserted else {
                throw PluginError.permanent(
                    "the MIS gave two records for \(person.role.rawValue) \(person.misID): matching them would be "
                        + "ambiguous, so nothing was imported; the MIS export or connector must give each person once")
            }
            if let move = waitingLeaverMoves[person.key], !person.isLeaver(today: today) { reprieved.append((person, move)) }
            if let focus, !focus.people.contains(person.key) { return true }
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
        for (person, move) in reprieved {
            plan.append(PlanStep(.leaverReprieve, person, detail: String(move)))
            plan.report.warnings.append(
                "\(person.role.rawValue) \(person.misID) is back in the MIS: their move to the recycle bin (job \(move)) is called off")
        }
        plan.report.read = read.count
        plan.report.unchanged += read.settledKeys.count
        read.dropSettled(held: &held, matcher: matcher)
        let people = read.people
        // The texts behind the digests, for the records the plan works on and the target records
        // they are linked to (one read; a record matched anew below reads its target's on its own).
        var expectedTexts: [String: TextDigest] = [:]
        for person in people {
            if let digest = sent[person.key] { expectedTexts[person.key] = digest }
            if let targetID = matcher.linkedTarget(role: person.role, misID: person.misID), let record = held[targetID],
                let key = record.sentKey
            {
                expectedTexts[key] = record.recordDigest
            }
        }
        sent = [:]
        var sentTexts = try await source.texts(matching: expectedTexts)
        expectedTexts = [:]
        plugin.report(.init(done: 0, total: read.count, message: "read \(Plural.count(read.count, "record")) from the MIS"))
        matcher.prepare(misPeople: people, otherNames: read.settledNames)

        var settledWarnings = read.settledWarnings[...]
        for (index, person) in people.enumerated() {
            if index % 1000 == 999 {
                try plugin.checkCancellation()
                plugin.report(.init(done: index + 1, total: people.count, message: "matching"))
            }
            if let recycleReview, recycleReview.holdsBack(person, today: today) { purgeHeldBack.insert(person.key) }
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
                if mode == .full {
                    // The target's record as it is now goes with the move, so that a plan applied later
                    // can tell it was edited since (and an undo can show what was moved).
                    let targetFields = matcher.linkedTarget(role: person.role, misID: person.misID)
                        .flatMap { held[$0] }?.comparable(sentTexts: sentTexts).filter { HeldRecord.recordFieldNames.contains($0.key) }
                    planLeaver(
                        person, matcher: matcher, targetFields: targetFields, moveWaits: waitingLeaverMoves[person.key] != nil,
                        plan: &plan)
                }
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
                    if let record = held[targetID], let heldKey = record.sentKey, sentTexts[heldKey] == nil {
                        sentTexts.merge(try await source.texts(matching: [heldKey: record.recordDigest])) { a, _ in a }
                    }
                    planUpdate(
                        person, targetID: targetID, matcher: matcher, held: held[targetID], projection: projection,
                        sentTexts: sentTexts, key: key, ours: earlierWrites.isEmpty ? [] : earlierWrites[key] ?? [], plan: &plan)
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
        recycleReview?.plan(
            into: &plan, heldBack: purgeHeldBack, fullRead: changedSince == nil, readsStaff: readsStaff, canDelete: session.target.canDelete,
            target: integration.target,
            purgeAfter: settings.recyclePurgeAfterDays)
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
        if mode == .matchStaffByNINumber || readsStaff {
            try await connector.readStaff(changedSince: changedSince, context: plugin) { batch in
                for staff in batch { try take(MISPerson(.staff(staff))) }
            }
        }
        return read
    }

    /// Whether a full pass reads the staff: staff sync off sends no staff record (seed 000).
    private var readsStaff: Bool { integration.staffSync && integration.settings.fields.contains(.staff) }

    /// Each pupil's contacts by MIS id, when guardian contacts are shared (a full pass), first to
    /// call first.
    private func readContacts(report: inout ImportReport, plugin: PluginContext) async throws -> [String: PackedContacts]? {
        guard mode == .full && integration.settings.fields.contains(.guardians) else { return nil }
        var byPupil: [String: PackedContacts.Builder] = [:]
        var count = 0
        try await session.connector.readContacts(changedSince: nil, context: plugin) { batch in
            count += batch.count
            for contact in batch where focus.map({ $0.people.contains("pupil:" + contact.studentMisID) }) ?? true {
                byPupil[contact.studentMisID, default: .init()].append(contact)
            }
        }
        report.contactsRead = count
        return byPupil.mapValues { $0.packed() }
    }

    /// Whether a full pass's plan needs nothing of `person` but a count: linked, not excluded or
    /// withheld, not a leaver, in the target and out of its recycle bin, with the fields wanted equal
    /// to those sent and those held (compared as texts), and (a pupil, contacts shared) the contacts
    /// too. Such a record is "unchanged" whatever else the MIS holds, and makes no step.
    private func isSettled(
        _ person: MISPerson, matcher: Matcher, held: [String: HeldRecord], sent: [String: TextDigest],
        contacts: [String: PackedContacts]?, exclusions: Set<String>, projection: RecordProjection, today: CalendarDate
    ) -> Bool {
        guard mode == .full, !exclusions.contains(person.misID), projection.withheldReason(person) == nil,
            !person.isLeaver(today: today), let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
            let target = matcher.targetPerson(targetID), !target.inRecycleBin, let fields = held[targetID],
            let sentDigest = sent[person.key], sentDigest == fields.recordDigest
        else { return false }
        let record = projection.project(person, currentPost: target.fields["post"])
        let wanted = RecordProjection.comparable(comparedFields(of: record), registered: target.registered)
        guard TextDigest(SentFields.encode(wanted)) == sentDigest else { return false }
        if let contacts, person.role == .pupil { return (contacts[person.misID] ?? .none) == fields.contacts }
        return true
    }

    /// The target's records as matching needs them (only staff for a re-match), a batch at a time;
    /// with what planning needs of each by target id, for a full pass. `sent` and `contacts` (what
    /// was sent, the MIS's contacts) let equal values be held once, or not at all.
    private func listTarget(sent: [String: TextDigest], contacts: [String: PackedContacts]?) async throws
        -> ([TargetPerson], [String: HeldRecord])
    {
        var people: [TargetPerson] = []
        var held: [String: HeldRecord] = [:]
        let keepFields = mode == .full
        try await session.target.listPeople(context: context.plugin) { batch in
            for person in batch where mode != .matchStaffByNINumber || person.role == .staff {
                if keepFields, focus.map({ $0.targets.contains(person.targetID) }) ?? true {
                    let misID = person.misID ?? ""
                    let key = person.role.rawValue + ":" + misID
                    held[person.targetID] = HeldRecord(
                        person, key: key, sent: sent[key], wantedContacts: contacts?[misID])
                }
                people.append(HeldRecord.slim(person))
            }
        }
        return (people, held)
    }

    /// Plans the replacement of a pupil's contacts when the integration shares them and they changed.
    /// `targetID` is nil for a record still to be created.
    private func planContacts(
        _ person: MISPerson, targetID: String?, held: TargetPerson?, heldContacts: PackedContacts?,
        contacts: [String: PackedContacts]?, plan: inout ImportPlan
    ) {
        guard let contacts, person.role == .pupil, held?.inRecycleBin != true else { return }
        let wanted = contacts[person.misID] ?? .none
        guard wanted != (heldContacts ?? .none) else { return }
        var step = PlanStep(.contacts, person, targetID: targetID)
        step.contactsBefore = held == nil ? nil : (heldContacts ?? .none).contacts
        step.contacts = wanted.contacts
        plan.append(step)
        plan.report.contactsUpdated += 1
    }

    private func planLeaver(
        _ person: MISPerson, matcher: Matcher, targetFields: [String: String]?, moveWaits: Bool, plan: inout ImportPlan
    ) {
        // Leavers are never created, and never come back as new.
        guard let targetID = matcher.linkedTarget(role: person.role, misID: person.misID),
            let held = matcher.targetPerson(targetID)
        else {
            plan.report.skip("leaver not in the target")
            return
        }
        guard !held.inRecycleBin else { return }
        if moveWaits {
            plan.report.skip("leaver whose move to the recycle bin waits its grace period")
            return
        }
        plan.report.leavers += 1
        plan.append(
            PlanStep(
                .leaver, person, targetID: targetID, before: targetFields,
                detail: PlanStep.graceDetail(days: integration.settings.leaverGrace)))
    }

    private func planUpdate(
        _ person: MISPerson, targetID: String, matcher: Matcher, held fields: HeldRecord?, projection: RecordProjection,
        sentTexts: [String: String], key: String, ours: [[String: String]], plan: inout ImportPlan
    ) {
        let sentText = sentTexts[key]
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
        if wantedText == fields.recordText(sentTexts: sentTexts) && sentText == wantedText {
            plan.report.unchanged += 1
            return
        }
        let have = fields.comparable(sentTexts: sentTexts)
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
        // Every changed field is in `before`, "" where the target held none: a person's history and an
        // undo need to know a field was set, not only which ones were overwritten.
        var step = PlanStep(
            .update, person, targetID: targetID, before: Dictionary(uniqueKeysWithValues: changed.map { ($0, have[$0] ?? "") }),
            after: recordFields,
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
    /// The plan that found them leaving, for the history (nil in moves enqueued before it).
    var plan: Int64? = nil
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
