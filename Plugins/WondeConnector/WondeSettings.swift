import Foundation
import MISLinkKit

/// The `wonde` connector's configuration, read and checked in one place (for `integration add`/`set`
/// and for each job). Every key but `school` and `token` has a default.
struct WondeSettings: Sendable, Equatable {
    /// Where the registration group comes from.
    enum RegistrationSource: Sendable, Equatable {
        /// The `registration` include's name.
        case registration
        /// The first of the pupil's classes whose name matches the pattern (a regular expression).
        case classes(pattern: String)
    }

    enum PreAdmissions: String, Sendable, Equatable, CaseIterable {
        /// Read them; a school without the endpoint (404) or its scope (403) has none.
        case auto
        case on, off
    }

    enum Authorization: String, Sendable, Equatable, CaseIterable {
        /// `Authorization: Bearer <token>` (Wonde's preferred form).
        case bearer
        /// `Basic base64("<token>:")`, as the PHP client sends it.
        case basic
    }

    var school: String
    var baseURL: URL
    var perPage = 200
    var authorization = Authorization.bearer
    var registration = RegistrationSource.registration
    var preAdmissions = PreAdmissions.auto
    /// The folder of the write-back ledger (each event's writeback id); write-back needs it.
    var stateDirectory: URL?
    /// How long one write-back job follows its writeback before it snoozes.
    var writebackWait: TimeInterval = 10
    /// When a snoozed write-back looks again.
    var writebackRecheck: TimeInterval = 60
    /// How long a school's attendance codes (and whether they are its own) are kept in memory for
    /// the write-backs after the one that read them; 0 reads them for every write-back.
    var attendanceCodesTTL: TimeInterval = 600
    /// A writeback still pending this long after it was posted fails for good.
    var writebackGiveUp: TimeInterval = 24 * 3600
    /// Post again a mark whose earlier POST got no answer (Wonde may hold it already).
    var resendUnanswered = false
    /// `writebacks/{id}` status values that mean written, and failed (lower case); others are pending.
    var writtenStatuses: Set<String> = [
        "success", "succeeded", "successful", "written", "complete", "completed", "done", "processed",
    ]
    var failedStatuses: Set<String> = ["failed", "failure", "error", "errored", "rejected", "cancelled"]
    /// `deletions` type values (lower case) for students and for employees.
    var studentDeletionTypes: Set<String> = ["student", "students", "pupil"]
    var employeeDeletionTypes: Set<String> = ["employee", "employees", "staff"]

    static let defaultDomain = "api.wonde.com"

    /// The configuration keys, for the manifest.
    static let keys: [ConfigKey] = [
        ConfigKey("school", summary: "the Wonde school id, e.g. A1930499544"),
        ConfigKey("token", summary: "the Wonde API token", secret: true),
        ConfigKey(
            "domain",
            summary: "the school's region: api.wonde.com (default; UK), api-ap-southeast-2.wonde.com (AU/NZ), "
                + "api-af-south-1.wonde.com (ZA)", required: false),
        ConfigKey("per-page", summary: "records per page, 1-500 (default 200)", required: false),
        ConfigKey("auth", summary: "bearer (default) or basic", required: false),
        ConfigKey(
            "registration",
            summary: "registration (default: the registration include) or classes[:REGEX] (the first class whose "
                + "name matches; default ^[^/]+$)", required: false),
        ConfigKey("pre-admissions", summary: "auto (default), on or off", required: false),
        ConfigKey(
            "state-dir", summary: "folder for the write-back ledger (0600): needed for write-back", required: false),
        ConfigKey(
            "writeback-wait", summary: "seconds a write-back job follows its writeback (default 10)", required: false),
        ConfigKey(
            "writeback-recheck", summary: "seconds before a pending writeback is checked again (default 60)",
            required: false),
        ConfigKey("writeback-give-up", summary: "hours a writeback may stay pending (default 24)", required: false),
        ConfigKey(
            "attendance-codes-ttl",
            summary: "seconds a school's attendance codes are kept between write-backs (default 600; 0: read each time)",
            required: false),
        ConfigKey("writeback-written", summary: "status values meaning written, comma-separated", required: false),
        ConfigKey("writeback-failed", summary: "status values meaning failed, comma-separated", required: false),
        ConfigKey(
            "resend-unanswered", summary: "yes: post again a mark whose POST got no answer (default no)",
            required: false),
        ConfigKey(
            "deletion-types-student", summary: "deletions type values for students (default student,students,pupil)",
            required: false),
        ConfigKey(
            "deletion-types-employee",
            summary: "deletions type values for employees (default employee,employees,staff)", required: false),
    ]

