import Foundation
import MISLinkKit

/// How a kit record becomes a SCIM User, and a SCIM User a `TargetPerson`.
///
/// - `externalId` and enterprise `employeeNumber` are the MIS id (never the UPN): the kit's records
///   carry no separate admission number or staff code.
/// - `name.givenName`/`familyName` and `displayName` are the preferred names where the MIS has them
///   (the names a person is known by), else the legal ones; staff titles go in `honorificPrefix`.
/// - `userType` is `Student` or `Staff`; a pre-admission is a `Student` whose `title` is `Pre-admission`.
/// - Enterprise `department` is a pupil's year group; `organization` the configured school name.
/// - `emails` and `phoneNumbers` carry the email and mobile the integration's field selection lets out.
extension SCIMUser {
    static let staffType = "Staff"
    static let studentType = "Student"
    static let preAdmissionTitle = "Pre-admission"

    /// The User for a new record, with the given login.
    init(record: PersonRecord, userName: String, organization: String? = nil) {
        self = SCIMUser.wanted(record, organization: organization)
        schemas = [Self.schema, Self.enterpriseSchema]
        self.userName = userName
        active = true
    }

    /// The attributes MISLink owns, as `record` says they should be (no id, login or `active`).
    static func wanted(_ record: PersonRecord, organization: String? = nil) -> SCIMUser {
        let details = record.details
        var user = SCIMUser()
        user.externalId = details.misID
        let given = nonEmpty(details.name.preferredForename) ?? details.name.legalForename
        let family = nonEmpty(details.name.preferredSurname) ?? details.name.legalSurname
        user.name = Name(givenName: given, familyName: family, honorificPrefix: nil)
        user.displayName = [given, family].filter { !$0.isEmpty }.joined(separator: " ")
        user.emails = nonEmpty(details.email).map { [MultiValue(value: $0, type: "work", primary: true)] }
        user.phoneNumbers = nonEmpty(details.mobile).map { [MultiValue(value: $0, type: "mobile")] }
        var enterprise = Enterprise(employeeNumber: details.misID, organization: organization, department: nil)
        switch record {
        case .pupil(let pupil):
            user.userType = studentType
            enterprise.department = nonEmpty(pupil.yearGroup)
        case .preAdmission(let pre):
            user.userType = studentType
            user.title = preAdmissionTitle
            enterprise.department = nonEmpty(pre.pupil.yearGroup)
        case .staff(let staff):
            user.userType = staffType
            user.title = nonEmpty(staff.post)
            user.name?.honorificPrefix = nonEmpty(staff.title)
        }
        user.enterprise = enterprise
        return user
    }

    /// The kit's role for this User.
    var role: PersonRole {
        if userType?.lowercased() == Self.staffType.lowercased() { return .staff }
        return title == Self.preAdmissionTitle ? .preAdmission : .pupil
    }

    /// The User as matching and the changes report see it. `groups` are the MISLink groups it is a
    /// member of (read from the Groups: servers need not fill `User.groups`).
    func targetPerson(groups: Set<SCIMGroupKey> = []) -> TargetPerson? {
        guard let id else { return nil }
        var fields: [String: String] = [:]
        fields["status"] = active == false ? EnrolmentStatus.inactive.rawValue : EnrolmentStatus.active.rawValue
        fields["user_name"] = userName
        switch role {
        case .staff:
            fields["post"] = title
            fields["title"] = name?.honorificPrefix
        case .pupil, .preAdmission:
            fields["year_group"] = enterprise?.department
            fields["reg_group"] = groups.first { $0.kind == .registration }?.name
        }
        return TargetPerson(
            targetID: id, role: role, misID: Self.nonEmpty(externalId),
            name: PersonName(legalForename: name?.givenName ?? "", legalSurname: name?.familyName ?? ""),
            email: (emails?.first { $0.primary == true } ?? emails?.first)?.value,
            mobile: (phoneNumbers?.first { $0.type == "mobile" } ?? phoneNumbers?.first)?.value,
            fields: fields.compactMapValues { $0 }.filter { !$0.value.isEmpty }, inRecycleBin: active == false)
    }

    static func nonEmpty(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        return text
    }
}
