import MISLinkKit
import MISLinkSync

/// `/integrations/ID/changes`: edits made in the target that the MIS does not have (the sync is one
/// way: the next import overwrites the pending ones).
enum ChangesPage {
    static func html(_ id: String, changes: [TargetChange], context: PageContext) -> String {
        let rows = changes.map { change -> [String] in
            [
                HTML.esc(change.misID), HTML.esc(change.role.rawValue), HTML.esc(change.targetID), HTML.esc(change.field),
                HTML.esc(change.sentValue ?? "—"), HTML.esc(change.targetValue ?? "—"), HTML.esc(change.status.rawValue),
            ]
        }
        let body = "<p>\(HTML.link("/integrations/\(id)", text: "Back to \(id)"))</p>\n"
            + HTML.table(
                caption: "Changes made in the target", headers: ["MIS id", "Role", "Target id", "Field", "MIS sent", "Target has", "Status"],
                rows: rows, empty: "the target holds no edits the MIS does not have.")
        return Layout.page(title: "Changes in \(id)'s target", section: .integrations, context: context, body: body)
    }
}
