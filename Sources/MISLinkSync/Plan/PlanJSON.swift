import Foundation
import MISLinkKit

/// The JSON form of a plan step's field maps and contact lists. Written by hand for objects of
/// strings because a large initial upload stores one or two per person, and Foundation's coders are
/// slow at that on Linux (see SentFields); read back with JSONSerialization, only when a job resumes.
enum PlanJSON {
    static func encode(_ fields: [String: String]) -> String {
        var out = "{"
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            appendString(key, to: &out)
            out += ":"
            appendString(fields[key]!, to: &out)
        }
        return out + "}"
    }

    static func encode(_ contacts: [Contact]) -> String {
        "[" + contacts.map { encode(fields(of: $0)) }.joined(separator: ",") + "]"
    }

    static func decodeFields(_ text: String) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]
    }

    static func decodeContacts(_ text: String) -> [Contact]? {
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]] else { return nil }
        return list.compactMap(contact(from:))
    }

    private static func appendString(_ value: String, to out: inout String) {
        out += "\""
        // Most values need no escaping: append them whole.
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            out += value
            out += "\""
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func fields(of contact: Contact) -> [String: String] {
        var values: [String: String] = [
            "mis_id": contact.misID, "student_mis_id": contact.studentMisID, "forename": contact.forename,
            "surname": contact.surname,
        ]
        values["relationship"] = contact.relationship
        values["email"] = contact.email
        values["mobile"] = contact.mobile
        values["priority"] = contact.priority.map(String.init)
        values["parental_responsibility"] = contact.parentalResponsibility.map { $0 ? "yes" : "no" }
        return values
    }

    static func contact(from values: [String: String]) -> Contact? {
        guard let misID = values["mis_id"], let student = values["student_mis_id"] else { return nil }
        return Contact(
            misID: misID, studentMisID: student, relationship: values["relationship"], forename: values["forename"] ?? "",
            surname: values["surname"] ?? "", email: values["email"], mobile: values["mobile"],
            priority: values["priority"].flatMap { Int($0) },
            parentalResponsibility: values["parental_responsibility"].map { $0 == "yes" })
    }
}
