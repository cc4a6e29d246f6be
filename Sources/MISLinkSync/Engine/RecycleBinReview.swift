import MISLinkKit

/// What a full import finds of the integration's records in the target's recycle bin: those found
/// there with no date yet (dated today), dates whose record is out of the bin again (restored, or
/// gone: forgotten, so a record moved back later starts again), and the linked records that have
/// sat there at least `recycle-purge-after` days: due to be deleted for good.
struct RecycleBinReview {
    /// A linked record due for deletion.
    struct Due {
        let role: PersonRole
        let misID: String
        let targetID: String
        let since: CalendarDate
        let days: Int

        var personKey: String { role.rawValue + ":" + misID }
    }

    /// `recycle-seen` and `recycle-left` steps: bookkeeping, applied with the job.
    private(set) var dating: [PlanStep] = []
    /// By "role:misID".
    private(set) var due: [String: Due] = [:]

    /// Reviews the links against the target as listed. `purgeAfter` nil: dates are kept, nothing is due.
    init(
        links: [Link], entries: [String: RecycleBinEntry], today: CalendarDate, purgeAfter: Int?,
        targetPerson: (String) -> TargetPerson?
    ) {
        for entry in entries.values.sorted(by: { $0.targetID < $1.targetID })
        where targetPerson(entry.targetID)?.inRecycleBin != true {
            dating.append(PlanStep(.recycleLeft, role: entry.role, misID: entry.misID, targetID: entry.targetID))
        }
        var seen: Set<String> = []
        for link in links where targetPerson(link.targetID)?.inRecycleBin == true && seen.insert(link.targetID).inserted {
            guard let entry = entries[link.targetID] else {
                dating.append(
                    PlanStep(.recycleSeen, role: link.role, misID: link.misID, targetID: link.targetID, detail: today.description))
                continue
            }
            let days = today.days(since: entry.since)
            if let purgeAfter, days >= purgeAfter {
                let item = Due(role: link.role, misID: link.misID, targetID: link.targetID, since: entry.since, days: days)
                due[item.personKey] = item
            }
        }
    }

    /// Whether `person` is due and still active in the MIS: then they are not deleted, since the
    /// next import would send them to intake or create them again as new.
    func holdsBack(_ person: MISPerson, today: CalendarDate) -> Bool {
        due[person.key] != nil && !person.isLeaver(today: today)
    }

    /// Adds the dating steps, and a `purge` step per due record not held back (in target id order),
    /// listed in the report; a target that cannot delete gets one warning instead. Only a full read
    /// of the MIS (`fullRead`) purges: a delta reads nobody unchanged, so it cannot tell that a
    /// record's person is still active, and the next full import does it. Staff are purged only
    /// when the import reads them (`readsStaff`), for the same reason.
    func plan(
        into plan: inout ImportPlan, heldBack: Set<String>, fullRead: Bool, readsStaff: Bool, canDelete: Bool, target: String,
        purgeAfter: Int?
    ) {
        for step in dating { plan.append(step) }
        guard fullRead else { return }
        for key in heldBack.sorted() {
            guard let item = due[key] else { continue }
            plan.report.warnings.append(
                "\(item.role.rawValue) \(item.misID) has sat in the recycle bin \(item.days) days but is active in the MIS: "
                    + "not deleted (restore them in the target, or give them an end date in the MIS)")
        }
        let deletable = due.values.filter { !heldBack.contains($0.personKey) && (readsStaff || $0.role != .staff) }
            .sorted { $0.targetID < $1.targetID }
        guard !deletable.isEmpty, let purgeAfter else { return }
        guard canDelete else {
            plan.report.warnings.append(
                "recycle-purge-after=\(purgeAfter)d: \(Plural.count(deletable.count, "record")) sat in the recycle bin that long, "
                    + "but target '\(target)' cannot delete records (it has no delete, kit 1.5); nothing was deleted")
            return
        }
        var purged: [PurgedRecord] = []
        for item in deletable {
            plan.append(
                PlanStep(.purge, role: item.role, misID: item.misID, targetID: item.targetID, detail: "since \(item.since)"))
            purged.append(PurgedRecord(role: item.role, misID: item.misID, targetID: item.targetID, days: item.days))
        }
        plan.report.purged = purged
    }
}
