import DirectoryTarget
import Foundation
import MISLinkDemo
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import SQLiteDB

/// `mislink quickstart`: a whole integration's life on a generated school, in a few seconds.
enum QuickstartCommand {
    static let command = Command(
        "quickstart", summary: "run a whole integration's life on a generated school, in a few seconds",
        details: """
            Builds a demo in DIR (default ./mislink-demo; an earlier demo there is replaced, any other
            non-empty folder refused): a generated primary school's
            MIS export (600 pupils, 60 staff, contacts, pre-admissions, with leavers, ambiguous names and
            year groups to fix) in DIR/mis, a library system's people directory in DIR/library.sqlite that
            already knows some of them, and the queue in DIR/mislink.sqlite. Then it takes an integration
            through its life: add (Pending), setup wizard (Ready), go-live and initial upload (On), the
            next day's import with changes and leavers, a late-arrival write-back sent twice and written
            once; and prints what happened at each step.
            """,
        specs: [
            .option("dir", "DIR", "where to build the demo (default ./mislink-demo)"),
            .option("pupils", "N", "pupils in the generated school (default 600)"),
            .option("staff", "N", "staff in the generated school (default 60)"),
        ],
        run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let dir = URL(fileURLWithPath: arguments.value("dir") ?? "./mislink-demo").standardizedFileURL
        let pupils = try arguments.integer("pupils", range: 10...200_000) ?? 600
        let staff = try arguments.integer("staff", range: 1...20_000) ?? 60
        try replaceDemoFolder(dir)
        // The demo holds personal data, if made up: its folders are 0700 and its files 0600. An empty
        // folder given as --dir is the demo's from now on, so it is made 0700 too.
        try PrivateFile.makeDirectory(dir)
        try PrivateFile.restrict(dir)
        let mis = dir.appendingPathComponent("mis")
        try PrivateFile.makeDirectory(mis)
        let library = dir.appendingPathComponent("library.sqlite").path
        let database = dir.appendingPathComponent("mislink.sqlite").path
        var tokens = ["--db", database]
        if arguments.value("jobs-dir") != nil { tokens += ["--jobs-dir", context.jobsDirectory] }

        let school = DemoSchool.generate(seed: 42, pupils: pupils, staff: staff)
        try school.writeCSV(to: mis)
        let seeded = try pluginOperation { try await seedLibrary(library, from: school) }
        step("1. A school", """
            \(school.pupils.count) pupils, \(school.staff.count) staff, \(school.preAdmissions.count) pre-admissions and \(school.contacts.count) contacts exported to \(mis.path)
            the library system already holds \(seeded) of them, some registered with their own contact details
            """)

        try command(["integration", "add", "oakfield", "--connector", "csv", "--target", "directory",
                     "--config", "dir=\(mis.path)", "--config", "db=\(library)"] + tokens)
        try command(["integration", "set", "oakfield", "new-records=create"] + tokens)
        step("2. Integration added", "oakfield: csv connector → directory target; status Pending; new records are created, ambiguous ones go to intake")

        try command(["enqueue", "rerun-wizard", "--integration", "oakfield"] + tokens)
        try drain(tokens)
        step("3. Setup wizard (connection check and data matching)", try summary(of: "rerun-wizard", database: database) + "\nstatus: " + status(database))

        try command(["integration", "go-live", "oakfield"] + tokens)
        try drain(tokens)
        step("4. Go-live: initial upload", try summary(of: "initial-upload", database: database) + "\nstatus: " + status(database))

        let nextDay = school.nextDay(seed: 43)
        try nextDay.writeCSV(to: mis)
        try command(["enqueue", "nightly-import", "--integration", "oakfield"] + tokens)
        try drain(tokens)
        step("5. Next day's import (changed classes and addresses, new pupils, leavers)",
             try summary(of: "nightly-import", database: database)
             + "\nleavers moved to the library's recycle bin: \(try succeeded(JobKinds.leaverToRecycleBin, database: database))")

        let lateness = #"{"eventId":"gate-2026-11-27-0001","studentMisId":"\#(nextDay.pupils[0].details.misID)","date":"2026-11-27","session":"AM","code":"L","minutesLate":12}"#
        try command(["enqueue", "write-back", "--integration", "oakfield", "--payload", lateness] + tokens)
        try command(["enqueue", "write-back", "--integration", "oakfield", "--payload", lateness] + tokens)
        try drain(tokens)
        let written = (try? String(contentsOf: mis.appendingPathComponent("writeback.csv"), encoding: .utf8))?
            .split(whereSeparator: \.isNewline).count ?? 1
        step("6. A late arrival written back to the MIS", "sent twice, written once: \(written - 1) row in \(mis.appendingPathComponent("writeback.csv").path)")

        let mislink = SelfPath.commandName  // as typed, these work whether mislink is on the PATH or not
        print("""

            Look closer:
              \(mislink) integration show oakfield --db \(database)
              \(mislink) imports list --integration oakfield --db \(database)
              \(mislink) intake list --db \(database)
              \(mislink) links list --integration oakfield --db \(database)
              \(mislink) target list --integration oakfield --recycle-bin --db \(database)
              \(mislink) report changes --integration oakfield --db \(database)
              \(mislink) jobs list --db \(database)
              \(mislink) doctor --db \(database)
            """)
        return 0
    }

