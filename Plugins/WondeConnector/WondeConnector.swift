import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// Reads one school from Wonde (`/v1.0/schools/{id}/…`) and writes session attendance back.
///
/// Every list is walked page by page along `meta.pagination.next` until it ends; any page that fails
/// (an error status, JSON cut short, a page that says more follow but links none) fails the whole
/// read, so an incomplete walk never reaches the target as a school that lost its pupils.
/// Deltas ask for `updated_after` and read `deletions`: a deleted student or employee becomes an
/// inactive record (a leaver), never a hard delete, unless it was restored since.
public struct WondeConnector: Connector {
    let settings: WondeSettings
    let client: HTTPClient
    /// Write-back's memory of each event's writeback id; nil without `state-dir`.
    let ledger: WondeWriteBackLedger?
    let cache = WondeReadCache()

    init(settings: WondeSettings, token: String) {
        self.settings = settings
        let authorization: String
        switch settings.authorization {
        case .bearer: authorization = "Bearer " + token
        case .basic: authorization = HTTPClient.basicAuthorization(user: token, password: "")
        }
        client = HTTPClient(
            service: "Wonde", baseURL: settings.baseURL, headers: ["Authorization": authorization],
            secrets: [token])
        ledger = settings.stateDirectory.map { WondeWriteBackLedger(directory: $0, school: settings.school) }
    }

    var schoolPath: String { "schools/\(settings.school)" }

    static let studentIncludes = ["education_details", "contact_details"]
    static let employeeIncludes = ["employment_details", "contact_details"]

    var pupilIncludes: [String] {
        switch settings.registration {
        case .registration: Self.studentIncludes + ["registration"]
        case .classes: Self.studentIncludes + ["classes"]
        }
    }

    static let contactIncludes = ["contacts.contact_details"]

    // MARK: - Reads

    /// Students on roll, leavers (`students-leaver`, inactive) and deleted students (inactive), one
    /// record per MIS id: a record on roll wins over a leaver, a leaver over a deletion.
    public func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        let registration = settings.registration
        var byMisID: [String: Pupil] = [:]
        var order: [String] = []
        func keep(_ pupil: Pupil) {
            guard byMisID[pupil.details.misID] == nil else { return }
            byMisID[pupil.details.misID] = pupil
            order.append(pupil.details.misID)
        }
        var contacts: [Contact] = []
        for student in try await walk(
            "students", WondeStudent.self, includes: pupilIncludes + Self.contactIncludes, changedSince: changedSince,
            context: context)
        {
            keep(try WondeRecords.pupil(student, where: "students", registration: registration))
            contacts += try WondeRecords.contacts(of: student, where: "students")
        }
        cache.keep(contacts: contacts)
        for student in try await walk(
            "students-leaver", WondeStudent.self, includes: pupilIncludes, changedSince: changedSince, context: context)
        {
            keep(
                try WondeRecords.pupil(student, where: "students-leaver", registration: registration, status: .inactive)
            )
        }
        let deletions = try await walk(
            "deletions", WondeDeletion.self, includes: [], changedSince: changedSince, context: context)
        cache.keep(deletions: deletions, since: changedSince)
        for details in Self.deleted(deletions, types: settings.studentDeletionTypes) {
            keep(Pupil(details: details))
        }
        return order.map { byMisID[$0]! }
    }

    /// Employees, and deleted employees as inactive staff.
    public func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] {
        var staff: [StaffMember] = []
        var seen: Set<String> = []
        for employee in try await walk(
            "employees", WondeEmployee.self, includes: Self.employeeIncludes, changedSince: changedSince,
            context: context)
        {
            let member = try WondeRecords.staff(employee, where: "employees")
            if seen.insert(member.details.misID).inserted { staff.append(member) }
        }
        var deletions = cache.takeDeletions(since: changedSince)
        if deletions == nil {
            deletions = try await walk(
                "deletions", WondeDeletion.self, includes: [], changedSince: changedSince, context: context)
        }
        for details in Self.deleted(deletions ?? [], types: settings.employeeDeletionTypes)
        where seen.insert(details.misID).inserted {
            staff.append(StaffMember(details: details))
        }
        return staff
    }

    /// `students-pre-admission`. With `pre-admissions=auto` a school whose Wonde has no such endpoint
    /// (404) or has not granted it (403) has none; with `on` that is an error.
    public func readPreAdmissions(changedSince: Date?, context: PluginContext) async throws -> [PreAdmission] {
        let resource = "students-pre-admission"
        switch settings.preAdmissions {
        case .off:
            return []
        case .auto:
            let probe = HTTPRequest(.get, "\(schoolPath)/\(resource)", query: [("per_page", "1")], accept: [403, 404])
            let answer = try await client.send(probe, context: context)
            if answer.status == 403 || answer.status == 404 {
                context.log(
                    .info,
                    "wonde: \(resource) answered \(answer.status): read as no pre-admissions (pre-admissions=auto)")
                return []
            }
        case .on:
            break
        }
        let registration = settings.registration
        return try await walk(
            resource, WondeStudent.self, includes: pupilIncludes, changedSince: changedSince, context: context
        )
        .map { try WondeRecords.preAdmission($0, where: resource, registration: registration) }
    }

    /// The contacts of the pupils just read (they come with them), else every student's contacts
    /// (`students?include=contacts.contact_details`). A pupil's contacts are replaced as a set.
    public func readContacts(changedSince: Date?, context: PluginContext) async throws -> [Contact] {
        if let contacts = cache.takeContacts() { return contacts }
        return try await walk(
            "students", WondeStudent.self, includes: Self.contactIncludes, changedSince: nil, context: context
        )
        .flatMap { try WondeRecords.contacts(of: $0, where: "students") }
    }

    /// Deleted records of the given types, not restored since, as inactive details.
    private static func deleted(_ deletions: [WondeDeletion], types: Set<String>) -> [PersonDetails] {
        deletions.filter { types.contains($0.type.lowercased()) && $0.restoredAt == nil }.compactMap(
            WondeRecords.deletedDetails)
    }

    /// Every record of a school list, page by page. Throws if any page fails: the walk is all or nothing.
    func walk<Item: Decodable & Sendable>(
        _ resource: String, _ type: Item.Type, includes: [String], changedSince: Date?, context: PluginContext
    ) async throws -> [Item] {
        var query = [("per_page", String(settings.perPage))]
        if !includes.isEmpty { query.append(("include", includes.joined(separator: ","))) }
        if let changedSince { query.append(("updated_after", WondeDate.queryText(changedSince))) }
        // School lists sit under schools/{id}/; the global attendance codes at the API root.
        let path = resource.hasPrefix("/") ? String(resource.dropFirst()) : "\(schoolPath)/\(resource)"
        var items: [Item] = []
        var pages = 0
        try await client.followNext(
            HTTPRequest(.get, path, query: query), as: WondePage<Item>.self, next: \.nextLink,
            context: context
        ) { page in
            pages += 1
            if page.promisesMoreWithoutLink {
                throw PluginError.retryable(
                    "wonde: page \(pages) of \(resource) says more pages follow but gives no next link; "
                        + "the read is incomplete, so nothing was imported")
            }
            items += page.data
            context.report(
                .init(done: items.count, message: "read \(items.count) \(resource) from Wonde (\(pages) pages)"))
        }
        return items
    }
}
