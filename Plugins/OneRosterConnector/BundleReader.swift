import Foundation
import MISLinkKit

/// Reads a OneRoster 1.1 CSV bundle (a folder with manifest.csv) into a `Roster`.
///
/// Every file the manifest lists as bulk or delta must be there and read cleanly, or nothing is
/// read: a half-copied bundle must never look like a school where most people left. `users` must
/// be listed; classes, enrollments, demographics and orgs may be absent (no registration groups,
/// dates of birth or school filter then).
struct BundleReader: Sendable {
    let directory: URL

    func read(context: PluginContext) throws -> Roster {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PluginError.permanent("oneroster: bundle folder \(directory.path) does not exist or is not a folder")
        }
        let manifest = try BundleManifest(directory: directory)
        var roster = Roster()
        switch manifest.mode("users") {
        case .absent:
            throw OneRosterError.bundle(BundleManifest.fileName, "says file.users is absent: a bundle without users has nobody to read")
        case .delta: roster.usersAreDelta = true
        case .bulk: break
        }
        var places: [String: String] = [:]
        roster.users = try BundleFile.rows("users.csv", in: directory, required: ["sourcedId"]) {
            try RosterUser(row: $0, unique: &places)
        }
        try context.checkCancellation()
        if manifest.mode("classes") != .absent {
            let classes = try BundleFile.rows("classes.csv", in: directory, required: ["sourcedId"], decode: RosterClass.init(row:))
            roster.classes = Dictionary(classes.map { ($0.sourcedId, $0) }) { _, last in last }
        }
        if manifest.mode("enrollments") != .absent {
            roster.enrollments = try BundleFile.rows(
                "enrollments.csv", in: directory, required: ["sourcedId", "classSourcedId", "userSourcedId"],
                decode: RosterEnrollment.init(row:))
        }
        if manifest.mode("demographics") != .absent {
            let demographics = try BundleFile.rows("demographics.csv", in: directory, required: [], decode: RosterDemographics.init(row:))
            roster.demographics = Dictionary(demographics.map { ($0.sourcedId, $0) }) { _, last in last }
        }
        if manifest.mode("orgs") != .absent {
            roster.orgs = try BundleFile.rows("orgs.csv", in: directory, required: ["sourcedId"], decode: RosterOrg.init(row:))
        }
        context.report(.init(done: roster.users.count, total: roster.users.count, message: "read the OneRoster bundle"))
        return roster
    }
}
