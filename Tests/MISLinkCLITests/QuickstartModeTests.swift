import Foundation
import MISLinkTestSupport
import Testing

/// Defect 9: the quickstart's demo holds personal data (made up, but it looks real): every folder it
/// makes is 0700 and every file 0600, even under a umask of 000.
@Suite struct QuickstartModeTests {
    @Test("the demo folder, mis/, the exports, writeback.csv and the databases are private under umask 000")
    func privateModes() async throws {
        try await withTemporaryDirectory { dir in
            let demo = dir + "/demo"
            let status = try await Self.quickstart(demo: demo, in: dir)
            #expect(status == 0)
            #expect(try permissions(of: demo) == 0o700)
            #expect(try permissions(of: demo + "/mis") == 0o700)
            let exports = ["contacts.csv", "preadmissions.csv", "staff.csv", "students.csv", "writeback.csv"]
            for name in exports { #expect(try permissions(of: demo + "/mis/" + name) == 0o600, "\(name)") }
            // Each database file (and its -wal/-shm) is made 0600 by SQLiteDB before SQLite opens it.
            let databases = try FileManager.default.subpathsOfDirectory(atPath: demo).filter { $0.contains(".sqlite") }
            #expect(databases.contains("library.sqlite") && databases.contains("mislink.sqlite"))
            for name in databases { #expect(try permissions(of: demo + "/" + name) == 0o600, "\(name)") }
        }
    }

    /// Runs `mislink quickstart` on a tiny school through a shell that sets the umask first: the
    /// umask is per process, so the test process's own is left alone.
    private static func quickstart(demo: String, in dir: String) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", #"umask 000 && exec "$0" quickstart --dir "$1" --pupils 10 --staff 2 > /dev/null"#,
            MISLinkBinary.url.path, demo,
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": dir]
        process.standardInput = FileHandle.nullDevice
        try process.run()
        await MISLinkBinary.exit(of: process)
        return process.terminationStatus
    }
}
