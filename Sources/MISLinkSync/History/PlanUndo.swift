import Foundation
import MISLinkKit

/// Works out and makes the reversal of a plan's changes to target records, from the person history:
/// an update's fields back to `before`, a create to the recycle bin, contacts back to the earlier
/// ones, a leaver's move undone by a restore. A change is left, with why, when a later MISLink
/// change touched the same thing (in the history) or the target holds something other than the
/// plan's `after` (edited there since). A target already holding `before` counts as undone: an
/// earlier attempt of the job did it before it was killed.
struct PlanUndo {
    let integration: String
    let planID: Int64
    let jobID: Int64
    let target: any Target
    let context: PluginContext

    /// One change checked, with what to do about it.
    struct Decision {
        let change: PersonChange
        var item: UndoReport.Item
        var write: Write?
    }

    enum Write {
        case update(PersonRecord, keepContactDetails: Bool)
        case moveToRecycleBin
        case replaceContacts([Contact])
        case restore
    }

    /// What is learnt from the store before anything is written: the plan's changes and, per change,
    /// the later ones of the same person.
    struct Reading: Sendable {
        var changes: [PersonChange]
        var later: [Int64: [PersonChange]]
        /// What was last sent per target id (to update it with an undone update).
        var sent: [String: [String: String]]
    }

    /// Checks every change against the history and the target (one listing), then makes the
    /// writes; answers the report and the bookkeeping rows (undo history, what is now sent).
    func run(_ reading: Reading, now: Int64) async throws -> (UndoReport, [PersonChange], [(PersonChange, [String: String])]) {
        var report = UndoReport(plan: planID, misID: nil)
        let people = Dictionary(try await target.listPeople(context: context).map { ($0.targetID, $0) }) { first, _ in first }
        // A record the plan created and the undo moves to the bin: its contacts go with it.
        let undoneCreates = Set(reading.changes.filter { $0.kind == .create }.compactMap(\.targetID))
        var rows: [PersonChange] = []
        var sent: [(PersonChange, [String: String])] = []
        for change in reading.changes {
            if change.kind == .contacts, let id = change.targetID, undoneCreates.contains(id) { continue }
            var decision = decide(change, held: change.targetID.flatMap { people[$0] }, later: reading.later[change.id] ?? [])
            guard decision.item.reason == nil else {
                report.notUndone.append(decision.item)
                continue
            }
            if let write = decision.write, let targetID = change.targetID {
                switch write {
                case .update(let record, let keep):
                    try await target.update(targetID: targetID, with: record, keepContactDetails: keep, context: context)
                case .moveToRecycleBin: try await target.moveToRecycleBin(targetID: targetID, context: context)
                case .replaceContacts(let contacts): try await target.replaceContacts(of: targetID, with: contacts, context: context)
                case .restore: try await target.restoreFromRecycleBin(targetID: targetID, context: context)
                }
            }
            decision.write = nil
            report.undone.append(decision.item)
            let row = undoRow(change, now: now)
            rows.append(row)
            if change.kind == .update, let targetID = change.targetID, var fields = reading.sent[targetID] {
                for field in change.fields { fields[field.field] = field.from }
                sent.append((row, fields))
            }
        }
        return (report, rows, sent)
    }

    /// The history row of an undone change: the reverse of the change (after → before).
    private func undoRow(_ change: PersonChange, now: Int64) -> PersonChange {
        let detail = "undo of plan \(planID): \(change.kind.rawValue)"
        let (before, after): (String?, String?)
        switch change.kind {
        case .update, .contacts: (before, after) = (change.after, change.before)
        default: (before, after) = (nil, nil)
        }
        return PersonChange(
            integration: integration, jobID: jobID, planID: planID, at: now, role: change.role, misID: change.misID,
            targetID: change.targetID, kind: .undo, before: before, after: after, detail: detail)
    }

