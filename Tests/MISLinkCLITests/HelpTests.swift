import Foundation
import Testing
import MISLinkTestSupport

@Suite struct HelpTests {
    /// Every command and every action, as a user types them.
    static let commands: [String] = [
        "quickstart", "enqueue", "worker", "stats", "workers", "plugins", "policies",
        "jobs list", "jobs failed", "jobs show", "jobs retry", "jobs cancel", "jobs prune",
        "integration add", "integration list", "integration show", "integration set", "integration on", "integration off",
        "integration absence-sync", "integration contract-sync", "integration staff-sync", "integration go-live",
        "integration remove",
        "intake list", "intake match", "intake transfer", "intake exclude", "links list", "imports list",
        "exclude add", "exclude remove", "exclude list", "target list", "target restore", "report changes",
    ]

    /// The options a help text lists (its lines that start with an option).
    private func listed(_ help: String) -> Set<String> {
        Set(help.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  --") else { return nil }
            return String(line.dropFirst(2).prefix { !$0.isWhitespace })
        })
    }

    /// The options the parser takes, as its refusal of an unknown one lists them.
    private func accepted(_ command: [String], in dir: String) async throws -> Set<String> {
        let refused = try await MISLinkBinary.run(command + ["--no-such-option"], in: dir)
        #expect(refused.status == 2)
        let marker = "(this command takes: "
        let start = try #require(refused.stderr.range(of: marker), "\(command): \(refused.stderr)")
        let list = refused.stderr[start.upperBound...].prefix { $0 != ")" }
        return Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }

    @Test("every command's --help lists exactly the options its parser takes", arguments: commands)
    func helpMatchesParser(command: String) async throws {
        try await withTemporaryDirectory { dir in
            let words = command.split(separator: " ").map(String.init)
            let help = try await MISLinkBinary.run(words + ["--help"], in: dir)
            #expect(help.status == 0)
            #expect(help.stdout.hasPrefix("Usage: mislink \(command)"), "\(help.stdout)")
            let parsed = try await accepted(words, in: dir)
            #expect(listed(help.stdout) == parsed, "\(command)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/mislink.sqlite"))
        }
    }

    @Test("an action's help and parser hold only its own options")
    func actionsKeepTheirOwnOptions() async throws {
        try await withTemporaryDirectory { dir in
            let help = try await MISLinkBinary.run(["jobs", "list", "--help"], in: dir).stdout
            #expect(!help.contains("--all-failed") && !help.contains("--older-than") && !help.contains("--full"))
            let refused = try await MISLinkBinary.run(["jobs", "list", "--older-than", "1d"], in: dir)
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("unknown option '--older-than'"))
            let group = try await MISLinkBinary.run(["jobs", "--help"], in: dir).stdout
            for action in ["list", "failed", "show", "retry", "cancel", "prune"] {
                #expect(group.contains("mislink jobs \(action)"), "\(action)")
            }
        }
    }
}
