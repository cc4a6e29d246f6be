import Foundation
import MISLinkKit
import MISLinkRunner

/// The person history and an undo's report as JSON objects, for `--json` and the console.
public enum HistoryJSON {
    public static func object(_ change: PersonChange) -> [String: Any] {
        var object: [String: Any] = [
            "id": change.id, "integration": change.integration, "at": DurationText.isoString(milliseconds: change.at),
            "kind": change.kind.rawValue, "role": change.role.rawValue, "misId": change.misID,
        ]
        object["jobId"] = change.jobID
        object["planId"] = change.planID
        object["targetId"] = change.targetID
        object["detail"] = change.detail
        if let contacts = change.contacts {
            object["contacts"] = ["before": contacts.before.map(contact), "after": contacts.after.map(contact)]
        } else {
            let fields = change.fields
            if !fields.isEmpty {
                object["fields"] = fields.map { field -> [String: Any] in
                    ["field": field.field, "from": field.from ?? NSNull(), "to": field.to ?? NSNull()]
                }
            }
        }
        return object
    }

    static func contact(_ contact: Contact) -> [String: Any] {
        var object: [String: Any] = ["misId": contact.misID, "forename": contact.forename, "surname": contact.surname]
        object["relationship"] = contact.relationship
        object["email"] = contact.email
        object["mobile"] = contact.mobile
        object["priority"] = contact.priority
        return object
    }

    public static func object(_ report: UndoReport) -> [String: Any] {
        func item(_ item: UndoReport.Item) -> [String: Any] {
            var object: [String: Any] = ["role": item.role.rawValue, "misId": item.misID, "kind": item.kind]
            object["targetId"] = item.targetID
            object["fields"] = item.fields
            object["reason"] = item.reason
            return object
        }
        var object: [String: Any] = ["plan": report.plan, "undone": report.undone.map(item), "notUndone": report.notUndone.map(item)]
        object["misId"] = report.misID
        return object
    }

    /// A short text of a contact list ("Ann Lee (mother), Bob Lee").
    public static func contactsText(_ contacts: [Contact]) -> String {
        contacts.isEmpty ? "(none)" : contacts.map { $0.forename + " " + $0.surname + ($0.relationship.map { " (\($0))" } ?? "") }
            .joined(separator: ", ")
    }
}
