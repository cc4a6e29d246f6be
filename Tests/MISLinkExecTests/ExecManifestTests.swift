import Foundation
import MISLinkExec
import MISLinkKit
import MISLinkTestSupport
import Testing

/// A manifest that is malformed, or built for another major protocol version, is refused naming the
/// file and the reason.
@Suite struct ExecManifestTests {
    static let good = #"{"id": "mis-x", "role": "connector", "version": "1.0.0", "protocol": "1.0", "command": "python3", "args": ["x.py"], "config": [{"name": "password", "secret": true}]}"#

    func refusal(_ text: String) throws -> String {
        try withTemporaryDirectory { dir in
            let file = dir + "/manifest.json"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            do {
                _ = try ExecManifest(contentsOf: URL(fileURLWithPath: file))
                return "accepted"
            } catch let error as ExecManifestError {
                #expect(error.file == file)
                return error.reason
            }
        }
    }

    @Test func aGoodManifestDescribesThePlugin() throws {
        try withTemporaryDirectory { dir in
            let file = dir + "/manifest.json"
            try Self.good.write(toFile: file, atomically: true, encoding: .utf8)
            let manifest = try ExecManifest(contentsOf: URL(fileURLWithPath: file))
            #expect(manifest.manifest.id == "mis-x")
            #expect(manifest.manifest.role == .connector)
            #expect(manifest.manifest.configKeys == [ConfigKey("password", summary: "", secret: true)])
            #expect(manifest.arguments == ["x.py"])
            #expect(manifest.protocolVersion == ProtocolVersion(major: 1, minor: 0))
        }
    }

    @Test(arguments: [
        ("{", "is not JSON"),
        (#"{"id": "mis-x", "role": "connector", "version": "1", "protocol": "1.0"}"#, "key 'command' is missing"),
        (good.replacingOccurrences(of: #""protocol": "1.0""#, with: #""protocol": "2.1""#),
         "built for plugin protocol 2.1, but this MISLink speaks 1.1 (major versions differ)"),
        (good.replacingOccurrences(of: #""protocol": "1.0""#, with: #""protocol": "one""#), "protocol 'one' is not a version such as 1.1"),
        (good.replacingOccurrences(of: #""role": "connector""#, with: #""role": "printer""#), "key 'role': Cannot initialize PluginRole from invalid String value printer"),
        (good.replacingOccurrences(of: "mis-x", with: "MIS X"), "id 'MIS X' must be 1-40 lower-case letters, digits and dashes"),
        (good.replacingOccurrences(of: #""args""#, with: #""methods": ["readPupils", "readStaff", "fly"], "args""#),
         "method 'fly' is not a connector call (known: checkConnection, readPupils, readStaff, readPreAdmissions, readContacts, writeAttendance)"),
        (good.replacingOccurrences(of: #""args""#, with: #""methods": ["readPupils"], "args""#), "a connector must serve 'readStaff'"),
    ] as [(String, String)])
    func refused(text: String, reason: String) throws {
        #expect(try refusal(text) == reason)
    }

    @Test func theFolderListsEachPluginOnceAndEveryRefusal() throws {
        try withTemporaryDirectory { dir in
            let manager = FileManager.default
            for name in ["a", "b", "c"] { try manager.createDirectory(atPath: dir + "/\(name)", withIntermediateDirectories: true) }
            try Self.good.write(toFile: dir + "/a/manifest.json", atomically: true, encoding: .utf8)
            try Self.good.write(toFile: dir + "/b/manifest.json", atomically: true, encoding: .utf8)
            try "not json".write(toFile: dir + "/c/manifest.json", atomically: true, encoding: .utf8)
            try "ignored".write(toFile: dir + "/README.txt", atomically: true, encoding: .utf8)
            let folder = ExecPluginFolder(path: dir)
            #expect(folder.connectors.map(\.manifest.id) == ["mis-x"])
            #expect(folder.refused.map(\.description) == [
                "plugin manifest \(dir)/b/manifest.json refused: id 'mis-x' is already taken by \(dir)/a/manifest.json",
                "plugin manifest \(dir)/c/manifest.json refused: is not JSON",
            ])
            #expect(ExecPluginFolder(path: dir + "/nowhere").connectors.isEmpty)
        }
    }
}
