import Foundation
import MISLinkKit
import MISLinkRunner

/// Plans as JSON, shared by the command line and the console: the summary (counts first), then each
/// change with its fields before and after.
public enum PlanReviewJSON {
    public static func object(_ plan: PlanSummary, now: Int64) -> [String: Any] {
        let report = plan.report
        func time(_ ms: Int64?) -> Any { ms.map { DurationText.isoString(milliseconds: $0) as Any } ?? NSNull() }
        return [
            "id": plan.id, "integration": plan.integration, "kind": plan.kind, "state": plan.shownState(now: now),
            "createdAt": time(plan.createdAt), "finishedAt": time(plan.finishedAt), "expiresAt": time(plan.expiresAt),
            "appliedBy": plan.appliedBy.map { $0 as Any } ?? NSNull(), "exceptHeld": plan.exceptHeld,
            "asOf": plan.asOf.map { $0 as Any } ?? NSNull(),
            "holds": plan.holds.map { ["rule": $0.rule, "changes": $0.changes, "current": $0.current, "limit": $0.limit, "message": $0.message] },
            "counts": counts(report),
        ]
    }

    /// The counts an admin reads first.
    public static func counts(_ report: ImportReport) -> [String: Int] {
        [
            "read": report.read, "create": report.added, "update": report.updated, "unchanged": report.unchanged,
            "link": report.matched, "intake": report.toIntake, "recycle": report.leavers, "contacts": report.contactsUpdated,
            "skipped": report.skipped, "targetEdits": report.targetEdits, "purge": report.purged?.count ?? 0,
        ]
    }

    public static func object(_ step: PlanStep) -> [String: Any] {
        var object: [String: Any] = [
            "seq": step.seq, "kind": step.kind.rawValue, "role": step.role.rawValue, "misId": step.misID,
            "targetId": step.targetID.map { $0 as Any } ?? NSNull(), "status": step.status.rawValue, "held": step.held,
            "detail": step.detail.map { $0 as Any } ?? NSNull(),
        ]
        if step.kind == .contacts {
            object["contactsBefore"] = step.contactsBefore.map { $0.map(contact) as Any } ?? NSNull()
            object["contacts"] = (step.contacts ?? []).map(contact)
        } else {
            object["changes"] = changes(step).map { change -> [String: Any] in
                ["field": change.field, "before": change.before.map { $0 as Any } ?? NSNull(), "after": change.after.map { $0 as Any } ?? NSNull()]
            }
        }
        return object
    }

    /// The fields a step changes, before and after: an update's changed fields, a create's or intake
    /// entry's whole record (before: none), a target edit's values.
    public static func changes(_ step: PlanStep) -> [(field: String, before: String?, after: String?)] {
        let after = step.after ?? [:]
        switch step.kind {
        case .update, .targetEdit:
            let before = step.before ?? [:]
            let fields = step.kind == .update ? before.keys.sorted() : Set(before.keys).union(after.keys).sorted()
            // An update's `before` has "" for a field the target did not hold.
            return fields.map { ($0, before[$0].flatMap { $0.isEmpty ? nil : $0 }, after[$0]) }
        case .create, .intake:
            return after.keys.sorted().map { ($0, nil, after[$0]) }
        default:
            return []
        }
    }

    private static func contact(_ contact: Contact) -> [String: Any] {
        [
            "misId": contact.misID, "name": contact.forename + " " + contact.surname,
            "relationship": contact.relationship.map { $0 as Any } ?? NSNull(), "priority": contact.priority.map { $0 as Any } ?? NSNull(),
        ]
    }
}