    /// Whether and how the change can be reversed.
    func decide(_ change: PersonChange, held: TargetPerson?, later: [PersonChange]) -> Decision {
        var item = UndoReport.Item(role: change.role, misID: change.misID, targetID: change.targetID, kind: change.kind.rawValue)
        if change.kind == .update { item.fields = change.fields.map(\.field) }
        func refused(_ reason: String) -> Decision {
            item.reason = reason
            return Decision(change: change, item: item, write: nil)
        }
        let aspect = Self.touches(change)
        if let clash = later.first(where: { !Self.touches($0).isDisjoint(with: aspect) }) {
            if clash.kind == .undo, clash.planID == planID {
                return refused("already undone by job \(clash.jobID.map(String.init) ?? "?")")
            }
            let by = clash.jobID.map { "job \($0)" } ?? "an admin"
            return refused("changed since by MISLink (\(clash.kind.rawValue) by \(by)); undo that first")
        }
        guard let held else { return refused("the target no longer has record \(change.targetID ?? "?")") }
        switch change.kind {
        case .update:
            let current = comparable(held.standardFields, held)
            var record = held.standardFields
            // A target that keeps no MIS id gets the record as MISLink sends it, with its MIS id.
            record["mis_id"] = change.misID
            var edited: [String] = []
            var pending = false
            for field in change.fields {
                let value = current[field.field]
                // Already back (an earlier attempt of this job): nothing to write for it.
                if value == field.from || value == storedValue(field.field, of: change.before, held: held) { continue }
                guard value == field.to || value == storedValue(field.field, of: change.after, held: held) else {
                    edited.append(field.field)
                    continue
                }
                record[field.field] = field.from
                pending = true
            }
            guard edited.isEmpty else {
                return refused("edited in the target since (\(edited.joined(separator: ", "))); MISLink leaves it as it is")
            }
            let write = pending ? Write.update(PersonRecord(role: change.role, standardFields: record), keepContactDetails: held.registered) : nil
            return Decision(change: change, item: item, write: write)
        case .create:
            if held.inRecycleBin { return Decision(change: change, item: item, write: nil) }
            let created = target.storedForm(of: PersonRecord(role: change.role, standardFields: Self.values(change.after)))
            let wanted = comparable(created.standardFields, held)
            let current = comparable(held.standardFields, held)
            // The fields the create set (the target's own, such as when it was added, are not ours).
            let edited = wanted.keys.sorted().filter { wanted[$0] != current[$0] }
            guard edited.isEmpty else {
                return refused("edited in the target since it was created (\(edited.joined(separator: ", "))); MISLink leaves it as it is")
            }
            return Decision(change: change, item: item, write: .moveToRecycleBin)
        case .contacts:
            guard let (before, after) = change.contacts else { return refused("the history holds no contacts for it") }
            if held.contacts == before { return Decision(change: change, item: item, write: nil) }
            guard held.contacts == after else { return refused("its contacts were edited in the target since; MISLink leaves them as they are") }
            return Decision(change: change, item: item, write: .replaceContacts(before))
        case .recycle:
            return Decision(change: change, item: item, write: held.inRecycleBin ? .restore : nil)
        default:
            return refused("a \(change.kind.rawValue) is not a change an undo reverses")
        }
    }

    private func comparable(_ fields: [String: String], _ held: TargetPerson) -> [String: String] {
        RecordProjection.comparable(fields, registered: held.registered)
    }

    /// A field's value in a change's JSON, as the target would keep it.
    private func storedValue(_ field: String, of json: String?, held: TargetPerson) -> String? {
        var fields = held.standardFields
        for (key, value) in Self.values(json) { fields[key] = value }
        if let value = json.flatMap(PersonChange.decodeFields)?[field], value == nil { fields[field] = nil }
        return target.storedForm(of: PersonRecord(role: held.role, standardFields: fields)).standardFields[field]
    }

    /// A change's field values, the nulls left out.
    static func values(_ json: String?) -> [String: String] {
        (json.flatMap(PersonChange.decodeFields) ?? [:]).compactMapValues { $0 }
    }

    /// What of a record a change touches: its fields (an update), its contacts, or its place in or
    /// out of the recycle bin.
    static func touches(_ change: PersonChange) -> Set<String> {
        switch change.kind {
        case .update: return Set(change.fields.map(\.field))
        case .contacts: return ["contacts"]
        case .create, .recycle, .restore: return ["recycle-bin"]
        case .undo:
            if change.contacts != nil { return ["contacts"] }
            let fields = change.fields
            return fields.isEmpty ? ["recycle-bin"] : Set(fields.map(\.field))
        default: return []
        }
    }
}
