import Foundation
import MISLinkKit

/// The JSON form of a plan step's field maps and contact lists. Written by hand for objects of
/// strings because a large initial upload stores one or two per person, and Foundation's coders are
/// slow at that on Linux (see SentFields); read back with JSONSerialization, only when a job resumes.
enum PlanJSON {
    static func encode(_ fields: [String: String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        append(fields, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func encode(_ contacts: [Contact]) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, contact) in contacts.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(fields(of: contact), to: &bytes)
        }
        bytes.append(UInt8(ascii: "]"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeFields(_ text: String) -> [String: String]? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: String]
    }

    static func decodeContacts(_ text: String) -> [Contact]? {
        guard let list = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: String]] else { return nil }
        return list.compactMap(contact(from:))
    }

    /// An object of strings, keys sorted, as UTF-8 bytes.
    private static func append(_ fields: [String: String], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (index, key) in fields.keys.sorted().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            append(fields[key]!, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped; other UTF-8 as it is.
    private static func append(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), byte]
            case 0..<0x20: bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
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