    /// Reads the plain values (secrets are not needed here). Each error names the key.
    init(config: PluginConfig) throws {
        func bad(_ key: String, _ what: String) -> PluginError {
            PluginError.permanent("wonde: configuration key '\(key)' \(what), not '\(config[key] ?? "")'")
        }
        school = try config.require("school", plugin: "wonde").trimmingCharacters(in: .whitespaces)
        guard school.allSatisfy({ $0.isLetter || $0.isNumber }) else {
            throw bad("school", "must be a Wonde school id such as A1930499544")
        }
        baseURL = try Self.baseURL(domain: config["domain"])
        if let text = config["per-page"], !text.isEmpty {
            guard let value = Int(text), (1...500).contains(value) else {
                throw bad("per-page", "must be a whole number from 1 to 500")
            }
            perPage = value
        }
        if let text = config["auth"], !text.isEmpty {
            guard let value = Authorization(rawValue: text.lowercased()) else {
                throw bad("auth", "must be bearer or basic")
            }
            authorization = value
        }
        if let text = config["registration"], !text.isEmpty {
            if text == "registration" {
                registration = .registration
            } else if text == "classes" || text.hasPrefix("classes:") {
                let pattern = text == "classes" ? "^[^/]+$" : String(text.dropFirst("classes:".count))
                guard (try? NSRegularExpression(pattern: pattern)) != nil else {
                    throw bad("registration", "has a pattern that is not a regular expression")
                }
                registration = .classes(pattern: pattern)
            } else {
                throw bad("registration", "must be registration or classes[:REGEX]")
            }
        }
        if let text = config["pre-admissions"], !text.isEmpty {
            guard let value = PreAdmissions(rawValue: text.lowercased()) else {
                throw bad("pre-admissions", "must be auto, on or off")
            }
            preAdmissions = value
        }
        if let path = config["state-dir"], !path.isEmpty {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw bad("state-dir", "must be an existing folder")
            }
            stateDirectory = URL(fileURLWithPath: path, isDirectory: true)
        }
        func seconds(_ key: String, scale: Double = 1) throws -> TimeInterval? {
            guard let text = config[key], !text.isEmpty else { return nil }
            guard let value = Double(text), value >= 0, value.isFinite else {
                throw bad(key, "must be a number of \(scale == 1 ? "seconds" : "hours")")
            }
            return value * scale
        }
        writebackWait = try seconds("writeback-wait") ?? writebackWait
        writebackRecheck = try seconds("writeback-recheck") ?? writebackRecheck
        writebackGiveUp = try seconds("writeback-give-up", scale: 3600) ?? writebackGiveUp
        attendanceCodesTTL = try seconds("attendance-codes-ttl") ?? attendanceCodesTTL
        if let text = config["resend-unanswered"], !text.isEmpty {
            switch text.lowercased() {
            case "yes", "true", "on": resendUnanswered = true
            case "no", "false", "off": resendUnanswered = false
            default: throw bad("resend-unanswered", "must be yes or no")
            }
        }
        func list(_ key: String) -> Set<String>? {
            guard let text = config[key], !text.isEmpty else { return nil }
            return Set(
                text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                    !$0.isEmpty
                })
        }
        writtenStatuses = list("writeback-written") ?? writtenStatuses
        failedStatuses = list("writeback-failed") ?? failedStatuses
        guard writtenStatuses.isDisjoint(with: failedStatuses) else {
            throw bad("writeback-failed", "shares a value with writeback-written")
        }
        studentDeletionTypes = list("deletion-types-student") ?? studentDeletionTypes
        employeeDeletionTypes = list("deletion-types-employee") ?? employeeDeletionTypes
    }

    /// `https://{domain}/v1.0/`. A domain may also be given as a URL; plain `http://` is allowed only
    /// to a loopback address (a local test double), so the token never crosses a network in clear.
    static func baseURL(domain: String?) throws -> URL {
        let text = (domain?.trimmingCharacters(in: .whitespaces)).flatMap { $0.isEmpty ? nil : $0 } ?? defaultDomain
        let withScheme = text.contains("://") ? text : "https://" + text
        guard var components = URLComponents(string: withScheme), let host = components.host, !host.isEmpty,
            components.query == nil, components.user == nil
        else {
            throw PluginError.permanent(
                "wonde: configuration key 'domain' must be a host such as api.wonde.com, not '\(text)'")
        }
        let loopback = ["127.0.0.1", "localhost", "::1", "[::1]"].contains(host)
        guard components.scheme == "https" || (components.scheme == "http" && loopback) else {
            throw PluginError.permanent(
                "wonde: configuration key 'domain' must use https (plain http only to a loopback address), not '\(text)'"
            )
        }
        var path = components.path
        if !path.hasSuffix("/") { path += "/" }
        if !path.hasSuffix("v1.0/") { path += "v1.0/" }
        components.path = path
        guard let url = components.url else {
            throw PluginError.permanent("wonde: configuration key 'domain' is not a usable host: '\(text)'")
        }
        return url
    }

    /// `host[:port]` of the base URL, as `data.region.domain` names a region.
    var domain: String {
        let host = baseURL.host ?? ""
        return baseURL.port.map { "\(host):\($0)" } ?? host
    }
}
