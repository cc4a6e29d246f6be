import Foundation
import Testing
import MISLinkTestSupport

/// The quickstart's "look closer" commands work as printed, whether `mislink` is on the PATH or not.
@Suite struct QuickstartLookCloserTests {
    private func lookCloser(_ output: String) -> [String] {
        guard let start = output.range(of: "Look closer:\n") else { return [] }
        return output[start.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    private func shell(_ command: String, in dir: String, path: String) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " > /dev/null 2>&1"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.environment = ["PATH": path, "HOME": dir]
        try process.run()
        await MISLinkBinary.exit(of: process)
        return process.terminationStatus
    }

    @Test("off the PATH each command names the binary's full path; on it, plain mislink; either way each runs")
    func commandsRunAsPrinted() async throws {
        try await withTemporaryDirectory { dir in
            let off = try await MISLinkBinary.run(["quickstart", "--dir", "demo", "--pupils", "20", "--staff", "2"], in: dir)
            #expect(off.status == 0, "\(off.stderr)")
            let printed = lookCloser(off.stdout)
            #expect(printed.count >= 7)
            #expect(printed.allSatisfy { $0.hasPrefix(MISLinkBinary.url.resolvingSymlinksInPath().path + " ") })
            for command in printed { #expect(try await shell(command, in: dir, path: "/usr/bin:/bin") == 0, "\(command)") }

            let bin = dir + "/bin"
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: bin + "/mislink", withDestinationPath: MISLinkBinary.url.path)
            let on = try await MISLinkBinary.run(
                ["quickstart", "--dir", "demo", "--pupils", "20", "--staff", "2"], in: dir, environment: ["PATH": bin + ":/usr/bin:/bin"])
            let onPath = lookCloser(on.stdout)
            #expect(onPath.allSatisfy { $0.hasPrefix("mislink ") }, "\(onPath)")
            for command in onPath { #expect(try await shell(command, in: dir, path: bin + ":/usr/bin:/bin") == 0, "\(command)") }
        }
    }
}
