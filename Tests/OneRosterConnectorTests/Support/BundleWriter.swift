import Foundation

/// Writes a small OneRoster bundle into a folder, for tests that need homerooms, demographics,
/// deltas or broken files, which the public samples do not have.
struct BundleWriter {
    let directory: URL

    init(_ path: String) { directory = URL(fileURLWithPath: path, isDirectory: true) }

    func manifest(_ files: [String: String]) throws {
        let rows = ["propertyName,value", "manifest.version,1.0", "oneroster.version,1.1"]
            + files.sorted { $0.key < $1.key }.map { "file.\($0.key),\($0.value)" }
        try write("manifest.csv", rows)
    }

    func write(_ name: String, _ lines: [String]) throws {
        try (lines.joined(separator: "\r\n") + "\r\n").write(
            to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static let usersHeader =
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password"
    static let classesHeader =
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods"
    static let enrollmentsHeader = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate"
    static let demographicsHeader = "sourcedId,status,dateLastModified,birthDate,sex"
    static let orgsHeader = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId"

    /// The Oak bundle with `users` (rows) in place of its own.
    @discardableResult
    static func oak(_ path: String, users: [String]) throws -> BundleWriter {
        let writer = BundleWriter(path)
        try writer.oakBulk()
        try writer.write("users.csv", [usersHeader] + users)
        return writer
    }

    /// When the delta tests' last import started: before the changes below.
    static let lastImport = "2026-11-24T00:00:00Z"
    static let ada = "p1,active,2026-09-01T00:00:00Z,true,oak,student,ada,,Ada,Lovelace,,S001,,,,,KG,"
    static let alan = "p2,active,2026-09-01T00:00:00Z,true,oak,student,alan,,Alan,Turing,,S002,,,,,01,"
    static let graceLeaving = "p3,tobedeleted,2026-11-26T09:00:00Z,true,oak,student,grace,,Grace,Hopper,,S003,,,,,03,"

    /// A two-class school "Oak" (org `oak`, identifier 3301234): pupils p1–p3, teacher t1, parent g1.
    func oakBulk() throws {
        try manifest(["users": "bulk", "classes": "bulk", "enrollments": "bulk", "demographics": "bulk", "orgs": "bulk"])
        try write(
            "orgs.csv",
            [Self.orgsHeader, "oak,active,2026-09-01T00:00:00Z,Oak Primary,school,3301234,", "elm,active,,Elm Primary,school,3309999,"])
        try write(
            "users.csv",
            [
                Self.usersHeader,
                "p1,active,2026-09-01T00:00:00Z,true,oak,student,ada,{UPN:A801200005001},Ada,Lovelace,,S001,ada@oak.example,07700900001,,g1,KG,",
                "p2,active,2026-09-01T00:00:00Z,true,oak,student,alan,,Alan,Turing,Mathison,S002,,,,,01,",
                "p3,,,true,oak,student,grace,\"{UPN:B801200005002},{LA:77}\",Grace,Hopper,,S003,,,,,\"03,04\",",
                "t1,active,2026-09-01T00:00:00Z,true,oak,teacher,tim,,Tim,Berners-Lee,,T001,tim@oak.example,,,,,",
                "g1,active,2026-09-01T00:00:00Z,true,oak,parent,gus,,Gus,Lovelace,,,gus@home.example,07700900009,,p1,,",
                "e1,active,2026-09-01T00:00:00Z,true,elm,student,eve,,Eve,Elm,,E001,,,,,02,",
            ])
        try write(
            "classes.csv",
            [
                Self.classesHeader,
                "hr-r,active,,Reception Robins,KG,,RR,homeroom,,oak,T1,,,",
                "hr-1,active,,1 Owls,01,,1O,homeroom,,oak,T1,,,",
                "maths,active,,Maths 1,01,,M1,scheduled,,oak,T1,,,",
            ])
        try write(
            "enrollments.csv",
            [
                Self.enrollmentsHeader,
                "e-p1,active,,hr-r,oak,p1,student,,2026-09-01,",
                "e-p2,active,,hr-1,oak,p2,student,,2026-09-01,",
                "e-p2m,active,,maths,oak,p2,student,,2026-09-01,",
                "e-t1,active,,hr-1,oak,t1,teacher,true,2026-09-01,",
            ])
        try write(
            "demographics.csv",
            [Self.demographicsHeader, "p1,active,,2021-12-10,female", "p2,active,,2020-06-23,male", "t1,active,,1955-06-08,male"])
    }
}