    /// Clears an earlier demo, and never anything else: a folder that holds files but is not a
    /// demo (no mislink.sqlite and mis/) is refused, so a mistyped --dir cannot delete someone's work.
    private static func replaceDemoFolder(_ dir: URL) throws {
        let files = FileManager.default
        guard let contents = try? files.contentsOfDirectory(atPath: dir.path), !contents.isEmpty else { return }
        guard contents.contains("mislink.sqlite"), contents.contains("mis") else {
            throw CLIError.usage("\(dir.path) is not empty and not an earlier demo; give --dir a new or empty folder")
        }
        try files.removeItem(at: dir)
    }

    private static func step(_ title: String, _ body: String) {
        print("\n" + title)
        for line in body.split(separator: "\n") { print("   " + line) }
    }

    /// Runs another mislink command in this process, as a user would type it.
    private static func command(_ arguments: [String]) throws {
        let status = silently { MISLinkCommand.main(arguments) }
        guard status == 0 else { throw CLIError.failure("quickstart: 'mislink \(arguments.joined(separator: " "))' failed") }
    }

    /// Runs with stdout muted and stderr held back: the quickstart prints its own summary. A command
    /// that fails has what it said on stderr passed on, so the reason is never lost.
    private static func silently(_ body: () -> Int32) -> Int32 {
        fflush(nil)
        let savedOut = dup(STDOUT_FILENO)
        let savedErr = dup(STDERR_FILENO)
        let null = open("/dev/null", O_WRONLY)
        var template = Array((FileManager.default.temporaryDirectory.path + "/mislink-quickstart-XXXXXX").utf8CString)
        let held = mkstemp(&template)
        if held >= 0 { unlink(String(cString: template)) }
        dup2(null, STDOUT_FILENO)
        dup2(held >= 0 ? held : null, STDERR_FILENO)
        let status = body()
        fflush(nil)
        dup2(savedOut, STDOUT_FILENO)
        dup2(savedErr, STDERR_FILENO)
        if status != 0 && held >= 0 {
            lseek(held, 0, SEEK_SET)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(held, &buffer, buffer.count)
                if n <= 0 { break }
                _ = write(STDERR_FILENO, buffer, n)
            }
        }
        if held >= 0 { close(held) }
        close(null)
        close(savedOut)
        close(savedErr)
        return status
    }

    private static func drain(_ tokens: [String]) throws {
        try command(["worker", "--drain", "--concurrency", "4", "--quiet"] + tokens)
    }

    /// The service layer on the demo's queue, as the commands above use it.
    private static func environment(_ database: String) throws -> SyncEnvironment {
        SyncEnvironment(databasePath: database, plugins: try BuiltInPlugins.registry())
    }

    private static func succeeded(_ kind: String, database: String) throws -> Int {
        try JobAdmin(environment: environment(database)).stats().rows.first { $0.kind == kind && $0.state == .succeeded }?.count ?? 0
    }

    private static func status(_ database: String) throws -> String {
        try IntegrationService(environment: environment(database)).integration("oakfield").status.title
    }

    /// The latest job of a kind, in a line or two: its state and its report's figures.
    private static func summary(of kind: String, database: String) throws -> String {
        guard let job = try JobAdmin(environment: environment(database)).jobs(matching: JobFilter(kind: kind, limit: 1)).first
        else { return "no \(kind) job" }
        guard job.state == .succeeded, let text = job.result, let data = text.data(using: .utf8),
            let report = try? JSONDecoder().decode(ImportReport.self, from: data)
        else { return "job \(job.id) \(job.state.rawValue): \(job.lastError ?? "")" }
        let rules = report.matchedBy.filter { $0.key != "created" }.sorted { $0.key < $1.key }
        var lines = [
            "read \(report.read): matched \(report.matched)"
                + (rules.isEmpty ? "" : " (by " + rules.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")")
                + "; added \(report.added); updated \(report.updated); unchanged \(report.unchanged)",
            "to intake \(report.toIntake); leavers \(report.leavers); skipped \(report.skipped)" + (report.skippedReasons.isEmpty ? "" : " (" + report.skippedReasons.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ") + ")"),
        ]
        for warning in report.warnings.prefix(3) { lines.append("warning: " + warning) }
        if report.warnings.count > 3 { lines.append("… and \(report.warnings.count - 3) more warning(s)") }
        return lines.joined(separator: "\n")
    }

    /// The library already knows a third of the pupils and most staff, entered by hand over the
    /// years: some with the MIS id, some with only a UPN or NI number, some only by name.
    private static func seedLibrary(_ path: String, from school: DemoSchool) async throws -> Int {
        let store = DirectoryStore(path: path)
        var seeded = 0
        for (index, pupil) in school.pupils.enumerated() where index % 3 == 0 && pupil.details.status == .active {
            var copy = pupil
            switch index % 9 {
            case 0: copy.upn = nil  // found by the MIS id stored on the record
            case 3: copy.details.misID = ""  // found by UPN
            default:
                copy.details.misID = ""  // found by name and date of birth only
                copy.upn = nil
            }
            let registered = index % 27 == 0
            if registered { copy.details.email = "parent\(index)@example.org" }
            _ = try await store.addManual(.pupil(copy), registered: registered)
            seeded += 1
        }
        for (index, member) in school.staff.enumerated() where index % 2 == 0 {
            var copy = member
            copy.details.misID = ""
            _ = try await store.addManual(.staff(copy))
            seeded += 1
        }
        return seeded
    }
}
