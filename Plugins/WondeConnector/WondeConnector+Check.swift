import Foundation
import MISLinkHTTPClient
import MISLinkKit

extension WondeConnector {
    /// `GET schools/{id}`, then one record of students and employees with the includes the import
    /// needs. Wonde answers a school asked of the wrong region with no data (not a 404), and an
    /// include outside the school's granted scopes with null: both are named, with what to do.
    public func checkConnection(context: PluginContext) async throws {
        let answer = try await client.send(HTTPRequest(.get, schoolPath, accept: [403, 404]), context: context)
        switch answer.status {
        case 404:
            throw PluginError.permanent(
                "wonde: Wonde has no school '\(settings.school)' (404 on GET /v1.0/\(schoolPath)); check the config key school"
            )
        case 403:
            throw PluginError.permanent(
                "wonde: Wonde refused access to school '\(settings.school)' (403): the school has not approved "
                    + "this token's access; ask it to approve the app in its Wonde portal")
        default:
            break
        }
        let school = try answer.decode(WondeSchool.self)
        guard let found = school.data else {
            throw PluginError.permanent(
                "wonde: Wonde at \(settings.domain) answered no data for school '\(settings.school)': the school is in "
                    + "another region (Wonde answers a wrong region with empty data). Set --config domain= to the "
                    + "school's region: api.wonde.com (UK), api-ap-southeast-2.wonde.com (AU/NZ), "
                    + "api-af-south-1.wonde.com (ZA)")
        }
        if let region = found.regionDomain, region.lowercased() != settings.domain.lowercased() {
            throw PluginError.permanent(
                "wonde: school '\(settings.school)' is in the region at \(region), but the config key domain says "
                    + "\(settings.domain); set --config domain=\(region)")
        }
        try await checkScope("students", includes: pupilIncludes, context: context) { (student: WondeStudent) in
            var missing: [String] = []
            if student.education == nil { missing.append("education_details (UPN, year group)") }
            if student.contactDetails == nil { missing.append("contact_details") }
            return missing
        }
        try await checkScope("employees", includes: Self.employeeIncludes, context: context) {
            (employee: WondeEmployee) in
            employee.employment == nil ? ["employment_details (post, employment dates)"] : []
        }
        context.log(.info, "wonde: reached school '\(found.name ?? settings.school)' at \(settings.domain)")
    }

    /// One record of `resource`: a 403 names the refused scope; includes answered null are named too.
    private func checkScope<Item: Decodable & Sendable>(
        _ resource: String, includes: [String], context: PluginContext, missing: (Item) -> [String]
    ) async throws {
        let request = HTTPRequest(
            .get, "\(schoolPath)/\(resource)",
            query: [("per_page", "1"), ("include", includes.joined(separator: ","))],
            accept: [403])
        let answer = try await client.send(request, context: context)
        if answer.status == 403 {
            throw PluginError.permanent(
                "wonde: Wonde refused the \(resource) scope for school '\(settings.school)' (403): ask the school to "
                    + "approve access to \(resource) in its Wonde portal")
        }
        let page = try answer.decode(WondePage<Item>.self)
        guard let first = page.data.first else { return }
        let refused = missing(first)
        if !refused.isEmpty {
            throw PluginError.permanent(
                "wonde: school '\(settings.school)' has not granted \(refused.joined(separator: ", ")) for \(resource) "
                    + "(Wonde answers them null); ask the school to approve those scopes in its Wonde portal")
        }
    }
}
