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
public struct WondeConnector: StreamingConnector {
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

    // Each read hands the engine a page at a time; the array forms come from `StreamingConnector`.

    /// Students on roll, leavers (`students-leaver`, inactive) and deleted students (inactive), one
    /// record per MIS id: a record on roll wins over a leaver, a leaver over a deletion (the lists
    /// are walked in that order, so each page goes as it comes). The students' contacts come with
    /// them, for a contacts read after this one, unless the contacts were read already.
    public func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void)
        async throws
    {
        let registration = settings.registration
        var seen: Set<String> = []
        func firstOnes(_ pupils: [Pupil]) -> [Pupil] { pupils.filter { seen.insert($0.details.misID).inserted } }
        let withContacts = !cache.contactsWereRead
        var contacts: [Contact] = []
        try await walk(
            "students", WondeStudent.self, includes: pupilIncludes + (withContacts ? Self.contactIncludes : []),
            changedSince: changedSince, context: context
        ) { page in
            try each(firstOnes(try page.map { try WondeRecords.pupil($0, where: "students", registration: registration) }))
            if withContacts { for student in page { contacts += try WondeRecords.contacts(of: student, where: "students") } }
        }
        if withContacts { cache.keep(contacts: contacts) }
        try await walk(
            "students-leaver", WondeStudent.self, includes: pupilIncludes, changedSince: changedSince, context: context
        ) { page in
            try each(
                firstOnes(
                    try page.map {
                        try WondeRecords.pupil($0, where: "students-leaver", registration: registration, status: .inactive)
                    }))
        }
        let deletions = try await walk(
            "deletions", WondeDeletion.self, includes: [], changedSince: changedSince, context: context)
        cache.keep(deletions: deletions, since: changedSince)
        try each(firstOnes(Self.deleted(deletions, types: settings.studentDeletionTypes).map { Pupil(details: $0) }))
    }

    /// Employees, and deleted employees as inactive staff.
    public func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void)
        async throws
    {
        var seen: Set<String> = []
        try await walk(
            "employees", WondeEmployee.self, includes: Self.employeeIncludes, changedSince: changedSince,
            context: context
        ) { page in
            try each(
                try page.map { try WondeRecords.staff($0, where: "employees") }.filter {
                    seen.insert($0.details.misID).inserted
                })
        }
        var deletions = cache.takeDeletions(since: changedSince)
        if deletions == nil {
            deletions = try await walk(
                "deletions", WondeDeletion.self, includes: [], changedSince: changedSince, context: context)
        }
        try each(
            Self.deleted(deletions ?? [], types: settings.employeeDeletionTypes).filter { seen.insert($0.misID).inserted }
                .map { StaffMember(details: $0) })
    }

    /// `students-pre-admission`. With `pre-admissions=auto` a school whose Wonde has no such endpoint
    /// (404) or has not granted it (403) has none; with `on` that is an error.
    public func readPreAdmissions(
        changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void
    ) async throws {
        let resource = "students-pre-admission"
        switch settings.preAdmissions {
        case .off:
            return
        case .auto:
            let probe = HTTPRequest(.get, "\(schoolPath)/\(resource)", query: [("per_page", "1")], accept: [403, 404])
            let answer = try await client.send(probe, context: context)
            if answer.status == 403 || answer.status == 404 {
                context.log(
                    .info,
                    "wonde: \(resource) answered \(answer.status): read as no pre-admissions (pre-admissions=auto)")
                return
            }
        case .on:
            break
        }
        let registration = settings.registration
        try await walk(resource, WondeStudent.self, includes: pupilIncludes, changedSince: changedSince, context: context)
        { page in
            try each(try page.map { try WondeRecords.preAdmission($0, where: resource, registration: registration) })
        }
    }

    /// The contacts of the pupils just read (they come with them), else every student's contacts
    /// (`students?include=contacts.contact_details`). A pupil's contacts are replaced as a set.
    /// Read first, as the engine does, they also spare the pupils' read the include.
    public func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void)
        async throws
    {
        if let contacts = cache.takeContacts() { return try each(contacts) }
        cache.markContactsRead()
        try await walk("students", WondeStudent.self, includes: Self.contactIncludes, changedSince: nil, context: context)
        { page in
            try each(try page.flatMap { try WondeRecords.contacts(of: $0, where: "students") })
        }
    }

    /// Deleted records of the given types, not restored since, as inactive details.
    private static func deleted(_ deletions: [WondeDeletion], types: Set<String>) -> [PersonDetails] {
        deletions.filter { types.contains($0.type.lowercased()) && $0.restoredAt == nil }.compactMap(
            WondeRecords.deletedDetails)
    }

    /// Every record of a school list. Throws if any page fails: the walk is all or nothing.
    func walk<Item: Decodable & Sendable>(
        _ resource: String, _ type: Item.Type, includes: [String], changedSince: Date?, context: PluginContext
    ) async throws -> [Item] {
        var items: [Item] = []
        try await walk(resource, type, includes: includes, changedSince: changedSince, context: context) { items += $0 }
        return items
    }

    /// A school list, handed to `page` a page at a time. A page that fails fails the walk, after the
    /// pages before it went: the engine plans nothing until every read has finished.
    func walk<Item: Decodable & Sendable>(
        _ resource: String, _ type: Item.Type, includes: [String], changedSince: Date?, context: PluginContext,
        page body: ([Item]) throws -> Void
    ) async throws {
        var query = [("per_page", String(settings.perPage))]
        if !includes.isEmpty { query.append(("include", includes.joined(separator: ","))) }
        if let changedSince { query.append(("updated_after", WondeDate.queryText(changedSince))) }
        // School lists sit under schools/{id}/; the global attendance codes at the API root.
        let path = resource.hasPrefix("/") ? String(resource.dropFirst()) : "\(schoolPath)/\(resource)"
        var count = 0
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
            count += page.data.count
            try body(page.data)
            context.report(.init(done: count, message: "read \(count) \(resource) from Wonde (\(pages) pages)"))
        }
    }
}
