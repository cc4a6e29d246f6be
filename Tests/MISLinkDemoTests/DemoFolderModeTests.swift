import Foundation
import MISLinkDemo
import MISLinkTestSupport
import Testing

/// Defect 9: the demo's export is personal data (if made up): folders 0700 and files 0600, whatever
/// the umask.
struct DemoFolderModeTests {
    @Test("writes the export folder 0700 and its files 0600", arguments: [0o022, 0o000] as [mode_t])
    func exportModes(mask: mode_t) async throws {
        let school = DemoSchool.generate(pupils: 20, staff: 3)
        try await withFreshExportFolder { folder in
            let nested = folder.appendingPathComponent("mis")
            try withUmask(mask) { try school.writeCSV(to: nested) }
            #expect(try permissions(of: folder.path) == 0o700)
            #expect(try permissions(of: nested.path) == 0o700)
            let names = try FileManager.default.contentsOfDirectory(atPath: nested.path).sorted()
            #expect(names == ["contacts.csv", "preadmissions.csv", "staff.csv", "students.csv"])
            for name in names {
                #expect(try permissions(of: nested.appendingPathComponent(name).path) == 0o600, "\(name)")
            }
        }
    }

    @Test("replacing an export keeps its files 0600 and leaves no temporary file behind")
    func replaceModes() async throws {
        try await withFreshExportFolder { folder in
            let today = DemoSchool.generate(pupils: 20, staff: 3)
            try withUmask(0o000) { try today.writeCSV(to: folder) }
            try withUmask(0o000) { try today.nextDay(seed: 2).writeCSV(to: folder) }
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            #expect(names.count == 4)
            for name in names { #expect(try permissions(of: folder.appendingPathComponent(name).path) == 0o600) }
        }
    }

    @Test("makes a folder 0700 that it takes over")
    func restrict() throws {
        try withTemporaryDirectory { path in
            let folder = URL(fileURLWithPath: path).appendingPathComponent("taken")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
            try PrivateFile.restrict(folder)
            #expect(try permissions(of: folder.path) == 0o700)
        }
    }
}
